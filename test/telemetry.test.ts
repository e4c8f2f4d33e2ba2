import { context, metrics, trace, SpanKind, SpanStatusCode, type Span } from '@opentelemetry/api';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { MeterProvider, type Histogram } from '@opentelemetry/sdk-metrics';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { ChaincodeMessage_Type as Type } from '../src/gen/peer/chaincode_shim_pb';
import { parseTraceparent } from '../src/proposal';
import { createTelemetry } from '../src/telemetry';
import { ATTR, METRIC, NO_TELEMETRY, type TransactionSource } from '../src/transaction-telemetry';
import { TestReader } from './support/metric-reader';

const utf8 = new TextEncoder();
function source(fcn: string, transient: Record<string, string> = {}): TransactionSource & { reads: number } {
  const s = {
    reads: 0,
    getFunctionAndParameters: () => {
      s.reads++;
      return { fcn };
    },
    getTransient: () => {
      s.reads++;
      return new Map(Object.entries(transient).map(([k, v]) => [k, utf8.encode(v)]));
    },
  };
  return s;
}

describe('no SDK', () => {
  it('returns the shared no-op object and reads nothing from the stub', async () => {
    const tel = createTelemetry({ chaincodeId: 'cc' });
    const src = source('f');
    const tx = tel.startTransaction('ch', 'tx1', false, src);
    expect(tx).toBe(NO_TELEMETRY);
    expect(src.reads).toBe(0);
    const pending = Promise.resolve(7);
    expect(tx.talkBack(Type.GET_STATE, pending)).toBe(pending);
    expect(
      tx.run(
        function (this: unknown, a: number) {
          return [this, a];
        },
        'self',
        3,
      ),
    ).toEqual(['self', 3]);
    tx.succeeded({ status: 200 });
    tx.failed(new Error('x'));
    await expect(pending).resolves.toBe(7);
  });
});

describe('with an SDK', () => {
  let exporter: InMemorySpanExporter;
  let tracerProvider: BasicTracerProvider;
  let reader: TestReader;
  let meterProvider: MeterProvider;

  beforeEach(() => {
    exporter = new InMemorySpanExporter();
    tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
    reader = new TestReader();
    meterProvider = new MeterProvider({ readers: [reader] });
  });
  afterEach(async () => {
    trace.disable();
    metrics.disable();
    context.disable();
    await tracerProvider.shutdown();
    await meterProvider.shutdown();
  });

  it('one SERVER span per transaction with a CLIENT child per talk-back; metrics by function and outcome', async () => {
    const tel = createTelemetry({ chaincodeId: 'basic', tracerProvider, meterProvider });
    const tx = tel.startTransaction('mychannel', 'abcdef0123456789', false, source('transfer'));
    await tx.talkBack(Type.GET_STATE, Promise.resolve(new Uint8Array()));
    await expect(tx.talkBack(Type.PUT_STATE, Promise.reject(new Error('peer says no')))).rejects.toThrow('peer says no');
    tx.succeeded({ status: 200, payload: new Uint8Array() });

    const spans = exporter.getFinishedSpans();
    expect(spans.map((s) => s.name)).toEqual(['GET_STATE', 'PUT_STATE', 'chaincode transfer']);
    const [get, put, root] = spans as [(typeof spans)[0], (typeof spans)[0], (typeof spans)[0]];
    expect(root.kind).toBe(SpanKind.SERVER);
    expect(root.attributes).toEqual({
      [ATTR.chaincode]: 'basic',
      [ATTR.channel]: 'mychannel',
      [ATTR.fn]: 'transfer',
      [ATTR.txId]: 'abcdef0123456789',
      [ATTR.kind]: 'invoke',
      [ATTR.outcome]: 'success',
      [ATTR.status]: 200,
    });
    expect(root.status.code).toBe(SpanStatusCode.UNSET);
    expect(root.parentSpanContext).toBeUndefined();
    for (const child of [get, put]) {
      expect(child.kind).toBe(SpanKind.CLIENT);
      expect(child.parentSpanContext?.spanId).toBe(root.spanContext().spanId);
      expect(child.spanContext().traceId).toBe(root.spanContext().traceId);
    }
    expect(get.attributes[ATTR.messageType]).toBe('GET_STATE');
    expect(put.status).toEqual({ code: SpanStatusCode.ERROR, message: 'peer says no' });

    const count = await reader.points(METRIC.transactions);
    expect(count).toHaveLength(1);
    expect(count[0]?.value).toBe(1);
    expect(count[0]?.attributes).toEqual({
      [ATTR.chaincode]: 'basic',
      [ATTR.channel]: 'mychannel',
      [ATTR.fn]: 'transfer',
      [ATTR.outcome]: 'success',
    });
    const duration = await reader.points(METRIC.duration);
    expect((duration[0]?.value as Histogram).count).toBe(1);
    const ledger = await reader.points(METRIC.ledgerDuration);
    expect(ledger.map((p) => [p.attributes[ATTR.messageType], p.attributes[ATTR.outcome], (p.value as Histogram).count])).toEqual([
      ['GET_STATE', 'success', 1],
      ['PUT_STATE', 'failure', 1],
    ]);
    const active = await reader.points(METRIC.active);
    expect(active[0]?.value).toBe(0);
  });

  it('in-flight counts transactions that have not ended', async () => {
    const tel = createTelemetry({ chaincodeId: 'cc', meterProvider });
    const a = tel.startTransaction('ch', 't1', false, source('f'));
    tel.startTransaction('ch', 't2', false, source('f'));
    expect((await reader.points(METRIC.active))[0]?.value).toBe(2);
    a.succeeded({ status: 200 });
    a.succeeded({ status: 200 }); // a second end is ignored
    expect((await reader.points(METRIC.active))[0]?.value).toBe(1);
    expect((await reader.points(METRIC.transactions))[0]?.value).toBe(1);
  });

  it('error response (status >= 400) and failure (ERROR sent) mark the span ERROR and count by outcome', async () => {
    const tel = createTelemetry({ chaincodeId: 'cc', tracerProvider, meterProvider });
    tel.startTransaction('ch', 't1', false, source('buy')).succeeded({ status: 500, message: 'asset not found' });
    tel.startTransaction('ch', 't2', false, source('buy')).failed(new Error('TypeError: x is undefined'));
    tel.startTransaction('ch', 't3', true, source('')).succeeded({ status: 200 });
    const [e, f, init] = exporter.getFinishedSpans();
    expect(e?.status).toEqual({ code: SpanStatusCode.ERROR, message: 'asset not found' });
    expect(e?.attributes[ATTR.status]).toBe(500);
    expect(e?.attributes[ATTR.outcome]).toBe('error');
    expect(f?.status).toEqual({ code: SpanStatusCode.ERROR, message: 'TypeError: x is undefined' });
    expect(f?.attributes[ATTR.outcome]).toBe('failure');
    expect(f?.attributes[ATTR.status]).toBeUndefined();
    expect(init?.name).toBe('chaincode Init');
    expect(init?.attributes[ATTR.kind]).toBe('init');
    const outcomes = (await reader.points(METRIC.transactions)).map((p) => [p.attributes[ATTR.fn], p.attributes[ATTR.outcome], p.value]);
    expect(outcomes).toEqual(
      expect.arrayContaining([
        ['buy', 'error', 1],
        ['buy', 'failure', 1],
        ['', 'success', 1],
      ]),
    );
    expect(outcomes).toHaveLength(3);
  });

  it('joins the client trace from traceparent/tracestate in the transient map', () => {
    const tel = createTelemetry({ chaincodeId: 'cc', tracerProvider });
    const transient = {
      traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
      tracestate: 'vendor=abc,other=1',
      secret: 'hidden',
    };
    tel.startTransaction('ch', 't', false, source('f', transient)).succeeded({ status: 200 });
    const [span] = exporter.getFinishedSpans();
    expect(span?.spanContext().traceId).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
    expect(span?.parentSpanContext).toMatchObject({
      traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
      spanId: '00f067aa0ba902b7',
      isRemote: true,
    });
    expect(span?.parentSpanContext?.traceState?.get('vendor')).toBe('abc');
    expect(JSON.stringify(span?.attributes)).not.toContain('hidden');
  });

  it('a malformed traceparent or an unreadable transient map starts a new trace', () => {
    const tel = createTelemetry({ chaincodeId: 'cc', tracerProvider });
    tel.startTransaction('ch', 't', false, source('f', { traceparent: 'garbage' })).succeeded({ status: 200 });
    const broken: TransactionSource = {
      getFunctionAndParameters: () => {
        throw new Error('bad args');
      },
      getTransient: () => {
        throw new Error('bad proposal');
      },
    };
    tel.startTransaction('ch', 't2', false, broken).failed(new Error('bad proposal'));
    const spans = exporter.getFinishedSpans();
    expect(spans.map((s) => s.parentSpanContext)).toEqual([undefined, undefined]);
    expect(spans[1]?.name).toBe('chaincode Invoke');
  });

  it('caps client-chosen function names at 64 characters', () => {
    const tel = createTelemetry({ chaincodeId: 'cc', tracerProvider });
    tel.startTransaction('ch', 't', false, source('x'.repeat(500))).succeeded({ status: 200 });
    expect(exporter.getFinishedSpans()[0]?.attributes[ATTR.fn]).toBe('x'.repeat(64));
  });

  it('run() makes the transaction span active so user spans nest under it', () => {
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    const tel = createTelemetry({ chaincodeId: 'cc', tracerProvider });
    const tx = tel.startTransaction('ch', 't', false, source('f'));
    let inner: Span | undefined;
    tx.run(
      () => {
        inner = tracerProvider.getTracer('user').startSpan('user work');
        inner.end();
      },
      undefined,
      undefined,
    );
    tx.succeeded({ status: 200 });
    const [user, root] = exporter.getFinishedSpans();
    expect(user?.name).toBe('user work');
    expect(user?.parentSpanContext?.spanId).toBe(root?.spanContext().spanId);
  });

  it('follows the global providers as they are registered and removed', async () => {
    const tel = createTelemetry({ chaincodeId: 'cc' });
    expect(tel.startTransaction('ch', 't0', false, source('f'))).toBe(NO_TELEMETRY);
    trace.setGlobalTracerProvider(tracerProvider);
    metrics.setGlobalMeterProvider(meterProvider);
    const tx = tel.startTransaction('ch', 't1', false, source('f'));
    expect(tx).not.toBe(NO_TELEMETRY);
    tx.succeeded({ status: 200 });
    expect(exporter.getFinishedSpans()).toHaveLength(1);
    expect((await reader.points(METRIC.transactions))[0]?.value).toBe(1);
    trace.disable();
    metrics.disable();
    expect(tel.startTransaction('ch', 't2', false, source('f'))).toBe(NO_TELEMETRY);
  });
});

describe('parseTraceparent (W3C trace-context)', () => {
  it('reads version 00', () => {
    expect(parseTraceparent('00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01')).toEqual({
      traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
      spanId: '00f067aa0ba902b7',
      traceFlags: 1,
    });
    expect(parseTraceparent('00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00')?.traceFlags).toBe(0);
  });
  it('reads a later version as 00, ignoring extra fields', () => {
    expect(parseTraceparent('01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra')?.spanId).toBe('00f067aa0ba902b7');
  });
  it.each([
    ['ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01'],
    ['00-00000000000000000000000000000000-00f067aa0ba902b7-01'],
    ['00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01'],
    ['00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01'],
    ['00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra'],
    ['00-4bf92f3577b34da6a3ce929d0e0e473-00f067aa0ba902b7-01'],
    ['00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7'],
    [''],
  ])('rejects %p', (header) => expect(parseTraceparent(header)).toBeUndefined());
});

describe('without @opentelemetry/api installed', () => {
  it('records nothing and hands out the shared no-op object, even with an SDK registered', async () => {
    const provider = new BasicTracerProvider();
    trace.setGlobalTracerProvider(provider);
    // Control: with the package present the same call records.
    expect(createTelemetry({ chaincodeId: 'cc' }).startTransaction('ch', 't0', false, source('f'))).not.toBe(NO_TELEMETRY);
    jest.isolateModules(() => {
      jest.doMock('@opentelemetry/api', () => {
        throw new Error("Cannot find module '@opentelemetry/api'");
      });
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const isolated = require('../src/telemetry') as typeof import('../src/telemetry');
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { NO_TELEMETRY: isolatedNoop } = require('../src/transaction-telemetry') as typeof import('../src/transaction-telemetry');
      const tel = isolated.createTelemetry({ chaincodeId: 'cc' });
      const src = source('f', { traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' });
      expect(tel.startTransaction('ch', 't', false, src)).toBe(isolatedNoop);
      expect(tel.startTransaction('ch', 't2', false, src)).toBe(isolatedNoop);
      expect(src.reads).toBe(0);
    });
    jest.dontMock('@opentelemetry/api');
    trace.disable();
    await provider.shutdown();
  });
});
