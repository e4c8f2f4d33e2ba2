/**
 * The seam between the handler (which owns the stream and routes messages) and the
 * stub (which owns the API a chaincode calls). The stub never sees the stream: it asks
 * its TalkBack to perform one request/response exchange with the peer.
 */
import type { ChaincodeMessage_Type } from './gen/peer/chaincode_shim_pb';
import type { ChaincodeEvent } from './gen/peer/chaincode_event_pb';
import type { PeerCapabilities } from './connection-options';

export type { PeerCapabilities } from './connection-options';

/** One transaction's channel to the peer. */
export interface TalkBack {
  readonly channelId: string;
  readonly txId: string;
  readonly capabilities: PeerCapabilities;
  /**
   * Sends one message of `type` for this transaction and resolves with the payload of
   * the peer's RESPONSE. Rejects with ShimError('PEER_ERROR') when the peer answers
   * ERROR (message = the peer's text), ShimError('STREAM_CLOSED') when the stream is
   * gone, ShimError('TRANSACTION_CLOSED') after the transaction ended (or once a call
   * left behind by Init/Invoke failed, which fails the transaction).
   * Calls made concurrently are queued and sent one at a time, as fabric-shim does.
   */
  call(type: ChaincodeMessage_Type, payload: Uint8Array): Promise<Uint8Array>;
}

/**
 * What the handler needs back from a stub when the chaincode returns: the stub is
 * created per transaction by `createTransaction` (stub.ts) and finished by the handler.
 */
export interface TransactionScope<Stub> {
  readonly stub: Stub;
  /**
   * Runs before COMPLETED is sent, once the calls the chaincode left behind are answered:
   * flushes a pending write batch and closes iterators the chaincode left open. Runs again
   * when the chaincode started more calls meanwhile. Rejects if a flush fails (the
   * transaction then ends in ERROR).
   */
  finish(): Promise<void>;
  /** The event set with setEvent, if any, to attach to COMPLETED. */
  event(): ChaincodeEvent | undefined;
  /** Marks the stub closed: later calls reject with TRANSACTION_CLOSED. */
  close(): void;
}
