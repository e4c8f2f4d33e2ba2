/**
 * One transaction's simulation, as the peer's transaction simulator: reads see committed state
 * only (never the transaction's own writes, a Fabric rule chaincode authors trip on), writes are
 * collected and applied atomically by {@link TxSimulation.commit} when the chaincode completes
 * with a status below 400. Chaincodes called on the same channel share their caller's simulation.
 * Reads are recorded with the version they saw (the read set), so validation at commit can
 * detect MVCC conflicts and phantom reads as a committing peer does.
 */
import type { KeyVersion, KeyWrite, LedgerLocation, MetadataWrite, StoredValue, WorldState, WriteSet } from './world-state';

/** A key read during simulation and the version it had; undefined = the key did not exist. */
export interface RecordedRead {
  readonly namespace: string;
  /** '' for public state. */
  readonly collection: string;
  readonly key: string;
  readonly version: KeyVersion | undefined;
}

/** A range scan during simulation: its bounds and every key (with version) it returned. */
export interface RangeRead {
  readonly namespace: string;
  readonly collection: string;
  readonly startKey: string;
  readonly endKey: string;
  readonly results: readonly { readonly key: string; readonly version: KeyVersion }[];
}

/** What a transaction read: validated against the ledger when its block commits. */
export interface ReadSet {
  readonly reads: readonly RecordedRead[];
  readonly ranges: readonly RangeRead[];
}

/** The read view and write set of one transaction on one channel. */
export class TxSimulation {
  readonly channelId: string;
  readonly txId: string;
  private readonly ledger: WorldState;
  /** Last write per (namespace, collection, key) wins, as in the peer's write set. */
  private readonly writes = new Map<string, KeyWrite>();
  private readonly metadata = new Map<string, MetadataWrite>();
  /** First read per key wins: a later commit must not hide that this transaction saw an older version. */
  private readonly reads = new Map<string, RecordedRead>();
  private readonly ranges: RangeRead[] = [];
  private done = false;

  /** @param ledger the committed state the transaction reads from. */
  constructor(ledger: WorldState, channelId: string, txId: string) {
    this.ledger = ledger;
    this.channelId = channelId;
    this.txId = txId;
  }

  /** The committed state this transaction reads (queries scan it directly). */
  get ledgerView(): WorldState {
    return this.ledger;
  }

  private loc(collection: string): LedgerLocation {
    return { channel: this.channelId, collection };
  }

  /** The committed entry of a key; pending writes of this transaction are not visible. */
  read(namespace: string, collection: string, key: string): StoredValue | undefined {
    const entry = this.ledger.entry(namespace, key, this.loc(collection));
    const id = `${namespace}\u0000${collection}\u0000${key}`;
    if (!this.done && !this.reads.has(id)) this.reads.set(id, { namespace, collection, key, version: entry?.version });
    return entry;
  }

  /** Records a range scan and what it returned (for phantom read detection). */
  recordRange(range: RangeRead): void {
    if (!this.done) this.ranges.push(range);
  }

  /** The reads recorded so far, in first-read order. */
  readSet(): ReadSet {
    return { reads: [...this.reads.values()], ranges: [...this.ranges] };
  }

  /** Committed value, or undefined. */
  getState(namespace: string, collection: string, key: string): Uint8Array | undefined {
    return this.read(namespace, collection, key)?.value;
  }

  /** Records a put. */
  putState(namespace: string, collection: string, key: string, value: Uint8Array): void {
    this.record({ namespace, collection, key, value });
  }

  /** Records a delete. */
  delState(namespace: string, collection: string, key: string): void {
    this.record({ namespace, collection, key, value: undefined });
  }

  /** Records a purge of private data (a delete that also forgets the value everywhere). */
  purgePrivateData(namespace: string, collection: string, key: string): void {
    this.record({ namespace, collection, key, value: undefined, purge: true });
  }

  /** Records one metadata entry (e.g. `VALIDATION_PARAMETER`) for a key. */
  putMetadata(namespace: string, collection: string, key: string, metakey: string, value: Uint8Array): void {
    this.assertOpen();
    this.metadata.set(`${namespace}\u0000${collection}\u0000${key}\u0000${metakey}`, { namespace, collection, key, metakey, value });
  }

  private record(write: KeyWrite): void {
    this.assertOpen();
    this.writes.set(`${write.namespace}\u0000${write.collection}\u0000${write.key}`, write);
  }

  private assertOpen(): void {
    if (this.done) throw new Error(`transaction ${this.txId} is already finished`);
  }

  /** The writes collected so far, in first-write order. */
  writeSet(): WriteSet {
    return { writes: [...this.writes.values()], metadata: [...this.metadata.values()] };
  }

  /** True once commit() or discard() ran. */
  get finished(): boolean {
    return this.done;
  }

  /** Applies the write set to the ledger as one block. Only once. */
  commit(timestamp: Date): void {
    this.assertOpen();
    this.done = true;
    const set = this.writeSet();
    if (set.writes.length > 0 || set.metadata.length > 0) this.ledger.commit(this.channelId, set, this.txId, timestamp);
  }

  /** Drops the write set (ERROR, status >= 400, timeout, closed stream). */
  discard(): void {
    this.done = true;
    this.writes.clear();
    this.metadata.clear();
  }
}
