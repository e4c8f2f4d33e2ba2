/**
 * The peer's side of one chaincode stream: the handshake (REGISTER -> REGISTERED -> READY),
 * sending INIT/TRANSACTION, and the one switch over what the chaincode sends back, with
 * transactions in flight keyed by channel + txid as Fabric's handler keys them.
 */
import { create, fromBinary, toBinary } from '@bufbuild/protobuf';
import { ShimError } from '../errors';
import type { Logger } from '../logger';
import {
  ChaincodeAdditionalParamsSchema,
  ChaincodeIDSchema,
  ChaincodeInputSchema,
  ChaincodeSpecSchema,
  type ChaincodeInput,
} from '../gen/peer/chaincode_pb';
import type { ChaincodeEvent } from '../gen/peer/chaincode_event_pb';
import { ChaincodeMessageSchema, ChaincodeMessage_Type as T, type ChaincodeMessage } from '../gen/peer/chaincode_shim_pb';
import type { SignedProposal } from '../gen/peer/proposal_pb';
import { ResponseSchema } from '../gen/peer/proposal_response_pb';
import type { PeerStream } from '../stream';
import type { PeerCapabilities } from '../connection-options';
import { Faults, MALFORMED_PAYLOAD, type FaultAction } from './faults';
import { handleLedgerRequest, isLedgerRequest, type LedgerTxContext } from './ledger-requests';
import type { QueryCursor } from './queries';
import { TxSimulation } from './simulation';
import type { WorldState } from './world-state';

/** What a session needs from its {@link MockPeer}. */
export interface SessionHost {
  readonly ledger: WorldState;
  /** Advertised in READY; undefined = behave as a Fabric 3.0 peer (empty READY). */
  readonly capabilities: PeerCapabilities | undefined;
  readonly logger: Logger;
  /** Whether sessions keep the {@link ChaincodeSession.wire} log (off for long runs such as benchmarks). */
  readonly recordWire: boolean;
  /** Collections defined for a chaincode; undefined = any name accepted. */
  collectionsOf(chaincodeName: string): readonly string[] | undefined;
  /** A registered chaincode by name, for INVOKE_CHAINCODE. */
  findChaincode(chaincodeName: string): ChaincodeSession | undefined;
  /** Called once the chaincode has registered (its name is known). */
  registered(session: ChaincodeSession): void;
  /** Called once the stream has ended. */
  ended(session: ChaincodeSession): void;
}

/** One INIT/TRANSACTION to run on a chaincode. */
export interface Execution {
  readonly type: 'INIT' | 'TRANSACTION';
  readonly channelId: string;
  readonly txId: string;
  readonly signedProposal: SignedProposal;
  readonly input: ChaincodeInput;
  /** Shared with a caller on the same channel (cc2cc). */
  readonly simulation: TxSimulation;
  readonly timeoutMs: number;
  /** Fault injection: send the INIT/TRANSACTION message twice. */
  readonly duplicate?: boolean;
}

/** How a chaincode finished one execution. */
export type ExecutionResult =
  | {
      readonly outcome: 'COMPLETED';
      readonly status: number;
      readonly message: string;
      readonly payload: Uint8Array;
      readonly event: ChaincodeEvent | undefined;
    }
  | { readonly outcome: 'ERROR'; readonly message: string };

/** One message that crossed the stream, for tests that assert on the wire. */
export interface WireRecord {
  readonly direction: 'received' | 'sent';
  readonly type: string;
  readonly txId: string;
  readonly channelId: string;
}

interface InFlight extends LedgerTxContext {
  readonly channelId: string;
  readonly txId: string;
  readonly signedProposal: SignedProposal;
  readonly timeoutMs: number;
  settle(result: ExecutionResult): void;
  abort(error: ShimError): void;
}

type State = 'created' | 'ready' | 'ended';

const EMPTY = new Uint8Array(0);
const txKey = (channelId: string, txId: string) => `${channelId}\u0000${txId}`;
const typeName = (type: T) => T[type] ?? `UNKNOWN(${type})`;

/**
 * One connected chaincode seen from the peer. Created for each stream (dialled in, or opened to
 * a chaincode server); {@link ChaincodeSession.registeredAs} resolves after REGISTER.
 */
export class ChaincodeSession {
  /** Fault injection plan for this connection. */
  readonly faults = new Faults();
  /** Every message that crossed this stream, in order (empty when the peer's `recordWire` is off). */
  readonly wire: WireRecord[] = [];
  /** The ChaincodeID.name sent in REGISTER (e.g. `assets:1.0` or a package id); '' before. */
  chaincodeId = '';
  /** The chaincode name transactions are addressed to (namespace of its state). */
  name = '';
  /** Resolves with the chaincode id once registered; rejects if the stream ends first. */
  readonly registeredAs: Promise<string>;
  /** Resolves when the stream has ended (with the error, if any, that ended it). */
  readonly closed: Promise<ShimError | undefined>;

  private state: State = 'created';
  private readonly inFlight = new Map<string, InFlight>();
  private readonly held: ChaincodeMessage[] = [];
  private readonly stream: PeerStream;
  private readonly host: SessionHost;
  private readonly fixedName: string | undefined;
  private onRegistered!: { resolve(id: string): void; reject(e: Error): void };
  private onClosed!: (e: ShimError | undefined) => void;

  /** @param fixedName the chaincode name to use instead of the one derived from REGISTER (ccaas). */
  constructor(stream: PeerStream, host: SessionHost, fixedName?: string) {
    this.stream = stream;
    this.host = host;
    this.fixedName = fixedName;
    this.registeredAs = new Promise((resolve, reject) => (this.onRegistered = { resolve, reject }));
    this.registeredAs.catch(() => undefined); // observed by whoever awaits it; never unhandled
    this.closed = new Promise((resolve) => (this.onClosed = resolve));
    stream.listen({ onMessage: (msg) => this.receive(msg), onEnd: (error) => this.end(error) });
  }

  /** True while the chaincode is registered and the stream is open. */
  get isReady(): boolean {
    return this.state === 'ready';
  }

  /** Transactions waiting for COMPLETED/ERROR right now. */
  get inFlightCount(): number {
    return this.inFlight.size;
  }

  /** Sends any message as is (fault injection: unknown types, malformed payloads). */
  sendRaw(msg: Partial<Omit<ChaincodeMessage, '$typeName'>>): void {
    this.send(create(ChaincodeMessageSchema, msg));
  }

  /** Sends KEEPALIVE, as the peer does on its keepalive timer. */
  sendKeepalive(): void {
    this.sendRaw({ type: T.KEEPALIVE });
  }

  /** Ends the stream from the peer's side; transactions in flight fail with STREAM_CLOSED. */
  close(): void {
    if (this.state === 'ended') return;
    this.stream.end();
    this.end(new ShimError('STREAM_CLOSED', `peer closed the stream to ${this.chaincodeId || this.stream.remote}`));
  }

  /**
   * Runs one INIT/TRANSACTION and resolves when the chaincode sends COMPLETED or ERROR. Rejects
   * with ShimError TIMEOUT after `timeoutMs` (the peer's execute timeout) or STREAM_CLOSED.
   * Does not commit: the caller decides from the result.
   */
  execute(exec: Execution): Promise<ExecutionResult> {
    if (this.state !== 'ready') {
      return Promise.reject(
        new ShimError('STREAM_CLOSED', `chaincode ${this.name || this.stream.remote} is not connected`, {
          txId: exec.txId,
          channelId: exec.channelId,
        }),
      );
    }
    const key = txKey(exec.channelId, exec.txId);
    if (this.inFlight.has(key)) {
      // Fabric's handler refuses a second context for the same channel + txid.
      return Promise.reject(
        new ShimError('PEER_ERROR', `txid: ${exec.txId}(${exec.channelId}) exists`, { txId: exec.txId, channelId: exec.channelId }),
      );
    }
    return new Promise<ExecutionResult>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.inFlight.delete(key);
        reject(
          new ShimError('TIMEOUT', `timeout expired while executing transaction ${exec.txId} on ${this.name}`, {
            txId: exec.txId,
            channelId: exec.channelId,
          }),
        );
      }, exec.timeoutMs);
      this.inFlight.set(key, {
        channelId: exec.channelId,
        txId: exec.txId,
        signedProposal: exec.signedProposal,
        timeoutMs: exec.timeoutMs,
        namespace: this.name,
        simulation: exec.simulation,
        cursors: new Map<string, QueryCursor>(),
        collections: this.host.collectionsOf(this.name),
        capabilities: this.host.capabilities,
        settle: (result) => {
          clearTimeout(timer);
          this.inFlight.delete(key);
          resolve(result);
        },
        abort: (error) => {
          clearTimeout(timer);
          this.inFlight.delete(key);
          reject(error);
        },
      });
      const msg = create(ChaincodeMessageSchema, {
        type: exec.type === 'INIT' ? T.INIT : T.TRANSACTION,
        payload: toBinary(ChaincodeInputSchema, exec.input),
        txid: exec.txId,
        channelId: exec.channelId,
        proposal: exec.signedProposal,
      });
      this.send(msg);
      if (exec.duplicate) this.send(msg);
    });
  }

  private send(msg: ChaincodeMessage): void {
    if (this.state === 'ended') return;
    if (this.host.recordWire) this.wire.push({ direction: 'sent', type: typeName(msg.type), txId: msg.txid, channelId: msg.channelId });
    try {
      this.stream.send(msg);
    } catch (e) {
      this.end(e instanceof ShimError ? e : new ShimError('STREAM_CLOSED', String(e), { cause: e }));
    }
  }

  /** Answers a talk-back, through the reorder buffer when one is armed. */
  private answer(msg: ChaincodeMessage): void {
    if (this.faults.takeReorderSlot()) {
      this.held.push(msg);
      if (this.faults.reorderComplete) for (const m of this.held.splice(0).reverse()) this.send(m);
      return;
    }
    this.send(msg);
  }

  private fail(reason: string): void {
    this.host.logger.warn(`ending stream of ${this.chaincodeId || this.stream.remote}: ${reason}`);
    this.stream.destroy(new Error(reason));
    this.end(new ShimError('PROTOCOL', reason));
  }

  private end(error?: ShimError): void {
    if (this.state === 'ended') return;
    const wasRegistered = this.state === 'ready';
    this.state = 'ended';
    const cause = error ?? new ShimError('STREAM_CLOSED', `chaincode ${this.chaincodeId || this.stream.remote} ended the stream`);
    for (const tx of [...this.inFlight.values()]) {
      tx.abort(
        new ShimError('STREAM_CLOSED', `stream closed during transaction: ${cause.message}`, {
          cause,
          txId: tx.txId,
          channelId: tx.channelId,
        }),
      );
    }
    if (!wasRegistered) this.onRegistered.reject(cause);
    this.onClosed(error);
    this.host.ended(this);
  }

  private receive(msg: ChaincodeMessage): void {
    if (this.host.recordWire) this.wire.push({ direction: 'received', type: typeName(msg.type), txId: msg.txid, channelId: msg.channelId });
    if (this.state === 'created') {
      if (msg.type !== T.REGISTER)
        return this.fail(`[${msg.txid}] Fabric side handler cannot handle message (${typeName(msg.type)}) while in created state`);
      return this.register(msg);
    }
    if (this.state !== 'ready') return;
    switch (msg.type) {
      case T.KEEPALIVE:
        return; // the peer ignores KEEPALIVE answers
      case T.COMPLETED:
      case T.ERROR:
        return this.complete(msg);
      case T.INVOKE_CHAINCODE:
        void this.talkBack(msg, (tx) => this.invokeChaincode(tx, msg.payload));
        return;
      case T.GET_STATE_MULTIPLE:
      case T.WRITE_BATCH_STATE:
        // A peer that did not advertise these (Fabric 3.0) does not know the message types.
        if (!this.host.capabilities)
          return this.fail(`[${msg.txid}] Fabric side handler cannot handle message (${typeName(msg.type)}) while in ready state`);
        void this.talkBack(msg, async (tx) => handleLedgerRequest(tx, msg.type, msg.payload));
        return;
      default:
        if (isLedgerRequest(msg.type)) {
          void this.talkBack(msg, async (tx) => handleLedgerRequest(tx, msg.type, msg.payload));
          return;
        }
        return this.fail(`[${msg.txid}] Fabric side handler cannot handle message (${typeName(msg.type)}) while in ready state`);
    }
  }

  private register(msg: ChaincodeMessage): void {
    let id: string;
    try {
      id = fromBinary(ChaincodeIDSchema, msg.payload).name;
    } catch (e) {
      return this.fail(`error unmarshalling ChaincodeID in REGISTER: ${(e as Error).message}`);
    }
    if (id === '') return this.fail('REGISTER without a chaincode name');
    this.chaincodeId = id;
    // `name:version` (dev mode) or `label:hash` (package id): the name is the part before ':'.
    this.name = this.fixedName ?? beforeColon(id);
    this.send(create(ChaincodeMessageSchema, { type: T.REGISTERED }));
    const caps = this.host.capabilities;
    const ready = caps ? toBinary(ChaincodeAdditionalParamsSchema, create(ChaincodeAdditionalParamsSchema, caps)) : EMPTY;
    this.send(create(ChaincodeMessageSchema, { type: T.READY, payload: ready }));
    this.state = 'ready';
    this.host.logger.debug(`chaincode registered: ${id}`);
    this.host.registered(this);
    this.onRegistered.resolve(id);
  }

  private complete(msg: ChaincodeMessage): void {
    const tx = this.inFlight.get(txKey(msg.channelId, msg.txid));
    if (!tx) {
      // As the peer: a COMPLETED/ERROR nobody waits for (late, duplicate) is logged and dropped.
      this.host.logger.debug(`no transaction ${msg.txid} in flight for ${typeName(msg.type)}`);
      return;
    }
    tx.cursors.clear();
    if (msg.type === T.ERROR) {
      tx.settle({ outcome: 'ERROR', message: Buffer.from(msg.payload).toString('utf8') });
      return;
    }
    try {
      const res = fromBinary(ResponseSchema, msg.payload);
      tx.settle({ outcome: 'COMPLETED', status: res.status, message: res.message, payload: res.payload, event: msg.chaincodeEvent });
    } catch (e) {
      tx.settle({ outcome: 'ERROR', message: `failed to unmarshal the chaincode response: ${(e as Error).message}` });
    }
  }

  /** Runs one talk-back: fault rules, then the real answer (RESPONSE), or ERROR with the reason. */
  private async talkBack(msg: ChaincodeMessage, answer: (tx: InFlight) => Promise<Uint8Array>): Promise<void> {
    const reply = (type: T, payload: Uint8Array) =>
      this.answer(create(ChaincodeMessageSchema, { type, payload, txid: msg.txid, channelId: msg.channelId }));
    const tx = this.inFlight.get(txKey(msg.channelId, msg.txid));
    if (!tx) {
      reply(T.ERROR, Buffer.from(`[${msg.txid}] no ledger context: transaction ${msg.txid} on channel ${msg.channelId} is not in flight`));
      return;
    }
    const actions: FaultAction[] = this.faults.match(msg.type);
    for (const action of actions) if (action.kind === 'delay') await new Promise((r) => setTimeout(r, action.ms));
    if (actions.some((a) => a.kind === 'close')) return this.fail(`injected fault: stream closed on ${typeName(msg.type)}`);
    if (actions.some((a) => a.kind === 'drop')) return;
    const injected = actions.find((a) => a.kind === 'error');
    if (injected) return reply(T.ERROR, Buffer.from(injected.message));
    if (actions.some((a) => a.kind === 'malformed')) return reply(T.RESPONSE, MALFORMED_PAYLOAD);
    try {
      reply(T.RESPONSE, await answer(tx));
    } catch (e) {
      reply(T.ERROR, Buffer.from(e instanceof Error ? e.message : String(e)));
    }
  }

  /**
   * INVOKE_CHAINCODE: ChaincodeSpec{chaincode_id.name = `name[:version][/channel]`, input}. The
   * callee runs under the caller's txid and proposal; on the same channel it shares the caller's
   * simulation (its writes join the transaction), on another channel its writes are discarded.
   * The answer is a ChaincodeMessage (COMPLETED with the Response, or ERROR) inside RESPONSE.
   */
  private async invokeChaincode(tx: InFlight, payload: Uint8Array): Promise<Uint8Array> {
    const spec = fromBinary(ChaincodeSpecSchema, payload);
    const target = spec.chaincodeId?.name ?? '';
    const slash = target.indexOf('/');
    const channelId = slash >= 0 && slash < target.length - 1 ? target.slice(slash + 1) : tx.channelId;
    const name = beforeColon(slash >= 0 ? target.slice(0, slash) : target);
    const callee = this.host.findChaincode(name);
    if (!callee) throw new Error(`execute failed: chaincode ${name} is not launched on this peer`);
    const sameChannel = channelId === tx.channelId;
    const simulation = sameChannel ? tx.simulation : new TxSimulation(this.host.ledger, channelId, tx.txId);
    const result = await callee.execute({
      type: 'TRANSACTION',
      channelId,
      txId: tx.txId,
      signedProposal: tx.signedProposal,
      input: spec.input ?? create(ChaincodeInputSchema),
      simulation,
      timeoutMs: tx.timeoutMs,
    });
    if (!sameChannel) simulation.discard();
    const inner =
      result.outcome === 'ERROR'
        ? create(ChaincodeMessageSchema, { type: T.ERROR, payload: Buffer.from(result.message), txid: tx.txId, channelId })
        : create(ChaincodeMessageSchema, {
            type: T.COMPLETED,
            txid: tx.txId,
            channelId,
            // An error status from the callee reaches the caller as 500 with an empty payload, as a real peer answers.
            payload: toBinary(
              ResponseSchema,
              create(
                ResponseSchema,
                result.status >= 400
                  ? { status: 500, message: result.message, payload: EMPTY }
                  : { status: result.status, message: result.message, payload: result.payload },
              ),
            ),
          });
    return toBinary(ChaincodeMessageSchema, inner);
  }
}

/** The chaincode name in `name:version` or `label:hash` (the whole string when there is no ':'). */
function beforeColon(id: string): string {
  const colon = id.indexOf(':');
  return colon >= 0 ? id.slice(0, colon) : id;
}
