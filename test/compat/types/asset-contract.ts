/*
 * Probe: a contract in the style of fabric-samples' asset-transfer-basic/chaincode-typescript
 * (an @Object asset, @Info, @Transaction/@Returns, the `contracts` export typed `typeof Contract[]`).
 */
import { Context, Contract, Info, Object as DataType, Property, Returns, Transaction } from 'fabric-contract-api';

@DataType()
export class Asset {
  @Property()
  public docType?: string;

  @Property()
  public ID: string = '';

  @Property()
  public Color: string = '';

  @Property()
  public Size: number = 0;

  @Property()
  public Owner: string = '';

  @Property()
  public AppraisedValue: number = 0;
}

@Info({ title: 'AssetTransfer', description: 'Smart contract for trading assets' })
export class AssetTransferContract extends Contract {
  @Transaction()
  public async InitLedger(ctx: Context): Promise<void> {
    const assets: Asset[] = [{ ID: 'asset1', Color: 'blue', Size: 5, Owner: 'Tomoko', AppraisedValue: 300 }];
    for (const asset of assets) {
      asset.docType = 'asset';
      await ctx.stub.putState(asset.ID, Buffer.from(JSON.stringify(asset)));
      console.info(`Asset ${asset.ID} initialized`);
    }
  }

  @Transaction()
  public async CreateAsset(ctx: Context, id: string, color: string, size: number, owner: string, appraisedValue: number): Promise<void> {
    const exists = await this.AssetExists(ctx, id);
    if (exists) {
      throw new Error(`The asset ${id} already exists`);
    }
    const asset = { ID: id, Color: color, Size: size, Owner: owner, AppraisedValue: appraisedValue };
    await ctx.stub.putState(id, Buffer.from(JSON.stringify(asset)));
  }

  @Transaction(false)
  public async ReadAsset(ctx: Context, id: string): Promise<string> {
    const assetJSON = await ctx.stub.getState(id);
    if (!assetJSON || assetJSON.length === 0) {
      throw new Error(`The asset ${id} does not exist`);
    }
    return assetJSON.toString();
  }

  @Transaction()
  public async DeleteAsset(ctx: Context, id: string): Promise<void> {
    return ctx.stub.deleteState(id);
  }

  @Transaction(false)
  @Returns('boolean')
  public async AssetExists(ctx: Context, id: string): Promise<boolean> {
    const assetJSON = await ctx.stub.getState(id);
    return assetJSON && assetJSON.length > 0;
  }

  @Transaction()
  public async TransferAsset(ctx: Context, id: string, newOwner: string): Promise<string> {
    const assetString = await this.ReadAsset(ctx, id);
    const asset = JSON.parse(assetString) as Asset;
    const oldOwner = asset.Owner;
    asset.Owner = newOwner;
    await ctx.stub.putState(id, Buffer.from(JSON.stringify(asset)));
    return oldOwner;
  }

  @Transaction(false)
  @Returns('string')
  public async GetAllAssets(ctx: Context): Promise<string> {
    const allResults = [];
    const iterator = await ctx.stub.getStateByRange('', '');
    let result = await iterator.next();
    while (!result.done) {
      const strValue = Buffer.from(result.value.value.toString()).toString('utf8');
      let record;
      try {
        record = JSON.parse(strValue);
      } catch (err) {
        console.log(err);
        record = strValue;
      }
      allResults.push(record);
      result = await iterator.next();
    }
    return JSON.stringify(allResults);
  }
}

export class SecondContract extends Contract {
  constructor() {
    super('second');
  }

  public async ping(ctx: Context): Promise<string> {
    return ctx.stub.getTxID();
  }
}

// The line most TypeScript contract projects have in index.ts.
export const contracts: (typeof Contract)[] = [AssetTransferContract, SecondContract];
export const contractsAny: any[] = [AssetTransferContract];
