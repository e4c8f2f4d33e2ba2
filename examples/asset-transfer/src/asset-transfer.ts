/**
 * Asset transfer, written with the contract API exactly as a fabric-contract-api contract
 * would be; only the import path differs.
 */
import { Context, Contract, Info, Param, Returns, Transaction } from 'fabric-shim-ts/contract';
import { Asset, AssetHistoryEntry, assetBytes } from './asset';

/** Event names this contract emits (one per transaction, as Fabric allows). */
export const EVENTS = {
  created: 'AssetCreated',
  updated: 'AssetUpdated',
  deleted: 'AssetDeleted',
  transferred: 'AssetTransferred',
} as const;

/** Create, read, update, delete and transfer assets; changes are limited to the owner's MSP. */
@Info({ title: 'AssetTransfer', description: 'Basic asset transfer with owner checks' })
export class AssetTransferContract extends Contract {
  constructor() {
    super('AssetTransfer');
  }

  /** Creates an asset owned by the caller's organisation; fails if the id is taken. */
  @Transaction()
  async CreateAsset(ctx: Context, id: string, color: string, size: number, owner: string, appraisedValue: number): Promise<Asset> {
    if (await this.AssetExists(ctx, id)) {
      throw new Error(`The asset ${id} already exists`);
    }
    const asset = Object.assign(new Asset(), {
      ID: id,
      Color: color,
      Size: size,
      Owner: owner,
      OwnerMSP: ctx.clientIdentity.getMSPID(),
      AppraisedValue: appraisedValue,
    });
    await ctx.stub.putState(id, assetBytes(asset));
    ctx.stub.setEvent(EVENTS.created, assetBytes(asset));
    return asset;
  }

  /** Returns the asset stored under `id`. */
  @Transaction(false)
  @Returns('Asset')
  async ReadAsset(ctx: Context, id: string): Promise<Asset> {
    const bytes = await ctx.stub.getState(id);
    if (bytes.length === 0) {
      throw new Error(`The asset ${id} does not exist`);
    }
    return Object.assign(new Asset(), JSON.parse(Buffer.from(bytes).toString('utf8')) as Asset);
  }

  /** Changes colour, size and value; only members of the owning MSP may. */
  @Transaction()
  async UpdateAsset(ctx: Context, id: string, color: string, size: number, appraisedValue: number): Promise<void> {
    const asset = await this.ownedAsset(ctx, id);
    asset.Color = color;
    asset.Size = size;
    asset.AppraisedValue = appraisedValue;
    await ctx.stub.putState(id, assetBytes(asset));
    ctx.stub.setEvent(EVENTS.updated, assetBytes(asset));
  }

  /** Deletes the asset; only members of the owning MSP may. History keeps the delete. */
  @Transaction()
  async DeleteAsset(ctx: Context, id: string): Promise<void> {
    await this.ownedAsset(ctx, id);
    await ctx.stub.deleteState(id);
    ctx.stub.setEvent(EVENTS.deleted, Buffer.from(JSON.stringify({ ID: id })));
  }

  /** True if an asset is stored under `id`. */
  @Transaction(false)
  @Returns('boolean')
  async AssetExists(ctx: Context, id: string): Promise<boolean> {
    const bytes = await ctx.stub.getState(id);
    return bytes.length > 0;
  }

  /**
   * Gives the asset to `newOwner` of organisation `newOwnerMSP` and returns the previous
   * owner's name. Only members of the current owner's MSP may transfer.
   */
  @Transaction()
  @Param('newOwnerMSP', 'string', 'MSP id of the new owner organisation')
  async TransferAsset(ctx: Context, id: string, newOwner: string, newOwnerMSP: string): Promise<string> {
    const asset = await this.ownedAsset(ctx, id);
    const previous = asset.Owner;
    asset.Owner = newOwner;
    asset.OwnerMSP = newOwnerMSP;
    await ctx.stub.putState(id, assetBytes(asset));
    ctx.stub.setEvent(EVENTS.transferred, Buffer.from(JSON.stringify({ ID: id, from: previous, to: newOwner, toMSP: newOwnerMSP })));
    return previous;
  }

  /** All assets, in key order, read with an open-ended range query. */
  @Transaction(false)
  @Returns('Asset[]')
  async GetAllAssets(ctx: Context): Promise<Asset[]> {
    const assets: Asset[] = [];
    // '' to '' is the whole namespace except composite keys, as in Fabric's samples.
    const iterator = await ctx.stub.getStateByRange('', '');
    try {
      for (let res = await iterator.next(); !res.done; res = await iterator.next()) {
        assets.push(JSON.parse(Buffer.from(res.value.value).toString('utf8')) as Asset);
      }
    } finally {
      await iterator.close();
    }
    return assets;
  }

  /** The asset's history, newest first as the peer returns it, deletes included. */
  @Transaction(false)
  @Returns('AssetHistoryEntry[]')
  async GetAssetHistory(ctx: Context, id: string): Promise<AssetHistoryEntry[]> {
    const history: AssetHistoryEntry[] = [];
    const iterator = await ctx.stub.getHistoryForKey(id);
    try {
      for (let res = await iterator.next(); !res.done; res = await iterator.next()) {
        const mod = res.value;
        const seconds = Number(mod.timestamp.seconds);
        history.push(
          Object.assign(new AssetHistoryEntry(), {
            TxId: mod.txId,
            Timestamp: new Date(seconds * 1000 + Math.floor(mod.timestamp.nanos / 1e6)).toISOString(),
            IsDelete: mod.isDelete,
            Asset: mod.isDelete ? null : (JSON.parse(Buffer.from(mod.value).toString('utf8')) as Asset),
          }),
        );
      }
    } finally {
      await iterator.close();
    }
    return history;
  }

  /** Reads the asset and checks that the caller belongs to the owning organisation. */
  private async ownedAsset(ctx: Context, id: string): Promise<Asset> {
    const asset = await this.ReadAsset(ctx, id);
    const callerMSP = ctx.clientIdentity.getMSPID();
    if (callerMSP !== asset.OwnerMSP) {
      throw new Error(`Client of ${callerMSP} is not allowed to change asset ${id} owned by ${asset.OwnerMSP}`);
    }
    return asset;
  }
}
