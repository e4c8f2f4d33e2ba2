/**
 * `fabric-shim-ts/testing`: a mock Fabric peer that speaks the real chaincode protocol over
 * gRPC, with an in-memory ledger, test identities and fault injection; and an in-memory stream
 * that runs the real handler with no socket.
 */
export { MockPeer, IdentityHandle, DEFAULT_CAPABILITIES } from './mock-peer';
export type { MockPeerOptions, ChaincodeOptions, LaunchOptions, WaitOptions, ConnectOptions } from './mock-peer';
export { MockChaincode } from './mock-chaincode';
export type { InvokeOptions, InvokeResult, ChaincodeEventRecord, IdentityLike } from './mock-chaincode';
export { ChaincodeSession } from './chaincode-session';
export type { WireRecord, ExecutionResult } from './chaincode-session';
export { Faults, MALFORMED_PAYLOAD } from './faults';
export { MemoryStream } from './memory-stream';
export type { DeliveredMessage } from './memory-stream';
export type { FaultAction, FaultTarget, MessageTypeName } from './faults';
export { WorldState, compareKeys } from './world-state';
export type { KeyVersion, HistoryEntry, LedgerLocation, StoredValue, WriteSet, KeyWrite, MetadataWrite } from './world-state';
export { TxSimulation } from './simulation';
export type { ReadSet, RecordedRead, RangeRead } from './simulation';
export { BlockLedger } from './blocks';
export { TxValidationCode } from '../gen/peer/transaction_pb';
export type { BlockCutting, CommittedBlock, OrderedTransaction, TransactionStatus } from './blocks';
export { gatewayCredentials } from './gateway-credentials';
export type { GatewayCredentials } from './gateway-credentials';
export { buildSignedProposal, computeTxId } from './proposals';
export type { ProposalSigner, ProposalRequest, BuiltProposal } from './proposals';
export { IdentityFactory } from './identities';
export type { TestIdentity, IdentityRequest } from './identities';
export { mockPeerCommand } from '../cli/mock-peer';
export { createTestCa, createTlsFixture } from './tls';
export type { TestCa, TlsFixture, TlsKeyPair, TlsCertificateRequest } from './tls';
