/**
 * Outbound talk-back messages: one small encoder per request type, one decoder per answer
 * shape, and ONE shared round trip over {@link TalkBack.call}. The Go shim repeats a
 * "marshal, send, check RESPONSE/ERROR" block per type; here that block exists once
 * ({@link roundTrip}). Encoders stay separate functions so they can later be swapped for
 * hand-written codecs without touching the stub; the hot ones are (src/codec/state.ts, proven
 * byte-for-byte equal to the generated code in test/codec-state.test.ts).
 */
import { create, fromBinary, toBinary } from '@bufbuild/protobuf';
import { ChaincodeInputSchema, ChaincodeSpecSchema } from './gen/peer/chaincode_pb';
import {
  ChaincodeMessageSchema,
  ChaincodeMessage_Type,
  GetQueryResultSchema,
  GetStateByRangeSchema,
  GetStateMultipleResultSchema,
  GetStateMultipleSchema,
  PutStateMetadataSchema,
  QueryMetadataSchema,
  QueryResponseMetadataSchema,
  StateMetadataResultSchema,
  StateMetadataSchema,
  WriteBatchStateSchema,
  type QueryResponse,
  type WriteRecord,
} from './gen/peer/chaincode_shim_pb';
import { ResponseSchema } from './gen/peer/proposal_response_pb';
import * as codec from './codec/state';
import { ShimError } from './errors';
import type { ChaincodeResponse } from './response';
import type { TalkBack } from './talk-back';

/** The metakey under which Fabric stores a key-level endorsement policy (peer.MetaDataKeys). */
export const VALIDATION_PARAMETER = 'VALIDATION_PARAMETER';

/** Wraps bytes as a Node Buffer without copying: fabric-shim returns Buffers users call `.toString()` on. */
export function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/**
 * The one round trip: sends `payload` as a message of `type`, decodes the RESPONSE payload
 * with `decode`. Errors from the TalkBack pass through unchanged (they already carry code,
 * txId and channel); a decoding failure becomes ShimError('PROTOCOL') naming the request.
 */
export async function roundTrip<T>(
  talkBack: TalkBack,
  type: ChaincodeMessage_Type,
  payload: Uint8Array,
  decode: (bytes: Uint8Array) => T,
): Promise<T> {
  const answer = await talkBack.call(type, payload);
  try {
    return decode(answer);
  } catch (cause) {
    const requestType = ChaincodeMessage_Type[type];
    const details = { txId: talkBack.txId, channelId: talkBack.channelId, requestType, cause };
    // A decoder may itself raise a ShimError (e.g. the called chaincode failed): keep its code.
    if (cause instanceof ShimError) throw new ShimError(cause.code, cause.message, details);
    throw new ShimError('PROTOCOL', `Cannot decode the peer's answer to ${requestType}: ${String(cause)}`, details);
  }
}

// ---------------------------------------------------------------- encoders

/** GET_STATE and GET_PRIVATE_DATA_HASH (private data when `collection` is not empty). */
export function encodeGetState(key: string, collection: string): Uint8Array {
  return codec.encodeKeyCollection(key, collection);
}

/** GET_STATE_MULTIPLE (peer 3.1+). */
export function encodeGetStateMultiple(keys: readonly string[], collection: string): Uint8Array {
  return toBinary(GetStateMultipleSchema, create(GetStateMultipleSchema, { keys: [...keys], collection }));
}

/** GET_STATE_METADATA. */
export function encodeGetStateMetadata(key: string, collection: string): Uint8Array {
  return codec.encodeKeyCollection(key, collection);
}

/** PUT_STATE. */
export function encodePutState(key: string, value: Uint8Array, collection: string): Uint8Array {
  return codec.encodePutState(key, value, collection);
}

/** DEL_STATE. */
export function encodeDelState(key: string, collection: string): Uint8Array {
  return codec.encodeKeyCollection(key, collection);
}

/** PURGE_PRIVATE_DATA (PurgePrivateState, wire-identical to the DelState the Go shim sends). */
export function encodePurgePrivateData(key: string, collection: string): Uint8Array {
  return codec.encodeKeyCollection(key, collection);
}

/** PUT_STATE_METADATA with one metadata entry. */
export function encodePutStateMetadata(key: string, collection: string, metakey: string, value: Uint8Array): Uint8Array {
  const metadata = create(StateMetadataSchema, { metakey, value });
  return toBinary(PutStateMetadataSchema, create(PutStateMetadataSchema, { key, collection, metadata }));
}

/** The QueryMetadata bytes (page size and bookmark) of a paginated query. */
export function encodeQueryMetadata(pageSize: number, bookmark: string): Uint8Array {
  return toBinary(QueryMetadataSchema, create(QueryMetadataSchema, { pageSize, bookmark }));
}

/** GET_STATE_BY_RANGE; `metadata` from {@link encodeQueryMetadata} when paginated. */
export function encodeGetStateByRange(startKey: string, endKey: string, collection: string, metadata?: Uint8Array): Uint8Array {
  return toBinary(
    GetStateByRangeSchema,
    create(GetStateByRangeSchema, { startKey, endKey, collection, metadata: metadata ?? new Uint8Array(0) }),
  );
}

/** GET_QUERY_RESULT; `metadata` from {@link encodeQueryMetadata} when paginated. */
export function encodeGetQueryResult(query: string, collection: string, metadata?: Uint8Array): Uint8Array {
  return toBinary(GetQueryResultSchema, create(GetQueryResultSchema, { query, collection, metadata: metadata ?? new Uint8Array(0) }));
}

/** GET_HISTORY_FOR_KEY. */
export function encodeGetHistoryForKey(key: string): Uint8Array {
  return codec.encodeSingleString(key);
}

/** QUERY_STATE_NEXT. */
export function encodeQueryStateNext(id: string): Uint8Array {
  return codec.encodeSingleString(id);
}

/** QUERY_STATE_CLOSE. */
export function encodeQueryStateClose(id: string): Uint8Array {
  return codec.encodeSingleString(id);
}

/** INVOKE_CHAINCODE: a ChaincodeSpec naming `cc` or `cc/channel`, with the call's arguments. */
export function encodeInvokeChaincode(chaincodeName: string, args: readonly Uint8Array[]): Uint8Array {
  return toBinary(
    ChaincodeSpecSchema,
    create(ChaincodeSpecSchema, { chaincodeId: { name: chaincodeName }, input: create(ChaincodeInputSchema, { args: [...args] }) }),
  );
}

/** WRITE_BATCH_STATE (peer 3.1+). */
export function encodeWriteBatch(records: WriteRecord[]): Uint8Array {
  return codec.canEncodeRecords(records) ? codec.encodeWriteBatchState(records) : toBinary(WriteBatchStateSchema, create(WriteBatchStateSchema, { rec: records }));
}

// ---------------------------------------------------------------- decoders

/** The RESPONSE payload of GET_STATE / GET_PRIVATE_DATA_HASH is the raw value (empty when absent). */
export function decodeValue(bytes: Uint8Array): Buffer {
  return asBuffer(bytes);
}

/** Answers with no meaningful payload (PUT_STATE, DEL_STATE, QUERY_STATE_CLOSE, ...). */
export function decodeNothing(_bytes: Uint8Array): void {
  /* the payload carries nothing the chaincode needs */
}

/** GET_STATE_MULTIPLE: one value per key, in order; empty for an absent key. */
export function decodeMultipleValues(bytes: Uint8Array): Buffer[] {
  return fromBinary(GetStateMultipleResultSchema, bytes).values.map(asBuffer);
}

/** GET_STATE_METADATA: metakey -> value. */
export function decodeStateMetadata(bytes: Uint8Array): Record<string, Buffer> {
  const out: Record<string, Buffer> = {};
  for (const entry of fromBinary(StateMetadataResultSchema, bytes).entries) out[entry.metakey] = asBuffer(entry.value);
  return out;
}

/** GET_STATE_BY_RANGE, GET_QUERY_RESULT, GET_HISTORY_FOR_KEY, QUERY_STATE_NEXT. */
export function decodeQueryResponse(bytes: Uint8Array): QueryResponse {
  return codec.decodeQueryResponse(bytes);
}

/** Pagination metadata as fabric-shim returns it. */
export interface QueryResponseMetadata {
  fetchedRecordsCount: number;
  bookmark: string;
}

/** The QueryResponseMetadata inside a paginated QueryResponse; keys in fabric-shim's order. */
export function decodeQueryResponseMetadata(bytes: Uint8Array): QueryResponseMetadata {
  const m = fromBinary(QueryResponseMetadataSchema, bytes);
  return { bookmark: m.bookmark, fetchedRecordsCount: m.fetchedRecordsCount };
}

/** What `invokeChaincode` resolves to: the called chaincode's Response, payload as a Buffer. */
export interface InvokeResponse extends ChaincodeResponse {
  status: number;
  message: string;
  payload: Buffer;
}

/**
 * INVOKE_CHAINCODE: the RESPONSE payload is the called chaincode's final ChaincodeMessage;
 * COMPLETED carries its Response (fabric-shim handler.js handleInvokeChaincode). ERROR
 * carries the failure text and becomes ShimError('PEER_ERROR').
 */
export function decodeInvokeResponse(bytes: Uint8Array): InvokeResponse {
  const msg = fromBinary(ChaincodeMessageSchema, bytes);
  if (msg.type === ChaincodeMessage_Type.COMPLETED) {
    const r = fromBinary(ResponseSchema, msg.payload);
    return { status: r.status, message: r.message, payload: asBuffer(r.payload) };
  }
  if (msg.type === ChaincodeMessage_Type.ERROR) {
    throw new ShimError('PEER_ERROR', Buffer.from(msg.payload).toString('utf8'));
  }
  throw new ShimError('PROTOCOL', `Called chaincode answered ${ChaincodeMessage_Type[msg.type] ?? msg.type}, expected COMPLETED or ERROR`);
}
