/**
 * The mock peer's committed ledger: world state per channel and chaincode namespace, private
 * data per collection, key metadata, versions and per-key history. Transactions change it only
 * through {@link WorldState.commit}, atomically, as a block commit does on a real peer.
 */
import { createHash } from 'node:crypto';

/** Where a committed write landed, as Fabric's `Height{blockNum, txNum}`. */
export interface KeyVersion {
  readonly blockNum: number;
  readonly txNum: number;
}

/** One modification of a key, as `GetHistoryForKey` returns it (queryresult.KeyModification). */
export interface HistoryEntry {
  readonly txId: string;
  readonly timestamp: Date;
  /** Empty for a delete, as the peer returns it. */
  readonly value: Uint8Array;
  readonly isDelete: boolean;
}

/** Selects a channel (default: the peer's channel) and a private data collection (default: public state). */
export interface LedgerLocation {
  channel?: string;
  collection?: string;
}

/** One key write of a transaction; `value` undefined means delete. `purge` also forgets private data history. */
export interface KeyWrite {
  readonly namespace: string;
  /** '' for public state. */
  readonly collection: string;
  readonly key: string;
  readonly value: Uint8Array | undefined;
  readonly purge?: boolean;
}

/** One metadata entry write (e.g. the key-level endorsement policy `VALIDATION_PARAMETER`). */
export interface MetadataWrite {
  readonly namespace: string;
  readonly collection: string;
  readonly key: string;
  readonly metakey: string;
  readonly value: Uint8Array;
}

/** Everything one transaction changes; applied by {@link WorldState.commit} all at once. */
export interface WriteSet {
  readonly writes: readonly KeyWrite[];
  readonly metadata: readonly MetadataWrite[];
}

/** A committed value with its version and metadata. */
export interface StoredValue {
  readonly value: Uint8Array;
  readonly version: KeyVersion;
  readonly metadata: ReadonlyMap<string, Uint8Array>;
}

interface NamespaceState {
  readonly collections: Map<string, Map<string, StoredValue>>;
  /** Oldest first; public state only (Fabric keeps no history for private data). */
  readonly history: Map<string, HistoryEntry[]>;
}

/**
 * Orders keys as the peer's LevelDB does: by their UTF-8 bytes. (JavaScript's `<` compares
 * UTF-16 code units, which differs for characters above U+FFFF such as the composite-key
 * range end U+10FFFF.)
 */
export function compareKeys(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

function toBytes(value: string | Uint8Array | object): Uint8Array {
  if (typeof value === 'string') return Buffer.from(value, 'utf8');
  if (value instanceof Uint8Array) return Buffer.from(value);
  return Buffer.from(JSON.stringify(value), 'utf8');
}

/**
 * The committed ledger of a {@link MockPeer}: read it in tests (`peer.ledger.get('assets', 'a1')`),
 * seed it with {@link WorldState.put}. Values are returned as Buffers (which are Uint8Arrays).
 */
export class WorldState {
  /** Channel used when a {@link LedgerLocation} names none. */
  readonly defaultChannel: string;
  private readonly namespaces = new Map<string, NamespaceState>();
  private readonly heights = new Map<string, number>();
  private seeds = 0;

  /** @param defaultChannel channel used when a call names none. */
  constructor(defaultChannel = 'mychannel') {
    this.defaultChannel = defaultChannel;
  }

  private ns(channel: string, namespace: string, create: true): NamespaceState;
  private ns(channel: string, namespace: string, create: false): NamespaceState | undefined;
  private ns(channel: string, namespace: string, create: boolean): NamespaceState | undefined {
    const id = `${channel}\u0000${namespace}`;
    let state = this.namespaces.get(id);
    if (!state && create) {
      state = { collections: new Map(), history: new Map() };
      this.namespaces.set(id, state);
    }
    return state;
  }

  private table(namespace: string, loc: LedgerLocation | undefined): Map<string, StoredValue> | undefined {
    return this.ns(loc?.channel ?? this.defaultChannel, namespace, false)?.collections.get(loc?.collection ?? '');
  }

  /** The committed entry (value, version, metadata) of a key, or undefined. */
  entry(namespace: string, key: string, loc?: LedgerLocation): StoredValue | undefined {
    return this.table(namespace, loc)?.get(key);
  }

  /** The committed value of a key (public state, or private data with `collection`), or undefined. */
  get(namespace: string, key: string, loc?: LedgerLocation): Buffer | undefined {
    const found = this.entry(namespace, key, loc);
    return found ? Buffer.from(found.value) : undefined;
  }

  /** The committed value decoded as UTF-8, or undefined. */
  getString(namespace: string, key: string, loc?: LedgerLocation): string | undefined {
    return this.get(namespace, key, loc)?.toString('utf8');
  }

  /** The committed value parsed as JSON, or undefined. Throws if the value is not JSON. */
  getJSON<T = unknown>(namespace: string, key: string, loc?: LedgerLocation): T | undefined {
    const text = this.getString(namespace, key, loc);
    return text === undefined ? undefined : (JSON.parse(text) as T);
  }

  /** The committed value of a private data key. */
  getPrivate(namespace: string, collection: string, key: string, loc?: { channel?: string }): Buffer | undefined {
    return this.get(namespace, key, { ...loc, collection });
  }

  /** sha256 of a private value, as GET_PRIVATE_DATA_HASH answers (other orgs only see this hash). */
  getPrivateDataHash(namespace: string, collection: string, key: string, loc?: { channel?: string }): Buffer | undefined {
    const value = this.getPrivate(namespace, collection, key, loc);
    return value ? createHash('sha256').update(value).digest() : undefined;
  }

  /** The metadata entries of a key (e.g. `VALIDATION_PARAMETER`); empty when the key has none. */
  getMetadata(namespace: string, key: string, loc?: LedgerLocation): Record<string, Buffer> {
    const out: Record<string, Buffer> = {};
    const found = this.entry(namespace, key, loc);
    for (const [metakey, value] of found?.metadata ?? []) out[metakey] = Buffer.from(value);
    return out;
  }

  /** The version of a key's committed value, or undefined. */
  getVersion(namespace: string, key: string, loc?: LedgerLocation): KeyVersion | undefined {
    return this.entry(namespace, key, loc)?.version;
  }

  /** Every committed modification of a public key, newest first, as the peer returns history. */
  getHistory(namespace: string, key: string, loc?: { channel?: string }): HistoryEntry[] {
    const list = this.ns(loc?.channel ?? this.defaultChannel, namespace, false)?.history.get(key) ?? [];
    return [...list].reverse();
  }

  /** Every public key of a namespace that has history (deleted keys included), in the peer's key order. */
  historyKeys(namespace: string, loc?: { channel?: string }): string[] {
    return [...(this.ns(loc?.channel ?? this.defaultChannel, namespace, false)?.history.keys() ?? [])].sort(compareKeys);
  }

  /** The collections of a namespace that ever held a key ('' is the public state). */
  collections(namespace: string, loc?: { channel?: string }): string[] {
    return [...(this.ns(loc?.channel ?? this.defaultChannel, namespace, false)?.collections.keys() ?? [])].sort(compareKeys);
  }

  /** The committed keys of a namespace (or collection), in the peer's key order. */
  keys(namespace: string, loc?: LedgerLocation): string[] {
    return [...(this.table(namespace, loc)?.keys() ?? [])].sort(compareKeys);
  }

  /** Committed entries in the peer's key order (used by range and rich queries). */
  sortedEntries(namespace: string, loc?: LedgerLocation): [string, StoredValue][] {
    return [...(this.table(namespace, loc)?.entries() ?? [])].sort((a, b) => compareKeys(a[0], b[0]));
  }

  /** Number of blocks committed on a channel (its height: the next block's number). */
  blockHeight(channel: string = this.defaultChannel): number {
    return this.heights.get(channel) ?? 0;
  }

  /**
   * Seeds a committed value outside any chaincode (strings as UTF-8, objects as JSON), as if a
   * transaction `seed-N` had written it. Useful to set up a test's starting state.
   */
  put(namespace: string, key: string, value: string | Uint8Array | object, loc?: LedgerLocation): void {
    this.seeds += 1;
    this.commit(
      loc?.channel ?? this.defaultChannel,
      {
        writes: [{ namespace, collection: loc?.collection ?? '', key, value: toBytes(value) }],
        metadata: [],
      },
      `seed-${this.seeds}`,
      new Date(),
    );
  }

  /**
   * Takes the next block number of a channel. Blocks cut by the mock peer's orderer and seeds
   * share this one numbering, so a key's version is always a real block height.
   */
  reserveBlock(channel: string = this.defaultChannel): number {
    const number = this.blockHeight(channel);
    this.heights.set(channel, number + 1);
    return number;
  }

  /**
   * Applies one transaction's writes atomically: as a new block, or at `at` (transaction `txNum`
   * of a block taken with {@link WorldState.reserveBlock}). Key writes first (a delete also
   * drops the key's metadata); then metadata writes, which are dropped for a key with no value,
   * as the peer does with a key-level endorsement policy on a missing key.
   */
  commit(channel: string, writeSet: WriteSet, txId: string, timestamp: Date, at?: KeyVersion): KeyVersion {
    const version: KeyVersion = at ?? { blockNum: this.reserveBlock(channel), txNum: 0 };
    for (const w of writeSet.writes) {
      const ns = this.ns(channel, w.namespace, true);
      let table = ns.collections.get(w.collection);
      if (!table) ns.collections.set(w.collection, (table = new Map()));
      if (w.value === undefined) table.delete(w.key);
      else table.set(w.key, { value: w.value, version, metadata: table.get(w.key)?.metadata ?? new Map() });
      if (w.collection === '') {
        let list = ns.history.get(w.key);
        if (!list) ns.history.set(w.key, (list = []));
        list.push({ txId, timestamp, value: w.value ?? new Uint8Array(0), isDelete: w.value === undefined });
      }
    }
    for (const m of writeSet.metadata) {
      const table = this.ns(channel, m.namespace, false)?.collections.get(m.collection);
      const current = table?.get(m.key);
      if (!table || !current) continue;
      const metadata = new Map(current.metadata);
      metadata.set(m.metakey, m.value);
      table.set(m.key, { value: current.value, version, metadata });
    }
    return version;
  }
}
