/** The asset stored in world state, one JSON document per key. */
import { Object as DataType, Property } from 'fabric-shim-ts/contract';

/**
 * One asset. `OwnerMSP` is recorded from the creator's certificate, never taken from
 * arguments, so only members of that organisation can later change or transfer it.
 */
@DataType()
export class Asset {
  /** Asset id, also the world-state key. */
  @Property() ID: string = '';
  /** Free-form colour. */
  @Property() Color: string = '';
  /** Size in arbitrary units. */
  @Property() Size: number = 0;
  /** The owner's display name. */
  @Property() Owner: string = '';
  /** MSP id of the organisation that owns the asset. */
  @Property() OwnerMSP: string = '';
  /** Appraised value in arbitrary units. */
  @Property() AppraisedValue: number = 0;
}

/** One entry of an asset's history, newest first as the peer returns it. */
@DataType()
export class AssetHistoryEntry {
  /** Transaction that wrote this version. */
  @Property() TxId: string = '';
  /** Commit timestamp, ISO 8601. */
  @Property() Timestamp: string = '';
  /** True when this transaction deleted the asset. */
  @Property() IsDelete: boolean = false;
  /** The asset as written, or null for a delete. */
  @Property('Asset', 'Asset') Asset: Asset | null = null;
}

/**
 * Serializes an asset with sorted keys, so every endorsing peer writes identical bytes
 * (JSON.stringify keeps insertion order, which differs between code paths).
 */
export function assetBytes(asset: Asset): Uint8Array {
  const sorted: Record<string, unknown> = {};
  for (const key of Object.keys(asset).sort()) sorted[key] = (asset as unknown as Record<string, unknown>)[key];
  return Buffer.from(JSON.stringify(sorted));
}
