/**
 * Telemetry over the mock peer with an OpenTelemetry SDK registered globally and in-memory
 * exporters: spans per transaction and per talk-back, the client's traceparent, error status,
 * and the metric points.
 */
import { context, metrics, trace, SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { MeterProvider, type Histogram } from '@opentelemetry/sdk-metrics';
import { error, success } from '../src/response';
import { MockPeer } from '../src/testing/mock-peer';
import type { MockChaincode } from '../src/testing/mock-chaincode';
import type { ChaincodeInterface } from '../src/chaincode';
import { ATTR, METRIC } from '../src/transaction-telemetry';
import { TestReader } from './support/metric-reader';

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const CLIENT_SPAN = '00f067aa0ba902b7';

const assets: ChaincodeInterface = {
  Init: () => success(),
  async Invoke(stub) {
    const { fcn, params } = stub.getFunctionAndParameters();
    if (fcn === 'create') {
      const key = params[0] as string;
      if ((await stub.getState(key)).length > 0) return error(`asset ${key} exists`);
      await stub.putState(key, Buffer.from(params[1] as string));
      return success();
    }
    if (fcn === 'boom') throw new Error('chaincode bug');
    return error(`unknown function ${fcn}`);
  },
};

const exporter = new InMemorySpanExporter();
const tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
const reader = new TestReader();
const meterProvider = new MeterProvider({ readers: [reader] });
let peer: MockPeer;
let cc: MockChaincode;
let txIds: { created: string; exists: string; boom: string };

beforeAll(async () => {
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  trace.setGlobalTracerProvider(tracerProvider);
  metrics.setGlobalMeterProvider(meterProvider);
  // A Fabric 3.0 peer (no write batching): each putState is its own PUT_STATE round trip.
  peer = await MockPeer.start({ capabilities: false });
  cc = await peer.launch('assets', assets);
  const created = await cc.invoke(['create', 'a1', 'blue'], {
    transient: { traceparent: `00-${TRACE_ID}-${CLIENT_SPAN}-01`, tracestate: 'app=1' },
  });
  const exists = await cc.invoke(['create', 'a1', 'red']);
  const boom = await cc.invoke(['boom']);
  expect([created.status, exists.status, boom.outcome]).toEqual([200, 500, 'ERROR']);
  txIds = { created: created.txId, exists: exists.txId, boom: boom.txId };
});

afterAll(async () => {
  await peer.stop();
  trace.disable();
  metrics.disable();
  context.disable();
  await tracerProvider.shutdown();
  await meterProvider.shutdown();
});

const txSpan = (txId: string): ReadableSpan => {
  const span = exporter.getFinishedSpans().find((s) => s.attributes[ATTR.txId] === txId);
  if (span === undefined) throw new Error(`no span for ${txId}`);
  return span;
};
const childrenOf = (parent: ReadableSpan): ReadableSpan[] =>
  exporter.getFinishedSpans().filter((s) => s.parentSpanContext?.spanId === parent.spanContext().spanId);

it('one SERVER span per transaction, named after the function, with channel, txid and status', () => {
  const span = txSpan(txIds.created);
  expect(span.name).toBe('chaincode create');
  expect(span.kind).toBe(SpanKind.SERVER);
  expect(span.attributes).toMatchObject({
    [ATTR.chaincode]: expect.stringMatching(/^assets/),
    [ATTR.fn]: 'create',
    [ATTR.channel]: 'mychannel',
    [ATTR.txId]: txIds.created,
    [ATTR.status]: 200,
    [ATTR.outcome]: 'success',
  });
  expect(span.status.code).toBe(SpanStatusCode.UNSET);
});

it('joins the client trace given by traceparent in the transient map', () => {
  const span = txSpan(txIds.created);
  expect(span.spanContext().traceId).toBe(TRACE_ID);
  expect(span.parentSpanContext).toMatchObject({ traceId: TRACE_ID, spanId: CLIENT_SPAN, isRemote: true });
  expect(span.parentSpanContext?.traceState?.get('app')).toBe('1');
  // Without a traceparent the transaction starts its own trace.
  expect(txSpan(txIds.exists).parentSpanContext).toBeUndefined();
  expect(txSpan(txIds.exists).spanContext().traceId).not.toBe(TRACE_ID);
});

it('a CLIENT child span per talk-back, named by message type', () => {
  const created = childrenOf(txSpan(txIds.created));
  expect(created.map((s) => s.name)).toEqual(['GET_STATE', 'PUT_STATE']);
  for (const s of created) {
    expect(s.kind).toBe(SpanKind.CLIENT);
    expect(s.spanContext().traceId).toBe(TRACE_ID);
    expect(s.attributes[ATTR.messageType]).toBe(s.name);
  }
  expect(childrenOf(txSpan(txIds.exists)).map((s) => s.name)).toEqual(['GET_STATE']);
});

it('error status for an error response and for a failed transaction', () => {
  const exists = txSpan(txIds.exists);
  expect(exists.status).toEqual({ code: SpanStatusCode.ERROR, message: 'asset a1 exists' });
  expect(exists.attributes).toMatchObject({ [ATTR.status]: 500, [ATTR.outcome]: 'error' });
  const boom = txSpan(txIds.boom);
  expect(boom.name).toBe('chaincode boom');
  expect(boom.status).toEqual({ code: SpanStatusCode.ERROR, message: 'chaincode bug' });
  expect(boom.attributes[ATTR.outcome]).toBe('failure');
});

it('metric points: transactions by function and outcome, durations, talk-backs by type, nothing in flight', async () => {
  const count = (await reader.points(METRIC.transactions)).map((p) => [p.attributes[ATTR.fn], p.attributes[ATTR.outcome], p.value]);
  expect(count).toHaveLength(3);
  expect(count).toEqual(
    expect.arrayContaining([
      ['create', 'success', 1],
      ['create', 'error', 1],
      ['boom', 'failure', 1],
    ]),
  );
  const durations = await reader.points(METRIC.duration);
  expect(durations.reduce((n, p) => n + (p.value as Histogram).count, 0)).toBe(3);
  for (const p of durations) expect((p.value as Histogram).min).toBeGreaterThan(0);
  const ledger = (await reader.points(METRIC.ledgerDuration)).map((p) => [
    p.attributes[ATTR.messageType],
    p.attributes[ATTR.outcome],
    (p.value as Histogram).count,
  ]);
  expect(ledger).toEqual(
    expect.arrayContaining([
      ['GET_STATE', 'success', 2],
      ['PUT_STATE', 'success', 1],
    ]),
  );
  expect(ledger).toHaveLength(2);
  const active = await reader.points(METRIC.active);
  expect(active.every((p) => p.value === 0)).toBe(true);
  expect(active.length).toBeGreaterThan(0);
});
