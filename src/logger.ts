/**
 * Leveled, structured logging that costs one comparison when a level is off.
 *
 * Levels follow Fabric's names (CRITICAL, ERROR, WARNING, NOTICE, INFO, DEBUG) as read from
 * CORE_CHAINCODE_LOGGING_LEVEL (chaincode loggers) and CORE_CHAINCODE_LOGGING_SHIM (the
 * shim's own). Output goes to a pluggable sink: text lines on stderr by default, JSON lines
 * when CORE_CHAINCODE_LOGGING_FORMAT=json. Callers must never pass state values, transient
 * data or private data as fields: log keys and sizes only.
 */

/** Numeric severities; lower is more severe. */
export const LEVELS = { critical: 0, error: 1, warn: 2, notice: 3, info: 4, debug: 5 } as const;
/** A level name in our spelling (Fabric's WARNING is `warn`). */
export type LevelName = keyof typeof LEVELS;

/** Structured context carried on every line (channel, txid, function...). */
export type LogFields = Record<string, string | number | boolean | undefined>;

/** One log record handed to a sink. */
export interface LogRecord {
  time: Date;
  level: LevelName;
  logger: string;
  msg: string;
  fields: LogFields;
}

/** Where records go. Plug pino/winston in by implementing this one method. */
export interface LogSink {
  write(record: LogRecord): void;
}

/** The logger returned by `Shim.newLogger` and used inside the shim. */
export interface Logger {
  readonly name: string;
  level: LevelName;
  critical(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  notice(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  debug(msg: string, fields?: LogFields): void;
  /** True when `level` would be written; guard costly field building with it. */
  enabled(level: LevelName): boolean;
  /** A logger that adds `fields` to every line (e.g. channel and short txid). */
  child(fields: LogFields): Logger;
}

/** Maps a Fabric level name (any case; WARNING/WARN, CRITICAL/FATAL) to ours; undefined if unknown. */
export function parseLevel(name: string | undefined): LevelName | undefined {
  switch ((name ?? '').trim().toUpperCase()) {
    case 'CRITICAL': case 'FATAL': case 'PANIC': return 'critical';
    case 'ERROR': return 'error';
    case 'WARNING': case 'WARN': return 'warn';
    case 'NOTICE': return 'notice';
    case 'INFO': return 'info';
    case 'DEBUG': return 'debug';
    default: return undefined;
  }
}

function formatText(r: LogRecord): string {
  let line = `${r.time.toISOString()} ${r.level.toUpperCase()} [${r.logger}] ${r.msg}`;
  for (const [k, v] of Object.entries(r.fields)) if (v !== undefined) line += ` ${k}=${v}`;
  return line + '\n';
}

/** Text lines on stderr (the default). */
export const textSink: LogSink = { write: (r) => void process.stderr.write(formatText(r)) };

/** JSON lines on stderr. */
export const jsonSink: LogSink = {
  write: (r) =>
    void process.stderr.write(
      JSON.stringify({ ts: r.time.toISOString(), level: r.level, logger: r.logger, msg: r.msg, ...r.fields }) + '\n',
    ),
};

let defaultSink: LogSink = process.env.CORE_CHAINCODE_LOGGING_FORMAT?.toLowerCase() === 'json' ? jsonSink : textSink;

/** Sends every logger's output to `sink` from now on (e.g. an adapter over pino). */
export function setLogSink(sink: LogSink): void {
  defaultSink = sink;
}

class LeveledLogger implements Logger {
  level: LevelName;
  constructor(
    readonly name: string,
    level: LevelName,
    private readonly fields: LogFields,
  ) {
    this.level = level;
  }
  enabled(level: LevelName): boolean {
    return LEVELS[level] <= LEVELS[this.level];
  }
  private log(level: LevelName, msg: string, fields?: LogFields): void {
    if (LEVELS[level] > LEVELS[this.level]) return;
    defaultSink.write({ time: new Date(), level, logger: this.name, msg, fields: fields ? { ...this.fields, ...fields } : this.fields });
  }
  critical(msg: string, fields?: LogFields): void { this.log('critical', msg, fields); }
  error(msg: string, fields?: LogFields): void { this.log('error', msg, fields); }
  warn(msg: string, fields?: LogFields): void { this.log('warn', msg, fields); }
  notice(msg: string, fields?: LogFields): void { this.log('notice', msg, fields); }
  info(msg: string, fields?: LogFields): void { this.log('info', msg, fields); }
  debug(msg: string, fields?: LogFields): void { this.log('debug', msg, fields); }
  child(fields: LogFields): Logger {
    const child = new LeveledLogger(this.name, this.level, { ...this.fields, ...fields });
    return child;
  }
}

/**
 * A chaincode logger (fabric-shim's `Shim.newLogger`). Level from CORE_CHAINCODE_LOGGING_LEVEL,
 * default INFO as in fabric-shim.
 */
export function newLogger(name: string): Logger {
  return new LeveledLogger(name, parseLevel(process.env.CORE_CHAINCODE_LOGGING_LEVEL) ?? 'info', {});
}

/**
 * The shim's own logger. Level from CORE_CHAINCODE_LOGGING_SHIM, default WARNING so a
 * peer's default settings cost nothing per transaction.
 */
export function shimLogger(component: string): Logger {
  return new LeveledLogger(`shim:${component}`, parseLevel(process.env.CORE_CHAINCODE_LOGGING_SHIM) ?? 'warn', {});
}
