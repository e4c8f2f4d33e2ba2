/**
 * The chaincode logic every benchmarked shim runs, written once so the three processes
 * do exactly the same work: only the shim underneath differs.
 */

/** The part of a ChaincodeStub the benchmark uses (fabric-shim's names). */
export interface BenchStub {
  getFunctionAndParameters(): { fcn: string; params: string[] };
  getState(key: string): Promise<Uint8Array>;
  putState(key: string, value: Uint8Array): Promise<void>;
  /** Go shim / Fabric 3.1 write batching; absent in fabric-shim 2.5. */
  startWriteBatch?(): void;
  finishWriteBatch?(): Promise<void>;
}

/** Outcome of one invocation: `undefined` for success, else the error text. */
export type BenchOutcome = string | undefined;

/** 64-byte value written by every putState, so message sizes are equal across shims. */
export const VALUE: Uint8Array = new Uint8Array(64).fill(0x61);

function count(text: string | undefined): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0) throw new Error(`bad count ${String(text)}`);
  return n;
}

/**
 * `benchKV(prefix, n)`: n x (getState + putState), sequential.
 * `benchBatch(prefix, n)`: n putState between startWriteBatch/finishWriteBatch when the
 * stub has them (plain sequential putState otherwise: fabric-shim 2.5 has no batching).
 */
export async function runBench(stub: BenchStub): Promise<BenchOutcome> {
  const { fcn, params } = stub.getFunctionAndParameters();
  const prefix = params[0] ?? '';
  const n = count(params[1]);
  switch (fcn) {
    case 'benchKV':
      for (let i = 0; i < n; i++) {
        const key = prefix + i;
        await stub.getState(key);
        await stub.putState(key, VALUE);
      }
      return undefined;
    case 'benchBatch': {
      const batched = typeof stub.startWriteBatch === 'function' && typeof stub.finishWriteBatch === 'function';
      if (batched) stub.startWriteBatch!();
      for (let i = 0; i < n; i++) await stub.putState(prefix + i, VALUE);
      if (batched) await stub.finishWriteBatch!();
      return undefined;
    }
    default:
      return `unknown function ${fcn}`;
  }
}

/**
 * Exits cleanly on SIGTERM (the bench's stop signal) so `node --cpu-prof` gets to write its
 * profile: the default SIGTERM action kills the process before the profile is saved.
 */
export function exitOnSigterm(): void {
  process.once('SIGTERM', () => process.exit(0));
}
