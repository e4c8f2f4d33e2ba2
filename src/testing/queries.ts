/**
 * The peer's query side: range and partial-composite-key scans in key order, Mango rich queries
 * (with `mingo`), key history, and the cursor that hands results to the chaincode in batches
 * of 100 with `has_more`, continued by QUERY_STATE_NEXT and ended by QUERY_STATE_CLOSE, as
 * Fabric's QueryResponseGenerator does.
 */
import { create, toBinary } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import { loadPackage } from '../optional-module';
import { KVSchema, KeyModificationSchema } from '../gen/ledger/queryresult/kv_query_result_pb';
import { compareKeys, type StoredValue, type WorldState } from './world-state';

type Mingo = typeof import('mingo');
let mingo: Mingo | undefined;

/** Results per QueryResponse, as the peer's `maxResultLimit`. */
export const QUERY_BATCH_SIZE = 100;

/** Pagination asked for by a `...WithPagination` call (protos.QueryMetadata). */
export interface Paging {
  readonly pageSize: number;
  readonly bookmark: string;
}

/** What a paginated query reports back (protos.QueryResponseMetadata). */
export interface PageInfo {
  readonly fetchedRecordsCount: number;
  readonly bookmark: string;
}

/** A query's full result: encoded records (KV or KeyModification) plus page info when paginated. */
export interface QueryResult {
  readonly records: Uint8Array[];
  readonly page?: PageInfo;
}

/** Where a query reads: committed state of one channel, namespace and collection ('' = public). */
export interface QueryScope {
  readonly ledger: WorldState;
  readonly channelId: string;
  readonly namespace: string;
  readonly collection: string;
}

function kv(namespace: string, key: string, value: Uint8Array): Uint8Array {
  return toBinary(KVSchema, create(KVSchema, { namespace, key, value }));
}

function entriesOf(scope: QueryScope): [string, StoredValue][] {
  return scope.ledger.sortedEntries(scope.namespace, { channel: scope.channelId, collection: scope.collection });
}

/** Committed entries with keys in [startKey, endKey), in key order; '' leaves a side open. */
export function rangeEntries(scope: QueryScope, startKey: string, endKey: string): [string, StoredValue][] {
  return entriesOf(scope).filter(
    ([key]) => (startKey === '' || compareKeys(key, startKey) >= 0) && (endKey === '' || compareKeys(key, endKey) < 0),
  );
}

/**
 * Keys in [startKey, endKey) in key order; an empty startKey or endKey leaves that side open.
 * With paging, the bookmark (the next key) replaces startKey and the returned bookmark is the
 * key after the page, "" on the last page, as the peer does over LevelDB.
 */
export function rangeQuery(scope: QueryScope, startKey: string, endKey: string, paging?: Paging): QueryResult {
  const start = paging && paging.bookmark !== '' ? paging.bookmark : startKey;
  const inRange = rangeEntries(scope, start, endKey);
  const page = paging && paging.pageSize > 0 ? inRange.slice(0, paging.pageSize) : inRange;
  const records = page.map(([key, stored]) => kv(scope.namespace, key, stored.value));
  if (!paging) return { records };
  const next = paging.pageSize > 0 ? inRange[paging.pageSize] : undefined;
  return { records, page: { fetchedRecordsCount: records.length, bookmark: next ? next[0] : '' } };
}

/** A parsed CouchDB-style query string. */
interface MangoQuery {
  selector?: Record<string, unknown>;
  sort?: (string | Record<string, 'asc' | 'desc'>)[];
  limit?: number;
  skip?: number;
  bookmark?: string;
}

function parseMango(text: string): MangoQuery {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (cause) {
    throw new Error(`invalid query: not JSON: ${(cause as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('invalid query: expected a JSON object');
  const query = parsed as MangoQuery;
  if (query.selector === undefined || typeof query.selector !== 'object') throw new Error('invalid query: missing "selector"');
  return query;
}

function sortSpec(sort: MangoQuery['sort']): [string, 1 | -1][] {
  return (sort ?? []).map((item) => {
    if (typeof item === 'string') return [item, 1];
    const [field, dir] = Object.entries(item)[0] ?? [];
    if (field === undefined) throw new Error('invalid query: empty sort item');
    return [field, dir === 'desc' ? -1 : 1];
  });
}

function fieldOf(doc: Record<string, unknown>, path: string): unknown {
  return path.split('.').reduce<unknown>((v, part) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[part] : undefined), doc);
}

function compareValues(a: unknown, b: unknown): number {
  if (a === b) return 0;
  if (a === undefined) return -1;
  if (b === undefined) return 1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a) < String(b) ? -1 : 1;
}

/** Opaque rich-query bookmark: the offset of the next record in the sorted result. */
function encodeBookmark(offset: number): string {
  return Buffer.from(`mock-peer:${offset}`).toString('base64url');
}

function decodeBookmark(bookmark: string): number {
  if (bookmark === '') return 0;
  const match = /^mock-peer:(\d+)$/.exec(Buffer.from(bookmark, 'base64url').toString('utf8'));
  if (!match) throw new Error(`invalid bookmark ${JSON.stringify(bookmark)}`);
  return Number(match[1]);
}

/**
 * A Mango rich query (selector, sort, limit, skip, bookmark) over the JSON object values of a
 * namespace, as CouchDB runs it. Values that are not JSON objects are skipped, as CouchDB never
 * indexes them. `_id` matches the key. With paging, `pageSize` overrides `limit` and the
 * bookmark is opaque; "" on the last page.
 */
export function richQuery(scope: QueryScope, queryText: string, paging?: Paging): QueryResult {
  const query = parseMango(queryText);
  // mingo is an optional peer dependency: only rich queries need it.
  mingo ??= loadPackage<Mingo>('mingo', "the mock peer's rich queries (getQueryResult)");
  const matcher = new mingo.Query(query.selector ?? {});
  const docs: { key: string; value: Uint8Array; doc: Record<string, unknown> }[] = [];
  for (const [key, stored] of entriesOf(scope)) {
    let doc: unknown;
    try {
      doc = JSON.parse(Buffer.from(stored.value).toString('utf8'));
    } catch {
      continue;
    }
    if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) continue;
    const withId = { _id: key, ...(doc as Record<string, unknown>) };
    if (matcher.test(withId)) docs.push({ key, value: stored.value, doc: withId });
  }
  const spec = sortSpec(query.sort);
  if (spec.length > 0) {
    docs.sort((a, b) => {
      for (const [field, dir] of spec) {
        const c = compareValues(fieldOf(a.doc, field), fieldOf(b.doc, field));
        if (c !== 0) return c * dir;
      }
      return compareKeys(a.key, b.key);
    });
  }
  const offset = (query.skip ?? 0) + decodeBookmark(paging?.bookmark || query.bookmark || '');
  const limit = paging && paging.pageSize > 0 ? paging.pageSize : query.limit;
  const end = limit === undefined ? docs.length : Math.min(docs.length, offset + limit);
  const records = docs.slice(offset, end).map((d) => kv(scope.namespace, d.key, d.value));
  if (!paging) return { records };
  return { records, page: { fetchedRecordsCount: records.length, bookmark: end < docs.length ? encodeBookmark(end) : '' } };
}

/** The history of a public key, newest first; a delete comes with `isDelete` and an empty value. */
export function historyQuery(ledger: WorldState, channelId: string, namespace: string, key: string): QueryResult {
  const records = ledger.getHistory(namespace, key, { channel: channelId }).map((h) =>
    toBinary(
      KeyModificationSchema,
      create(KeyModificationSchema, {
        txId: h.txId,
        value: h.value,
        isDelete: h.isDelete,
        timestamp: timestampFromDate(h.timestamp),
      }),
    ),
  );
  return { records };
}

/** One batch handed to the chaincode (becomes a protos.QueryResponse). */
export interface QueryBatch {
  readonly records: Uint8Array[];
  readonly hasMore: boolean;
  readonly id: string;
  readonly page?: PageInfo;
}

/**
 * An open query of one transaction. The peer hands out at most 100 results per response and
 * keeps the iterator until it is exhausted or closed.
 */
export class QueryCursor {
  readonly id: string;
  private readonly result: QueryResult;
  private offset = 0;
  private first = true;

  /** @param id the iterator id sent to the chaincode. */
  constructor(id: string, result: QueryResult) {
    this.id = id;
    this.result = result;
  }

  /** The next batch; `hasMore` is false on the last one. Page info rides on the first batch, where the shims read it. */
  next(): QueryBatch {
    const records = this.result.records.slice(this.offset, this.offset + QUERY_BATCH_SIZE);
    this.offset += records.length;
    const batch: QueryBatch = {
      records,
      hasMore: this.offset < this.result.records.length,
      id: this.id,
      ...(this.first && this.result.page ? { page: this.result.page } : {}),
    };
    this.first = false;
    return batch;
  }

  /** True once every record has been handed out. */
  get exhausted(): boolean {
    return this.offset >= this.result.records.length;
  }
}
