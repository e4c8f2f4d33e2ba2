/**
 * Preloaded (`node --require`) into the "ours + OpenTelemetry SDK" process of the benchmark:
 * registers an SDK as an operator would (async context, batched spans, periodic metrics), with
 * exporters that discard, so the figure is the cost of recording, not of shipping data.
 */
const { context, metrics, trace } = require('@opentelemetry/api');
const { AsyncLocalStorageContextManager } = require('@opentelemetry/context-async-hooks');
const { BasicTracerProvider, BatchSpanProcessor } = require('@opentelemetry/sdk-trace-base');
const { MeterProvider, PeriodicExportingMetricReader, AggregationTemporality } = require('@opentelemetry/sdk-metrics');

const ok = { code: 0 };
const discardSpans = { export: (_spans, done) => done(ok), shutdown: async () => {} };
const discardMetrics = {
  export: (_metrics, done) => done(ok),
  forceFlush: async () => {},
  shutdown: async () => {},
  selectAggregationTemporality: () => AggregationTemporality.CUMULATIVE,
};

// BENCH_OTEL_CONTEXT=none leaves the context manager out, to separate its cost from recording's.
if (process.env.BENCH_OTEL_CONTEXT !== 'none') context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
trace.setGlobalTracerProvider(new BasicTracerProvider({ spanProcessors: [new BatchSpanProcessor(discardSpans)] }));
metrics.setGlobalMeterProvider(
  new MeterProvider({ readers: [new PeriodicExportingMetricReader({ exporter: discardMetrics, exportIntervalMillis: 1000 })] }),
);
