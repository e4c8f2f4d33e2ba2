/**
 * What the shim's telemetry and per-transaction logging cost when nothing records (no
 * OpenTelemetry SDK registered, debug off): a simulated transaction with three talk-backs
 * (startTransaction, run, 3 x talkBack, succeeded, one disabled debug line, one transaction
 * logger), against the same loop without them. In-process, on the sources; nanoseconds per
 * transaction, the median of a few rounds. Standalone: `npx tsx bench/lib/telemetry-cost.ts`.
 */
import { shimLogger, transactionLogger } from '../../src/logger';
import { createTelemetry } from '../../src/telemetry';

const N = 1_000_000;
const stub = { getFunctionAndParameters: () => ({ fcn: 'f' }), getTransient: () => new Map<string, Uint8Array>() };
const resolved = Promise.resolve(new Uint8Array());
const invoke = (s: typeof stub): number => s.getFunctionAndParameters().fcn.length;

function baseline(): number {
  let sum = 0;
  for (let i = 0; i < N; i++) {
    sum += invoke(stub);
    for (let k = 0; k < 3; k++) if (resolved === undefined) sum++;
  }
  return sum;
}

function instrumented(tel: ReturnType<typeof createTelemetry>, log: ReturnType<typeof shimLogger>): number {
  let sum = 0;
  for (let i = 0; i < N; i++) {
    const tx = tel.startTransaction('ch', 'tx', false, stub);
    const txLog = transactionLogger(log, 'ch', 'tx', () => stub.getFunctionAndParameters().fcn);
    sum += tx.run(invoke, undefined, stub);
    for (let k = 0; k < 3; k++) if (tx.talkBack(2, resolved) === undefined) sum++;
    txLog.debug('done', { key: 'k' });
    tx.succeeded({ status: 200 });
  }
  return sum;
}

async function nsPerTx(fn: () => number): Promise<number> {
  await new Promise((r) => setImmediate(r)); // let talk-back promise callbacks settle between runs
  const t0 = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - t0) / N;
}

/** Nanoseconds the telemetry and logging path adds to a transaction with no SDK registered. */
export async function telemetryOffCostNs(rounds = 5): Promise<number> {
  const tel = createTelemetry({ chaincodeId: 'cc' });
  const log = shimLogger('bench');
  const added: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const b = await nsPerTx(baseline);
    added.push((await nsPerTx(() => instrumented(tel, log))) - b);
  }
  added.sort((x, y) => x - y);
  return added[Math.floor(added.length / 2)] as number;
}

if (require.main === module) {
  void telemetryOffCostNs().then((ns) => console.log(`telemetry + logging with no SDK: ${ns.toFixed(1)} ns per transaction`));
}
