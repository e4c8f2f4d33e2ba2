/**
 * The process-wide error handlers of a chaincode process. One chaincode process serves every
 * channel, so a single chaincode bug (a rejected promise nobody awaits, a throw in a timer) must
 * not end it: the peer would fail every transaction until it restarts the container. fabric-shim
 * does the same (lib/logger.js: an `unhandledRejection` listener and winston's
 * `handleExceptions` with `exitOnError: false`), but installs them when the module is imported;
 * a library must not change how its host handles errors, so ours are installed only by the entry
 * points that own the process (`start()`, `ChaincodeServer.start()`, hence the CLI), once per
 * process. Only the loss of the peer stream ends the process ({@link endProcessIfUnhandled}).
 *
 * Lines name the transaction where the error says which (every ShimError does). Finding it for
 * any error would need AsyncLocalStorage around Init/Invoke; on Node 20 that switches on promise
 * hooks for the whole process and made a promise-heavy loop 3.5x slower, so it is not done.
 */
import { shimLogger, shortTxId, type LogFields, type Logger } from './logger';

/** Shared through the process, not the module: jest and bundles can load this module twice. */
const GUARD = Symbol.for('fabric-shim-ts.process-guard');

interface Guard {
  /** Promises whose unhandled rejection must end the process as Node would (start()'s own). */
  readonly fatal: WeakSet<Promise<unknown>>;
  readonly onRejection: (reason: unknown, promise: Promise<unknown>) => void;
  readonly onException: (error: Error) => void;
}

type GuardedProcess = NodeJS.Process & { [GUARD]?: Guard };

/** What a log line says about an error: message, stack, and the transaction when the error names one. */
function fieldsOf(error: unknown): LogFields {
  const fields: LogFields = { error: error instanceof Error ? error.message : String(error) };
  const e = error as { txId?: unknown; channelId?: unknown; stack?: unknown } | null | undefined;
  if (typeof e === 'object' && e !== null) {
    if (typeof e.channelId === 'string') fields.channel = e.channelId;
    if (typeof e.txId === 'string') fields.txid = shortTxId(e.txId);
    if (typeof e.stack === 'string') fields.stack = e.stack;
  }
  return fields;
}

/**
 * Installs the `unhandledRejection` and `uncaughtException` listeners (once per process; later
 * calls do nothing): each logs the error, with its transaction where known, and the process
 * keeps serving.
 */
export function installProcessGuard(log: Logger = shimLogger('process')): void {
  const proc = process as GuardedProcess;
  if (proc[GUARD] !== undefined) return;
  const fatal = new WeakSet<Promise<unknown>>();
  const onException = (error: Error): void => {
    log.error('uncaught exception (the chaincode keeps serving)', fieldsOf(error));
  };
  const onRejection = (reason: unknown, promise: Promise<unknown>): void => {
    if (fatal.has(promise)) {
      // start() gave up (the stream is gone, or the configuration is wrong) and nobody handles
      // it: end the process exactly as Node does without listeners (message, stack, exit 1),
      // so the peer or the orchestrator restarts the chaincode.
      proc.removeListener('uncaughtException', onException);
      throw reason;
    }
    log.error('unhandled promise rejection (the chaincode keeps serving)', fieldsOf(reason));
  };
  proc[GUARD] = { fatal, onRejection, onException };
  proc.on('unhandledRejection', onRejection);
  proc.on('uncaughtException', onException);
}

/**
 * Marks `promise` (start()'s) as the one whose unhandled rejection still ends the process, as
 * it did before the guard: a fabric-shim-style `Shim.start(chaincode)` that ignores the promise
 * must exit non-zero when the stream is lost. Needs {@link installProcessGuard} first.
 */
export function endProcessIfUnhandled(promise: Promise<unknown>): void {
  (process as GuardedProcess)[GUARD]?.fatal.add(promise);
}
