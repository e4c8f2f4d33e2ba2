/**
 * What a chaincode's Init/Invoke returns, fabric-shim's helpers to build it, and how the shim
 * turns it into the protos.Response of COMPLETED. Both follow fabric-shim 2.5.8 to the byte: in a
 * consortium another organisation may endorse with the official shim (issue 12).
 */
import { encodeResponse } from './codec/response';
import { googleBase64Bytes } from './codec/google-base64';
import { ShimError } from './errors';

/** Fabric's response status codes for chaincode (shim.OK / shim.ERROR in fabric-shim). */
export const RESPONSE_CODE = { OK: 200, ERRORTHRESHOLD: 400, ERROR: 500 } as const;
/**
 * fabric-shim declares RESPONSE_CODE as an enum, so it is also a type (`status: RESPONSE_CODE`,
 * `RESPONSE_CODE.OK`). At run time it stays the plain object fabric-shim has (no reverse mapping).
 */
export type RESPONSE_CODE = (typeof RESPONSE_CODE)[keyof typeof RESPONSE_CODE];
// eslint-disable-next-line @typescript-eslint/no-namespace
export declare namespace RESPONSE_CODE {
  type OK = 200;
  type ERRORTHRESHOLD = 400;
  type ERROR = 500;
}

/** The result of a chaincode call, as fabric-shim's `ChaincodeResponse`. */
export interface ChaincodeResponse {
  status: number;
  message?: string;
  payload?: Uint8Array;
}

/** What `success()` returns (fabric-shim's `SuccessResponse`). */
export interface SuccessResponse {
  status: RESPONSE_CODE.OK;
  message?: string;
  payload: Uint8Array;
}

/** What `error()` returns (fabric-shim's `ErrorResponse`). */
export interface ErrorResponse {
  status: RESPONSE_CODE.ERROR;
  message: string;
  payload?: Uint8Array;
}

/**
 * A successful response (status 200) with an optional payload: `{ status, payload }`, an empty
 * Buffer when none, as fabric-shim's. From JavaScript, a string payload is sent as fabric-shim
 * sends it, read as base64 (see {@link encodeChaincodeResult}): pass `Buffer.from(text)` for UTF-8.
 */
export function success(payload?: Uint8Array): SuccessResponse {
  return { status: RESPONSE_CODE.OK, payload: payload || Buffer.from('') };
}

/**
 * An error response (status 500): `{ status, message }` with the message as given, as
 * fabric-shim's. Fabric discards the transaction's writes. As with fabric-shim, only a string
 * reaches the peer: an Error object is sent as an empty message (pass `err.message`).
 */
export function error(message: string | Error): ErrorResponse {
  return { status: RESPONSE_CODE.ERROR, message: message as string };
}

const EMPTY = new Uint8Array(0);

/**
 * Encodes what Init/Invoke returned as the protos.Response of COMPLETED, as fabric-shim 2.5.8's
 * handler does through google-protobuf:
 * - no result, or a falsy `status`: status 500 and fabric-shim's text
 *   `[channel-txid8] Calling chaincode Invoke() has not called success or error.`;
 * - a message that is not a string is sent empty (google-protobuf skips a value without a length);
 * - a string payload is read as base64 ({@link googleBase64Bytes}), bytes go as they are.
 * Where fabric-shim fails to serialise (a payload of another type, a status that is no int32) it never
 * answers and the peer waits out its timeout; we throw ShimError('CHAINCODE') and the handler
 * answers ERROR at once.
 */
export function encodeChaincodeResult(result: unknown, method: string, channelId: string, txId: string): Uint8Array {
  const r = result as { status?: unknown; message?: unknown; payload?: unknown } | null | undefined;
  if (typeof r !== 'object' || r === null || !r.status) {
    const text = `[${channelId}-${txId.substring(0, 8)}] Calling chaincode ${method}() has not called success or error.`;
    return encodeResponse(RESPONSE_CODE.ERROR, text, EMPTY);
  }
  // google-protobuf coerces the status to a number and asserts an int32.
  const status = Number(r.status);
  if (!Number.isInteger(status) || status < -0x80000000 || status > 0x7fffffff) {
    throw new ShimError('CHAINCODE', `${method}() returned a response whose status is not a 32-bit integer`);
  }
  let message = '';
  if (typeof r.message === 'string') message = r.message;
  else if (r.message !== undefined && r.message !== null && ((r.message as { length?: unknown }).length as number) > 0) {
    throw new ShimError('CHAINCODE', `${method}() returned a response whose message is not a string`);
  }
  let payload: Uint8Array;
  if (r.payload === undefined || r.payload === null) payload = EMPTY;
  else if (r.payload instanceof Uint8Array) payload = r.payload;
  else if (typeof r.payload === 'string') {
    try {
      payload = googleBase64Bytes(r.payload);
    } catch (cause) {
      throw new ShimError(
        'CHAINCODE',
        `${method}() returned a string payload that is not base64 (fabric-shim reads it so): ${(cause as Error).message}`,
        { cause },
      );
    }
  } else throw new ShimError('CHAINCODE', `${method}() returned a response whose payload is neither bytes nor a string`);
  return encodeResponse(status, message, payload);
}
