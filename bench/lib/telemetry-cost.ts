/**
 * Hand-run micro-benchmark (not a jest test): what telemetry and logging add per transaction
 * when nothing is recording. `npx tsx test/telemetry-cost.ts`
 * Simulates a transaction with three talk-backs: startTransaction, run, 3 x talkBack, succeeded,
 * plus one disabled debug line and one transaction logger, against the same work without them.
 * `SDK=1` registers an SDK (spans to an in-memory exporter, metrics to a pull reader) to see the recording cost.
 */
import { metrics, trace } from '@opentelemetry/api';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';
import { createTelemetry } from '../src/telemetry';
import { shimLogger, transactionLogger } from '../src/logger';

class PullReader extends MetricReader {
  protected async onShutdown(): Promise<void> {}
  protected async onForceFlush(): Promise<void> {}
}
const SDK = process.env.SDK !== undefined;
if (SDK) {
  const exporter = new InMemorySpanExporter();
  trace.setGlobalTracerProvider(new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }));
  metrics.setGlobalMeterProvider(new MeterProvider({ readers: [new PullReader()] }));
  setInterval(() => exporter.reset(), 100).unref();
}
const N = SDK ? 20_000 : 2_000_000;
const NOLOG = process.env.NOLOG !== undefined;
const stub = { getFunctionAndParameters: () => ({ fcn: 'f' }), getTransient: () => new Map<string, Uint8Array>() };
const tel = createTelemetry({ chaincodeId: 'cc' });
const log = shimLogger('bench');
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

function instrumented(): number {
  let sum = 0;
  for (let i = 0; i < N; i++) {
    const tx = tel.startTransaction('ch', 'tx', false, stub);
    const txLog = NOLOG ? log : transactionLogger(log, 'ch', 'tx', () => stub.getFunctionAndParameters().fcn);
    sum += tx.run(invoke, undefined, stub);
    for (let k = 0; k < 3; k++) if (tx.talkBack(2, resolved) === undefined) sum++;
    txLog.debug('done', { key: 'k' });
    tx.succeeded({ status: 200 });
  }
  return sum;
}

async function time(fn: () => number): Promise<number> {
  await new Promise((r) => setImmediate(r)); // let talk-back promise callbacks settle between runs
  const t0 = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - t0) / N;
}

void (async () => { for (let round = 0; round < 3; round++) {
  const b = await time(baseline);
  const t = await time(instrumented);
  console.log(`round ${round}: baseline ${b.toFixed(1)} ns/tx, with telemetry+logger off ${t.toFixed(1)} ns/tx, added ${(t - b).toFixed(1)} ns/tx${SDK ? ' (SDK registered)' : ''}`);
} })();
