/**
 * Metrics and traces through `@opentelemetry/api`, an optional peer dependency.
 *
 * The handler asks for one {@link TransactionTelemetry} per transaction. When the package is
 * absent, or no OpenTelemetry SDK is registered (and none was passed in), it gets a shared no-op
 * object: no allocation, a few branches per transaction. With an SDK it gets counters and
 * histograms by chaincode function and outcome, an in-flight up-down counter, one SERVER span per
 * transaction and a CLIENT child span per talk-back. A W3C `traceparent` (and `tracestate`) in
 * the proposal's transient map makes the transaction span join the client's trace.
 *
 * Only names, ids, sizes and status codes are recorded: never arguments, state values or
 * transient data (the trace headers are parsed, not recorded).
 */
import { tryLoadPackage } from './optional-module';
import type * as OTel from '@opentelemetry/api';
import { MessageType } from './codec/message-type';
import { parseTraceparent, traceHeaders, type TraceHeaders } from './proposal';
import { ATTR, METRIC, NO_TELEMETRY, type Outcome, type TransactionSource, type TransactionTelemetry } from './transaction-telemetry';

type Api = typeof OTel;

let api: Api | null | undefined;

/** Loads @opentelemetry/api once; null when it is not installed (it is an optional peer dependency). */
function loadApi(): Api | null {
  if (api === undefined) {
    // Synchronous on purpose: the first transaction must not wait.
    api = tryLoadPackage<Api>('@opentelemetry/api') ?? null;
  }
  return api;
}

/** Options of {@link createTelemetry}. */
export interface TelemetryOptions {
  /** Recorded as `fabric.chaincode.name` on every span and metric point. */
  chaincodeId: string;
  /** Use this provider instead of the global one (tests, or several SDKs in one process). */
  tracerProvider?: OTel.TracerProvider;
  /** Use this provider instead of the global one. */
  meterProvider?: OTel.MeterProvider;
}

/** Starts transactions' telemetry for one chaincode. */
export interface Telemetry {
  /**
   * Begins a transaction; `init` for an INIT message. Returns {@link NO_TELEMETRY} when nothing
   * is recorded. The source's function name and transient map are read only when recording.
   * `proposalBytes` (the SignedProposal's `proposal_bytes`, empty when the message has none) lets
   * the trace headers be read straight from the wire instead of through `source.getTransient()`,
   * which decodes the whole proposal (headers, creator, SHA-256 binding) for two map entries.
   */
  startTransaction(
    channelId: string,
    txId: string,
    init: boolean,
    source: TransactionSource,
    proposalBytes?: Uint8Array,
  ): TransactionTelemetry;
}

const INSTRUMENTATION = 'fabric-shim-ts';
/** Function names come from the client: cap their length so they cannot flood metric labels. */
const MAX_FN = 64;

interface Instruments {
  transactions: OTel.Counter;
  duration: OTel.Histogram;
  active: OTel.UpDownCounter;
  ledger: OTel.Histogram;
}

/** The tracer or instruments for the provider seen last; rebuilt when the global provider changes. */
class Recorder {
  private tracerFrom: unknown;
  private tracer: OTel.Tracer | undefined;
  private meterFrom: unknown;
  private instruments: Instruments | undefined;
  private noopTracerProvider: unknown;
  private noopMeter: unknown;

  constructor(
    private readonly a: Api,
    private readonly fixedTracer: OTel.TracerProvider | undefined,
    private readonly fixedMeter: OTel.MeterProvider | undefined,
  ) {}

  /** The tracer to use now, undefined when no tracer provider is registered. */
  currentTracer(): OTel.Tracer | undefined {
    let provider: unknown = this.fixedTracer ?? this.a.trace.getTracerProvider();
    // The global provider is always the same proxy; it delegates to a no-op until an SDK registers.
    // Duck-typed, as another copy of the API package may have registered its own proxy.
    const proxy = provider as { getDelegate?: () => unknown };
    if (typeof proxy.getDelegate === 'function') provider = proxy.getDelegate();
    if (provider === this.tracerFrom) return this.tracer;
    this.tracerFrom = provider;
    this.noopTracerProvider ??= new this.a.ProxyTracerProvider().getDelegate();
    const noop = provider === this.noopTracerProvider || isNamed(provider, 'NoopTracerProvider');
    this.tracer = noop ? undefined : (provider as OTel.TracerProvider).getTracer(INSTRUMENTATION);
    return this.tracer;
  }

  /** The instruments to use now, undefined when no meter provider is registered. */
  currentInstruments(): Instruments | undefined {
    const provider = this.fixedMeter ?? this.a.metrics.getMeterProvider();
    if (provider === this.meterFrom) return this.instruments;
    this.meterFrom = provider;
    const meter = provider.getMeter(INSTRUMENTATION);
    this.noopMeter ??= this.a.createNoopMeter();
    this.instruments =
      meter === this.noopMeter || isNamed(meter, 'NoopMeter')
        ? undefined
        : {
            transactions: meter.createCounter(METRIC.transactions, {
              description: 'Transactions executed, by function and outcome',
              unit: '{transaction}',
            }),
            duration: meter.createHistogram(METRIC.duration, {
              description: "Time from the peer's INIT/TRANSACTION to our COMPLETED/ERROR",
              unit: 's',
            }),
            active: meter.createUpDownCounter(METRIC.active, {
              description: 'Transactions being executed right now',
              unit: '{transaction}',
            }),
            ledger: meter.createHistogram(METRIC.ledgerDuration, {
              description: 'Round trip of one request to the peer (GET_STATE, PUT_STATE...)',
              unit: 's',
            }),
          };
    return this.instruments;
  }
}

/** True for the API's no-op classes, also when they come from another copy of the package. */
function isNamed(value: unknown, className: string): boolean {
  return (value as { constructor?: { name?: string } } | null)?.constructor?.name === className;
}

const utf8 = new TextDecoder();

/** The parent context from `traceparent`/`tracestate` in the transient map, or ROOT. */
function parentContext(a: Api, source: TransactionSource, proposalBytes: Uint8Array | undefined): OTel.Context {
  let headers: TraceHeaders;
  try {
    headers = traceHeaders(source, proposalBytes);
  } catch {
    return a.ROOT_CONTEXT;
  }
  const header = headers.traceparent;
  if (header === undefined || header.length > 512) return a.ROOT_CONTEXT;
  const parsed = parseTraceparent(utf8.decode(header));
  if (parsed === undefined) return a.ROOT_CONTEXT;
  const spanContext: OTel.SpanContext = { traceId: parsed.traceId, spanId: parsed.spanId, traceFlags: parsed.traceFlags, isRemote: true };
  const state = headers.tracestate;
  if (state !== undefined && state.length <= 512) spanContext.traceState = a.createTraceState(utf8.decode(state));
  return a.trace.setSpanContext(a.ROOT_CONTEXT, spanContext);
}

function functionName(source: TransactionSource): string {
  try {
    const fcn = source.getFunctionAndParameters().fcn;
    return fcn.length > MAX_FN ? fcn.slice(0, MAX_FN) : fcn;
  } catch {
    return '';
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Attribute sets of one (channel, function): built once, reused by every transaction of that pair. */
interface SeriesAttrs {
  base: OTel.Attributes;
  success: OTel.Attributes;
  error: OTel.Attributes;
  failure: OTel.Attributes;
}

/** What one talk-back type records with: its span name and metric attributes. */
interface TalkBackKind {
  name: string;
  success: OTel.Attributes;
  failure: OTel.Attributes;
}

/** Distinct (channel, function) pairs cached; past this the cache restarts (names come from clients). */
const MAX_SERIES = 256;

/**
 * Per-chaincode state shared by its transactions: metric attribute sets built once per series
 * instead of per record (the metrics SDK only reads them, and keeps the first as the series key;
 * we never mutate them). Span options stay per call: older trace SDKs merge sampler attributes
 * into `options.attributes` in place.
 */
class Shared {
  private readonly series = new Map<string, SeriesAttrs>();
  private readonly kinds = new Map<number, TalkBackKind>();

  constructor(
    readonly a: Api,
    private readonly chaincodeId: string,
  ) {}

  seriesOf(channelId: string, fn: string): SeriesAttrs {
    const key = `${channelId}\u0000${fn}`;
    let found = this.series.get(key);
    if (found === undefined) {
      // Metric attributes stay low-cardinality: no txid on metrics, only on the span.
      const base: OTel.Attributes = { [ATTR.chaincode]: this.chaincodeId, [ATTR.channel]: channelId, [ATTR.fn]: fn };
      found = {
        base,
        success: { ...base, [ATTR.outcome]: 'success' },
        error: { ...base, [ATTR.outcome]: 'error' },
        failure: { ...base, [ATTR.outcome]: 'failure' },
      };
      if (this.series.size >= MAX_SERIES) this.series.clear();
      this.series.set(key, found);
    }
    return found;
  }

  kindOf(type: number): TalkBackKind {
    let found = this.kinds.get(type);
    if (found === undefined) {
      const typeName = MessageType[type];
      const name = typeName === undefined ? String(type) : typeName;
      const metric = { [ATTR.chaincode]: this.chaincodeId, [ATTR.messageType]: name };
      found = {
        name,
        success: { ...metric, [ATTR.outcome]: 'success' },
        failure: { ...metric, [ATTR.outcome]: 'failure' },
      };
      this.kinds.set(type, found);
    }
    return found;
  }
}

/**
 * A recording transaction. (No `?.`/`??` and no field initializers here: tsup's CommonJS output
 * turns them into helper calls with closures, on a per-transaction path.)
 */
class LiveTransaction implements TransactionTelemetry {
  private readonly started: number;
  private ended: boolean;

  constructor(
    private readonly shared: Shared,
    private readonly span: OTel.Span | undefined,
    private readonly ctx: OTel.Context,
    private readonly tracer: OTel.Tracer | undefined,
    private readonly instruments: Instruments | undefined,
    private readonly attrs: SeriesAttrs,
  ) {
    this.started = performance.now();
    this.ended = false;
    if (instruments !== undefined) instruments.active.add(1, attrs.base);
  }

  run<A, R>(fn: (this: unknown, arg: A) => R, thisArg: unknown, arg: A): R {
    return this.span === undefined ? fn.call(thisArg, arg) : this.shared.a.context.with(this.ctx, fn, thisArg, arg);
  }

  talkBack<T>(type: number, pending: Promise<T>): Promise<T> {
    const kind = this.shared.kindOf(type);
    const t0 = performance.now();
    const span =
      this.tracer === undefined
        ? undefined
        : this.tracer.startSpan(
            kind.name,
            { kind: this.shared.a.SpanKind.CLIENT, attributes: { [ATTR.messageType]: kind.name } },
            this.ctx,
          );
    const instruments = this.instruments;
    const a = this.shared.a;
    const done = (error: unknown): void => {
      if (instruments !== undefined)
        instruments.ledger.record((performance.now() - t0) / 1000, error === undefined ? kind.success : kind.failure);
      if (span !== undefined) {
        if (error !== undefined) span.setStatus({ code: a.SpanStatusCode.ERROR, message: messageOf(error) });
        span.end();
      }
    };
    return pending.then(
      (value) => {
        done(undefined);
        return value;
      },
      (error: unknown) => {
        done(error === undefined || error === null ? 'rejected' : error);
        throw error;
      },
    );
  }

  succeeded(result: unknown): void {
    const status = result === null || result === undefined ? undefined : (result as { status?: unknown }).status;
    const code = typeof status === 'number' ? status : 0;
    // The peer treats status >= 400 (shim.ERRORTHRESHOLD) as a failed endorsement.
    const outcome: Outcome = code >= 400 ? 'error' : 'success';
    let message: string | undefined;
    if (outcome === 'error') {
      const m = (result as { message?: unknown }).message;
      message = m instanceof Error ? m.message : typeof m === 'string' ? m : undefined;
    }
    this.finish(outcome, code, message);
  }

  failed(error: unknown): void {
    this.finish('failure', undefined, messageOf(error));
  }

  private finish(outcome: Outcome, status: number | undefined, message: string | undefined): void {
    if (this.ended) return;
    this.ended = true;
    const seconds = (performance.now() - this.started) / 1000;
    if (this.instruments !== undefined) {
      this.instruments.active.add(-1, this.attrs.base);
      const attrs = this.attrs[outcome];
      this.instruments.transactions.add(1, attrs);
      this.instruments.duration.record(seconds, attrs);
    }
    if (this.span !== undefined) {
      this.span.setAttribute(ATTR.outcome, outcome);
      if (status !== undefined) this.span.setAttribute(ATTR.status, status);
      if (outcome !== 'success') {
        const code = this.shared.a.SpanStatusCode.ERROR;
        this.span.setStatus(message === undefined ? { code } : { code, message });
      }
      this.span.end();
    }
  }
}

/** The telemetry of one chaincode; see {@link Telemetry}. */
export function createTelemetry(options: TelemetryOptions): Telemetry {
  let recorder: Recorder | null | undefined;
  let shared: Shared | undefined;
  return {
    startTransaction(channelId, txId, init, source, proposalBytes) {
      if (recorder === undefined) {
        const loaded = loadApi();
        recorder = loaded === null ? null : new Recorder(loaded, options.tracerProvider, options.meterProvider);
      }
      if (recorder === null) return NO_TELEMETRY;
      const tracer = recorder.currentTracer();
      const instruments = recorder.currentInstruments();
      if (tracer === undefined && instruments === undefined) return NO_TELEMETRY;
      const a = api as Api;
      if (shared === undefined) shared = new Shared(a, options.chaincodeId);
      const fn = functionName(source);
      const attrs = shared.seriesOf(channelId, fn);
      let span: OTel.Span | undefined;
      let ctx = a.ROOT_CONTEXT;
      if (tracer !== undefined) {
        const parent = parentContext(a, source, proposalBytes);
        span = tracer.startSpan(
          `chaincode ${fn === '' ? (init ? 'Init' : 'Invoke') : fn}`,
          { kind: a.SpanKind.SERVER, attributes: { ...attrs.base, [ATTR.txId]: txId, [ATTR.kind]: init ? 'init' : 'invoke' } },
          parent,
        );
        ctx = a.trace.setSpan(parent, span);
      }
      return new LiveTransaction(shared, span, ctx, tracer, instruments, attrs);
    },
  };
}
