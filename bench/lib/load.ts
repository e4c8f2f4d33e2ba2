/**
 * Closed-loop load on one chaincode: `inFlight` workers each invoke, wait for the answer
 * and invoke again. A warm-up period (JIT, connection buffers) is discarded, then a fixed
 * measured window gives throughput, latency percentiles and the chaincode's CPU and memory.
 */
import { cpuMicros, memoryKiB, resetPeak } from './proc-stats';
import { Samples } from './stats';
import type { BenchChaincode } from './peer';

/** One benchmark cell. */
export interface CellSpec {
  /** Row label, e.g. "kv n=10 x64". */
  label: string;
  fcn: 'benchKV' | 'benchBatch';
  n: number;
  inFlight: number;
}

/** What one cell measured for one shim. */
export interface CellResult {
  label: string;
  fcn: string;
  n: number;
  inFlight: number;
  /** Transactions completed inside the measured window. */
  transactions: number;
  txPerSec: number;
  p50Ms: number;
  p99Ms: number;
  /** Chaincode process utime+stime over the window / transactions. */
  cpuMicrosPerTx: number;
  /** VmHWM over the cell (whole process life if peakReset is false). */
  peakRssKiB: number;
  peakReset: boolean;
  /** VmRSS at the end of the window. */
  rssKiB: number;
  errors: number;
  firstError?: string;
}

/** Timing of a cell run. */
export interface LoadTiming {
  warmupMs: number;
  durationMs: number;
}

const now = (): number => performance.now();
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Runs one cell against a chaincode process `pid`; key prefixes start with `keyPrefix`. */
export async function runCell(
  chaincode: BenchChaincode,
  pid: number,
  spec: CellSpec,
  timing: LoadTiming,
  keyPrefix: string,
): Promise<CellResult> {
  const samples = new Samples();
  let windowStart = Infinity;
  let windowEnd = Infinity;
  let stopping = false;
  let completed = 0;
  let errors = 0;
  let firstError: string | undefined;
  const count = String(spec.n);

  const worker = async (id: number): Promise<void> => {
    const args = [spec.fcn, `${keyPrefix}w${id}_`, count];
    while (!stopping) {
      const t0 = now();
      try {
        await chaincode.invoke(args);
      } catch (err) {
        errors++;
        firstError ??= (err as Error).message;
        if (errors > 100) stopping = true; // a broken shim: stop rather than spin
        continue;
      }
      const t1 = now();
      if (t1 <= windowEnd && t0 >= windowStart) samples.add(t1 - t0);
      if (t1 >= windowStart && t1 <= windowEnd) completed++;
    }
  };
  const workers = Array.from({ length: spec.inFlight }, (_, i) => worker(i));

  await sleep(timing.warmupMs);
  const peakReset = resetPeak(pid);
  const cpu0 = cpuMicros(pid);
  windowStart = now();
  await sleep(timing.durationMs);
  windowEnd = now();
  const cpu1 = cpuMicros(pid);
  const mem = memoryKiB(pid);
  stopping = true;
  await Promise.all(workers);

  const { p50, p99 } = samples.percentiles();
  const result: CellResult = {
    label: spec.label,
    fcn: spec.fcn,
    n: spec.n,
    inFlight: spec.inFlight,
    transactions: completed,
    txPerSec: completed / ((windowEnd - windowStart) / 1000),
    p50Ms: p50,
    p99Ms: p99,
    cpuMicrosPerTx: completed > 0 ? (cpu1 - cpu0) / completed : NaN,
    peakRssKiB: mem.hwm,
    peakReset,
    rssKiB: mem.rss,
    errors,
  };
  if (firstError !== undefined) result.firstError = firstError;
  return result;
}

/** RSS of the chaincode process sampled along a long run. */
export interface SoakResult {
  transactions: number;
  /** [transactions done, VmRSS KiB] after each tenth of the run. */
  rssKiB: [number, number][];
  errors: number;
}

/**
 * Runs `total` transactions of `spec` (closed loop) and samples VmRSS after each tenth, to see
 * whether memory settles (a leak grows with the count, not with the load).
 */
export async function runSoak(
  chaincode: BenchChaincode,
  pid: number,
  spec: CellSpec,
  total: number,
  keyPrefix: string,
): Promise<SoakResult> {
  const step = Math.max(1, Math.floor(total / 10));
  const rssKiB: [number, number][] = [];
  let started = 0;
  let done = 0;
  let errors = 0;
  const worker = async (id: number): Promise<void> => {
    const args = [spec.fcn, `${keyPrefix}w${id}_`, String(spec.n)];
    while (started < total && errors <= 100) {
      started++;
      try {
        await chaincode.invoke(args);
      } catch {
        errors++;
      }
      done++;
      if (done % step === 0) rssKiB.push([done, memoryKiB(pid).rss]);
    }
  };
  await Promise.all(Array.from({ length: spec.inFlight }, (_, i) => worker(i)));
  return { transactions: done, rssKiB, errors };
}
