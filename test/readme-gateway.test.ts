/**
 * README.md's Fabric Gateway example ("Testing the application too"): the block shown there is
 * the body of the test below, line for line (the first test checks it), run with the official
 * `@hyperledger/fabric-gateway` client against a contract on the mock peer.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { connect, type Gateway } from '@hyperledger/fabric-gateway';
import { Context, Contract, Transaction, chaincodeFromContracts } from 'fabric-shim-ts/contract';
import { MockPeer } from 'fabric-shim-ts/testing';

class AssetTransfer extends Contract {
  @Transaction()
  async CreateAsset(ctx: Context, id: string, color: string, size: string, owner: string, value: string): Promise<void> {
    await ctx.stub.putState(id, Buffer.from(JSON.stringify({ id, color, size: Number(size), owner, value: Number(value) })));
  }
  @Transaction(false)
  async ReadAsset(ctx: Context, id: string): Promise<string> {
    return (await ctx.stub.getState(id)).toString();
  }
}

let peer: MockPeer | undefined;
let client: grpc.Client | undefined;
let gateway: Gateway | undefined;
afterAll(async () => {
  gateway?.close();
  client?.close();
  await peer?.stop();
});

const README = readFileSync(path.join(__dirname, '..', 'README.md'), 'utf8');
const block = /### Testing the application too[\s\S]*?```ts\n([\s\S]*?)```/.exec(README)?.[1] ?? '';

test("the README block is this test's code", () => {
  const self = readFileSync(__filename, 'utf8');
  const lines = block
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '');
  expect(lines.length).toBeGreaterThan(4);
  for (const line of lines) expect({ line, here: self.includes(line.replace(/^const /, '')) }).toEqual({ line, here: true });
});

test('an unmodified fabric-gateway application submits and evaluates against the contract', async () => {
  peer = await MockPeer.start({ gateway: true });
  await peer.launch('basic', chaincodeFromContracts([AssetTransfer]));
  client = new grpc.Client(peer.address, grpc.credentials.createInsecure());
  gateway = connect({ client, ...(await peer.gatewayCredentials()) }); // User of Org1MSP
  const contract = gateway.getNetwork('mychannel').getContract('basic');
  await contract.submitTransaction('CreateAsset', 'a1', 'blue', '5', 'Tom', '100');
  const asset = JSON.parse(Buffer.from(await contract.evaluateTransaction('ReadAsset', 'a1')).toString());
  expect(asset).toEqual({ id: 'a1', color: 'blue', size: 5, owner: 'Tom', value: 100 });
});
