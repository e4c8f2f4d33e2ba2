// Contract API in TypeScript, the asset-transfer-basic (typescript) habits: @Info, @Transaction,
// @Returns, an @Object model class, for-await over the state iterator, Promise<void> writes.
import { Context, Contract, Info, Returns, Transaction } from 'fabric-contract-api';
import { Asset } from './asset';

@Info({ title: 'AssetTransfer', description: 'Smart contract for trading assets' })
export class AssetTransferContract extends Contract {
  @Transaction()
  public async InitLedger(ctx: Context): Promise<void> {
    const assets: Asset[] = [
      { ID: 'asset1', Color: 'blue', Size: 5, Owner: 'Tomoko', AppraisedValue: 300 },
      { ID: 'asset2', Color: 'red', Size: 5, Owner: 'Brad', AppraisedValue: 400 },
    ];
    for (const asset of assets) {
      asset.docType = 'asset';
      await ctx.stub.putState(asset.ID, Buffer.from(JSON.stringify(asset)));
    }
  }

  @Transaction()
  public async CreateAsset(ctx: Context, id: string, color: string, size: number, owner: string, appraisedValue: number): Promise<void> {
    const exists = await this.AssetExists(ctx, id);
    if (exists) {
      throw new Error(`The asset ${id} already exists`);
    }
    const asset: Asset = { ID: id, Color: color, Size: size, Owner: owner, AppraisedValue: appraisedValue };
    await ctx.stub.putState(id, Buffer.from(JSON.stringify(asset)));
  }

  @Transaction(false)
  public async ReadAsset(ctx: Context, id: string): Promise<string> {
    const assetJSON = await ctx.stub.getState(id);
    if (assetJSON.length === 0) {
      throw new Error(`The asset ${id} does not exist`);
    }
    return assetJSON.toString();
  }

  @Transaction(false)
  @Returns('Asset')
  public async ReadAssetObject(ctx: Context, id: string): Promise<Asset> {
    return JSON.parse(await this.ReadAsset(ctx, id)) as Asset;
  }

  @Transaction()
  public async UpdateAsset(ctx: Context, id: string, color: string, size: number, owner: string, appraisedValue: number): Promise<void> {
    const exists = await this.AssetExists(ctx, id);
    if (!exists) {
      throw new Error(`The asset ${id} does not exist`);
    }
    const updated: Asset = { ID: id, Color: color, Size: size, Owner: owner, AppraisedValue: appraisedValue };
    return ctx.stub.putState(id, Buffer.from(JSON.stringify(updated)));
  }

  @Transaction()
  public async DeleteAsset(ctx: Context, id: string): Promise<void> {
    const exists = await this.AssetExists(ctx, id);
    if (!exists) {
      throw new Error(`The asset ${id} does not exist`);
    }
    return ctx.stub.deleteState(id);
  }

  @Transaction(false)
  @Returns('boolean')
  public async AssetExists(ctx: Context, id: string): Promise<boolean> {
    const assetJSON = await ctx.stub.getState(id);
    return assetJSON.length > 0;
  }

  @Transaction()
  public async TransferAsset(ctx: Context, id: string, newOwner: string): Promise<string> {
    const asset = JSON.parse(await this.ReadAsset(ctx, id)) as Asset;
    const oldOwner = asset.Owner;
    asset.Owner = newOwner;
    await ctx.stub.putState(id, Buffer.from(JSON.stringify(asset)));
    return oldOwner;
  }

  @Transaction(false)
  @Returns('string')
  public async GetAllAssets(ctx: Context): Promise<string> {
    const allResults: unknown[] = [];
    for await (const res of ctx.stub.getStateByRange('', '')) {
      allResults.push(JSON.parse(Buffer.from(res.value).toString('utf8')));
    }
    return JSON.stringify(allResults);
  }

  @Transaction(false)
  public async CountAssets(ctx: Context): Promise<number> {
    return (JSON.parse(await this.GetAllAssets(ctx)) as unknown[]).length;
  }
}
