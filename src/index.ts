/**
 * fabric-shim-ts: a TypeScript chaincode shim for Hyperledger Fabric, a drop-in for fabric-shim.
 * Named re-exports only; the names are fabric-shim's (`Shim`, `start`, `success`, `ChaincodeStub`...),
 * so `const shim = require('fabric-shim-ts'); shim.start(new Cc())` works as with fabric-shim.
 */
// First, before the bundle behind the other exports is compiled: Node 22's compile cache.
import './compile-cache';
export { Shim, start, connect, newShimLogger as newLogger } from './shim';
export type { ConnectOptions, ChaincodeConnection, StartOptions } from './shim';
export { server, ChaincodeServer } from './server';
export type { ChaincodeServerOpts, TlsProps, TlsProps as ChaincodeServerTLSProperties } from './server';
export { ChaincodeInterface } from './chaincode';
export { ChaincodeHandler } from './handler';
export type { HandlerOptions } from './handler';
export { ChaincodeStub, ChaincodeStub as Stub } from './stub';
export type { StateValue, InvokeResponse } from './stub';
export type { SplitCompositeKey, SplitCompositekey } from './composite-key';
export type {
  Timestamp,
  Long64,
  SerializedIdentity,
  DecodedSignedProposal,
  ChannelHeader,
  SignatureHeader,
  ChaincodeProposalPayload,
} from './proposal';
export * as ChaincodeProposal from './chaincode-proposal';
export { ClientIdentity } from './client-identity';
export { Long } from './long';
export type { LongLike } from './long';
export type { X509CertificateView } from './client-identity';
export { KeyEndorsementPolicy, ENDORSER_ROLES } from './endorsement-policy';
export type { EndorsementRole } from './endorsement-policy';
export { Iterators, StateQueryIterator, HistoryQueryIterator } from './iterators';
export type {
  KV,
  KeyModification,
  HistoryTimestamp,
  NextResult,
  QueryPromise,
  StateQueryResponse,
  QueryResponseMetadata,
} from './iterators';
export { success, error, RESPONSE_CODE } from './response';
export type { ChaincodeResponse, SuccessResponse, ErrorResponse } from './response';
export { ShimError } from './errors';
export type { ShimErrorCode, ShimErrorDetails } from './errors';
export { setLogSink, textSink, jsonSink, templateSink, configureLogging, createLogger, parseLevel } from './logger';
export type { Logger, LogSink, LogRecord, LogFields, LevelName, LogMethod, LogEntry, LoggingOptions, CreateLoggerOptions } from './logger';
export { ATTR as TELEMETRY_ATTRIBUTES, METRIC as TELEMETRY_METRICS } from './transaction-telemetry';
export type { Outcome as TransactionOutcome } from './transaction-telemetry';
export type { PeerCapabilities } from './connection-options';
export { readStartConfig, readSetting, readPemOrBase64 } from './config';
export type { StartConfig } from './config';
export type { GrpcSettings, TlsClientOptions, TlsServerOptions } from './stream';
