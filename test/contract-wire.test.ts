/**
 * Contracts over the wire: the mock peer launches chaincodeFromContracts(...) in-process with
 * the real shim over gRPC. The asset contract is the fabric-contract-api fixture with only its
 * import changed.
 */
import './fixtures/contract-quiet';
import { Context, Contract, Transaction, chaincodeFromContracts } from '../src/contract';
import { MockPeer } from '../src/testing/mock-peer';
import type { MockChaincode } from '../src/testing/mock-chaincode';
import { ours } from './support/contract-ours';

class Extras extends Contract {
  constructor() {
    super('extras');
  }
  @Transaction()
  async Secret(ctx: Context): Promise<string> {
    const secret = ctx.stub.getTransient().get('secret');
    if (!secret) throw new Error('no transient secret');
    await ctx.stub.putState('hash', Buffer.from(String(secret.length)));
    return `len=${secret.length}`;
  }
  @Transaction()
  async Emit(ctx: Context, name: string): Promise<void> {
    ctx.stub.setEvent(name, Buffer.from('payload'));
  }
  @Transaction(false)
  async Caller(ctx: Context): Promise<string> {
    return `${ctx.clientIdentity.getMSPID()} ${ctx.stub.getChannelID()}`;
  }
}

describe('contracts over the mock peer', () => {
  let peer: MockPeer;
  let cc: MockChaincode;

  beforeAll(async () => {
    peer = await MockPeer.start();
    cc = await peer.launch('assets', chaincodeFromContracts([...ours.contracts, Extras], { title: 'assets', version: '1.0' }));
  });
  afterAll(async () => {
    await peer.stop();
  });

  it('commits a transaction and reads it back', async () => {
    const created = await cc.invoke(['assets:CreateAsset', 'a1', 'red', '5', 'true']);
    expect(created).toMatchObject({ outcome: 'COMPLETED', status: 200, committed: true });
    expect(peer.ledger.getJSON('assets', 'asset_a1')).toMatchObject({ ID: 'a1', Color: 'red', Size: 5, Insured: true });
    const read = await cc.invoke(['assets:ReadAsset', 'a1']);
    expect(JSON.parse(read.payload.toString())).toMatchObject({ ID: 'a1', Size: 5 });
    expect((await cc.invoke(['assets:AssetExists', 'a1'])).payload.toString()).toBe('true');
  });

  it('routes bare names to the @Default contract', async () => {
    expect((await cc.invoke(['Version'])).payload.toString()).toBe('1.2.3');
    expect((await cc.invoke(['Echo', 'hey', 'true'])).payload.toString()).toBe('hey:true');
  });

  it('answers a bad argument with an error response naming it, writes nothing, and keeps serving', async () => {
    const bad = await cc.invoke(['assets:CreateAsset', 'a9', 'red', 'big', 'true']);
    expect(bad).toMatchObject({ outcome: 'COMPLETED', status: 500, committed: false });
    expect(bad.message).toBe('fromBuffer could not convert data to number');
    expect(peer.ledger.get('assets', 'asset_a9')).toBeUndefined();
    expect((await cc.invoke(['assets:AssetExists', 'a1'])).payload.toString()).toBe('true');
  });

  it("answers a thrown error with its message and an unknown function with fabric's error", async () => {
    expect(await cc.invoke(['assets:ReadAsset', 'nope'])).toMatchObject({ status: 500, message: 'The asset nope does not exist' });
    expect(await cc.invoke(['assets:Fly'])).toMatchObject({
      status: 500,
      message: "You've asked to invoke a function that does not exist: assets:Fly",
    });
  });

  it('runs Init through the same routing', async () => {
    expect((await cc.init(['info:Version'])).payload.toString()).toBe('1.2.3');
  });

  it('serves org.hyperledger.fabric:GetMetadata', async () => {
    const res = await cc.invoke(['org.hyperledger.fabric:GetMetadata']);
    const metadata = JSON.parse(res.payload.toString()) as { contracts: Record<string, unknown>; info: unknown };
    expect(Object.keys(metadata.contracts)).toEqual(['assets', 'info', 'PlainContract', 'extras', 'org.hyperledger.fabric']);
    expect(metadata.info).toEqual({ version: '1.0', title: 'assets' });
  });

  it('gives the context transient data, events and the caller identity', async () => {
    const secret = await cc.invoke(['extras:Secret'], { transient: { secret: 'hunter2' } });
    expect(secret.payload.toString()).toBe('len=7');
    expect(peer.ledger.getString('assets', 'hash')).toBe('7');
    const emitted = await cc.invoke(['extras:Emit', 'Created']);
    expect(emitted.events.map((e) => [e.eventName, e.payload.toString()])).toEqual([['Created', 'payload']]);
    expect((await cc.invoke(['extras:Caller'])).payload.toString()).toBe('Org1MSP mychannel');
  });
});
