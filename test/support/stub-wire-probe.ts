/**
 * A probe chaincode for the stub-over-the-wire tests: each test hands it the body of one
 * transaction as a closure, the probe runs it inside Invoke (launched in-process on the mock
 * peer, so every stub call crosses real gRPC on loopback), and the test gets back what the
 * body returned plus what the peer saw (outcome, commit, wire messages of that transaction).
 */
import type { ChaincodeInterface } from '../../src/chaincode';
import type { ChaincodeStub } from '../../src/stub';
import { success } from '../../src/response';
import type { InvokeOptions, InvokeResult, MockChaincode } from '../../src/testing/mock-chaincode';
import type { WireRecord } from '../../src/testing/chaincode-session';

/** The body of one transaction. */
export type Body<R> = (stub: ChaincodeStub) => Promise<R> | R;

/** What {@link Probe.run} resolves to. */
export interface Ran<R> {
  /** What the body returned (kept as is: Buffers stay Buffers). */
  value: R;
  result: InvokeResult;
  /** Message types the chaincode sent for this transaction, in order (e.g. 'GET_STATE', 'COMPLETED'). */
  sent: string[];
}

/** Runs closures as transactions; one at a time (tests in a file run sequentially). */
export class Probe implements ChaincodeInterface {
  private body: Body<unknown> | undefined;
  private outcome: { value?: unknown; error?: unknown } = {};

  Init(): ReturnType<ChaincodeInterface['Init']> {
    return success(Buffer.from('probe ready'));
  }

  async Invoke(stub: ChaincodeStub): Promise<ReturnType<typeof success>> {
    const body = this.body;
    if (!body) return success(Buffer.from('no body'));
    try {
      this.outcome = { value: await body(stub) };
    } catch (error) {
      // Kept for the test, and rethrown so the shim answers ERROR as it would for any chaincode.
      this.outcome = { error };
      throw error;
    }
    return success(Buffer.from('done'));
  }

  /**
   * Runs `body` as the Invoke of one transaction with `args`. Rejects with the body's own
   * error when it threw (after the peer got the ERROR), so tests can match its code.
   */
  async run<R>(
    cc: MockChaincode,
    body: Body<R>,
    args: readonly (string | Uint8Array)[] = ['probe'],
    opts: InvokeOptions = {},
  ): Promise<Ran<R>> {
    this.body = body as Body<unknown>;
    this.outcome = {};
    const start = cc.wire.length;
    let result: InvokeResult;
    try {
      result = await cc.invoke(args, opts);
    } finally {
      this.body = undefined;
    }
    if ('error' in this.outcome) throw this.outcome.error;
    const sent = sentFor(cc.wire.slice(start), result.txId);
    return { value: this.outcome.value as R, result, sent };
  }
}

/** Types of the messages the chaincode sent for `txId`. */
export function sentFor(wire: readonly WireRecord[], txId: string): string[] {
  return wire.filter((w) => w.direction === 'received' && w.txId === txId).map((w) => w.type);
}

/** Counts occurrences of `type` in a list of message types. */
export function count(types: readonly string[], type: string): number {
  return types.filter((t) => t === type).length;
}

/** Drains a fabric-shim style iterator with next()/close(). */
export async function drain<T>(iterator: {
  next(): Promise<{ value: T | undefined; done: boolean }>;
  close(): Promise<void>;
}): Promise<T[]> {
  const out: T[] = [];
  for (let r = await iterator.next(); !r.done; r = await iterator.next()) out.push(r.value as T);
  await iterator.close();
  return out;
}
