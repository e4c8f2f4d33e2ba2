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
import { newLogger, shimLogger, type Logger } from './logger';
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
  const handlerOpts: { chaincodeId: string; mspId?: string; logger?: Logger } = { chaincodeId: options.chaincodeId };
  if (options.mspId !== undefined) handlerOpts.mspId = options.mspId;
  if (options.logger !== undefined) handlerOpts.logger = options.logger;
  const handler = new ChaincodeHandler(chaincode, stream, handlerOpts);
  const closed = handler.run();
  // Callers that only await `ready` must not see an unhandled rejection: `ready` carries the error.
  closed.catch(() => undefined);
  return { handler, ready: handler.ready, closed, close: () => handler.close() };
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
  const log = options.logger ?? shimLogger('start');
  const config = readStartConfig(options.argv ?? process.argv.slice(2), options.env ?? process.env);
  const connectOpts: ConnectOptions = { peerAddress: config.peerAddress, chaincodeId: config.chaincodeId, grpc: config.grpc, logger: log };
  if (config.mspId !== undefined) connectOpts.mspId = config.mspId;
  if (config.tls !== undefined) connectOpts.tls = config.tls;
  log.info('starting chaincode', { peer: config.peerAddress, chaincode: config.chaincodeId, tls: config.tls !== undefined });
  const connection = connect(chaincode, connectOpts);
  await connection.closed;
  throw new ShimError('STREAM_CLOSED', `chaincode ${config.chaincodeId}: peer ${config.peerAddress} ended the stream; exiting so the chaincode is restarted`);
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
