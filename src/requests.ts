/**
 * Every outbound talk-back, one function per ChaincodeMessage type: the type, the payload
 * encoding, the decoding of the peer's RESPONSE and the error text sit together, as
 * `testing/ledger-requests.ts` keeps the peer's side. Nothing else in src/ picks a message type
 * for a talk-back. The Go shim repeats a "marshal, send, check RESPONSE/ERROR" block per type;
 * here that block exists once ({@link roundTrip}). The hot payloads use the hand-written codecs
 * of src/codec/state.ts (proven byte-for-byte equal to the generated code in
 * test/codec-state.test.ts); the rest use the generated schemas.
 */
import { create, fromBinary, toBinary } from '@bufbuild/protobuf';
import type { ChaincodeMessage_Type as T, QueryResponse, StateMetadata, WriteRecord, WriteRecord_Type } from './gen/peer/chaincode_shim_pb';
import { MessageType, WriteRecordType } from './codec/message-type';
import { chaincodePb, chaincodeShimPb, proposalResponsePb } from './protos';
import * as codec from './codec/state';
import { ShimError } from './errors';
import type { ChaincodeResponse } from './response';

/**
 * What a request goes over: one transaction's line to the peer (a Transaction; a fake in tests).
 * `call` resolves with the payload of the peer's RESPONSE and rejects with a ShimError carrying
 * code, txId and channel (PEER_ERROR for the peer's ERROR, STREAM_CLOSED, TRANSACTION_CLOSED).
 */
export interface Exchange {
  readonly txId: string;
  readonly channelId: string;
  call(type: T, payload: Uint8Array): Promise<Uint8Array>;
}

/** The metakey under which Fabric stores a key-level endorsement policy (peer.MetaDataKeys). */
export const VALIDATION_PARAMETER = 'VALIDATION_PARAMETER';

const EMPTY = new Uint8Array(0);

/** Wraps bytes as a Node Buffer without copying: fabric-shim returns Buffers users call `.toString()` on. */
export function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/**
 * The one round trip: sends `payload` as a message of `type`, decodes the RESPONSE payload
 * with `decode`. Errors of the exchange pass through unchanged (they already carry code,
 * txId and channel); a decoding failure becomes ShimError('PROTOCOL') naming the request.
 */
async function roundTrip<R>(ex: Exchange, type: T, payload: Uint8Array, decode: (bytes: Uint8Array) => R): Promise<R> {
  const answer = await ex.call(type, payload);
  try {
    return decode(answer);
  } catch (cause) {
    const requestType = MessageType[type];
    const details = { txId: ex.txId, channelId: ex.channelId, requestType, cause };
    // A decoder may itself raise a ShimError (e.g. the called chaincode failed): keep its code.
    if (cause instanceof ShimError) throw new ShimError(cause.code, cause.message, details);
    throw new ShimError('PROTOCOL', `Cannot decode the peer's answer to ${requestType}: ${String(cause)}`, details);
  }
}

/** Answers with no meaningful payload (QUERY_STATE_CLOSE, WRITE_BATCH_STATE). */
function nothing(_bytes: Uint8Array): void {
  /* the payload carries nothing the chaincode needs */
}

// ---------------------------------------------------------------- reads

/** GET_STATE: the committed value (private data when `collection` is not empty); empty when absent. */
export function getState(ex: Exchange, collection: string, key: string): Promise<Buffer> {
  return roundTrip(ex, MessageType.GET_STATE, codec.encodeKeyCollection(key, collection), asBuffer);
}

/** GET_PRIVATE_DATA_HASH: the hash of a private value. */
export function getPrivateDataHash(ex: Exchange, collection: string, key: string): Promise<Buffer> {
  return roundTrip(ex, MessageType.GET_PRIVATE_DATA_HASH, codec.encodeKeyCollection(key, collection), asBuffer);
}

/**
 * GET_STATE_METADATA, read for the key-level endorsement policy as fabric-shim returns it: a
 * plain Uint8Array, `undefined` when the key has none (the peer then sends no entry).
 */
export async function getStateMetadata(ex: Exchange, collection: string, key: string): Promise<Uint8Array | undefined> {
  const md = await roundTrip(ex, MessageType.GET_STATE_METADATA, codec.encodeKeyCollection(key, collection), decodeStateMetadata);
  const ep = md[VALIDATION_PARAMETER];
  return ep === undefined ? undefined : new Uint8Array(ep.buffer, ep.byteOffset, ep.byteLength);
}

/** GET_STATE_MULTIPLE (peer 3.1+): one value per key, in key order; empty for an absent key. */
export function getStateMultiple(ex: Exchange, collection: string, keys: readonly string[]): Promise<Buffer[]> {
  return roundTrip(ex, MessageType.GET_STATE_MULTIPLE, encodeGetStateMultiple(keys, collection), (bytes) => {
    const values = fromBinary(chaincodeShimPb().GetStateMultipleResultSchema, bytes).values.map(asBuffer);
    if (values.length !== keys.length) throw new Error(`expected ${keys.length} values, got ${values.length}`);
    return values;
  });
}

/** A query's first page and, when the peer sent any, its pagination metadata. */
export interface QueryPage {
  response: QueryResponse;
  metadata: QueryResponseMetadata | undefined;
}

/** A page with its metadata; as fabric-shim: none when the peer sent none (empty bytes). */
function decodeQueryPage(bytes: Uint8Array): QueryPage {
  const response = codec.decodeQueryResponse(bytes);
  return { response, metadata: response.metadata.length > 0 ? decodeQueryResponseMetadata(response.metadata) : undefined };
}

/** The QueryMetadata bytes (page size and bookmark) of a paginated query. */
export function encodeQueryMetadata(pageSize: number, bookmark: string): Uint8Array {
  const { QueryMetadataSchema } = chaincodeShimPb();
  return toBinary(QueryMetadataSchema, create(QueryMetadataSchema, { pageSize, bookmark }));
}

/** GET_STATE_BY_RANGE over [startKey, endKey); `metadata` from {@link encodeQueryMetadata} when paginated. */
export function getStateByRange(
  ex: Exchange,
  collection: string,
  startKey: string,
  endKey: string,
  metadata: Uint8Array = EMPTY,
): Promise<QueryPage> {
  return roundTrip(ex, MessageType.GET_STATE_BY_RANGE, encodeGetStateByRange(startKey, endKey, collection, metadata), decodeQueryPage);
}

/** GET_QUERY_RESULT (rich query); `metadata` from {@link encodeQueryMetadata} when paginated. */
export function getQueryResult(ex: Exchange, collection: string, query: string, metadata: Uint8Array = EMPTY): Promise<QueryPage> {
  return roundTrip(ex, MessageType.GET_QUERY_RESULT, encodeGetQueryResult(query, collection, metadata), decodeQueryPage);
}

/** GET_HISTORY_FOR_KEY: the first page of the key's history. */
export function getHistoryForKey(ex: Exchange, key: string): Promise<QueryResponse> {
  return roundTrip(ex, MessageType.GET_HISTORY_FOR_KEY, codec.encodeSingleString(key), codec.decodeQueryResponse);
}

/** QUERY_STATE_NEXT: the next page of an open query. */
export function queryStateNext(ex: Exchange, id: string): Promise<QueryResponse> {
  return roundTrip(ex, MessageType.QUERY_STATE_NEXT, codec.encodeSingleString(id), codec.decodeQueryResponse);
}

/** QUERY_STATE_CLOSE: releases an open query on the peer. */
export function queryStateClose(ex: Exchange, id: string): Promise<void> {
  return roundTrip(ex, MessageType.QUERY_STATE_CLOSE, codec.encodeSingleString(id), nothing);
}

// ---------------------------------------------------------------- writes (each resolves with the RESPONSE payload, as fabric-shim's)

/** PUT_STATE (public when `collection` is ''). */
export function putState(ex: Exchange, collection: string, key: string, value: Uint8Array): Promise<Buffer> {
  return roundTrip(ex, MessageType.PUT_STATE, codec.encodePutState(key, value, collection), asBuffer);
}

/** DEL_STATE. */
export function delState(ex: Exchange, collection: string, key: string): Promise<Buffer> {
  return roundTrip(ex, MessageType.DEL_STATE, codec.encodeKeyCollection(key, collection), asBuffer);
}

/** PURGE_PRIVATE_DATA (PurgePrivateState, wire-identical to the DelState the Go shim sends). */
export function purgePrivateData(ex: Exchange, collection: string, key: string): Promise<Buffer> {
  return roundTrip(ex, MessageType.PURGE_PRIVATE_DATA, codec.encodeKeyCollection(key, collection), asBuffer);
}

/** PUT_STATE_METADATA of the key-level endorsement policy (one VALIDATION_PARAMETER entry). */
export function putStateMetadata(ex: Exchange, collection: string, key: string, ep: Uint8Array): Promise<Buffer> {
  return roundTrip(ex, MessageType.PUT_STATE_METADATA, encodePutStateMetadata(key, collection, VALIDATION_PARAMETER, ep), asBuffer);
}

/**
 * WRITE_BATCH_STATE (peer 3.1+): `records` in messages of at most `maxSize` records each, one
 * after the other (a failure stops the rest). Nothing is sent for an empty list. A maximum
 * below 1 sends one record per message, as the Go shim's loop does.
 */
export async function writeBatchState(ex: Exchange, records: WriteRecord[], maxSize: number): Promise<void> {
  const size = Math.max(1, Math.floor(maxSize));
  for (let i = 0; i < records.length; i += size) {
    await roundTrip(ex, MessageType.WRITE_BATCH_STATE, encodeWriteBatch(records.slice(i, i + size)), nothing);
  }
}

// ---------------------------------------------------------------- other chaincode

/** What `invokeChaincode` resolves to: the called chaincode's Response, payload as a Buffer. */
export interface InvokeResponse extends ChaincodeResponse {
  status: number;
  message: string;
  payload: Buffer;
}

/**
 * INVOKE_CHAINCODE of `name` (`cc` or `cc/channel`). The RESPONSE payload is the called
 * chaincode's final ChaincodeMessage; COMPLETED carries its Response (fabric-shim handler.js
 * handleInvokeChaincode). ERROR carries the failure text and becomes ShimError('PEER_ERROR').
 */
export function invokeChaincode(ex: Exchange, name: string, args: readonly Uint8Array[]): Promise<InvokeResponse> {
  return roundTrip(ex, MessageType.INVOKE_CHAINCODE, encodeInvokeChaincode(name, args), decodeInvokeResponse);
}

function decodeInvokeResponse(bytes: Uint8Array): InvokeResponse {
  const msg = fromBinary(chaincodeShimPb().ChaincodeMessageSchema, bytes);
  if (msg.type === MessageType.COMPLETED) {
    const r = fromBinary(proposalResponsePb().ResponseSchema, msg.payload);
    return { status: r.status, message: r.message, payload: asBuffer(r.payload) };
  }
  if (msg.type === MessageType.ERROR) throw new ShimError('PEER_ERROR', Buffer.from(msg.payload).toString('utf8'));
  throw new ShimError('PROTOCOL', `Called chaincode answered ${MessageType[msg.type] ?? msg.type}, expected COMPLETED or ERROR`);
}

// ---------------------------------------------------------------- payloads without a hand-written codec (exported for the encoding tests)

/** The GetStateMultiple payload. */
export function encodeGetStateMultiple(keys: readonly string[], collection: string): Uint8Array {
  const { GetStateMultipleSchema } = chaincodeShimPb();
  return toBinary(GetStateMultipleSchema, create(GetStateMultipleSchema, { keys: [...keys], collection }));
}

/** The PutStateMetadata payload with one metadata entry. */
export function encodePutStateMetadata(key: string, collection: string, metakey: string, value: Uint8Array): Uint8Array {
  const { PutStateMetadataSchema, StateMetadataSchema } = chaincodeShimPb();
  const metadata = create(StateMetadataSchema, { metakey, value });
  return toBinary(PutStateMetadataSchema, create(PutStateMetadataSchema, { key, collection, metadata }));
}

/** The GetStateByRange payload. */
export function encodeGetStateByRange(startKey: string, endKey: string, collection: string, metadata: Uint8Array = EMPTY): Uint8Array {
  const { GetStateByRangeSchema } = chaincodeShimPb();
  return toBinary(GetStateByRangeSchema, create(GetStateByRangeSchema, { startKey, endKey, collection, metadata }));
}

/** The GetQueryResult payload. */
export function encodeGetQueryResult(query: string, collection: string, metadata: Uint8Array = EMPTY): Uint8Array {
  const { GetQueryResultSchema } = chaincodeShimPb();
  return toBinary(GetQueryResultSchema, create(GetQueryResultSchema, { query, collection, metadata }));
}

/** The ChaincodeSpec of INVOKE_CHAINCODE: naming `cc` or `cc/channel`, with the call's arguments. */
export function encodeInvokeChaincode(chaincodeName: string, args: readonly Uint8Array[]): Uint8Array {
  const { ChaincodeInputSchema, ChaincodeSpecSchema } = chaincodePb();
  return toBinary(
    ChaincodeSpecSchema,
    create(ChaincodeSpecSchema, { chaincodeId: { name: chaincodeName }, input: create(ChaincodeInputSchema, { args: [...args] }) }),
  );
}

/** The WriteBatchState payload: hand-written when the records allow, else generated. */
export function encodeWriteBatch(records: WriteRecord[]): Uint8Array {
  if (codec.canEncodeRecords(records)) return codec.encodeWriteBatchState(records);
  const { WriteBatchStateSchema } = chaincodeShimPb();
  return toBinary(WriteBatchStateSchema, create(WriteBatchStateSchema, { rec: records }));
}

/** GET_STATE_METADATA's answer: metakey -> value. */
export function decodeStateMetadata(bytes: Uint8Array): Record<string, Buffer> {
  const out: Record<string, Buffer> = {};
  for (const entry of fromBinary(chaincodeShimPb().StateMetadataResultSchema, bytes).entries) out[entry.metakey] = asBuffer(entry.value);
  return out;
}

/** Pagination metadata as fabric-shim returns it. */
export interface QueryResponseMetadata {
  fetchedRecordsCount: number;
  bookmark: string;
}

/** The QueryResponseMetadata inside a paginated QueryResponse; keys in fabric-shim's order. */
export function decodeQueryResponseMetadata(bytes: Uint8Array): QueryResponseMetadata {
  const m = fromBinary(chaincodeShimPb().QueryResponseMetadataSchema, bytes);
  return { bookmark: m.bookmark, fetchedRecordsCount: m.fetchedRecordsCount };
}

// ---------------------------------------------------------------- the records of a write batch

/**
 * A WriteRecord as `create(WriteRecordSchema, ...)` makes it, as a literal: a 1,000-key batch
 * builds 1,000 of them and the reflective `create` was a visible part of its cost.
 */
function writeRecord(
  type: WriteRecord_Type,
  collection: string,
  key: string,
  value: Uint8Array = EMPTY,
  metadata?: StateMetadata,
): WriteRecord {
  const rec: WriteRecord = { $typeName: 'protos.WriteRecord', key, value, collection, type };
  if (metadata !== undefined) rec.metadata = metadata;
  return rec;
}

/**
 * Writes collected between startWriteBatch and finishWriteBatch, sent by {@link writeBatchState}.
 * As in the Go shim (shim/batch.go) the last write per (collection, key) wins, with metadata
 * writes kept apart from data writes; records keep first-write order so chunks are deterministic.
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
    this.data(writeRecord(WriteRecordType.PUT_STATE, collection, key, value));
  }
  /** Records a DEL_STATE. */
  delState(collection: string, key: string): void {
    this.data(writeRecord(WriteRecordType.DEL_STATE, collection, key));
  }
  /** Records a PURGE_PRIVATE_DATA. */
  purgeState(collection: string, key: string): void {
    this.data(writeRecord(WriteRecordType.PURGE_PRIVATE_DATA, collection, key));
  }
  /** Records a PUT_STATE_METADATA entry. */
  putMetadata(collection: string, key: string, metakey: string, value: Uint8Array): void {
    const metadata: StateMetadata = { $typeName: 'protos.StateMetadata', metakey, value };
    this.writes.set(`m\u0000${collection}\u0000${key}`, writeRecord(WriteRecordType.PUT_STATE_METADATA, collection, key, EMPTY, metadata));
  }

  /** The records, in first-write order. */
  records(): WriteRecord[] {
    return [...this.writes.values()];
  }
}
