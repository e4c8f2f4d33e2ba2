/**
 * asset-transfer over the mock peer: every transaction is a real signed proposal sent over
 * gRPC to the contract, and results are checked both in the response and in the committed
 * world state.
 */
import { chaincodeFromContracts } from 'fabric-shim-ts/contract';
import { MockPeer, type MockChaincode } from 'fabric-shim-ts/testing';
import { contracts, EVENTS, type Asset } from '../src';

const CC = 'asset-transfer';

describe('asset-transfer example', () => {
  let peer: MockPeer;
  let cc: MockChaincode;
  let org1: ReturnType<MockPeer['identity']>;
  let org2: ReturnType<MockPeer['identity']>;

  const asJson = (payload: Uint8Array): unknown => JSON.parse(Buffer.from(payload).toString('utf8'));
  const stored = (id: string): Asset | undefined => peer.ledger.getJSON<Asset>(CC, id);

  beforeAll(async () => {
    peer = await MockPeer.start();
    cc = await peer.launch(CC, chaincodeFromContracts(contracts));
    org1 = peer.identity('Org1MSP');
    org2 = peer.identity('Org2MSP');
  });

  afterAll(async () => {
    await peer.stop();
  });

  test('CreateAsset stores the asset owned by the caller MSP and emits AssetCreated', async () => {
    const res = await cc.invoke(['CreateAsset', 'asset1', 'blue', '5', 'Tom', '300'], { identity: org1 });
    expect(res.status).toBe(200);
    const expected = { ID: 'asset1', Color: 'blue', Size: 5, Owner: 'Tom', OwnerMSP: 'Org1MSP', AppraisedValue: 300 };
    expect(asJson(res.payload)).toEqual(expected);
    expect(stored('asset1')).toEqual(expected);
    expect(res.events).toHaveLength(1);
    expect(res.events[0]?.eventName).toBe(EVENTS.created);
    expect(asJson(res.events[0]!.payload)).toEqual(expected);
  });

  test('a duplicate id is refused and changes nothing', async () => {
    const before = peer.ledger.getVersion(CC, 'asset1');
    const res = await cc.invoke(['CreateAsset', 'asset1', 'red', '1', 'Eve', '1'], { identity: org2 });
    expect(res.status).toBe(500);
    expect(res.message).toContain('The asset asset1 already exists');
    expect(res.committed).toBe(false);
    expect(stored('asset1')?.Owner).toBe('Tom');
    expect(peer.ledger.getVersion(CC, 'asset1')).toEqual(before);
  });

  test('a non-numeric size is rejected before the transaction runs', async () => {
    const res = await cc.invoke(['CreateAsset', 'asset9', 'red', 'big', 'Eve', '1'], { identity: org1 });
    expect(res.status).toBe(500);
    // fabric-shim's message (the chaincode's log names the parameter and the transaction).
    expect(res.message).toBe('fromBuffer could not convert data to number');
    expect(stored('asset9')).toBeUndefined();
  });

  test('ReadAsset and AssetExists', async () => {
    const read = await cc.invoke(['ReadAsset', 'asset1']);
    expect(read.status).toBe(200);
    expect(asJson(read.payload)).toMatchObject({ ID: 'asset1', Owner: 'Tom' });
    expect((await cc.invoke(['AssetExists', 'asset1'])).payload.toString()).toBe('true');
    expect((await cc.invoke(['AssetExists', 'nope'])).payload.toString()).toBe('false');
    const missing = await cc.invoke(['ReadAsset', 'nope']);
    expect(missing.status).toBe(500);
    expect(missing.message).toContain('The asset nope does not exist');
  });

  test('only the owner MSP may update', async () => {
    const denied = await cc.invoke(['UpdateAsset', 'asset1', 'green', '6', '400'], { identity: org2 });
    expect(denied.status).toBe(500);
    expect(denied.message).toContain('Client of Org2MSP is not allowed to change asset asset1 owned by Org1MSP');
    expect(stored('asset1')?.Color).toBe('blue');

    const ok = await cc.invoke(['UpdateAsset', 'asset1', 'green', '6', '400'], { identity: org1 });
    expect(ok.status).toBe(200);
    expect(stored('asset1')).toMatchObject({ Color: 'green', Size: 6, AppraisedValue: 400, OwnerMSP: 'Org1MSP' });
    expect(ok.events.map((e) => e.eventName)).toEqual([EVENTS.updated]);
  });

  test('transfer: refused for another MSP, then done by the owner, after which control moves', async () => {
    const forbidden = await cc.invoke(['TransferAsset', 'asset1', 'Mallory', 'Org2MSP'], { identity: org2 });
    expect(forbidden.status).toBe(500);
    expect(forbidden.message).toContain('not allowed');
    expect(forbidden.events).toEqual([]);
    expect(stored('asset1')?.Owner).toBe('Tom');

    const moved = await cc.invoke(['TransferAsset', 'asset1', 'Jerry', 'Org2MSP'], { identity: org1 });
    expect(moved.status).toBe(200);
    expect(moved.payload.toString()).toBe('Tom'); // the previous owner
    expect(stored('asset1')).toMatchObject({ Owner: 'Jerry', OwnerMSP: 'Org2MSP' });
    expect(moved.events[0]?.eventName).toBe(EVENTS.transferred);
    expect(asJson(moved.events[0]!.payload)).toEqual({ ID: 'asset1', from: 'Tom', to: 'Jerry', toMSP: 'Org2MSP' });

    expect((await cc.invoke(['UpdateAsset', 'asset1', 'red', '1', '1'], { identity: org1 })).status).toBe(500);
    expect((await cc.invoke(['UpdateAsset', 'asset1', 'red', '7', '410'], { identity: org2 })).status).toBe(200);
  });

  test('GetAllAssets returns every asset in key order and skips composite keys', async () => {
    for (const [id, color] of [
      ['asset3', 'yellow'],
      ['asset2', 'white'],
    ] as const) {
      expect((await cc.invoke(['CreateAsset', id, color, '1', 'Ann', '10'], { identity: org1 })).status).toBe(200);
    }
    // A composite key (as an index would write) lies outside the '' .. '' range, as on a real peer.
    peer.ledger.put(CC, '\u0000color~name\u0000blue\u0000asset1\u0000', Uint8Array.of(0));
    const res = await cc.invoke(['GetAllAssets']);
    expect(res.status).toBe(200);
    const all = asJson(res.payload) as Asset[];
    expect(all.map((a) => a.ID)).toEqual(['asset1', 'asset2', 'asset3']);
    expect(all[0]).toEqual(stored('asset1'));
  });

  test('GetAssetHistory lists every version newest first, the delete included', async () => {
    const created = await cc.invoke(['CreateAsset', 'h1', 'blue', '1', 'Tom', '10'], { identity: org1 });
    const transferred = await cc.invoke(['TransferAsset', 'h1', 'Jerry', 'Org2MSP'], { identity: org1 });
    expect((await cc.invoke(['DeleteAsset', 'h1'], { identity: org1 })).status).toBe(500); // no longer Org1's
    const deleted = await cc.invoke(['DeleteAsset', 'h1'], { identity: org2 });
    expect(deleted.status).toBe(200);
    expect(stored('h1')).toBeUndefined();

    const res = await cc.invoke(['GetAssetHistory', 'h1']);
    expect(res.status).toBe(200);
    const history = asJson(res.payload) as { TxId: string; IsDelete: boolean; Asset: Asset | null; Timestamp: string }[];
    expect(history.map((h) => h.TxId)).toEqual([deleted.txId, transferred.txId, created.txId]);
    expect(history.map((h) => h.IsDelete)).toEqual([true, false, false]);
    expect(history[0]?.Asset).toBeNull();
    expect(history[1]?.Asset).toMatchObject({ Owner: 'Jerry', OwnerMSP: 'Org2MSP' });
    expect(history[2]?.Asset).toMatchObject({ Owner: 'Tom', OwnerMSP: 'Org1MSP' });
    for (const h of history) expect(Number.isNaN(Date.parse(h.Timestamp))).toBe(false);
  });
});
