/**
 * The peer's answers to the chaincode's ledger talk-backs (state, private data, metadata,
 * queries): decode the request, act on the transaction's simulation, encode the RESPONSE
 * payload. Errors thrown here become an ERROR message with the error's text, as the peer's
 * `HandleTransaction` wrapper does.
 */
import { create, fromBinary, toBinary } from '@bufbuild/protobuf';
import { createHash } from 'node:crypto';
import {
  ChaincodeMessage_Type as T,
  DelStateSchema,
  GetHistoryForKeySchema,
  GetQueryResultSchema,
  GetStateByRangeSchema,
  GetStateMetadataSchema,
  GetStateMultipleResultSchema,
  GetStateMultipleSchema,
  GetStateSchema,
  PurgePrivateStateSchema,
  PutStateMetadataSchema,
  PutStateSchema,
  QueryMetadataSchema,
  QueryResponseMetadataSchema,
  QueryResponseSchema,
  QueryStateCloseSchema,
  QueryStateNextSchema,
  StateMetadataResultSchema,
  WriteBatchStateSchema,
  WriteRecord_Type,
} from '../gen/peer/chaincode_shim_pb';
import type { PeerCapabilities } from '../connection-options';
import { historyQuery, QueryCursor, rangeEntries, rangeQuery, richQuery, type Paging, type QueryBatch, type QueryResult } from './queries';
import type { TxSimulation } from './simulation';

/** Cap on records one query may return in total, as the peer's `totalQueryLimit` default. */
export const TOTAL_QUERY_LIMIT = 100_000;

/** The state of one in-flight transaction that ledger talk-backs act on. */
export interface LedgerTxContext {
  /** The chaincode's namespace (its name). */
  readonly namespace: string;
  readonly simulation: TxSimulation;
  /** Open query iterators by id; the peer drops them when the transaction ends. */
  readonly cursors: Map<string, QueryCursor>;
  /** Private data collections defined for the chaincode; undefined = accept any. */
  readonly collections: readonly string[] | undefined;
  /** What the peer advertised in READY; undefined for a peer without ChaincodeAdditionalParams. */
  readonly capabilities: PeerCapabilities | undefined;
}

const EMPTY = new Uint8Array(0);

/**
 * Writes of the empty key are refused as by a peer over CouchDB (statecouchdb validateKey, run by
 * the transaction simulator on every write), with its text; reads of '' answer empty. A LevelDB
 * peer would accept the write: this mock follows CouchDB, whose rich queries it also serves.
 */
function checkKey(key: string): void {
  if (key === '') throw new Error('invalid key. Empty string is not supported as a key by couchdb');
}

function checkCollection(ctx: LedgerTxContext, collection: string): void {
  if (collection === '' || ctx.collections === undefined || ctx.collections.includes(collection)) return;
  const { channelId } = ctx.simulation;
  throw new Error(`collection ${channelId}/${ctx.namespace}/${collection} could not be found`);
}

function requireCollection(ctx: LedgerTxContext, collection: string, what: string): void {
  if (collection === '') throw new Error(`${what} requires a collection name`);
  checkCollection(ctx, collection);
}

function paging(metadata: Uint8Array): Paging | undefined {
  if (metadata.length === 0) return undefined;
  const m = fromBinary(QueryMetadataSchema, metadata);
  return { pageSize: m.pageSize, bookmark: m.bookmark };
}

function encodeBatch(batch: QueryBatch): Uint8Array {
  return toBinary(
    QueryResponseSchema,
    create(QueryResponseSchema, {
      results: batch.records.map((resultBytes) => ({ resultBytes })),
      hasMore: batch.hasMore,
      id: batch.id,
      metadata: batch.page ? toBinary(QueryResponseMetadataSchema, create(QueryResponseMetadataSchema, batch.page)) : EMPTY,
    }),
  );
}

let cursorSeq = 0;

/** Opens a cursor for a query result and answers with its first batch. */
function openQuery(ctx: LedgerTxContext, result: QueryResult): Uint8Array {
  if (result.records.length > TOTAL_QUERY_LIMIT) result = { ...result, records: result.records.slice(0, TOTAL_QUERY_LIMIT) };
  cursorSeq += 1;
  const cursor = new QueryCursor(`${ctx.simulation.txId.slice(0, 8)}-q${cursorSeq}`, result);
  const batch = cursor.next();
  // The peer forgets an iterator once it has handed out its last result.
  if (batch.hasMore) ctx.cursors.set(cursor.id, cursor);
  return encodeBatch(batch);
}

function scope(ctx: LedgerTxContext, collection: string) {
  const sim = ctx.simulation;
  return { ledger: sim.ledgerView, channelId: sim.channelId, namespace: ctx.namespace, collection };
}

/** True for the message types this module answers. */
export function isLedgerRequest(type: T): boolean {
  return type in HANDLERS;
}

type Handler = (ctx: LedgerTxContext, payload: Uint8Array) => Uint8Array;

function writeRecords(ctx: LedgerTxContext, payload: Uint8Array): Uint8Array {
  const caps = ctx.capabilities;
  const batch = fromBinary(WriteBatchStateSchema, payload);
  if (caps && caps.maxSizeWriteBatch > 0 && batch.rec.length > caps.maxSizeWriteBatch) {
    throw new Error(`write batch of ${batch.rec.length} records exceeds the maximum of ${caps.maxSizeWriteBatch}`);
  }
  // Validate the whole batch first: one bad record fails it without applying any.
  for (const rec of batch.rec) {
    checkKey(rec.key);
    checkCollection(ctx, rec.collection);
    if (rec.type === WriteRecord_Type.PURGE_PRIVATE_DATA) requireCollection(ctx, rec.collection, 'PURGE_PRIVATE_DATA');
    else if (rec.type === WriteRecord_Type.PUT_STATE_METADATA && !rec.metadata) throw new Error(`no metadata for key ${rec.key}`);
    else if (
      ![
        WriteRecord_Type.PUT_STATE,
        WriteRecord_Type.DEL_STATE,
        WriteRecord_Type.PUT_STATE_METADATA,
        WriteRecord_Type.PURGE_PRIVATE_DATA,
      ].includes(rec.type)
    ) {
      throw new Error(`unknown write record type ${rec.type} for key ${rec.key}`);
    }
  }
  const sim = ctx.simulation;
  for (const rec of batch.rec) {
    if (rec.type === WriteRecord_Type.PUT_STATE) sim.putState(ctx.namespace, rec.collection, rec.key, rec.value);
    else if (rec.type === WriteRecord_Type.DEL_STATE) sim.delState(ctx.namespace, rec.collection, rec.key);
    else if (rec.type === WriteRecord_Type.PURGE_PRIVATE_DATA) sim.purgePrivateData(ctx.namespace, rec.collection, rec.key);
    else if (rec.metadata) sim.putMetadata(ctx.namespace, rec.collection, rec.key, rec.metadata.metakey, rec.metadata.value);
    else throw new Error(`write batch: PUT_STATE_METADATA for ${rec.key} without metadata`);
  }
  return EMPTY;
}

const HANDLERS: Partial<Record<T, Handler>> = {
  [T.GET_STATE]: (ctx, payload) => {
    const req = fromBinary(GetStateSchema, payload);
    checkCollection(ctx, req.collection);
    return ctx.simulation.getState(ctx.namespace, req.collection, req.key) ?? EMPTY;
  },
  [T.GET_STATE_MULTIPLE]: (ctx, payload) => {
    const req = fromBinary(GetStateMultipleSchema, payload);
    const max = ctx.capabilities?.maxSizeGetMultipleKeys ?? 0;
    if (max > 0 && req.keys.length > max) throw new Error(`${req.keys.length} keys exceed the maximum of ${max} per GET_STATE_MULTIPLE`);
    checkCollection(ctx, req.collection);
    const values = req.keys.map((key) => ctx.simulation.getState(ctx.namespace, req.collection, key) ?? EMPTY);
    return toBinary(GetStateMultipleResultSchema, create(GetStateMultipleResultSchema, { values }));
  },
  [T.GET_PRIVATE_DATA_HASH]: (ctx, payload) => {
    const req = fromBinary(GetStateSchema, payload);
    requireCollection(ctx, req.collection, 'GET_PRIVATE_DATA_HASH');
    const value = ctx.simulation.getState(ctx.namespace, req.collection, req.key);
    return value ? createHash('sha256').update(value).digest() : EMPTY;
  },
  [T.PUT_STATE]: (ctx, payload) => {
    const req = fromBinary(PutStateSchema, payload);
    checkKey(req.key);
    checkCollection(ctx, req.collection);
    ctx.simulation.putState(ctx.namespace, req.collection, req.key, req.value);
    return EMPTY;
  },
  [T.DEL_STATE]: (ctx, payload) => {
    const req = fromBinary(DelStateSchema, payload);
    checkKey(req.key);
    checkCollection(ctx, req.collection);
    ctx.simulation.delState(ctx.namespace, req.collection, req.key);
    return EMPTY;
  },
  [T.PURGE_PRIVATE_DATA]: (ctx, payload) => {
    const req = fromBinary(PurgePrivateStateSchema, payload);
    checkKey(req.key);
    requireCollection(ctx, req.collection, 'PURGE_PRIVATE_DATA');
    ctx.simulation.purgePrivateData(ctx.namespace, req.collection, req.key);
    return EMPTY;
  },
  [T.WRITE_BATCH_STATE]: writeRecords,
  [T.GET_STATE_METADATA]: (ctx, payload) => {
    const req = fromBinary(GetStateMetadataSchema, payload);
    checkCollection(ctx, req.collection);
    const stored = ctx.simulation.read(ctx.namespace, req.collection, req.key);
    const entries = [...(stored?.metadata ?? [])].sort(([a], [b]) => (a < b ? -1 : 1)).map(([metakey, value]) => ({ metakey, value }));
    return toBinary(StateMetadataResultSchema, create(StateMetadataResultSchema, { entries }));
  },
  [T.PUT_STATE_METADATA]: (ctx, payload) => {
    const req = fromBinary(PutStateMetadataSchema, payload);
    checkKey(req.key);
    checkCollection(ctx, req.collection);
    if (!req.metadata) throw new Error(`no metadata for key ${req.key}`);
    ctx.simulation.putMetadata(ctx.namespace, req.collection, req.key, req.metadata.metakey, req.metadata.value);
    return EMPTY;
  },
  [T.GET_STATE_BY_RANGE]: (ctx, payload) => {
    const req = fromBinary(GetStateByRangeSchema, payload);
    checkCollection(ctx, req.collection);
    const where = scope(ctx, req.collection);
    const page = paging(req.metadata);
    // Only whole scans are protected from phantoms: the peer records no range info for paginated
    // queries (Fabric allows them in read-only transactions only).
    if (!page) {
      const results = rangeEntries(where, req.startKey, req.endKey).map(([key, stored]) => ({ key, version: stored.version }));
      ctx.simulation.recordRange({
        namespace: ctx.namespace,
        collection: req.collection,
        startKey: req.startKey,
        endKey: req.endKey,
        results,
      });
    }
    return openQuery(ctx, rangeQuery(where, req.startKey, req.endKey, page));
  },
  [T.GET_QUERY_RESULT]: (ctx, payload) => {
    const req = fromBinary(GetQueryResultSchema, payload);
    checkCollection(ctx, req.collection);
    return openQuery(ctx, richQuery(scope(ctx, req.collection), req.query, paging(req.metadata)));
  },
  [T.GET_HISTORY_FOR_KEY]: (ctx, payload) => {
    const req = fromBinary(GetHistoryForKeySchema, payload);
    const sim = ctx.simulation;
    return openQuery(ctx, historyQuery(sim.ledgerView, sim.channelId, ctx.namespace, req.key));
  },
  [T.QUERY_STATE_NEXT]: (ctx, payload) => {
    const req = fromBinary(QueryStateNextSchema, payload);
    const cursor = ctx.cursors.get(req.id);
    if (!cursor) throw new Error(`query iterator not found: ${req.id}`);
    const batch = cursor.next();
    if (!batch.hasMore) ctx.cursors.delete(req.id);
    return encodeBatch(batch);
  },
  [T.QUERY_STATE_CLOSE]: (ctx, payload) => {
    const req = fromBinary(QueryStateCloseSchema, payload);
    ctx.cursors.delete(req.id);
    return toBinary(QueryResponseSchema, create(QueryResponseSchema, { hasMore: false, id: req.id }));
  },
};

/** Answers one ledger talk-back; throws (-> ERROR) when the peer would reject it. */
export function handleLedgerRequest(ctx: LedgerTxContext, type: T, payload: Uint8Array): Uint8Array {
  const handler = HANDLERS[type];
  if (!handler) throw new Error(`not a ledger request: ${T[type] ?? type}`);
  return handler(ctx, payload);
}
