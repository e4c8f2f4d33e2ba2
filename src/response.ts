/** What a chaincode's Init/Invoke returns, and fabric-shim's helpers to build it. */

/** Fabric's response status codes for chaincode (shim.OK / shim.ERROR in fabric-shim). */
export const RESPONSE_CODE = { OK: 200, ERRORTHRESHOLD: 400, ERROR: 500 } as const;

/** The result of a chaincode call, as fabric-shim's `ChaincodeResponse`. */
export interface ChaincodeResponse {
  status: number;
  message?: string;
  payload?: Uint8Array;
}

/** A successful response (status 200) with an optional payload. */
export function success(payload?: Uint8Array): ChaincodeResponse {
  return { status: RESPONSE_CODE.OK, message: '', payload: payload ?? new Uint8Array(0) };
}

/** An error response (status 500); Fabric discards the transaction's writes. */
export function error(message: string | Error | Uint8Array): ChaincodeResponse {
  const text =
    message instanceof Error ? message.message
    : message instanceof Uint8Array ? Buffer.from(message).toString('utf8')
    : String(message);
  return { status: RESPONSE_CODE.ERROR, message: text, payload: new Uint8Array(0) };
}
