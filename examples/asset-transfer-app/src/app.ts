/**
 * A client application for the asset-transfer chaincode, written for Fabric's test network as
 * the fabric-samples gateway applications are: TLS on, the peer's TLS CA and User1 of Org1MSP
 * read from the test network's `organizations/peerOrganizations/org1.example.com` folder, the
 * peer reached as `peer0.org1.example.com` (grpc.ssl_target_name_override), every path and name
 * overridable by environment variable. Nothing in it knows about fabric-shim-ts: it runs the same
 * against the test network and against `fabric-shim-ts dev --tls` (point CRYPTO_PATH at the
 * folder dev printed, PEER_ENDPOINT at its address).
 *
 *   CRYPTO_PATH=.../peerOrganizations/org1.example.com PEER_ENDPOINT=localhost:7051 npm start
 */
import * as grpc from '@grpc/grpc-js';
import { connect, hash, signers, type Contract, type Identity, type Signer } from '@hyperledger/fabric-gateway';
import * as crypto from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';

const env = (name: string, fallback: string): string => process.env[name] || fallback;

const channelName = env('CHANNEL_NAME', 'mychannel');
const chaincodeName = env('CHAINCODE_NAME', 'basic');
const mspId = env('MSP_ID', 'Org1MSP');
// The test network's crypto folder for Org1, next to this repository's checkout of fabric-samples by default.
const cryptoPath = env(
  'CRYPTO_PATH',
  path.resolve(
    __dirname,
    '..',
    '..',
    '..',
    '..',
    'fabric-samples',
    'test-network',
    'organizations',
    'peerOrganizations',
    'org1.example.com',
  ),
);
const keyDirectoryPath = env('KEY_DIRECTORY_PATH', path.join(cryptoPath, 'users', 'User1@org1.example.com', 'msp', 'keystore'));
const certDirectoryPath = env('CERT_DIRECTORY_PATH', path.join(cryptoPath, 'users', 'User1@org1.example.com', 'msp', 'signcerts'));
const tlsCertPath = env('TLS_CERT_PATH', path.join(cryptoPath, 'peers', 'peer0.org1.example.com', 'tls', 'ca.crt'));
const peerEndpoint = env('PEER_ENDPOINT', 'localhost:7051');
const peerHostAlias = env('PEER_HOST_ALIAS', 'peer0.org1.example.com');

const decoder = new TextDecoder();

async function firstFile(dir: string): Promise<string> {
  const files = (await fs.readdir(dir)).sort();
  const file = files[0];
  if (file === undefined) throw new Error(`no file in ${dir}`);
  return path.join(dir, file);
}

async function newGrpcConnection(): Promise<grpc.Client> {
  const tlsRootCert = await fs.readFile(tlsCertPath);
  return new grpc.Client(peerEndpoint, grpc.credentials.createSsl(tlsRootCert), {
    'grpc.ssl_target_name_override': peerHostAlias,
  });
}

async function newIdentity(): Promise<Identity> {
  return { mspId, credentials: await fs.readFile(await firstFile(certDirectoryPath)) };
}

async function newSigner(): Promise<Signer> {
  const privateKey = crypto.createPrivateKey(await fs.readFile(await firstFile(keyDirectoryPath)));
  return signers.newPrivateKeySigner(privateKey);
}

async function run(contract: Contract): Promise<void> {
  const assetId = `asset${Date.now()}`;

  console.log(`\n--> Submit Transaction: CreateAsset ${assetId}`);
  await contract.submitTransaction('CreateAsset', assetId, 'yellow', '5', 'Tom', '1300');
  console.log('*** Result: committed');

  console.log('\n--> Evaluate Transaction: GetAllAssets');
  const all = JSON.parse(decoder.decode(await contract.evaluateTransaction('GetAllAssets'))) as { ID: string }[];
  console.log(`*** Result: ${all.length} assets: ${all.map((a) => a.ID).join(', ')}`);

  console.log(`\n--> Async Submit Transaction: UpdateAsset ${assetId}`);
  const commit = await contract.submitAsync('UpdateAsset', { arguments: [assetId, 'blue', '5', '400'] });
  const status = await commit.getStatus();
  if (!status.successful) throw new Error(`transaction ${status.transactionId} failed to commit with status code ${String(status.code)}`);
  console.log(`*** Transaction ${status.transactionId} committed in block ${String(status.blockNumber)}`);

  console.log(`\n--> Submit Transaction: TransferAsset ${assetId} to Saptha`);
  const previous = decoder.decode(await contract.submitTransaction('TransferAsset', assetId, 'Saptha', 'Org1MSP'));
  console.log(`*** Result: previous owner ${previous}`);

  console.log(`\n--> Evaluate Transaction: ReadAsset ${assetId}`);
  console.log(`*** Result: ${decoder.decode(await contract.evaluateTransaction('ReadAsset', assetId))}`);

  console.log('\n--> Submit Transaction: UpdateAsset asset70, which does not exist');
  try {
    await contract.submitTransaction('UpdateAsset', 'asset70', 'blue', '5', '300');
    throw new Error('UpdateAsset of a missing asset did not fail');
  } catch (e) {
    const details = (e as { details?: { message: string }[] }).details ?? [];
    if (details.length === 0) throw e;
    console.log(`*** Successfully caught the error: ${details.map((d) => d.message).join('; ')}`);
  }
}

async function main(): Promise<void> {
  const client = await newGrpcConnection();
  const gateway = connect({
    client,
    identity: await newIdentity(),
    signer: await newSigner(),
    hash: hash.sha256,
    // As the samples: bound every call, so an unreachable peer fails instead of hanging.
    evaluateOptions: () => ({ deadline: Date.now() + 5000 }),
    endorseOptions: () => ({ deadline: Date.now() + 15000 }),
    submitOptions: () => ({ deadline: Date.now() + 5000 }),
    commitStatusOptions: () => ({ deadline: Date.now() + 60000 }),
  });
  try {
    await run(gateway.getNetwork(channelName).getContract(chaincodeName));
  } finally {
    gateway.close();
    client.close();
  }
}

main().catch((error: unknown) => {
  console.error('******** FAILED to run the application:', error);
  process.exitCode = 1;
});
