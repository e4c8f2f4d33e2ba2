/**
 * One INIT/TRANSACTION, from the message that starts it to COMPLETED/ERROR: its ids, the queue of
 * its talk-backs, the one `closed` flag, the chaincode event, the iterators left open, the write
 * batch and its flush, and the rule for calls still in flight when Init/Invoke returns
 * ({@link Transaction.complete}). The handler creates it with a `send` function, routes the
 * peer's RESPONSE/ERROR for it to {@link Transaction.settle} and retires it; the stub (the public
 * facade) checks arguments and delegates here and to requests.ts.
 *
 * Talk-backs are sent one at a time, as fabric-shim does: the peer handles one request per
 * transaction at a time, and answers carry no request id, only channel + txid.
 */
import type { ChaincodeEvent } from './gen/peer/chaincode_event_pb';
import type { ChaincodeMessage, ChaincodeMessage_Type } from './gen/peer/chaincode_shim_pb';
import { MessageType as Type } from './codec/message-type';
import type { PeerCapabilities } from './connection-options';
import { ShimError } from './errors';
import { HistoryQueryIterator, StateQueryIterator, type Closeable, type StateQueryResponse } from './iterators';
import type { Logger } from './logger';
import * as rq from './requests';
import { NO_TELEMETRY, type TransactionTelemetry } from './transaction-telemetry';

/** Puts one message on the stream; throws (a ShimError('STREAM_CLOSED') when the stream is gone) when it cannot. */
export type Send = (msg: ChaincodeMessage) => void;

/** A plain message literal: cheaper than `create()` on the hot path, and what toBinary accepts. */
export function message(
  type: ChaincodeMessage_Type,
  channelId: string,
  txid: string,
  payload: Uint8Array,
  chaincodeEvent?: ChaincodeEvent,
): ChaincodeMessage {
  const msg: ChaincodeMessage = { $typeName: 'protos.ChaincodeMessage', type, payload, txid, channelId };
  if (chaincodeEvent !== undefined) msg.chaincodeEvent = chaincodeEvent;
  return msg;
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Lets the continuations of calls just answered run (they may issue more calls): every microtask runs before it. */
const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * What a write recorded in a batch resolves with: the empty Buffer the peer's RESPONSE to a
 * single write would carry (fabric-shim resolves writes with it). A new one per write, as there.
 */
function recorded(): Promise<Buffer> {
  return Promise.resolve(Buffer.alloc(0));
}

/** One talk-back waiting to be sent or answered. */
interface PendingCall {
  readonly type: ChaincodeMessage_Type;
  readonly payload: Uint8Array;
  readonly resolve: (payload: Uint8Array) => void;
  readonly reject: (error: ShimError) => void;
}

/** One INIT/TRANSACTION in flight. */
export class Transaction implements rq.Exchange {
  /** Set once the transaction has ended (COMPLETED or ERROR decided): the stub then refuses every call. */
  closed = false;
  /** The event set with setEvent, sent with COMPLETED. */
  event: ChaincodeEvent | undefined;
  /** Iterators the chaincode has not closed: {@link finish} closes them before COMPLETED. */
  readonly openIterators = new Set<Closeable>();
  /** Spans and metrics of this transaction; the shared no-op when nothing records. */
  obs: TransactionTelemetry = NO_TELEMETRY;
  /** Head = the call on the wire; the rest wait their turn. */
  private readonly queue: PendingCall[] = [];
  private batch: rq.WriteBatch | undefined;
  /**
   * Set once Init/Invoke returned a response: from then on the calls it left behind are sent and
   * answered before COMPLETED, and the first of them to fail is kept in `failure`.
   */
  private draining = false;
  private failure: ShimError | undefined;
  /** While draining: called when the queue empties or a call fails. */
  private wake: (() => void) | undefined;
  /** Set when the stream is gone: later calls reject STREAM_CLOSED. */
  private streamError: ShimError | undefined;

  /**
   * @param send puts a message on the stream (the handler's)
   * @param capabilities what the peer announced at READY; fixed for the transaction's life
   * @param log debug log of writes (keys and sizes, never values)
   */
  constructor(
    private readonly send: Send,
    readonly channelId: string,
    readonly txId: string,
    readonly capabilities: PeerCapabilities,
    private readonly log?: Logger,
  ) {}

  /** Talk-backs waiting to be sent or answered. */
  get queued(): number {
    return this.queue.length;
  }

  /**
   * Sends one message of `type` for this transaction and resolves with the payload of the
   * peer's RESPONSE. Rejects with ShimError('PEER_ERROR') when the peer answers ERROR (message
   * = the peer's text), ShimError('STREAM_CLOSED') when the stream is gone,
   * ShimError('TRANSACTION_CLOSED') after the transaction ended (or once a call left behind by
   * Init/Invoke failed, which fails the transaction). Concurrent calls wait their turn.
   */
  call(type: ChaincodeMessage_Type, payload: Uint8Array): Promise<Uint8Array> {
    return this.obs.talkBack(
      type,
      new Promise<Uint8Array>((resolve, reject) => {
        // The type's name is only needed for an error: looked up there, not on every call.
        if (this.closed || this.failure !== undefined) {
          const why = this.failure === undefined ? 'has completed' : `has failed (${this.failure.message})`;
          reject(
            new ShimError('TRANSACTION_CLOSED', `transaction ${this.txId} ${why}; ${Type[type]} not sent`, {
              txId: this.txId,
              channelId: this.channelId,
              requestType: Type[type],
            }),
          );
        } else if (this.streamError !== undefined) {
          reject(
            new ShimError('STREAM_CLOSED', this.streamError.message, {
              txId: this.txId,
              channelId: this.channelId,
              requestType: Type[type],
              cause: this.streamError,
            }),
          );
        } else if (this.queue.push({ type, payload, resolve, reject }) === 1) {
          this.pump();
        }
      }),
    );
  }

  /** The peer's RESPONSE (`ok`) or ERROR for this transaction: settles the call on the wire. False when none waits. */
  settle(payload: Uint8Array, ok: boolean): boolean {
    const head = this.queue.shift();
    if (head === undefined) return false;
    if (ok) {
      head.resolve(payload);
    } else {
      const error = new ShimError('PEER_ERROR', Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength).toString('utf8'), {
        txId: this.txId,
        channelId: this.channelId,
        requestType: Type[head.type],
      });
      head.reject(error);
      // Nothing more is sent for a transaction that is going to fail: retire() rejects the rest.
      if (this.draining) {
        this.drainFailed(error);
        return true;
      }
    }
    if (this.queue.length > 0) this.pump();
    else if (this.draining) this.wakeDrain();
    return true;
  }

  /** The stream is gone: every waiting call rejects STREAM_CLOSED, and so does every later one. */
  abort(reason: ShimError): void {
    this.streamError = reason;
    for (const call of this.queue.splice(0)) {
      call.reject(
        new ShimError('STREAM_CLOSED', reason.message, {
          txId: this.txId,
          channelId: this.channelId,
          requestType: Type[call.type],
          cause: reason,
        }),
      );
    }
    if (this.draining) this.drainFailed(reason);
  }

  /**
   * After Init/Invoke returned a response, before COMPLETED (issue 12: a missing `await`).
   * Calls the chaincode started and did not await are sent and answered, in issue order, and
   * so are calls their continuations start meanwhile; then {@link finish} flushes the write batch
   * and closes open iterators. The transaction ends when, after a turn of the event loop (every
   * promise continuation has run), nothing is queued. The chaincode's response cannot depend on
   * calls it did not wait for, so the first of them to fail fails the transaction (ERROR, nothing
   * committed) rather than commit part of its writes; calls that failed while Init/Invoke ran were
   * the chaincode's to handle. When nothing is left behind this costs nothing: no turn is taken.
   */
  async complete(): Promise<void> {
    this.draining = true;
    for (;;) {
      while (this.queue.length > 0 && this.failure === undefined) {
        await new Promise<void>((resolve) => {
          this.wake = resolve;
        });
        await nextTurn();
      }
      if (this.failure !== undefined) throw this.failure;
      await this.finish();
      if (this.failure !== undefined) throw this.failure;
      // Calls started during finish() (from a timer or I/O callback of the chaincode) go round again.
      if (this.queue.length === 0) return;
    }
  }

  /**
   * Flushes a pending write batch (as the Go shim, before COMPLETED) and closes the iterators
   * the chaincode left open. Both always run; the first failure is reported.
   */
  async finish(): Promise<void> {
    const results = await Promise.allSettled([this.flush(), ...[...this.openIterators].map((it) => it.close())]);
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
  }

  /** Ends the transaction: the stub refuses further calls; calls left behind (Init/Invoke threw) reject TRANSACTION_CLOSED. */
  retire(): void {
    this.closed = true;
    this.wake = undefined;
    this.rejectQueued('ended');
  }

  // ------------------------------------------------------------ the queue

  /** Sends the head of the queue; a call that cannot be sent rejects and the next one goes. */
  private pump(): void {
    while (this.queue.length > 0) {
      const head = this.queue[0] as PendingCall;
      try {
        this.send(message(head.type, this.channelId, this.txId, head.payload));
        return;
      } catch (err) {
        this.queue.shift();
        const requestType = Type[head.type];
        const code = err instanceof ShimError ? err.code : 'PROTOCOL';
        const error = new ShimError(code, `cannot send ${requestType}: ${errorText(err)}`, {
          txId: this.txId,
          channelId: this.channelId,
          requestType,
          cause: err,
        });
        head.reject(error);
        if (this.draining) return this.drainFailed(error);
      }
    }
    if (this.draining) this.wakeDrain();
  }

  /**
   * A call left behind when Init/Invoke returned failed: the transaction will end in ERROR with
   * its error, so the calls still queued are not sent (they reject now, which also lets
   * finish() settle) and call() refuses new ones.
   */
  private drainFailed(error: ShimError): void {
    this.failure ??= error;
    this.rejectQueued(`failed (${this.failure.message})`);
    this.wakeDrain();
  }

  /** Rejects every call still queued (none of them is on the wire) with TRANSACTION_CLOSED. */
  private rejectQueued(why: string): void {
    for (const call of this.queue.splice(0)) {
      const requestType = Type[call.type];
      call.reject(
        new ShimError('TRANSACTION_CLOSED', `transaction ${this.txId} ${why} before ${requestType} was answered`, {
          txId: this.txId,
          channelId: this.channelId,
          requestType,
        }),
      );
    }
  }

  private wakeDrain(): void {
    const wake = this.wake;
    if (wake !== undefined) {
      this.wake = undefined;
      wake();
    }
  }

  // ------------------------------------------------------------ writes: straight to the peer, or into the open batch

  /**
   * Opens a write batch (Fabric 3.1+): writes are collected and sent as WRITE_BATCH_STATE at
   * {@link flush}, as the Go shim does (shim/batch.go). Does nothing when the peer does not
   * support batching: writes then go out one by one.
   */
  startBatch(): void {
    if (this.capabilities.useWriteBatch) this.batch ??= new rq.WriteBatch();
  }

  /** Sends the open batch in chunks of the peer's maximum; a no-op without one. */
  async flush(): Promise<void> {
    const batch = this.batch;
    if (!batch) return;
    // Cleared first: a failed flush must not be sent again by finish().
    this.batch = undefined;
    await rq.writeBatchState(this, batch.records(), this.capabilities.maxSizeWriteBatch);
  }

  /** PUT_STATE (public when `collection` is ''); resolves with the peer's RESPONSE payload. */
  put(collection: string, key: string, value: Uint8Array): Promise<Buffer> {
    // No `?.` on this per-write path: tsup's CommonJS output makes it a helper call with closures.
    if (this.log !== undefined && this.log.enabled('debug'))
      this.log.debug('put', { txId: this.txId, key, collection, size: value.length });
    if (this.batch) {
      this.batch.putState(collection, key, value);
      return recorded();
    }
    return rq.putState(this, collection, key, value);
  }

  /** DEL_STATE. */
  del(collection: string, key: string): Promise<Buffer> {
    if (!this.batch) return rq.delState(this, collection, key);
    this.batch.delState(collection, key);
    return recorded();
  }

  /** PURGE_PRIVATE_DATA. */
  purge(collection: string, key: string): Promise<Buffer> {
    if (!this.batch) return rq.purgePrivateData(this, collection, key);
    this.batch.purgeState(collection, key);
    return recorded();
  }

  /** PUT_STATE_METADATA of the key-level endorsement policy. */
  putPolicy(collection: string, key: string, ep: Uint8Array): Promise<Buffer> {
    if (!this.batch) return rq.putStateMetadata(this, collection, key, ep);
    this.batch.putMetadata(collection, key, rq.VALIDATION_PARAMETER, ep);
    return recorded();
  }

  // ------------------------------------------------------------ reads that depend on the peer or open an iterator

  /**
   * Several keys: one GET_STATE_MULTIPLE per chunk of the peer's maximum when the peer supports
   * it (Fabric 3.1+), else one GET_STATE per key, as the Go shim falls back. Values in key order.
   */
  async getMultiple(collection: string, keys: readonly string[]): Promise<Buffer[]> {
    const out: Buffer[] = [];
    if (!this.capabilities.useGetMultipleKeys) {
      for (const key of keys) out.push(await rq.getState(this, collection, key));
      return out;
    }
    const size = Math.max(1, Math.floor(this.capabilities.maxSizeGetMultipleKeys));
    for (let i = 0; i < keys.length; i += size) out.push(...(await rq.getStateMultiple(this, collection, keys.slice(i, i + size))));
    return out;
  }

  /** GET_STATE_BY_RANGE over [start, end); `metadata` from encodeQueryMetadata when paginated. */
  async range(collection: string, start: string, end: string, metadata?: Uint8Array): Promise<StateQueryResponse<StateQueryIterator>> {
    return this.openQuery(await rq.getStateByRange(this, collection, start, end, metadata));
  }

  /** GET_QUERY_RESULT (rich query). */
  async query(collection: string, query: string, metadata?: Uint8Array): Promise<StateQueryResponse<StateQueryIterator>> {
    return this.openQuery(await rq.getQueryResult(this, collection, query, metadata));
  }

  /** GET_HISTORY_FOR_KEY. */
  async history(key: string): Promise<HistoryQueryIterator> {
    return new HistoryQueryIterator(this, await rq.getHistoryForKey(this, key), this.openIterators);
  }

  private openQuery(page: rq.QueryPage): StateQueryResponse<StateQueryIterator> {
    const iterator = new StateQueryIterator(this, page.response, this.openIterators);
    // As fabric-shim: no `metadata` key when the peer sent none.
    return (page.metadata === undefined ? { iterator } : { iterator, metadata: page.metadata }) as StateQueryResponse<StateQueryIterator>;
  }
}
