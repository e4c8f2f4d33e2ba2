/**
 * What a test holds for one connected chaincode: `init`/`invoke` run a full transaction (real
 * signed proposal, simulation, commit on success) and return what a client would see.
 */
import { create } from '@bufbuild/protobuf';
import { ShimError } from '../errors';
import { ChaincodeInputSchema } from '../gen/peer/chaincode_pb';
import { ChaincodeEventSchema } from '../gen/peer/chaincode_event_pb';
import { TxValidationCode } from '../gen/peer/transaction_pb';
import type { OrderedTransaction, TransactionStatus } from './blocks';
import type { ChaincodeSession, WireRecord } from './chaincode-session';
import type { Faults } from './faults';
import { buildSignedProposal, type ProposalSigner } from './proposals';
import { TxSimulation } from './simulation';
import type { WorldState } from './world-state';

/** A chaincode event as it ends up in the transaction (peer.ChaincodeEvent). */
export interface ChaincodeEventRecord {
  readonly chaincodeId: string;
  readonly txId: string;
  readonly eventName: string;
  readonly payload: Buffer;
}

/** The outcome of one transaction, as a client of the peer sees it. */
export interface InvokeResult {
  /** COMPLETED: the chaincode returned a response; ERROR: it failed (e.g. threw) and sent ERROR. */
  readonly outcome: 'COMPLETED' | 'ERROR';
  /** The response status; 500 for an ERROR outcome. */
  readonly status: number;
  readonly message: string;
  readonly payload: Buffer;
  readonly txId: string;
  /** The transaction's chaincode event (0 or 1: Fabric keeps only the invoked chaincode's event). */
  readonly events: ChaincodeEventRecord[];
  /** True when the transaction was committed valid (COMPLETED with status < 400, then validated). */
  readonly committed: boolean;
  /**
   * The committing peer's verdict (a protos.TxValidationCode name: `VALID`, `MVCC_READ_CONFLICT`,
   * ...); undefined when the transaction was not ordered (ERROR, or a status of 400 or more).
   */
  readonly validationCode?: string;
  /** The block the transaction was ordered into; undefined when it was not ordered. */
  readonly blockNumber?: number;
}

/** Something that can sign proposals: a `TestIdentity` or a handle from `peer.identity()`. */
export type IdentityLike = ProposalSigner | { resolve(): Promise<ProposalSigner> };

/** Options of one `init`/`invoke`. */
export interface InvokeOptions {
  /** Transient data (strings as UTF-8): reaches the chaincode, never the ledger. */
  transient?: Record<string, string | Uint8Array>;
  /** The creator; default `peer.identity('Org1MSP')`. */
  identity?: IdentityLike;
  /** Default: the peer's channel. */
  channel?: string;
  /** Overrides the peer's `txTimeoutMs` for this transaction. */
  timeoutMs?: number;
  /** The proposal timestamp; default now. */
  timestamp?: Date;
  /**
   * The proposal's nonce; default 24 random bytes. The txId is sha256(nonce || creator), so a
   * fixed nonce and identity give a fixed txId (differential tests run one proposal on two peers).
   */
  nonce?: Uint8Array;
  /** Fault injection: send the INIT/TRANSACTION message twice. */
  duplicate?: boolean;
}

/** What a {@link MockChaincode} needs from its peer. */
export interface TransactionContext {
  readonly ledger: WorldState;
  readonly defaultChannel: string;
  readonly txTimeoutMs: number;
  readonly defaultIdentity: IdentityLike;
  /** Orders, validates and commits one transaction at once (the peer's block pipeline). */
  commit(tx: OrderedTransaction): TransactionStatus;
}

const bytes = (v: string | Uint8Array): Uint8Array => (typeof v === 'string' ? Buffer.from(v, 'utf8') : v);

async function signerOf(identity: IdentityLike): Promise<ProposalSigner> {
  return 'resolve' in identity ? identity.resolve() : identity;
}

/** One chaincode connected to a {@link MockPeer}. */
export class MockChaincode {
  /** The underlying stream session (wire log, raw sends). */
  readonly session: ChaincodeSession;
  private readonly context: TransactionContext;

  /** @internal created by MockPeer. */
  constructor(session: ChaincodeSession, context: TransactionContext) {
    this.session = session;
    this.context = context;
  }

  /** The chaincode name (its state namespace). */
  get name(): string {
    return this.session.name;
  }

  /** The chaincode id it registered with (`name:version` or a package id). */
  get chaincodeId(): string {
    return this.session.chaincodeId;
  }

  /** Fault injection for this connection, see {@link Faults}. */
  get faults(): Faults {
    return this.session.faults;
  }

  /** Every message that crossed the stream. */
  get wire(): readonly WireRecord[] {
    return this.session.wire;
  }

  /** Runs Init (an INIT message with `is_init`, as the peer sends for `--init-required`). */
  init(args: readonly (string | Uint8Array)[] = [], opts: InvokeOptions = {}): Promise<InvokeResult> {
    return this.run('INIT', args, opts);
  }

  /** Runs Invoke (a TRANSACTION message) and commits its writes when it succeeds. */
  invoke(args: readonly (string | Uint8Array)[], opts: InvokeOptions = {}): Promise<InvokeResult> {
    return this.run('TRANSACTION', args, opts);
  }

  /**
   * Runs Invoke (a TRANSACTION message) as a query, as a gateway Evaluate or `peer chaincode query`
   * does: the chaincode runs against the committed ledger and the result comes back, but nothing
   * is ordered or committed, whatever it wrote (`committed` is false, no `validationCode`).
   * `events` holds the event the chaincode set, which no listener would ever receive.
   */
  evaluate(args: readonly (string | Uint8Array)[], opts: InvokeOptions = {}): Promise<InvokeResult> {
    return this.run('TRANSACTION', args, opts, false);
  }

  /** Sends KEEPALIVE to the chaincode. */
  sendKeepalive(): void {
    this.session.sendKeepalive();
  }

  /** Closes the stream from the peer's side. */
  close(): void {
    this.session.close();
  }

  private async run(
    type: 'INIT' | 'TRANSACTION',
    args: readonly (string | Uint8Array)[],
    opts: InvokeOptions,
    order = true,
  ): Promise<InvokeResult> {
    const channelId = opts.channel ?? this.context.defaultChannel;
    const signer = await signerOf(opts.identity ?? this.context.defaultIdentity);
    const argBytes = args.map(bytes);
    const transient = Object.fromEntries(Object.entries(opts.transient ?? {}).map(([k, v]) => [k, bytes(v)]));
    const built = await buildSignedProposal(signer, {
      channelId,
      chaincodeName: this.name,
      args: argBytes,
      transient,
      isInit: type === 'INIT',
      ...(opts.timestamp ? { timestamp: opts.timestamp } : {}),
      ...(opts.nonce ? { nonce: opts.nonce } : {}),
    });
    const simulation = new TxSimulation(this.context.ledger, channelId, built.txId);
    let result;
    try {
      result = await this.session.execute({
        type,
        channelId,
        txId: built.txId,
        signedProposal: built.signedProposal,
        input: create(ChaincodeInputSchema, { args: argBytes, isInit: type === 'INIT' }),
        simulation,
        timeoutMs: opts.timeoutMs ?? this.context.txTimeoutMs,
        ...(opts.duplicate ? { duplicate: true } : {}),
      });
    } catch (e) {
      simulation.discard();
      throw e instanceof ShimError ? e : new ShimError('PEER_ERROR', String(e), { cause: e, txId: built.txId, channelId });
    }
    if (result.outcome === 'ERROR') {
      simulation.discard();
      return {
        outcome: 'ERROR',
        status: 500,
        message: result.message,
        payload: Buffer.alloc(0),
        txId: built.txId,
        events: [],
        committed: false,
      };
    }
    const event =
      result.event && result.event.eventName !== ''
        ? create(ChaincodeEventSchema, {
            chaincodeId: result.event.chaincodeId || this.name,
            txId: result.event.txId || built.txId,
            eventName: result.event.eventName,
            payload: result.event.payload,
          })
        : undefined;
    let status: TransactionStatus | undefined;
    // An error response is not endorsed, so never ordered; a success goes through the same
    // order -> validate -> commit pipeline as a gateway submit, as one block of its own (not
    // for evaluate, which is never ordered).
    if (order && result.status < 400) {
      status = this.context.commit({
        txId: built.txId,
        channelId,
        timestamp: built.timestamp,
        readSet: simulation.readSet(),
        writeSet: simulation.writeSet(),
        event,
      });
    }
    simulation.discard();
    return {
      outcome: 'COMPLETED',
      status: result.status,
      message: result.message,
      payload: Buffer.from(result.payload),
      txId: built.txId,
      committed: status?.code === TxValidationCode.VALID,
      ...(status ? { validationCode: TxValidationCode[status.code], blockNumber: status.blockNumber } : {}),
      events: event
        ? [{ chaincodeId: event.chaincodeId, txId: event.txId, eventName: event.eventName, payload: Buffer.from(event.payload) }]
        : [],
    };
  }
}
