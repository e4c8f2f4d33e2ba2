/**
 * Outbound talk-back messages: one small encoder per request type, one decoder per answer
 * shape, and ONE shared round trip over {@link TalkBack.call}. The Go shim repeats a
 * "marshal, send, check RESPONSE/ERROR" block per type; here that block exists once
 * ({@link roundTrip}). Encoders stay separate functions so they can later be swapped for
 * hand-written codecs without touching the stub.
 */
import { create, fromBinary, toBinary } from '@bufbuild/protobuf';
import {
  ChaincodeMessage_Type,
  DelStateSchema,
  GetStateSchema,
  PutStateSchema,
} from './gen/peer/chaincode_shim_pb';
import { ShimError } from './errors';
import type { TalkBack } from './talk-back';

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
    throw new ShimError('PROTOCOL', `Cannot decode the peer's answer to ${requestType}: ${String(cause)}`, {
      txId: talkBack.txId,
      channelId: talkBack.channelId,
      requestType,
      cause,
    });
  }
}

/** GET_STATE (also private data when `collection` is not empty). */
export function encodeGetState(key: string, collection: string): Uint8Array {
  return toBinary(GetStateSchema, create(GetStateSchema, { key, collection }));
}

/** PUT_STATE. */
export function encodePutState(key: string, value: Uint8Array, collection: string): Uint8Array {
  return toBinary(PutStateSchema, create(PutStateSchema, { key, value, collection }));
}

/** DEL_STATE. */
export function encodeDelState(key: string, collection: string): Uint8Array {
  return toBinary(DelStateSchema, create(DelStateSchema, { key, collection }));
}

/** The RESPONSE payload of GET_STATE / GET_PRIVATE_DATA_HASH is the raw value (empty when absent). */
export function decodeValue(bytes: Uint8Array): Buffer {
  return asBuffer(bytes);
}

/** Answers with no meaningful payload (PUT_STATE, DEL_STATE, ...). */
export function decodeNothing(_bytes: Uint8Array): void {
  /* the peer's RESPONSE payload is empty for writes */
}

// Silence the unused import until the decoders for structured answers land.
void fromBinary;
