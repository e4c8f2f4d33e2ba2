// The same gateway application against a chaincode on the OFFICIAL fabric-shim (a child process):
// the prepared transaction, the creator and the error details do not depend on our shim.
import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { connect, EndorseError, type Gateway } from '@hyperledger/fabric-gateway';
import { MockPeer } from '../src/testing';

let peer: MockPeer;
let child: ChildProcess;
let client: grpc.Client;
let gateway: Gateway;

beforeAll(async () => {
  peer = await MockPeer.start({ gateway: true, txTimeoutMs: 10_000 });
  const registered = peer.waitForChaincode('official');
  child = spawn(
    process.execPath,
    [path.join(__dirname, 'support', 'official-chaincode.js'), '--peer.address', peer.address, '--chaincode-id-name', 'official:1'],
    {
      env: { ...process.env, CORE_PEER_LOCALMSPID: 'Org1MSP', CORE_CHAINCODE_LOGGING_LEVEL: 'warning' },
      stdio: 'ignore',
    },
  );
  await registered;
  client = new grpc.Client(peer.address, grpc.credentials.createInsecure());
  gateway = connect({ client, ...(await peer.gatewayCredentials()) });
});

afterAll(async () => {
  gateway.close();
  client.close();
  await peer.stop();
  if (child.exitCode === null) {
    const exited = new Promise((r) => child.once('exit', r));
    child.kill();
    await exited;
  }
});

const text = (b: Uint8Array) => Buffer.from(b).toString('utf8');

test('submit, evaluate, the creator seen by the chaincode, and an endorsement error', async () => {
  const contract = gateway.getNetwork('mychannel').getContract('official');
  await contract.submitTransaction('put', 'k1', 'v1');
  expect(peer.ledger.getString('official', 'k1')).toBe('v1');
  expect(text(await contract.evaluateTransaction('get', 'k1'))).toBe('v1');

  const proposal = contract.newProposal('whoami');
  const who = JSON.parse(text(await proposal.evaluate())) as { mspid: string; txId: string; channel: string; hasCert: boolean };
  expect(who).toEqual({ mspid: 'Org1MSP', txId: proposal.getTransactionId(), channel: 'mychannel', hasCert: true });

  const error = (await contract.submitTransaction('fail', 'k2').catch((e: unknown) => e)) as EndorseError;
  expect(error).toBeInstanceOf(EndorseError);
  expect(error.details.map((d) => d.message)).toEqual(['chaincode response 500, failed on purpose']);
  expect(peer.ledger.get('official', 'k2')).toBeUndefined();
});
