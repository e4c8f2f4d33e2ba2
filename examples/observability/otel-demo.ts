// examples/observability/otel-demo.ts (shown in README.md): run with `npx tsx examples/observability/otel-demo.ts`.
// Needs @opentelemetry/api, sdk-trace-base, sdk-metrics and context-async-hooks (dev dependencies of this repo).
import { context, metrics, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { BasicTracerProvider, ConsoleSpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { ConsoleMetricExporter, MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { Shim, type ChaincodeInterface } from 'fabric-shim-ts';
import { MockPeer } from 'fabric-shim-ts/testing';

// 1. Register an SDK before the first transaction (in a real chaincode: before Shim.start()).
context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
const tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(new ConsoleSpanExporter())] });
trace.setGlobalTracerProvider(tracerProvider);
const meterProvider = new MeterProvider({
  readers: [new PeriodicExportingMetricReader({ exporter: new ConsoleMetricExporter(), exportIntervalMillis: 60_000 })],
});
metrics.setGlobalMeterProvider(meterProvider);

// 2. An ordinary chaincode: nothing telemetry-specific in it.
const assets: ChaincodeInterface = {
  Init: () => Shim.success(),
  async Invoke(stub) {
    const { fcn, params } = stub.getFunctionAndParameters();
    if (fcn === 'create') {
      await stub.putState(params[0] as string, Buffer.from(params[1] as string));
      return Shim.success();
    }
    if (fcn === 'read') return Shim.success(await stub.getState(params[0] as string));
    return Shim.error(`unknown function ${fcn}`);
  },
};

// 3. Drive it through the mock peer; the client's trace context travels in the transient map.
async function main(): Promise<void> {
  const peer = await MockPeer.start();
  try {
    const cc = await peer.launch('assets', assets);
    await cc.invoke(['create', 'a1', 'blue'], {
      transient: { traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' },
    });
    await cc.invoke(['read', 'a1']);
    await cc.invoke(['bogus']); // status 500: span status ERROR, outcome "error"
  } finally {
    await peer.stop();
    await meterProvider.shutdown(); // exports the metric points once more
    await tracerProvider.shutdown();
  }
}
void main();
