/**
 * The one error class of the shim. It carries what a caller needs to act on a failure
 * (a code, and where known the transaction, channel and message type) plus the cause.
 */

/** Why an operation failed. */
export type ShimErrorCode =
  /** A stub argument failed validation; nothing was sent to the peer. */
  | 'INVALID_ARGUMENT'
  /** The peer answered a talk-back with ERROR; the message is the peer's. */
  | 'PEER_ERROR'
  /** The peer answered with something that breaks the protocol (wrong type, undecodable payload). */
  | 'PROTOCOL'
  /** The stream to the peer is gone; every pending call fails with this. */
  | 'STREAM_CLOSED'
  /** A stub was used after its transaction completed. */
  | 'TRANSACTION_CLOSED'
  /** Bad configuration: env vars, flags, TLS files. */
  | 'CONFIG'
  /** A chaincode-level failure (thrown, bad return value). */
  | 'CHAINCODE'
  /** Waited too long. */
  | 'TIMEOUT';

/** Context attached to a {@link ShimError}. */
export interface ShimErrorDetails {
  txId?: string;
  channelId?: string;
  /** The ChaincodeMessage type name involved, e.g. `GET_STATE`. */
  requestType?: string;
  /** The gRPC status code, when the failure came from the transport. */
  grpcCode?: number;
  cause?: unknown;
}

/**
 * An error raised by fabric-shim-ts. `code` says why; details say where. Test with
 * `instanceof ShimError`.
 *
 * To chaincode it looks like the plain `Error` fabric-shim rejects with (issue 12: chaincode
 * writes `${err}` into messages and serialises errors): `name` is 'Error', so `String(err)` is
 * `Error: <message>`, and the details are non-enumerable, so `JSON.stringify(err)` is `{}`.
 */
export class ShimError extends Error {
  declare readonly code: ShimErrorCode;
  declare readonly txId: string | undefined;
  declare readonly channelId: string | undefined;
  declare readonly requestType: string | undefined;
  declare readonly grpcCode: number | undefined;

  constructor(code: ShimErrorCode, message: string, details: ShimErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    Object.defineProperties(this, {
      code: { value: code },
      txId: { value: details.txId },
      channelId: { value: details.channelId },
      requestType: { value: details.requestType },
      grpcCode: { value: details.grpcCode },
    });
  }
}

/** Shorthand for the common case: an argument that fails validation before anything is sent. */
export function invalidArgument(message: string): ShimError {
  return new ShimError('INVALID_ARGUMENT', message);
}
