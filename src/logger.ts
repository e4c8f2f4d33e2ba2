/**
 * Leveled, structured logging that costs one comparison when a level is off.
 *
 * Levels follow Fabric's names (CRITICAL, ERROR, WARNING, NOTICE, INFO, DEBUG) as read from
 * CORE_CHAINCODE_LOGGING_LEVEL (chaincode loggers) and CORE_CHAINCODE_LOGGING_SHIM (the
 * shim's own), the two settings a peer passes to the chaincode it launches. Output goes to a
 * pluggable sink: text lines on stderr by default, JSON lines when
 * CORE_CHAINCODE_LOGGING_FORMAT=json (Fabric's own switch to its JSON encoder).
 *
 * The shim itself never passes state values, transient data or private data to a logger: keys
 * and sizes only. As a second guard, byte arrays handed to any logger are written as their size.
 */

import { compileTemplate, isFormatTemplate } from './log-format';

/** Numeric severities; lower is more severe. */
export const LEVELS = { critical: 0, error: 1, warn: 2, notice: 3, info: 4, debug: 5 } as const;
/** A level name in our spelling (Fabric's WARNING is `warn`). */
export type LevelName = keyof typeof LEVELS;

/** Fabric's spelling of each level, used in text lines. */
const FABRIC_NAMES: Readonly<Record<LevelName, string>> = {
  critical: 'CRITICAL',
  error: 'ERROR',
  warn: 'WARNING',
  notice: 'NOTICE',
  info: 'INFO',
  debug: 'DEBUG',
};
const NAMES: readonly LevelName[] = ['critical', 'error', 'warn', 'notice', 'info', 'debug'];

/** Structured context carried on every line (channel, txid, function...). */
export type LogFields = Record<string, string | number | boolean | undefined>;

/** One log record handed to a sink. */
export interface LogRecord {
  time: Date;
  level: LevelName;
  logger: string;
  msg: string;
  fields: LogFields;
  /** The first Error passed to the call, if any (its message is also in `fields.error`). */
  error?: Error;
}

/** Where records go. Plug pino/winston in by implementing this one method. */
export interface LogSink {
  write(record: LogRecord): void;
}

/**
 * One logging method. The typed form takes a message and structured fields; the loose form
 * accepts what winston (fabric-shim's logger) accepts, so `logger.info('x', obj, err)` keeps
 * working: plain objects of primitives become fields, Errors become `error=`, anything else is
 * appended to the message as JSON. Returns the logger, as winston's do (`logger.info(a).info(b)`).
 */
export interface LogMethod {
  (msg: string, fields?: LogFields): Logger;
  (msg: unknown, ...meta: unknown[]): Logger;
}

/** winston's object form of `log()`: `logger.log({ level: 'info', message: 'x', key: 'value' })`. */
export interface LogEntry {
  level: string;
  message: string;
  [field: string]: unknown;
}

/**
 * The logger returned by `Shim.newLogger` and used inside the shim. fabric-shim's is a winston
 * Logger; this interface has the members chaincode uses of it (winston's npm level methods,
 * `log`, `level`, `child`, `isLevelEnabled`/`isXxxEnabled`), with winston-compatible signatures,
 * so code written against fabric-shim's typings compiles, without depending on winston's types.
 */
export interface Logger {
  readonly name: string;
  /**
   * The current level, in our spelling ({@link LevelName}). Accepts Fabric's names (any case) and
   * winston's (`warn`, `verbose`, `silly`...), as fabric-shim users set `logger.level = 'debug'`;
   * unknown names are ignored. Typed `string` as winston's, so comparisons with any name compile.
   */
  get level(): string;
  set level(value: string);
  critical: LogMethod;
  error: LogMethod;
  warn: LogMethod;
  /** Fabric's spelling of {@link Logger.warn}. */
  warning: LogMethod;
  notice: LogMethod;
  info: LogMethod;
  debug: LogMethod;
  /** winston's npm levels below info; written at DEBUG. */
  http: LogMethod;
  verbose: LogMethod;
  silly: LogMethod;
  /** winston's generic form: `logger.log('info', 'message', ...)` or `logger.log({ level, message })`. */
  log(entry: LogEntry): Logger;
  log(level: string, msg: unknown, ...meta: unknown[]): Logger;
  /** True when `level` would be written; guard costly field building with it. */
  enabled(level: LevelName): boolean;
  /** winston's name for {@link Logger.enabled}; also takes winston's level names. */
  isLevelEnabled(level: string): boolean;
  isErrorEnabled(): boolean;
  isWarnEnabled(): boolean;
  isInfoEnabled(): boolean;
  isVerboseEnabled(): boolean;
  isDebugEnabled(): boolean;
  isSillyEnabled(): boolean;
  /**
   * A logger that adds `fields` to every line (e.g. channel and short txid). A function is
   * called once, on the first line actually written, so an unused child costs one object.
   * The child shares its parent's level.
   */
  child(fields: LogFields | Readonly<Record<string, unknown>> | (() => LogFields)): Logger;
}

/** Maps a Fabric level name (any case; WARNING/WARN, CRITICAL/FATAL) to ours; undefined if unknown. */
export function parseLevel(name: string | undefined): LevelName | undefined {
  switch ((name ?? '').trim().toUpperCase()) {
    case 'CRITICAL':
    case 'FATAL':
    case 'PANIC':
    case 'DPANIC':
      return 'critical';
    case 'ERROR':
      return 'error';
    case 'WARNING':
    case 'WARN':
      return 'warn';
    case 'NOTICE':
      return 'notice';
    case 'INFO':
      return 'info';
    case 'DEBUG':
      return 'debug';
    default:
      return undefined;
  }
}

/** parseLevel plus winston's extra npm levels, which fabric-shim chaincode may still set. */
function parseAnyLevel(name: string): LevelName | undefined {
  const lower = name.trim().toLowerCase();
  if (lower === 'verbose' || lower === 'silly' || lower === 'http') return 'debug';
  return parseLevel(lower);
}

/** Quotes a text-line value when it would otherwise be ambiguous (spaces, quotes, newlines). */
function textValue(v: string | number | boolean): string {
  if (typeof v !== 'string') return String(v);
  return v === '' || /[\s"=\\]/.test(v) || /[\u0000-\u001f\u007f]/.test(v) ? JSON.stringify(v) : v;
}

/** Escapes control characters so one record is always one line (no forged log lines). */
function oneLine(s: string): string {
  return /[\u0000-\u001f\u007f]/.test(s) ? JSON.stringify(s).slice(1, -1) : s;
}

/** `2024-05-01T10:00:00.000Z WARNING [shim:handler] message key=value ...` */
export function formatText(r: LogRecord): string {
  let line = `${r.time.toISOString()} ${FABRIC_NAMES[r.level]} [${r.logger}] ${oneLine(r.msg)}`;
  for (const k in r.fields) {
    const v = r.fields[k];
    if (v !== undefined) line += ` ${k}=${textValue(v)}`;
  }
  return line + '\n';
}

const RESERVED = new Set(['ts', 'level', 'logger', 'msg']);

/** `{"ts":...,"level":"warn","logger":"shim:handler","msg":"...",...fields}`; a field named like a fixed key gets a `_` prefix. */
export function formatJson(r: LogRecord): string {
  const out: Record<string, unknown> = { ts: r.time.toISOString(), level: r.level, logger: r.logger, msg: r.msg };
  for (const k in r.fields) {
    const v = r.fields[k];
    if (v !== undefined) out[RESERVED.has(k) ? `_${k}` : k] = v;
  }
  if (r.error?.stack !== undefined) out.stack = r.error.stack;
  return JSON.stringify(out) + '\n';
}

/** Text lines on stderr (the default). */
export const textSink: LogSink = { write: (r) => void process.stderr.write(formatText(r)) };

/** JSON lines on stderr. */
export const jsonSink: LogSink = { write: (r) => void process.stderr.write(formatJson(r)) };

/**
 * Lines in a Fabric format template on stderr (see log-format.ts), e.g. the peer's default
 * `%{color}%{time:2006-01-02 15:04:05.000 MST} [%{module}] %{shortfunc} -> %{level:.4s} %{id:03x}%{color:reset} %{message}`.
 * Colours only when stderr is a terminal.
 */
export function templateSink(template: string, colors: boolean = process.stderr.isTTY === true): LogSink {
  const format = compileTemplate(template, colors);
  return { write: (r) => void process.stderr.write(format(r)) };
}

/**
 * The sink CORE_CHAINCODE_LOGGING_FORMAT asks for: JSON lines for `json` (Fabric's switch to its
 * JSON encoder), the peer's template when it passes one, our text lines otherwise.
 */
export function sinkFromEnv(env: NodeJS.ProcessEnv = process.env): LogSink {
  const format = env.CORE_CHAINCODE_LOGGING_FORMAT?.trim() ?? '';
  if (format.toLowerCase() === 'json') return jsonSink;
  return isFormatTemplate(format) ? templateSink(format) : textSink;
}

let defaultSink: LogSink = sinkFromEnv();

/** Sends every logger's output to `sink` from now on (e.g. an adapter over pino). */
export function setLogSink(sink: LogSink): void {
  defaultSink = sink;
}

/** The sink every logger writes to right now. */
export function getLogSink(): LogSink {
  return defaultSink;
}

/** Options of {@link configureLogging}. */
export interface LoggingOptions {
  /** `json` for JSON lines, `text` for text lines (overrides CORE_CHAINCODE_LOGGING_FORMAT). */
  format?: 'text' | 'json';
  /** A custom sink (pino, winston...); wins over `format`. */
  sink?: LogSink;
}

/** Chooses the output of every logger: a format on stderr, or a sink of your own. */
export function configureLogging(options: LoggingOptions): void {
  if (options.sink !== undefined) defaultSink = options.sink;
  else if (options.format !== undefined) defaultSink = options.format === 'json' ? jsonSink : textSink;
}

function isPlainFields(v: object): v is LogFields {
  if (Object.getPrototypeOf(v) !== Object.prototype && Object.getPrototypeOf(v) !== null) return false;
  for (const k in v) {
    const t = typeof (v as Record<string, unknown>)[k];
    if (t !== 'string' && t !== 'number' && t !== 'boolean' && t !== 'undefined') return false;
  }
  return true;
}

/** JSON for the log line; byte arrays as their size (state values are bytes), cycles cut. */
function safeJson(v: unknown): string {
  const seen = new WeakSet<object>();
  try {
    const s = JSON.stringify(v, (_k, x: unknown) => {
      if (typeof x === 'bigint') return x.toString();
      if (x instanceof Uint8Array) return `[${x.length} bytes]`;
      if (typeof x === 'object' && x !== null) {
        // Buffer#toJSON runs before the replacer sees it: recognise its output shape too.
        const b = x as { type?: unknown; data?: unknown };
        if (b.type === 'Buffer' && Array.isArray(b.data)) return `[${b.data.length} bytes]`;
        if (seen.has(x)) return '[Circular]';
        seen.add(x);
      }
      return x;
    });
    return s ?? String(v);
  } catch {
    return String(v);
  }
}

function textOf(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v instanceof Uint8Array) return `[${v.length} bytes]`;
  if (v instanceof Error) return v.message;
  return safeJson(v);
}

/** Level shared by a logger and its children: one number compared per call. */
interface LevelState {
  max: number;
}

class LeveledLogger implements Logger {
  private resolved: LogFields | undefined;

  constructor(
    readonly name: string,
    private readonly state: LevelState,
    private readonly parentFields: LogFields,
    private readonly own: LogFields | (() => LogFields) | undefined,
  ) {
    if (own === undefined) this.resolved = parentFields;
  }

  get level(): LevelName {
    return NAMES[this.state.max] as LevelName;
  }
  set level(value: string) {
    const parsed = typeof value === 'string' ? parseAnyLevel(value) : undefined;
    if (parsed !== undefined) this.state.max = LEVELS[parsed];
  }

  enabled(level: LevelName): boolean {
    return LEVELS[level] <= this.state.max;
  }
  isLevelEnabled(level: string): boolean {
    const parsed = parseAnyLevel(level);
    return parsed !== undefined && LEVELS[parsed] <= this.state.max;
  }

  // Each method tests the level before touching its arguments: a disabled call is one comparison.
  // `arguments` rather than `...fields`: a rest parameter allocates an array on every call, enabled or not.
  /* eslint-disable prefer-rest-params */
  critical(msg: unknown, _fields?: unknown): this {
    if (this.state.max >= 0) this.emit('critical', msg, arguments, 1);
    return this;
  }
  error(msg: unknown, _fields?: unknown): this {
    if (this.state.max >= 1) this.emit('error', msg, arguments, 1);
    return this;
  }
  warn(msg: unknown, _fields?: unknown): this {
    if (this.state.max >= 2) this.emit('warn', msg, arguments, 1);
    return this;
  }
  warning(msg: unknown, _fields?: unknown): this {
    if (this.state.max >= 2) this.emit('warn', msg, arguments, 1);
    return this;
  }
  notice(msg: unknown, _fields?: unknown): this {
    if (this.state.max >= 3) this.emit('notice', msg, arguments, 1);
    return this;
  }
  info(msg: unknown, _fields?: unknown): this {
    if (this.state.max >= 4) this.emit('info', msg, arguments, 1);
    return this;
  }
  debug(msg: unknown, _fields?: unknown): this {
    if (this.state.max >= 5) this.emit('debug', msg, arguments, 1);
    return this;
  }
  // winston's npm levels below info (fabric-shim's logger has them): written at DEBUG.
  http(msg: unknown, _fields?: unknown): this {
    if (this.state.max >= 5) this.emit('debug', msg, arguments, 1);
    return this;
  }
  verbose(msg: unknown, _fields?: unknown): this {
    if (this.state.max >= 5) this.emit('debug', msg, arguments, 1);
    return this;
  }
  silly(msg: unknown, _fields?: unknown): this {
    if (this.state.max >= 5) this.emit('debug', msg, arguments, 1);
    return this;
  }
  /* eslint-enable prefer-rest-params */
  log(entry: LogEntry): this;
  log(level: string, msg: unknown, ...meta: unknown[]): this;
  log(levelOrEntry: string | LogEntry, msg?: unknown, ...meta: unknown[]): this {
    if (typeof levelOrEntry === 'object' && levelOrEntry !== null) {
      // winston's object form: level and message, every other key a field.
      const { level, message, ...fields } = levelOrEntry;
      return this.log(String(level), message, fields);
    }
    const parsed = parseAnyLevel(levelOrEntry) ?? 'info';
    if (LEVELS[parsed] <= this.state.max) this.emit(parsed, msg, meta, 0);
    return this;
  }

  isErrorEnabled(): boolean {
    return this.isLevelEnabled('error');
  }
  isWarnEnabled(): boolean {
    return this.isLevelEnabled('warn');
  }
  isInfoEnabled(): boolean {
    return this.isLevelEnabled('info');
  }
  isVerboseEnabled(): boolean {
    return this.isLevelEnabled('verbose');
  }
  isDebugEnabled(): boolean {
    return this.isLevelEnabled('debug');
  }
  isSillyEnabled(): boolean {
    return this.isLevelEnabled('silly');
  }

  child(fields: LogFields | Readonly<Record<string, unknown>> | (() => LogFields)): Logger {
    return new LeveledLogger(this.name, this.state, this.fieldsNow(), fields as LogFields | (() => LogFields));
  }

  private fieldsNow(): LogFields {
    if (this.resolved === undefined) {
      const own = typeof this.own === 'function' ? this.own() : (this.own as LogFields);
      this.resolved = { ...this.parentFields, ...own };
    }
    return this.resolved;
  }

  /** Builds the record from `msg` and the extra arguments `args[start..]`. */
  private emit(level: LevelName, msg: unknown, args: ArrayLike<unknown>, start: number): void {
    const base = this.fieldsNow();
    let fields = base;
    let error: Error | undefined;
    let text = textOf(msg);
    if (msg instanceof Error) error = msg;
    for (let i = start; i < args.length; i++) {
      const m = args[i];
      if (m === undefined) continue;
      if (m instanceof Error) {
        error ??= m;
        if (fields === base) fields = { ...base };
        fields.error = m.message;
      } else if (typeof m === 'object' && m !== null && !(m instanceof Uint8Array) && isPlainFields(m)) {
        fields = fields === base ? { ...base, ...m } : Object.assign(fields, m);
      } else {
        text += ' ' + textOf(m);
      }
    }
    const record: LogRecord = { time: new Date(), level, logger: this.name, msg: text, fields };
    if (error !== undefined) record.error = error;
    defaultSink.write(record);
  }
}

/** Options of {@link createLogger}. */
export interface CreateLoggerOptions {
  /** Initial level (Fabric or winston name); INFO when absent or unknown. */
  level?: string;
  /** Fields on every line. */
  fields?: LogFields;
}

/** A logger with an explicit level, independent of the environment. */
export function createLogger(name: string, options: CreateLoggerOptions = {}): Logger {
  const level = (options.level !== undefined ? parseAnyLevel(options.level) : undefined) ?? 'info';
  return new LeveledLogger(name, { max: LEVELS[level] }, options.fields ?? {}, undefined);
}

/**
 * A chaincode logger (fabric-shim's `Shim.newLogger`). Level from CORE_CHAINCODE_LOGGING_LEVEL,
 * default INFO as in fabric-shim.
 */
export function newLogger(name: string): Logger {
  return createLogger(name, { level: parseLevel(process.env.CORE_CHAINCODE_LOGGING_LEVEL) ?? 'info' });
}

/**
 * The shim's own logger. Level from CORE_CHAINCODE_LOGGING_SHIM, default WARNING (the peer's
 * default for chaincode.logging.shim) so a peer's default settings cost nothing per transaction.
 */
export function shimLogger(component: string): Logger {
  return createLogger(`shim:${component}`, { level: parseLevel(process.env.CORE_CHAINCODE_LOGGING_SHIM) ?? 'warn' });
}

/** fabric-shim's short transaction id in log lines: the first 8 characters. */
export function shortTxId(txId: string): string {
  return txId.length > 8 ? txId.slice(0, 8) : txId;
}

/**
 * A child of `base` for one transaction: every line carries `channel`, `txid` (short, as
 * fabric-shim prints it) and `fn` (the chaincode function). `fn` may be a function, called only
 * when the first line is written, so no argument is decoded for a transaction that logs nothing.
 */
export function transactionLogger(base: Logger, channelId: string, txId: string, fn?: string | (() => string)): Logger {
  return base.child(() => {
    const fields: LogFields = { channel: channelId, txid: shortTxId(txId) };
    if (fn !== undefined) {
      try {
        fields.fn = typeof fn === 'function' ? fn() : fn;
      } catch {
        // Malformed arguments: the line is still worth writing without the function name.
      }
    }
    return fields;
  });
}
