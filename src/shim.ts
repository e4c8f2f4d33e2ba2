/**
 * Client mode: dial the peer, register, serve. `connect` is the programmatic form (used by
 * the mock peer's in-process launch); `start` is fabric-shim's, configured from env + argv.
 */
import { assertChaincode, ChaincodeInterface } from './chaincode';
import { ClientIdentity } from './client-identity';
import { KeyEndorsementPolicy } from './endorsement-policy';
import { HistoryQueryIterator, Iterators, StateQueryIterator } from './iterators';
import { RESPONSE_CODE, error, success } from './response';
import { server } from './server';
import { ChaincodeStub } from './stub';
import { readStartConfig } from './config';
import { ShimError } from './errors';
import { ChaincodeHandler } from './handler';
import { endProcessIfUnhandled, installProcessGuard } from './process-guard';
import { createLogger, newLogger, parseLevel, type Logger } from './logger';
import { dialChaincodeSupport, type GrpcSettings, type TlsClientOptions } from './stream';

/** Options of {@link connect}. */
export interface ConnectOptions {
  /** host:port of the peer. */
  peerAddress: string;
  /** The name sent in REGISTER (`name:version`, or the package id). */
  chaincodeId: string;
  /** CORE_PEER_LOCALMSPID, returned by `stub.getMspID()`. */
  mspId?: string;
  tls?: TlsClientOptions;
  grpc?: GrpcSettings;
  logger?: Logger;
  /**
   * How long to wait for READY after dialling, in milliseconds; 0 or absent waits as long as
   * the stream lives. When it passes, the stream is closed and `ready` and `closed` reject with
   * ShimError('TIMEOUT') naming the address and what was waited for.
   */
  registrationTimeoutMs?: number;
  /** @internal start(): the caller logs dialling, READY and a failed end (see HandlerOptions). */
  lifecycleReportedByCaller?: boolean;
}

/** A running chaincode connected to a peer. */
export interface ChaincodeConnection {
  readonly handler: ChaincodeHandler;
  /** Resolves once the peer sent READY. */
  readonly ready: Promise<void>;
  /**
   * Settles when the stream ends: resolves on a clean end after READY or after
   * {@link ChaincodeConnection.close}, rejects with ShimError('STREAM_CLOSED') on failure.
   */
  readonly closed: Promise<void>;
  /** Ends the stream; waiting stub calls reject with STREAM_CLOSED. */
  close(): void;
}

/** Dials the peer's ChaincodeSupport service, registers `chaincode` and serves it. */
export function connect(chaincode: ChaincodeInterface, options: ConnectOptions): ChaincodeConnection {
  assertChaincode(chaincode);
  const dialOpts: { tls?: TlsClientOptions; grpc?: GrpcSettings } = {};
  if (options.tls !== undefined) dialOpts.tls = options.tls;
  if (options.grpc !== undefined) dialOpts.grpc = options.grpc;
  const stream = dialChaincodeSupport(options.peerAddress, dialOpts);
  const handlerOpts: ConstructorParameters<typeof ChaincodeHandler>[2] = { chaincodeId: options.chaincodeId };
  if (options.mspId !== undefined) handlerOpts.mspId = options.mspId;
  if (options.logger !== undefined) handlerOpts.logger = options.logger;
  if (options.lifecycleReportedByCaller === true) handlerOpts.lifecycleReportedByCaller = true;
  const handler = new ChaincodeHandler(chaincode, stream, handlerOpts);
  const closed = handler.run();
  // Callers that only await `ready` must not see an unhandled rejection: `ready` carries the error.
  closed.catch(() => undefined);
  const timeoutMs = options.registrationTimeoutMs ?? 0;
  if (timeoutMs > 0) {
    // An address that accepts TCP but never speaks gRPC (or a peer that never answers) would
    // otherwise leave the chaincode waiting forever, silently.
    const timer = setTimeout(() => handler.close(registrationTimeout(options, handler.phase, timeoutMs)), timeoutMs);
    const clear = () => clearTimeout(timer);
    handler.ready.then(clear, clear);
  }
  return { handler, ready: handler.ready, closed, close: () => handler.close() };
}

/** The error of a registration that did not reach READY in time: the address, and what was waited for. */
function registrationTimeout(options: ConnectOptions, phase: ChaincodeHandler['phase'], timeoutMs: number): ShimError {
  const waited =
    phase === 'established'
      ? 'the peer answered REGISTER with REGISTERED but sent no READY'
      : "no REGISTERED answer to REGISTER (is this the peer's chaincode listen address, CORE_PEER_CHAINCODELISTENADDRESS, and does it speak gRPC" +
        (options.tls === undefined ? ' without TLS' : ' with TLS') +
        '?)';
  return new ShimError(
    'TIMEOUT',
    `chaincode ${options.chaincodeId}: no READY from peer ${options.peerAddress} within ${timeoutMs} ms: ${waited}; ` +
      'wait longer with --registration-timeout or CORE_REGISTRATION_TIMEOUT (0 waits forever)',
  );
}

/** Where {@link start} reads its configuration (defaults: this process's argv and env). */
export interface StartOptions {
  argv?: readonly string[];
  env?: NodeJS.ProcessEnv;
  logger?: Logger;
}

/**
 * fabric-shim's `Shim.start(chaincode)`: reads the peer address, chaincode id, TLS material and
 * gRPC options from fabric-chaincode-node's `start` flags and Fabric's CORE_* environment, then
 * registers with the peer and serves until the stream ends.
 *
 * The returned promise never resolves: it rejects when the configuration is wrong or the stream
 * ends for any reason (the chaincode cannot do anything without its peer). The process must then
 * exit non-zero so the peer or the orchestrator restarts it: `fabric-shim-ts start` sets
 * `process.exitCode = 1`; a program calling `start()` itself should do the same in a `catch`. A
 * fabric-shim-style call that ignores the promise leaves the rejection unhandled, and the
 * process then ends with exit code 1 and the error's message, as Node does.
 *
 * Like fabric-shim, `start()` takes over the process's error handling (src/process-guard.ts):
 * an unhandled rejection or uncaught exception raised by chaincode code is logged and the
 * chaincode keeps serving; only the loss of the stream ends the process.
 */
export function start(chaincode: ChaincodeInterface, options: StartOptions = {}): Promise<never> {
  installProcessGuard();
  const serving = serve(chaincode, options);
  endProcessIfUnhandled(serving);
  return serving;
}

async function serve(chaincode: ChaincodeInterface, options: StartOptions): Promise<never> {
  assertChaincode(chaincode);
  const env = options.env ?? process.env;
  // INFO by default here (unlike the rest of the shim, WARNING): an operator must see which peer
  // a chaincode dials, as whom, and that it is READY; these are the only two lines at INFO.
  const log = options.logger ?? createLogger('shim:start', { level: parseLevel(env.CORE_CHAINCODE_LOGGING_SHIM) ?? 'info' });
  const config = readStartConfig(options.argv ?? process.argv.slice(2), env);
  const connectOpts: ConnectOptions = {
    peerAddress: config.peerAddress,
    chaincodeId: config.chaincodeId,
    grpc: config.grpc,
    logger: log,
    registrationTimeoutMs: config.registrationTimeoutMs,
    lifecycleReportedByCaller: true,
  };
  if (config.mspId !== undefined) connectOpts.mspId = config.mspId;
  if (config.tls !== undefined) connectOpts.tls = config.tls;
  const where = { peer: config.peerAddress, chaincode: config.chaincodeId, tls: config.tls === undefined ? 'off' : 'on' };
  log.info('registering with peer', {
    ...where,
    timeout: config.registrationTimeoutMs === 0 ? 'none' : `${config.registrationTimeoutMs}ms`,
  });
  const connection = connect(chaincode, connectOpts);
  // A failed registration rejects `closed` too, with the same error: awaited below.
  connection.ready.then(
    () => {
      const caps = connection.handler.capabilities;
      const advertised = [
        caps.useWriteBatch ? `write batch (max ${caps.maxSizeWriteBatch})` : '',
        caps.useGetMultipleKeys ? `multi-key reads (max ${caps.maxSizeGetMultipleKeys})` : '',
      ].filter((c) => c !== '');
      log.info('ready', { ...where, capabilities: advertised.length === 0 ? 'none' : advertised.join(', ') });
    },
    () => undefined,
  );
  await connection.closed;
  throw new ShimError(
    'STREAM_CLOSED',
    `chaincode ${config.chaincodeId}: peer ${config.peerAddress} ended the stream; exiting so the chaincode is restarted`,
  );
}

/** fabric-shim's `newLogger(name)`: a chaincode logger, named 'shim' when no name is given. */
export function newShimLogger(name?: string): Logger {
  return newLogger(name === undefined || name === '' ? 'shim' : name);
}

/**
 * fabric-shim's `Shim` (its module export): the same static functions and classes under the
 * same names, so `Shim.start(cc)`, `Shim.success(...)`, `new Shim.ClientIdentity(stub)` work.
 */
export const Shim = {
  start,
  server,
  success,
  error,
  newLogger: newShimLogger,
  ClientIdentity,
  KeyEndorsementPolicy,
  ChaincodeStub,
  /** fabric-shim's legacy alias of ChaincodeStub. */
  Stub: ChaincodeStub,
  Iterators,
  StateQueryIterator,
  HistoryQueryIterator,
  ChaincodeInterface,
  RESPONSE_CODE,
} as const;
