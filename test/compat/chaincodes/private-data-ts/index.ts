// Contract API in TypeScript, the asset-transfer-private-data habits: inputs through the
// transient map only, the public asset in one collection and appraisals in an org collection,
// the client's org checked against the peer's, private data hashes to verify agreements.
import { Context, Contract, Transaction } from 'fabric-contract-api';

const ASSETS = 'assetCollection';

interface AssetInput {
  objectType: string;
  assetID: string;
  color: string;
  size: number;
  appraisedValue: number;
}

function orgCollection(ctx: Context): string {
  return `${ctx.clientIdentity.getMSPID()}PrivateCollection`;
}

function transientJson(ctx: Context, name: string): AssetInput {
  const transient = ctx.stub.getTransient();
  const bytes = transient.get(name);
  if (!bytes || bytes.length === 0) {
    throw new Error(`${name} must be a non-empty JSON string in the transient map`);
  }
  return JSON.parse(Buffer.from(bytes).toString()) as AssetInput;
}

export class PrivateAssets extends Contract {
  constructor() {
    super('PrivateAssets');
  }

  @Transaction()
  public async CreateAsset(ctx: Context): Promise<void> {
    const input = transientJson(ctx, 'asset_properties');
    if (!input.assetID) throw new Error('assetID field must be a non-empty string');
    const existing = await ctx.stub.getPrivateData(ASSETS, input.assetID);
    if (existing.length > 0) throw new Error(`this asset already exists: ${input.assetID}`);
    const owner = ctx.clientIdentity.getID();
    await ctx.stub.putPrivateData(
      ASSETS,
      input.assetID,
      Buffer.from(JSON.stringify({ ID: input.assetID, color: input.color, size: input.size, owner })),
    );
    if (ctx.clientIdentity.getMSPID() !== ctx.stub.getMspID()) {
      throw new Error(`client from org ${ctx.clientIdentity.getMSPID()} is not authorized to write to the peer of ${ctx.stub.getMspID()}`);
    }
    await ctx.stub.putPrivateData(
      orgCollection(ctx),
      input.assetID,
      Buffer.from(JSON.stringify({ ID: input.assetID, appraisedValue: input.appraisedValue })),
    );
  }

  @Transaction(false)
  public async ReadAsset(ctx: Context, id: string): Promise<string> {
    const bytes = await ctx.stub.getPrivateData(ASSETS, id);
    return Buffer.from(bytes).toString();
  }

  @Transaction(false)
  public async ReadAssetPrivateDetails(ctx: Context, collection: string, id: string): Promise<string> {
    const bytes = await ctx.stub.getPrivateData(collection, id);
    if (bytes.length === 0) throw new Error(`${id} has no private details in ${collection}`);
    return Buffer.from(bytes).toString();
  }

  @Transaction(false)
  public async HashOf(ctx: Context, collection: string, id: string): Promise<string> {
    const hash = await ctx.stub.getPrivateDataHash(collection, id);
    return Buffer.from(hash).toString('hex');
  }

  @Transaction()
  public async AgreeToTransfer(ctx: Context): Promise<unknown> {
    const input = transientJson(ctx, 'asset_value');
    const agreement = Buffer.from(JSON.stringify({ ID: input.assetID, appraisedValue: input.appraisedValue }));
    await ctx.stub.putPrivateData(orgCollection(ctx), input.assetID, agreement);
    // The official returns whatever the stub resolved with: serialised by the contract API.
    return ctx.stub.putPrivateData(ASSETS, `agreement~${input.assetID}`, Buffer.from(ctx.clientIdentity.getID()));
  }

  @Transaction()
  public async DeleteAsset(ctx: Context): Promise<void> {
    const input = transientJson(ctx, 'asset_delete');
    await ctx.stub.deletePrivateData(ASSETS, input.assetID);
    await ctx.stub.deletePrivateData(orgCollection(ctx), input.assetID);
  }

  @Transaction()
  public async PurgeAsset(ctx: Context, id: string): Promise<void> {
    await ctx.stub.purgePrivateData(ASSETS, id);
  }

  @Transaction(false)
  public async GetAssetByRange(ctx: Context, startKey: string, endKey: string): Promise<string> {
    const iterator = await ctx.stub.getPrivateDataByRange(ASSETS, startKey, endKey);
    const results: { key: string; value: string }[] = [];
    let res = await iterator.next();
    while (!res.done) {
      results.push({ key: res.value.key, value: Buffer.from(res.value.value).toString() });
      res = await iterator.next();
    }
    await iterator.close();
    return JSON.stringify(results);
  }

  @Transaction(false)
  public async QueryAssetByColor(ctx: Context, color: string): Promise<string> {
    const keys: string[] = [];
    for await (const kv of ctx.stub.getPrivateDataQueryResult(ASSETS, JSON.stringify({ selector: { color } }))) keys.push(kv.key);
    return JSON.stringify(keys);
  }

  @Transaction()
  public async LockAsset(ctx: Context, id: string): Promise<void> {
    await ctx.stub.setPrivateDataValidationParameter(ASSETS, id, Buffer.from('Org1MSP-only'));
  }

  @Transaction(false)
  public async AssetLock(ctx: Context, id: string): Promise<string> {
    return Buffer.from(await ctx.stub.getPrivateDataValidationParameter(ASSETS, id)).toString();
  }
}

export const contracts: (typeof Contract)[] = [PrivateAssets];
