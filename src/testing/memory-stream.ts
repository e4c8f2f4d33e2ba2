/**
 * An in-memory {@link PeerStream}: the real `ChaincodeHandler` (exported by `fabric-shim-ts`) runs over it with no
 * socket, and the test plays the peer message by message (connect-es' in-memory transport idea:
 * tests fast *and* real, since the handler code is the one that runs against a peer).
 */
import { create } from '@bufbuild/protobuf';
import { ChaincodeMessageSchema, type ChaincodeMessage, type ChaincodeMessage_Type } from '../gen/peer/chaincode_shim_pb';
import { ShimError } from '../errors';
import type { PeerStream, StreamListener } from '../stream';

/** What {@link MemoryStream.deliver} builds a ChaincodeMessage from; `type` may be any number (unknown types too). */
export interface DeliveredMessage {
  type: number;
  txid?: string;
  channelId?: string;
  payload?: Uint8Array;
}

interface SentWaiter {
  readonly match: (msg: ChaincodeMessage) => boolean;
  readonly resolve: (msg: ChaincodeMessage) => void;
}

/**
 * The peer's end of a chaincode stream, in memory. Hand it to the handler as its stream, then
 * {@link deliver} what the peer says and read what the chaincode said in {@link sent} (or wait
 * for it with {@link nextSent}). Delivery is synchronous: `deliver` returns once the handler has
 * taken the message.
 *
 * @example
 * ```ts
 * const stream = new MemoryStream();
 * const handler = new ChaincodeHandler(chaincode, stream, { chaincodeId: 'cc:1' });
 * const run = handler.run();                        // sends REGISTER
 * stream.deliver({ type: ChaincodeMessage_Type.REGISTERED });
 * stream.deliver({ type: ChaincodeMessage_Type.READY });
 * stream.deliver({ type: ChaincodeMessage_Type.TRANSACTION, txid: 't1', channelId: 'ch', payload });
 * const done = await stream.nextSent((m) => m.txid === 't1');
 * ```
 */
export class MemoryStream implements PeerStream {
  readonly remote: string;
  /** Every message the chaincode side sent, in order. */
  readonly sent: ChaincodeMessage[] = [];
  private listener: StreamListener | undefined;
  private closedBy: 'end' | 'destroy' | 'peer' | undefined;
  private waiters: SentWaiter[] = [];

  /** `remote` is the peer's address as logs show it. */
  constructor(remote = 'memory') {
    this.remote = remote;
  }

  /** `'end'` or `'destroy'` once the chaincode side closed the stream, `'peer'` once the peer ended it; undefined while open. */
  get closed(): 'end' | 'destroy' | 'peer' | undefined {
    return this.closedBy;
  }

  send(msg: ChaincodeMessage): void {
    // As the gRPC stream does: nothing goes out once either side has closed.
    if (this.closedBy !== undefined) throw new ShimError('STREAM_CLOSED', `stream with ${this.remote} is closed`);
    this.sent.push(msg);
    const waiter = this.waiters.find((w) => w.match(msg));
    if (waiter !== undefined) {
      this.waiters = this.waiters.filter((w) => w !== waiter);
      waiter.resolve(msg);
    }
  }

  listen(listener: StreamListener): void {
    if (this.listener !== undefined) throw new Error('PeerStream.listen called twice');
    this.listener = listener;
  }

  end(): void {
    this.closedBy ??= 'end';
  }

  destroy(): void {
    this.closedBy ??= 'destroy';
  }

  /** The peer sends one message; throws if nobody listens yet (the handler's run() not called). */
  deliver(fields: DeliveredMessage): void {
    if (this.listener === undefined) throw new Error('MemoryStream.deliver: nobody listens yet (call handler.run() first)');
    this.listener.onMessage(create(ChaincodeMessageSchema, { ...fields, type: fields.type as ChaincodeMessage_Type }));
  }

  /** The peer ends the stream: cleanly without `error`, else failed with it (as a dropped connection). */
  endFromPeer(error?: ShimError): void {
    if (this.listener === undefined) throw new Error('MemoryStream.endFromPeer: nobody listens yet (call handler.run() first)');
    this.closedBy ??= 'peer';
    this.listener.onEnd(error);
  }

  /**
   * The first message sent from now on that `match` accepts (any message if omitted); messages
   * already in {@link sent} do not count.
   */
  nextSent(match: (msg: ChaincodeMessage) => boolean = () => true): Promise<ChaincodeMessage> {
    return new Promise((resolve) => this.waiters.push({ match, resolve }));
  }
}
