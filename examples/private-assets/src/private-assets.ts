/**
 * Assets whose public part is shared by two organisations and whose appraised value is
 * private to each. Shows private data collections, transient input, private data hashes
 * used to check agreement across organisations without revealing values, and purge.
 */
import { createHash } from 'node:crypto';
import { Context, Contract, Info, Returns, Transaction } from 'fabric-shim-ts/contract';
import { requirePositive, requireString, transientJson } from './transient';

/** Collection shared by Org1MSP and Org2MSP (see collections_config.json). */
export const SHARED_COLLECTION = 'assetCollection';
/** Object type of the composite key recording a buyer's agreement to a transfer. */
export const AGREEMENT = 'transferAgreement';

/** The per-organisation collection, named after the MSP as in Fabric's samples. */
export function orgCollection(mspId: string): string {
  return `${mspId}PrivateCollection`;
}

/** Public part of an asset, visible to every member of the shared collection. */
export interface SharedAsset {
  ID: string;
  Color: string;
  Size: number;
  Owner: string;
  OwnerMSP: string;
}

/**
 * The private details as stored. The bytes are canonical (fixed field order) so two
 * organisations that agree on a value store identical bytes, hence identical hashes:
 * that is what makes comparing `getPrivateDataHash` results meaningful.
 */
export function privateDetailsBytes(id: string, appraisedValue: number): Uint8Array {
  return Buffer.from(JSON.stringify({ ID: id, AppraisedValue: appraisedValue }));
}

function json(value: unknown): Uint8Array {
  return Buffer.from(JSON.stringify(value));
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length > 0 && Buffer.compare(Buffer.from(a), Buffer.from(b)) === 0;
}

/** Private asset transfer between organisations. */
@Info({ title: 'PrivateAssets', description: 'Private data collections, transient input, hashes and purge' })
export class PrivateAssetsContract extends Contract {
  constructor() {
    super('PrivateAssets');
  }

  /**
   * Creates an asset from transient `asset_properties` {assetID, color, size, appraisedValue}:
   * public fields go to the shared collection, the value to the caller's own collection.
   */
  @Transaction()
  async CreateAsset(ctx: Context): Promise<void> {
    const input = transientJson(ctx, 'asset_properties');
    const id = requireString(input, 'assetID');
    const existing = await ctx.stub.getPrivateData(SHARED_COLLECTION, id);
    if (existing.length > 0) throw new Error(`asset ${id} already exists`);
    const mspId = ctx.clientIdentity.getMSPID();
    const asset: SharedAsset = {
      ID: id,
      Color: requireString(input, 'color'),
      Size: requirePositive(input, 'size'),
      Owner: ctx.clientIdentity.getID(),
      OwnerMSP: mspId,
    };
    await ctx.stub.putPrivateData(SHARED_COLLECTION, id, json(asset));
    await ctx.stub.putPrivateData(orgCollection(mspId), id, privateDetailsBytes(id, requirePositive(input, 'appraisedValue')));
  }

  /** The public part of an asset. */
  @Transaction(false)
  @Returns('string')
  async ReadAsset(ctx: Context, id: string): Promise<string> {
    const bytes = await ctx.stub.getPrivateData(SHARED_COLLECTION, id);
    if (bytes.length === 0) throw new Error(`asset ${id} does not exist`);
    return Buffer.from(bytes).toString('utf8');
  }

  /** The private details in `collection`; only members of the collection's organisation may read them. */
  @Transaction(false)
  @Returns('string')
  async ReadAssetPrivateDetails(ctx: Context, collection: string, id: string): Promise<string> {
    const mspId = ctx.clientIdentity.getMSPID();
    if (collection !== orgCollection(mspId)) {
      throw new Error(`client of ${mspId} may not read ${collection}`);
    }
    const bytes = await ctx.stub.getPrivateData(collection, id);
    if (bytes.length === 0) throw new Error(`no private details for ${id} in ${collection}`);
    return Buffer.from(bytes).toString('utf8');
  }

  /**
   * The buyer agrees to buy: transient `asset_value` {assetID, appraisedValue} is stored in
   * the buyer's own collection, and the buyer's identity is recorded in the shared one.
   */
  @Transaction()
  async AgreeToTransfer(ctx: Context): Promise<void> {
    const input = transientJson(ctx, 'asset_value');
    const id = requireString(input, 'assetID');
    const asset = JSON.parse(await this.ReadAsset(ctx, id)) as SharedAsset;
    const mspId = ctx.clientIdentity.getMSPID();
    if (asset.OwnerMSP === mspId) throw new Error(`asset ${id} is already owned by ${mspId}`);
    await ctx.stub.putPrivateData(orgCollection(mspId), id, privateDetailsBytes(id, requirePositive(input, 'appraisedValue')));
    const agreementKey = ctx.stub.createCompositeKey(AGREEMENT, [id]);
    await ctx.stub.putPrivateData(SHARED_COLLECTION, agreementKey, json({ buyer: ctx.clientIdentity.getID(), buyerMSP: mspId }));
  }

  /**
   * Checks, from any organisation, that transient `asset_properties` {assetID, appraisedValue}
   * matches what the owner stored, using only the hash every peer of the channel holds.
   */
  @Transaction(false)
  @Returns('boolean')
  async VerifyAssetProperties(ctx: Context, ownerMSP: string): Promise<boolean> {
    const input = transientJson(ctx, 'asset_properties');
    const id = requireString(input, 'assetID');
    const onLedger = await ctx.stub.getPrivateDataHash(orgCollection(ownerMSP), id);
    if (onLedger.length === 0) throw new Error(`no private details hash for ${id} in ${orgCollection(ownerMSP)}`);
    const claimed = createHash('sha256')
      .update(privateDetailsBytes(id, requirePositive(input, 'appraisedValue')))
      .digest();
    return sameBytes(onLedger, claimed);
  }

  /**
   * The owner transfers to the buyer named in transient `asset_owner` {assetID, buyerMSP}.
   * Succeeds only if the buyer agreed and both organisations stored the same appraised
   * value, which the seller checks by comparing hashes: it cannot read the buyer's value.
   */
  @Transaction()
  async TransferAsset(ctx: Context): Promise<void> {
    const input = transientJson(ctx, 'asset_owner');
    const id = requireString(input, 'assetID');
    const buyerMSP = requireString(input, 'buyerMSP');
    const asset = await this.ownedAsset(ctx, id);
    const agreementKey = ctx.stub.createCompositeKey(AGREEMENT, [id]);
    const agreementBytes = await ctx.stub.getPrivateData(SHARED_COLLECTION, agreementKey);
    if (agreementBytes.length === 0) throw new Error(`no buyer has agreed to buy ${id}`);
    const agreement = JSON.parse(Buffer.from(agreementBytes).toString('utf8')) as { buyer: string; buyerMSP: string };
    if (agreement.buyerMSP !== buyerMSP) throw new Error(`the agreement for ${id} is with ${agreement.buyerMSP}, not ${buyerMSP}`);

    const sellerHash = await ctx.stub.getPrivateDataHash(orgCollection(asset.OwnerMSP), id);
    const buyerHash = await ctx.stub.getPrivateDataHash(orgCollection(buyerMSP), id);
    if (!sameBytes(sellerHash, buyerHash)) {
      throw new Error(`appraised values for ${id} differ between ${asset.OwnerMSP} and ${buyerMSP}`);
    }
    const moved: SharedAsset = { ...asset, Owner: agreement.buyer, OwnerMSP: buyerMSP };
    await ctx.stub.putPrivateData(SHARED_COLLECTION, id, json(moved));
    await ctx.stub.deletePrivateData(orgCollection(asset.OwnerMSP), id);
    await ctx.stub.deletePrivateData(SHARED_COLLECTION, agreementKey);
  }

  /** The owner deletes the asset (transient `asset_delete` {assetID}); history keeps the delete. */
  @Transaction()
  async DeleteAsset(ctx: Context): Promise<void> {
    const id = requireString(transientJson(ctx, 'asset_delete'), 'assetID');
    const asset = await this.ownedAsset(ctx, id);
    await ctx.stub.deletePrivateData(SHARED_COLLECTION, id);
    await ctx.stub.deletePrivateData(orgCollection(asset.OwnerMSP), id);
  }

  /**
   * The owner purges the asset (transient `asset_purge` {assetID}): unlike a delete, the
   * values and their history are removed from the private data store of every peer.
   */
  @Transaction()
  async PurgeAsset(ctx: Context): Promise<void> {
    const id = requireString(transientJson(ctx, 'asset_purge'), 'assetID');
    const asset = await this.ownedAsset(ctx, id);
    await ctx.stub.purgePrivateData(SHARED_COLLECTION, id);
    await ctx.stub.purgePrivateData(orgCollection(asset.OwnerMSP), id);
  }

  /** Reads the asset and checks that the caller is its owner (same identity, same MSP). */
  private async ownedAsset(ctx: Context, id: string): Promise<SharedAsset> {
    const asset = JSON.parse(await this.ReadAsset(ctx, id)) as SharedAsset;
    if (asset.Owner !== ctx.clientIdentity.getID() || asset.OwnerMSP !== ctx.clientIdentity.getMSPID()) {
      throw new Error(`the caller does not own asset ${id}`);
    }
    return asset;
  }
}
