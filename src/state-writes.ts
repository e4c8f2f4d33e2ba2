/**
 * Where one transaction's writes go. Normally each write is its own round trip (PUT_STATE,
 * DEL_STATE, PURGE_PRIVATE_DATA, PUT_STATE_METADATA). Between startWriteBatch and
 * finishWriteBatch, when the peer advertised write batching (Fabric 3.1+), they are collected
 * and sent as WRITE_BATCH_STATE messages instead, as the Go shim does (shim/batch.go).
 */
import { ChaincodeMessage_Type as T, WriteRecord_Type, type StateMetadata, type WriteRecord } from './gen/peer/chaincode_shim_pb';
import type { Logger } from './logger';
import * as rq from './requests';
import type { TalkBack } from './talk-back';

const EMPTY = new Uint8Array(0);

/**
 * What a write recorded in a batch resolves with: the empty Buffer the peer's RESPONSE to a
 * single write would carry (fabric-shim resolves writes with it). A new one per write, as there.
 */
function recorded(): Buffer {
  return Buffer.alloc(0);
}

/**
 * A WriteRecord as `create(WriteRecordSchema, ...)` makes it, as a literal: a 1,000-key batch
 * builds 1,000 of them and the reflective `create` was a visible part of its cost.
 */
function writeRecord(type: WriteRecord_Type, collection: string, key: string, value: Uint8Array = EMPTY, metadata?: StateMetadata): WriteRecord {
  const rec: WriteRecord = { $typeName: 'protos.WriteRecord', key, value, collection, type };
  if (metadata !== undefined) rec.metadata = metadata;
  return rec;
}

/**
 * Writes collected between startWriteBatch and finishWriteBatch. As in the Go shim
 * (shim/batch.go) the last write per (collection, key) wins, with metadata writes kept
 * apart from data writes; records keep first-write order so chunks are deterministic.
 */
export class WriteBatch {
  private readonly writes = new Map<string, WriteRecord>();

  /** Number of records that will be sent. */
  get size(): number {
    return this.writes.size;
  }

  private data(rec: WriteRecord): void {
    this.writes.set(`d\u0000${rec.collection}\u0000${rec.key}`, rec);
  }

  /** Records a PUT_STATE. */
  putState(collection: string, key: string, value: Uint8Array): void {
    this.data(writeRecord(WriteRecord_Type.PUT_STATE, collection, key, value));
  }
  /** Records a DEL_STATE. */
  delState(collection: string, key: string): void {
    this.data(writeRecord(WriteRecord_Type.DEL_STATE, collection, key));
  }
  /** Records a PURGE_PRIVATE_DATA. */
  purgeState(collection: string, key: string): void {
    this.data(writeRecord(WriteRecord_Type.PURGE_PRIVATE_DATA, collection, key));
  }
  /** Records a PUT_STATE_METADATA entry. */
  putMetadata(collection: string, key: string, metakey: string, value: Uint8Array): void {
    const metadata: StateMetadata = { $typeName: 'protos.StateMetadata', metakey, value };
    this.writes.set(`m\u0000${collection}\u0000${key}`, writeRecord(WriteRecord_Type.PUT_STATE_METADATA, collection, key, EMPTY, metadata));
  }

  /** The records, in first-write order. */
  records(): WriteRecord[] {
    return [...this.writes.values()];
  }
}

/**
 * Sends `records` as WRITE_BATCH_STATE messages of at most `maxSize` records each, one
 * after the other (a failure stops the rest). Nothing is sent for an empty list. A
 * maximum below 1 sends one record per message, as the Go shim's loop does.
 */
export async function sendWriteBatch(talkBack: TalkBack, records: WriteRecord[], maxSize: number): Promise<void> {
  const size = Math.max(1, Math.floor(maxSize));
  for (let i = 0; i < records.length; i += size) {
    await rq.roundTrip(talkBack, T.WRITE_BATCH_STATE, rq.encodeWriteBatch(records.slice(i, i + size)), rq.decodeNothing);
  }
}

/** The writes of one transaction: straight to the peer, or into the open batch. */
export class StateWriter {
  private batch: WriteBatch | undefined;

  /** @param log debug log of keys and sizes (never values) */
  constructor(private readonly talkBack: TalkBack, private readonly log?: Logger) {}

  /** Opens a batch; does nothing when the peer does not support batching (writes then go out one by one). */
  startBatch(): void {
    if (this.talkBack.capabilities.useWriteBatch) this.batch ??= new WriteBatch();
  }

  /** Sends the open batch in chunks of the peer's maximum; a no-op without one. */
  async flush(): Promise<void> {
    const batch = this.batch;
    if (!batch) return;
    // Cleared first: a failed flush must not be sent again by the scope's automatic flush.
    this.batch = undefined;
    await sendWriteBatch(this.talkBack, batch.records(), this.talkBack.capabilities.maxSizeWriteBatch);
  }

  /** PUT_STATE (public when `collection` is ''); resolves with the peer's RESPONSE payload. */
  async put(collection: string, key: string, value: Uint8Array): Promise<Buffer> {
    // No `?.` on this per-write path: tsup's CommonJS output makes it a helper call with closures.
    if (this.log !== undefined && this.log.enabled('debug')) this.log.debug('put', { txId: this.talkBack.txId, key, collection, size: value.length });
    if (this.batch) {
      this.batch.putState(collection, key, value);
      return recorded();
    }
    return rq.roundTrip(this.talkBack, T.PUT_STATE, rq.encodePutState(key, value, collection), rq.decodeValue);
  }

  /** DEL_STATE. */
  async del(collection: string, key: string): Promise<Buffer> {
    if (this.batch) {
      this.batch.delState(collection, key);
      return recorded();
    }
    return rq.roundTrip(this.talkBack, T.DEL_STATE, rq.encodeDelState(key, collection), rq.decodeValue);
  }

  /** PURGE_PRIVATE_DATA. */
  async purge(collection: string, key: string): Promise<Buffer> {
    if (this.batch) {
      this.batch.purgeState(collection, key);
      return recorded();
    }
    return rq.roundTrip(this.talkBack, T.PURGE_PRIVATE_DATA, rq.encodePurgePrivateData(key, collection), rq.decodeValue);
  }

  /** PUT_STATE_METADATA of the key-level endorsement policy. */
  async putPolicy(collection: string, key: string, ep: Uint8Array): Promise<Buffer> {
    if (this.batch) {
      this.batch.putMetadata(collection, key, rq.VALIDATION_PARAMETER, ep);
      return recorded();
    }
    return rq.roundTrip(this.talkBack, T.PUT_STATE_METADATA, rq.encodePutStateMetadata(key, collection, rq.VALIDATION_PARAMETER, ep), rq.decodeValue);
  }
}
