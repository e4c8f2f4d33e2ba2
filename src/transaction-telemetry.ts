/**
 * What the shim's telemetry records and the face it shows a transaction: the attribute and
 * instrument names (one spelling for dashboards and tests), how a transaction ended, and the
 * per-transaction interface with its shared no-op. How it records (through
 * `@opentelemetry/api`) is telemetry.ts.
 */
/** Attribute and instrument names, exported so dashboards and tests share one spelling. */
export const ATTR = {
  chaincode: 'fabric.chaincode.name',
  fn: 'fabric.chaincode.function',
  channel: 'fabric.channel',
  txId: 'fabric.tx_id',
  kind: 'fabric.tx_kind',
  status: 'fabric.response.status',
  outcome: 'fabric.outcome',
  messageType: 'fabric.message.type',
} as const;

/** Instrument names. */
export const METRIC = {
  transactions: 'chaincode.transactions',
  duration: 'chaincode.transaction.duration',
  active: 'chaincode.transactions.active',
  ledgerDuration: 'chaincode.ledger.duration',
} as const;

/**
 * How a transaction ended: `success` = COMPLETED with status < 400, `error` = COMPLETED with
 * status >= 400 (the chaincode returned `Shim.error`; the peer fails the endorsement), `failure`
 * = ERROR sent to the peer (the chaincode threw, or returned no response).
 */
export type Outcome = 'success' | 'error' | 'failure';

/** What telemetry reads from the stub, only when recording (a ChaincodeStub fits). */
export interface TransactionSource {
  getFunctionAndParameters(): { fcn: string };
  getTransient(): Map<string, Uint8Array>;
}

/** One transaction's telemetry, as the handler uses it. */
export interface TransactionTelemetry {
  /** Calls `fn.call(thisArg, arg)` with the transaction span as the active context (so user spans nest under it). */
  run<A, R>(fn: (this: unknown, arg: A) => R, thisArg: unknown, arg: A): R;
  /** Times one talk-back round trip of `type` (a ChaincodeMessage type); returns `pending` itself when not recording. */
  talkBack<T>(type: number, pending: Promise<T>): Promise<T>;
  /** The chaincode returned `result` and COMPLETED was sent. */
  succeeded(result: unknown): void;
  /** ERROR was sent to the peer because of `error`. */
  failed(error: unknown): void;
}

/** The shared object handed out when nothing is recorded: no state, no allocation. */
export const NO_TELEMETRY: TransactionTelemetry = Object.freeze({
  run<A, R>(fn: (this: unknown, arg: A) => R, thisArg: unknown, arg: A): R {
    return fn.call(thisArg, arg);
  },
  talkBack<T>(_type: number, pending: Promise<T>): Promise<T> {
    return pending;
  },
  succeeded(): void {
    // nothing records: nothing to end
  },
  failed(): void {
    // nothing records: nothing to end
  },
});
