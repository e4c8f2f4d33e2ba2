/** What a chaincode's Init/Invoke returns, and fabric-shim's helpers to build it. */

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

/** A successful response (status 200) with an optional payload. */
export function success(payload?: Uint8Array): SuccessResponse {
  return { status: RESPONSE_CODE.OK, message: '', payload: payload ?? new Uint8Array(0) };
}

/** An error response (status 500); Fabric discards the transaction's writes. */
export function error(message: string | Error | Uint8Array): ErrorResponse {
  const text =
    message instanceof Error ? message.message
    : message instanceof Uint8Array ? Buffer.from(message).toString('utf8')
    : String(message);
  return { status: RESPONSE_CODE.ERROR, message: text, payload: new Uint8Array(0) };
}
