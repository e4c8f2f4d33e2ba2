/**
 * The chaincode side of the ChaincodeMessage protocol: created -> established -> ready, one
 * switch for every inbound message type, and routing by channel + txid. Each INIT/TRANSACTION
 * gets a {@link Transaction} (its talk-back queue, its end: transaction.ts) and a stub; the
 * peer's RESPONSE/ERROR go to the transaction they name. Transactions run concurrently.
 */
import type { ChaincodeMessage } from './gen/peer/chaincode_shim_pb';
import { MessageType as Type } from './codec/message-type';
import { decodeAdditionalParams, encodeChaincodeId } from './codec/register';
import { encodeChaincodeResult } from './response';
import { ShimError } from './errors';
import { shimLogger, transactionLogger, type Logger } from './logger';
import { createTelemetry, type Telemetry } from './telemetry';
import type { PeerCapabilities } from './connection-options';
import type { PeerStream } from './stream';
import type { ChaincodeInterface } from './chaincode';
import { createStub, type ChaincodeStub } from './stub';
import { message, Transaction, type Send } from './transaction';

/** Options of a {@link ChaincodeHandler}. */
export interface HandlerOptions {
  /** Sent in REGISTER: `name:version` in dev mode, the package id as a service. */
  chaincodeId: string;
  /** CORE_PEER_LOCALMSPID, returned by `stub.getMspID()`. */
  mspId?: string;
  logger?: Logger;
  /**
   * Set when whoever runs the handler reports its life itself (start(): one line when dialling,
   * one at READY with the capabilities, and a failed end as the process's last line): the
   * handler then logs registering, READY and a failed end at debug, so nothing is printed twice.
   */
  lifecycleReportedByCaller?: boolean;
}

/** What a 3.0 (or older) peer implies by sending no ChaincodeAdditionalParams: everything off. */
const NO_CAPABILITIES: PeerCapabilities = Object.freeze({
  useWriteBatch: false,
  maxSizeWriteBatch: 0,
  useGetMultipleKeys: false,
  maxSizeGetMultipleKeys: 0,
});

const utf8 = new TextEncoder();
const textOf = (bytes: Uint8Array): string => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');

/** The key of a transaction: channel and txid (a txid is only unique per channel). */
const txKey = (channelId: string, txId: string): string => channelId + '\u0000' + txId;

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** A message without a SignedProposal has an empty transient map, hence no trace headers. */
const NO_PROPOSAL = new Uint8Array(0);

type State = 'created' | 'established' | 'ready' | 'closed';

/** Runs one chaincode over one stream to a peer. */
export class ChaincodeHandler {
  /** Resolves at READY; rejects if the stream ends first. */
  readonly ready: Promise<void>;
  private state: State = 'created';
  private caps: PeerCapabilities = NO_CAPABILITIES;
  private readonly txs = new Map<string, Transaction>();
  private started = false;
  private readonly log: Logger;
  private readonly telemetry: Telemetry;
  /** How transactions put their talk-backs on the stream: the stream's own send, bound once for all of them. */
  private readonly send: Send;
  private settleReady!: (error?: ShimError) => void;
  private settleRun: ((error?: ShimError) => void) | undefined;

  /** @internal built by start/connect/server over a PeerStream. */
  constructor(
    private readonly chaincode: ChaincodeInterface,
    private readonly stream: PeerStream,
    private readonly options: HandlerOptions,
  ) {
    this.log = options.logger ?? shimLogger('handler');
    this.send = stream.send.bind(stream);
    this.telemetry = createTelemetry({ chaincodeId: options.chaincodeId });
    this.ready = new Promise<void>((resolve, reject) => {
      this.settleReady = (error) => (error === undefined ? resolve() : reject(error));
    });
    // run() reports the same failure; this keeps an unobserved `ready` from being unhandled.
    this.ready.catch(() => undefined);
  }

  /** What the peer announced in REGISTERED/READY; all off for a peer that sends none (Fabric 3.0). */
  get capabilities(): PeerCapabilities {
    return this.caps;
  }

  /** Transactions running plus talk-back calls waiting right now (0 when idle). */
  get inFlight(): number {
    let n = this.txs.size;
    for (const tx of this.txs.values()) n += tx.queued;
    return n;
  }

  /**
   * Sends REGISTER and serves the peer. Resolves when the peer ends the stream cleanly after
   * READY (or after {@link close}); rejects with ShimError('STREAM_CLOSED') when the stream
   * fails or ends before READY, ShimError('PEER_ERROR') when the peer refuses registration.
   */
  run(): Promise<void> {
    if (this.started) return Promise.reject(new Error('ChaincodeHandler.run() may only be called once'));
    this.started = true;
    const done = new Promise<void>((resolve, reject) => {
      this.settleRun = (error) => (error === undefined ? resolve() : reject(error));
    });
    this.stream.listen({ onMessage: (msg) => this.onMessage(msg), onEnd: (error) => this.onEnd(error) });
    const id = encodeChaincodeId(this.options.chaincodeId);
    this.log[this.lifecycleLevel('info')]('registering with peer', { peer: this.stream.remote, chaincode: this.options.chaincodeId });
    this.trySend(message(Type.REGISTER, '', '', id));
    return done;
  }

  /**
   * Ends the stream; waiting talk-back calls reject STREAM_CLOSED and run() resolves, or rejects
   * with `error` when one is given (a registration that timed out).
   */
  close(error?: ShimError): void {
    if (this.state === 'closed') return;
    this.shutDown(error ?? new ShimError('STREAM_CLOSED', `chaincode ${this.options.chaincodeId}: handler closed`), error);
    // A failure cancels the call: a half-close would leave grpc-js dialling a peer that never
    // answered, and the process alive.
    if (error === undefined) this.stream.end();
    else this.stream.destroy(error);
  }

  /** The level of a lifecycle line: `level`, or debug when the caller reports it. */
  private lifecycleLevel(level: 'info' | 'error'): 'info' | 'error' | 'debug' {
    return this.options.lifecycleReportedByCaller === true ? 'debug' : level;
  }

  /** Where the handler is: `created` (REGISTER sent), `established` (REGISTERED), `ready`, `closed`. */
  get phase(): 'created' | 'established' | 'ready' | 'closed' {
    return this.state;
  }

  /** Every inbound message type is handled here. */
  private onMessage(msg: ChaincodeMessage): void {
    if (this.log.enabled('debug'))
      this.log.debug('received', { type: Type[msg.type] ?? msg.type, channel: msg.channelId, txid: msg.txid, state: this.state });
    switch (msg.type) {
      case Type.KEEPALIVE:
        // Answered in every state, as the Go shim does: echo it back.
        this.trySend(msg);
        return;
      case Type.REGISTERED:
        if (this.state !== 'created') return this.refuse(msg);
        this.readCapabilities(msg.payload);
        this.state = 'established';
        return;
      case Type.READY:
        if (this.state !== 'established') return this.refuse(msg);
        this.readCapabilities(msg.payload);
        this.state = 'ready';
        this.log[this.lifecycleLevel('info')]('ready', { peer: this.stream.remote, chaincode: this.options.chaincodeId });
        this.settleReady();
        return;
      case Type.INIT:
      case Type.TRANSACTION:
        if (this.state !== 'ready') return this.refuse(msg);
        this.startTransaction(msg);
        return;
      case Type.RESPONSE:
        this.answer(msg, true);
        return;
      case Type.ERROR:
        if (this.state === 'created' || this.state === 'established') {
          // Before READY nothing of ours is waiting: this is the peer refusing the registration.
          const error = new ShimError(
            'PEER_ERROR',
            `peer ${this.stream.remote} refused chaincode ${this.options.chaincodeId}: ${textOf(msg.payload)}`,
          );
          this.shutDown(error, error);
          this.stream.end();
          return;
        }
        this.answer(msg, false);
        return;
      default:
        this.refuse(msg);
    }
  }

  /** A message this state cannot take: log it and, when it names a transaction, answer ERROR for it. */
  private refuse(msg: ChaincodeMessage): void {
    const type = Type[msg.type] ?? String(msg.type);
    this.log.warn('unexpected message from peer', { type, state: this.state, channel: msg.channelId, txid: msg.txid });
    if (msg.txid === '') return;
    const text = `[${msg.channelId}-${msg.txid}] chaincode handler cannot handle message (${type}) with payload size (${msg.payload.length}) while in state: ${this.state}`;
    this.trySend(message(Type.ERROR, msg.channelId, msg.txid, utf8.encode(text)));
  }

  private readCapabilities(payload: Uint8Array): void {
    // A 3.0 peer sends nothing: keep what we have (all off unless REGISTERED carried some).
    if (payload.length === 0) return;
    try {
      const p = decodeAdditionalParams(payload);
      this.caps = Object.freeze({
        useWriteBatch: p.useWriteBatch,
        maxSizeWriteBatch: p.maxSizeWriteBatch,
        useGetMultipleKeys: p.useGetMultipleKeys,
        maxSizeGetMultipleKeys: p.maxSizeGetMultipleKeys,
      });
      this.log.debug('peer capabilities', { ...this.caps });
    } catch (cause) {
      // Unknown extras must not stop the chaincode: the plain protocol works with every peer.
      this.log.warn('ignoring undecodable ChaincodeAdditionalParams; using the plain protocol', { error: errorText(cause) });
    }
  }

  private startTransaction(msg: ChaincodeMessage): void {
    const key = txKey(msg.channelId, msg.txid);
    if (this.txs.has(key)) {
      this.log.warn('refusing a second message for a transaction in flight', { channel: msg.channelId, txid: msg.txid });
      this.sendError(msg.channelId, msg.txid, `transaction ${msg.txid} on channel ${msg.channelId} is already being executed`);
      return;
    }
    let stub: ChaincodeStub | undefined;
    // Lines about this transaction carry channel, short txid and function (decoded only if a line is written).
    const log = transactionLogger(this.log, msg.channelId, msg.txid, () => (stub as ChaincodeStub).getFunctionAndParameters().fcn);
    const tx = new Transaction(this.send, msg.channelId, msg.txid, this.caps, log);
    try {
      stub = createStub(tx, msg, { mspId: this.options.mspId ?? '' });
    } catch (err) {
      this.log.error('cannot build a stub for the transaction', { channel: msg.channelId, txid: msg.txid, error: errorText(err) });
      this.sendError(msg.channelId, msg.txid, errorText(err));
      return;
    }
    this.txs.set(key, tx);
    // The proposal's raw bytes let telemetry read the trace headers without decoding the whole proposal.
    tx.obs = this.telemetry.startTransaction(
      msg.channelId,
      msg.txid,
      msg.type === Type.INIT,
      stub,
      msg.proposal === undefined ? NO_PROPOSAL : msg.proposal.proposalBytes,
    );
    void this.execute(tx, key, stub, msg.type === Type.INIT, log);
  }

  /** Runs Init/Invoke and answers COMPLETED, or ERROR at once when it throws (the peer would otherwise wait out its 30 s timeout). */
  private async execute(tx: Transaction, key: string, stub: ChaincodeStub, init: boolean, log: Logger): Promise<void> {
    const method = init ? 'Init' : 'Invoke';
    let reply: ChaincodeMessage;
    try {
      // Run with the transaction span active, so spans the chaincode makes nest under it.
      const result: unknown = await tx.obs.run(init ? this.chaincode.Init : this.chaincode.Invoke, this.chaincode, stub);
      const response = encodeChaincodeResult(result, method, tx.channelId, tx.txId);
      // Calls the chaincode left behind are answered (or fail the transaction) first.
      await tx.complete();
      // Status >= 400 is still COMPLETED: the peer decides what an error response means.
      reply = message(Type.COMPLETED, tx.channelId, tx.txId, response, tx.event);
      tx.obs.succeeded(result);
    } catch (err) {
      log.error(`${method}() failed`, { error: errorText(err) });
      tx.obs.failed(err);
      reply = message(Type.ERROR, tx.channelId, tx.txId, utf8.encode(errorText(err)));
    }
    tx.retire();
    this.txs.delete(key);
    try {
      this.stream.send(reply);
    } catch (err) {
      this.log.error(`cannot send ${Type[reply.type]} to the peer`, { channel: tx.channelId, txid: tx.txId, error: errorText(err) });
      // E.g. a response above the send limit: the stream is fine, so answer ERROR now rather
      // than leave the peer waiting out its execute timeout.
      const streamGone = err instanceof ShimError && err.code === 'STREAM_CLOSED';
      if (reply.type === Type.COMPLETED && !streamGone)
        this.sendError(tx.channelId, tx.txId, `${method}() response not sent: ${errorText(err)}`);
    }
  }

  /** RESPONSE/ERROR: settles the call at the head of that transaction's queue. */
  private answer(msg: ChaincodeMessage, ok: boolean): void {
    const tx = this.txs.get(txKey(msg.channelId, msg.txid));
    if (tx === undefined || !tx.settle(msg.payload, ok)) {
      this.log.warn(`dropping ${ok ? 'RESPONSE' : 'ERROR'} for nothing waiting`, { channel: msg.channelId, txid: msg.txid });
    }
  }

  private sendError(channelId: string, txId: string, text: string): void {
    this.trySend(message(Type.ERROR, channelId, txId, utf8.encode(text)));
  }

  /** Sends a message that answers the peer; when the stream is gone there is nobody to tell but the log. */
  private trySend(msg: ChaincodeMessage): void {
    try {
      this.stream.send(msg);
    } catch (err) {
      this.log.error(`cannot send ${Type[msg.type]} to the peer`, { channel: msg.channelId, txid: msg.txid, error: errorText(err) });
    }
  }

  private onEnd(error?: ShimError): void {
    if (this.state === 'closed') return;
    let result: ShimError | undefined;
    if (error !== undefined) {
      result = new ShimError(
        'STREAM_CLOSED',
        `chaincode ${this.options.chaincodeId}: ${error.message}`,
        error.grpcCode === undefined ? { cause: error } : { cause: error, grpcCode: error.grpcCode },
      );
    } else if (this.state !== 'ready') {
      result = new ShimError(
        'STREAM_CLOSED',
        `chaincode ${this.options.chaincodeId}: peer ${this.stream.remote} ended the stream before READY (state ${this.state})`,
      );
    }
    const reason =
      result ?? new ShimError('STREAM_CLOSED', `chaincode ${this.options.chaincodeId}: peer ${this.stream.remote} ended the stream`);
    if (result !== undefined) this.log[this.lifecycleLevel('error')]('stream to peer ended', { error: result.message });
    else this.log[this.lifecycleLevel('info')]('peer ended the stream', { peer: this.stream.remote });
    this.shutDown(reason, result);
  }

  /** Moves to closed: every waiting call rejects with `reason`; run() settles with `runError`. */
  private shutDown(reason: ShimError, runError: ShimError | undefined): void {
    this.state = 'closed';
    for (const tx of this.txs.values()) tx.abort(reason);
    this.settleReady(reason);
    this.settleRun?.(runError);
    this.settleRun = undefined;
  }
}
