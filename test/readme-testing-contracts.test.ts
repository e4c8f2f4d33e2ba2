// README.md, "Testing contracts with the mock peer" > "A contract, end to end": the block shown there is this
// file from the next line on (the last test checks it).
import {
  Context,
  Contract,
  Info,
  Object as DataType,
  Property,
  Returns,
  Transaction,
  chaincodeFromContracts,
} from 'fabric-shim-ts/contract';
import { MockPeer, computeTxId, type MockChaincode } from 'fabric-shim-ts/testing';

@DataType()
class Asset {
  @Property() ID: string = '';
  @Property() Owner: string = '';
  @Property() Value: number = 0;
  @Property() Updated: string = '';
}

@Info({ title: 'AssetContract', description: 'assets, with prices in a private collection' })
class AssetContract extends Contract {
  @Transaction()
  async CreateAsset(ctx: Context, id: string, owner: string, value: number): Promise<void> {
    if ((await ctx.stub.getState(id)).length > 0) throw new Error(`asset ${id} already exists`);
    const asset: Asset = { ID: id, Owner: owner, Value: value, Updated: ctx.stub.getDateTimestamp().toISOString() };
    await ctx.stub.putState(id, Buffer.from(JSON.stringify(asset)));
    ctx.stub.setEvent('AssetCreated', Buffer.from(JSON.stringify(asset)));
  }

  @Transaction(false)
  @Returns('Asset')
  async ReadAsset(ctx: Context, id: string): Promise<Asset> {
    const bytes = await ctx.stub.getState(id);
    if (bytes.length === 0) throw new Error(`asset ${id} does not exist`);
    return JSON.parse(bytes.toString()) as Asset;
  }

  @Transaction()
  async TransferAsset(ctx: Context, id: string, newOwner: string): Promise<void> {
    const asset = await this.ReadAsset(ctx, id);
    const updated: Asset = { ...asset, Owner: newOwner, Updated: ctx.stub.getDateTimestamp().toISOString() };
    await ctx.stub.putState(id, Buffer.from(JSON.stringify(updated)));
  }

  @Transaction()
  async DeleteAsset(ctx: Context, id: string): Promise<void> {
    await this.ReadAsset(ctx, id);
    await ctx.stub.deleteState(id);
  }

  /** The price comes as transient data, so it never appears in the proposal or the transaction. */
  @Transaction()
  async SetPrice(ctx: Context, id: string): Promise<void> {
    const price = ctx.stub.getTransient().get('price');
    if (!price) throw new Error('the price must be given as transient data "price"');
    await ctx.stub.putPrivateData('prices', id, price);
  }

  /** Only an auditor of Org2 may read a price. */
  @Transaction(false)
  async ReadPrice(ctx: Context, id: string): Promise<string> {
    const cid = ctx.clientIdentity;
    if (cid.getMSPID() !== 'Org2MSP' || !cid.assertAttributeValue('role', 'auditor')) {
      throw new Error(`${cid.getMSPID()} ${cid.getID()} is not an Org2MSP auditor`);
    }
    return (await ctx.stub.getPrivateData('prices', id)).toString();
  }
}

describe('AssetContract on the mock peer', () => {
  let peer: MockPeer;
  let cc: MockChaincode;
  beforeAll(async () => {
    peer = await MockPeer.start(); // gRPC on 127.0.0.1, a free port
    cc = await peer.launch('assets', chaincodeFromContracts([AssetContract]), { collections: ['prices'] });
  });
  afterAll(() => peer.stop());

  const json = (res: { payload: Buffer }) => JSON.parse(res.payload.toString());
  const at = new Date('2026-01-05T09:30:00.000Z');

  it('creates, reads, transfers and deletes an asset', async () => {
    const created = await cc.invoke(['CreateAsset', 'a1', 'Tom', '100'], { timestamp: at });
    expect(created).toMatchObject({ status: 200, committed: true, validationCode: 'VALID' });
    expect(created.events.map((e) => e.eventName)).toEqual(['AssetCreated']);
    expect(json(await cc.evaluate(['ReadAsset', 'a1']))).toEqual({
      ID: 'a1',
      Owner: 'Tom',
      Value: 100,
      Updated: '2026-01-05T09:30:00.000Z',
    });

    expect((await cc.invoke(['TransferAsset', 'a1', 'Ann'])).status).toBe(200);
    expect(peer.ledger.getJSON('assets', 'a1')).toMatchObject({ Owner: 'Ann' }); // the committed world state

    const again = await cc.invoke(['CreateAsset', 'a1', 'Bob', '5']);
    expect(again).toMatchObject({ status: 500, message: 'asset a1 already exists', committed: false });
    expect((await cc.invoke(['DeleteAsset', 'a1'])).status).toBe(200);
    expect(peer.ledger.get('assets', 'a1')).toBeUndefined();
  });

  it('evaluates a transaction without committing what it writes', async () => {
    const dryRun = await cc.evaluate(['CreateAsset', 'a9', 'Tom', '1']);
    expect(dryRun).toMatchObject({ status: 200, committed: false });
    expect(peer.ledger.get('assets', 'a9')).toBeUndefined();
  });

  it('refuses an argument that does not fit the metadata', async () => {
    const res = await cc.invoke(['CreateAsset', 'a2', 'Tom', 'lots']);
    expect(res.status).toBe(500);
    expect(peer.ledger.get('assets', 'a2')).toBeUndefined();
  });

  it('keeps a price from transient data in the private collection, readable only by an Org2 auditor', async () => {
    await cc.invoke(['CreateAsset', 'a3', 'Tom', '100']);
    const set = await cc.invoke(['SetPrice', 'a3'], { transient: { price: '42' } });
    expect(set.status).toBe(200);
    expect(peer.ledger.getPrivate('assets', 'prices', 'a3')?.toString()).toBe('42');

    const auditor = peer.identity('Org2MSP', { role: 'auditor' });
    expect((await cc.invoke(['ReadPrice', 'a3'], { identity: auditor })).payload.toString()).toBe('42');
    const someone = await cc.invoke(['ReadPrice', 'a3']); // default identity: a client of Org1MSP
    expect(someone.status).toBe(500);
    expect(someone.message).toContain('is not an Org2MSP auditor');
  });

  it('fixes the transaction id with a nonce and an identity', async () => {
    const nonce = Buffer.alloc(24, 7);
    const buyer = peer.identity('Org1MSP', {}, { commonName: 'buyer' });
    const res = await cc.invoke(['CreateAsset', 'a4', 'buyer', '1'], { nonce, identity: buyer, timestamp: at });
    expect(res.txId).toBe(computeTxId(nonce, (await buyer.resolve()).serialize()));
  });

  it('answers GetMetadata with the contract, its transactions and the Asset schema', async () => {
    const metadata = json(await cc.invoke(['org.hyperledger.fabric:GetMetadata']));
    expect(Object.keys(metadata.contracts)).toEqual(['AssetContract', 'org.hyperledger.fabric']);
    expect(metadata.contracts.AssetContract.transactions.map((t: { name: string }) => t.name)).toEqual([
      'CreateAsset',
      'ReadAsset',
      'TransferAsset',
      'DeleteAsset',
      'SetPrice',
      'ReadPrice',
    ]);
    expect(metadata.components.schemas.Asset.properties.Value).toEqual({ type: 'number' });
  });
});

// ---- end of the README block ----
import { readFileSync } from 'node:fs';
import * as path from 'node:path';

test('README.md shows this file', () => {
  const readme = readFileSync(path.join(__dirname, '..', 'README.md'), 'utf8');
  // The block's first line names this file (readme-blocks.test.ts knows the block by it); the rest is this file.
  const shown = (/### A contract, end to end[\s\S]*?```ts\n([\s\S]*?)```/.exec(readme)?.[1] ?? '').replace(
    /^\/\/ test\/readme-testing-contracts\.test\.ts\n/,
    '',
  );
  const self = readFileSync(__filename, 'utf8');
  expect(shown.length).toBeGreaterThan(1000);
  const start = self.indexOf('\n', self.indexOf('\n') + 1) + 1; // after the two comment lines
  expect(`${self.slice(start, self.indexOf('// ---- end of the README block ----')).trimEnd()}\n`).toBe(shown);
});
