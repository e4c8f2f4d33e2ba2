/**
 * The mock peer's `gateway.Gateway` service, as Fabric's gateway (internal/pkg/gateway) answers
 * `@hyperledger/fabric-gateway`: Evaluate runs a proposal and commits nothing; Endorse runs it and
 * returns the prepared transaction signed by the peer; Submit checks the client's signature and
 * orders it; CommitStatus waits for its validation code; ChaincodeEvents streams committed
 * events. Failures carry the gRPC codes, messages and gateway.ErrorDetail status details the real
 * gateway sends, so client code that inspects `EndorseError.details` behaves the same here.
 */
import { create, fromBinary, toBinary, type DescMessage, type MessageShape } from '@bufbuild/protobuf';
import { anyPack } from '@bufbuild/protobuf/wkt';
import {
  ChaincodeEventsRequestSchema,
  ChaincodeEventsResponseSchema,
  CommitStatusRequestSchema,
  CommitStatusResponseSchema,
  EndorseRequestSchema,
  EndorseResponseSchema,
  ErrorDetailSchema,
  EvaluateRequestSchema,
  EvaluateResponseSchema,
  SignedChaincodeEventsRequestSchema,
  SignedCommitStatusRequestSchema,
  SubmitRequestSchema,
  SubmitResponseSchema,
} from '../gen/gateway/gateway_pb';
import { StatusSchema } from '../gen/google/rpc/status_pb';
import type { SignedProposal } from '../gen/peer/proposal_pb';
import { ResponseSchema } from '../gen/peer/proposal_response_pb';
import { TxValidationCode } from '../gen/peer/transaction_pb';
import { RpcError, type ServedService } from '../stream';
import type { BlockLedger } from './blocks';
import type { ChaincodeSession, ExecutionResult } from './chaincode-session';
import {
  prepareTransaction,
  unpackProposal,
  unpackTransaction,
  verifyCreatorSignature,
  creatorIdentity,
  type UnpackedProposal,
} from './envelope';
import type { ProposalSigner } from './proposals';
import { peerEndorser } from './key-policies';
import { decodeResults, encodeResults } from './rwset';
import { TxSimulation } from './simulation';
import type { KeyWrite, MetadataWrite, WorldState } from './world-state';

/** gRPC status codes used here (grpc/status codes, numbered as on the wire). */
const Code = {
  UNKNOWN: 2,
  INVALID_ARGUMENT: 3,
  NOT_FOUND: 5,
  PERMISSION_DENIED: 7,
  FAILED_PRECONDITION: 9,
  ABORTED: 10,
} as const;

/** What the gateway needs from its {@link MockPeer}. */
export interface GatewayHost {
  readonly ledger: WorldState;
  readonly blocks: BlockLedger;
  readonly txTimeoutMs: number;
  /** The peer's organisation and address, named in error details. */
  readonly mspId: string;
  readonly address: string;
  /** Channels this peer has joined. */
  hasChannel(channelId: string): boolean;
  findChaincode(name: string): ChaincodeSession | undefined;
  /** The peer's own signing identity (signs endorsements). */
  endorser(): Promise<ProposalSigner>;
  /** The CA certificate of an MSP this peer knows, or undefined for an unknown MSP. */
  caCertificate(mspId: string): Promise<string | undefined>;
}

/** A proposal the endorser accepted: unpacked, signature checked, its chaincode connected. */
interface Accepted {
  readonly proposal: UnpackedProposal;
  readonly session: ChaincodeSession;
  readonly signed: SignedProposal;
}

/** A transaction's private writes, kept by the endorsing peer until it commits (its transient store). */
interface PrivateWrites {
  writes: KeyWrite[];
  metadata: MetadataWrite[];
}

/** One ErrorDetail in a google.rpc.Status, as the gateway's newRpcError attaches them. */
function rpcError(host: GatewayHost, code: number, message: string, detail?: string): RpcError {
  if (detail === undefined) return new RpcError(code, message);
  const errorDetail = create(ErrorDetailSchema, { address: host.address, mspId: host.mspId, message: detail });
  const status = create(StatusSchema, { code, message, details: [anyPack(ErrorDetailSchema, errorDetail)] });
  return new RpcError(code, message, toBinary(StatusSchema, status));
}

function decode<Desc extends DescMessage>(schema: Desc, bytes: Uint8Array, what: string): MessageShape<Desc> {
  try {
    return fromBinary(schema, bytes);
  } catch (e) {
    throw new RpcError(Code.INVALID_ARGUMENT, `invalid ${what}: ${(e as Error).message}`);
  }
}

const reason = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/** The chaincode version in `name:version` (dev mode) or `label:hash` (package id). */
const versionOf = (chaincodeId: string): string => (chaincodeId.includes(':') ? chaincodeId.slice(chaincodeId.indexOf(':') + 1) : '');

/** The `gateway.Gateway` service of a mock peer; `host()` is read per call. */
export function gatewayService(host: () => GatewayHost): ServedService {
  const transientStore = new Map<string, PrivateWrites>();

  /** Unpacks the proposal, finds the chaincode and checks the client's signature, as the endorser's preProcess. */
  async function accept(signed: SignedProposal | undefined, action: 'evaluate' | 'endorse'): Promise<Accepted> {
    const h = host();
    let proposal: UnpackedProposal;
    try {
      proposal = unpackProposal(signed);
    } catch (e) {
      throw new RpcError(Code.INVALID_ARGUMENT, `failed to unpack transaction proposal: ${reason(e)}`);
    }
    const session = h.hasChannel(proposal.channelId) ? h.findChaincode(proposal.chaincodeName) : undefined;
    if (!session?.isReady) {
      const where = h.hasChannel(proposal.channelId) ? '' : ` (this peer has not joined channel ${proposal.channelId})`;
      throw new RpcError(
        Code.FAILED_PRECONDITION,
        `no peers available to ${action} chaincode ${proposal.chaincodeName} in channel ${proposal.channelId}${where}`,
      );
    }
    const failed =
      action === 'evaluate'
        ? 'failed to evaluate transaction, see attached details for more info'
        : 'failed to endorse transaction, see attached details for more info';
    let mspId: string;
    try {
      mspId = creatorIdentity(proposal.creator).mspId;
    } catch (e) {
      throw rpcError(h, Code.ABORTED, failed, `access denied: the creator is not a valid identity: ${reason(e)}`);
    }
    const ca = await h.caCertificate(mspId);
    if (ca === undefined)
      throw rpcError(h, Code.ABORTED, failed, `access denied: MSP ${mspId} is not a member of channel ${proposal.channelId}`);
    // unpackProposal refused a missing proposal, so `signed` is defined from here on.
    const proposed = signed as SignedProposal;
    if (!verifyCreatorSignature(proposal.creator, proposed.proposalBytes, proposed.signature, ca)) {
      throw rpcError(h, Code.ABORTED, failed, 'access denied: the proposal signature does not verify against its creator');
    }
    if (action === 'endorse' && h.blocks.status(proposal.channelId, proposal.txId)) {
      throw rpcError(h, Code.ABORTED, failed, `duplicate transaction found [${proposal.txId}]. Creator [${mspId}]`);
    }
    return { proposal, session, signed: proposed };
  }

  /** Runs the proposal on the chaincode; the caller commits nothing until Submit. */
  async function simulate({ session, proposal, signed }: Accepted): Promise<{ result: ExecutionResult; simulation: TxSimulation }> {
    const h = host();
    const simulation = new TxSimulation(h.ledger, proposal.channelId, proposal.txId);
    try {
      const result = await session.execute({
        type: proposal.input.isInit ? 'INIT' : 'TRANSACTION',
        channelId: proposal.channelId,
        txId: proposal.txId,
        signedProposal: signed,
        input: proposal.input,
        simulation,
        timeoutMs: h.txTimeoutMs,
      });
      return { result, simulation };
    } catch (e) {
      simulation.discard();
      return { result: { outcome: 'ERROR', message: reason(e) }, simulation };
    }
  }

  /**
   * The endorser's answer as the gateway words it (responseStatus): an ERROR from the chaincode
   * is a peer-side 500 ("error in simulation"), a status of 400 or more a chaincode response.
   */
  function failure(result: ExecutionResult): { peerSide: boolean; message: string } | undefined {
    if (result.outcome === 'ERROR')
      return { peerSide: true, message: `error in simulation: transaction returned with failure: ${result.message}` };
    if (result.status >= 400) return { peerSide: false, message: `chaincode response ${result.status}, ${result.message}` };
    return undefined;
  }

  return {
    name: 'gateway.Gateway',
    methods: {
      Evaluate: {
        kind: 'unary',
        async handle(bytes) {
          const request = decode(EvaluateRequestSchema, bytes, 'evaluate request');
          const { result, simulation } = await simulate(await accept(request.proposedTransaction, 'evaluate'));
          simulation.discard();
          const failed = failure(result);
          if (failed?.peerSide)
            throw rpcError(host(), Code.ABORTED, 'failed to evaluate transaction, see attached details for more info', failed.message);
          if (failed) throw rpcError(host(), Code.UNKNOWN, `evaluate call to endorser returned error: ${failed.message}`, failed.message);
          const ok = result as Extract<ExecutionResult, { outcome: 'COMPLETED' }>;
          const response = create(ResponseSchema, { status: ok.status, message: ok.message, payload: ok.payload });
          return toBinary(EvaluateResponseSchema, create(EvaluateResponseSchema, { result: response }));
        },
      },
      Endorse: {
        kind: 'unary',
        async handle(bytes) {
          const request = decode(EndorseRequestSchema, bytes, 'endorse request');
          const accepted = await accept(request.proposedTransaction, 'endorse');
          const { proposal, session } = accepted;
          const { result, simulation } = await simulate(accepted);
          const failed = failure(result);
          if (failed || result.outcome !== 'COMPLETED') {
            simulation.discard();
            throw rpcError(
              host(),
              Code.ABORTED,
              'failed to endorse transaction, see attached details for more info',
              failed?.message ?? 'no result',
            );
          }
          const readSet = simulation.readSet();
          const writeSet = simulation.writeSet();
          simulation.discard();
          const event =
            result.event && result.event.eventName !== ''
              ? { ...result.event, chaincodeId: result.event.chaincodeId || session.name, txId: result.event.txId || proposal.txId }
              : undefined;
          const envelope = await prepareTransaction(
            proposal,
            {
              results: encodeResults(readSet, writeSet),
              event,
              status: result.status,
              message: result.message,
              payload: result.payload,
              chaincodeName: session.name,
              chaincodeVersion: versionOf(session.chaincodeId),
            },
            await host().endorser(),
          );
          const privateWrites: PrivateWrites = {
            writes: writeSet.writes.filter((w) => w.collection !== ''),
            metadata: writeSet.metadata.filter((m) => m.collection !== ''),
          };
          if (privateWrites.writes.length > 0 || privateWrites.metadata.length > 0) transientStore.set(proposal.txId, privateWrites);
          return toBinary(EndorseResponseSchema, create(EndorseResponseSchema, { preparedTransaction: envelope }));
        },
      },
      Submit: {
        kind: 'unary',
        async handle(bytes) {
          const h = host();
          const request = decode(SubmitRequestSchema, bytes, 'submit request');
          const envelope = request.preparedTransaction;
          if (!envelope) throw new RpcError(Code.INVALID_ARGUMENT, 'a prepared transaction is required');
          if (envelope.signature.length === 0) throw new RpcError(Code.INVALID_ARGUMENT, 'prepared transaction must be signed');
          if (!h.hasChannel(request.channelId))
            throw new RpcError(Code.FAILED_PRECONDITION, `channel ${request.channelId} not found: this peer has not joined it`);
          let tx;
          let sets;
          try {
            tx = unpackTransaction(envelope);
            sets = decodeResults(tx.action.results);
          } catch (e) {
            throw new RpcError(Code.INVALID_ARGUMENT, `malformed prepared transaction: ${reason(e)}`);
          }
          if (tx.txId !== request.transactionId || tx.channelId !== request.channelId) {
            throw new RpcError(
              Code.INVALID_ARGUMENT,
              `the prepared transaction is ${tx.txId} on channel ${tx.channelId}, not ${request.transactionId} on ${request.channelId}`,
            );
          }
          // The orderer's signature filter: only a transaction signed by its creator is ordered.
          let ca: string | undefined;
          try {
            ca = await h.caCertificate(creatorIdentity(tx.creator).mspId);
          } catch {
            ca = undefined;
          }
          if (ca === undefined || !verifyCreatorSignature(tx.creator, envelope.payload, envelope.signature, ca)) {
            throw new RpcError(
              Code.ABORTED,
              'received unsuccessful response from orderer: status=FORBIDDEN, info=the transaction signature does not verify against its creator',
            );
          }
          const peer = await h.endorser();
          const endorsed = tx.endorsements.some((e) =>
            verifyCreatorSignature(e.endorser, Buffer.concat([tx.responsePayload, e.endorser]), e.signature),
          );
          const ownEndorsement = tx.endorsements.some((e) => Buffer.from(e.endorser).equals(Buffer.from(peer.serialize())));
          const privateWrites = transientStore.get(tx.txId);
          transientStore.delete(tx.txId);
          h.blocks.order({
            txId: tx.txId,
            channelId: tx.channelId,
            timestamp: tx.timestamp,
            readSet: sets.readSet,
            writeSet: {
              writes: [...sets.writeSet.writes, ...(privateWrites?.writes ?? [])],
              metadata: [...sets.writeSet.metadata, ...(privateWrites?.metadata ?? [])],
            },
            event: tx.event,
            // Validated as the committer validates endorsements: signatures over the response payload by a peer it knows.
            ...(endorsed && ownEndorsement
              ? { endorsers: [peerEndorser(h.mspId)] }
              : { verdict: TxValidationCode.ENDORSEMENT_POLICY_FAILURE }),
          });
          return toBinary(SubmitResponseSchema, create(SubmitResponseSchema));
        },
      },
      CommitStatus: {
        kind: 'unary',
        async handle(bytes, signal) {
          const h = host();
          const signed = decode(SignedCommitStatusRequestSchema, bytes, 'commit status request');
          if (signed.request.length === 0) throw new RpcError(Code.INVALID_ARGUMENT, 'a commit status request is required');
          const request = decode(CommitStatusRequestSchema, signed.request, 'status request');
          if (request.identity.length === 0) throw new RpcError(Code.INVALID_ARGUMENT, 'no identity provided');
          if (request.channelId === '') throw new RpcError(Code.INVALID_ARGUMENT, 'no channel ID provided');
          if (request.transactionId === '') throw new RpcError(Code.INVALID_ARGUMENT, 'transaction ID should not be empty');
          await checkRequestSignature(h, request.identity, signed.request, signed.signature, request.channelId);
          if (!h.hasChannel(request.channelId))
            throw new RpcError(Code.FAILED_PRECONDITION, `channel ${request.channelId} not found: this peer has not joined it`);
          const status = await h.blocks.waitForStatus(request.channelId, request.transactionId, signal);
          return toBinary(
            CommitStatusResponseSchema,
            create(CommitStatusResponseSchema, { result: status.code, blockNumber: BigInt(status.blockNumber) }),
          );
        },
      },
      ChaincodeEvents: {
        kind: 'serverStream',
        async handle(bytes, sink, signal) {
          const h = host();
          const signed = decode(SignedChaincodeEventsRequestSchema, bytes, 'chaincode events request');
          if (signed.request.length === 0) throw new RpcError(Code.INVALID_ARGUMENT, 'a chaincode events request is required');
          const request = decode(ChaincodeEventsRequestSchema, signed.request, 'chaincode events request');
          await checkRequestSignature(h, request.identity, signed.request, signed.signature, request.channelId);
          if (!h.hasChannel(request.channelId))
            throw new RpcError(Code.NOT_FOUND, `channel ${request.channelId} not found: this peer has not joined it`);
          const after = request.afterTransactionId;
          const afterStatus = after === '' ? undefined : h.blocks.status(request.channelId, after);
          const position = request.startPosition?.Type;
          let next: number;
          if (afterStatus) next = afterStatus.blockNumber;
          else if (position === undefined || position.case === undefined || position.case === 'nextCommit')
            next = h.ledger.blockHeight(request.channelId);
          else if (position.case === 'specified') next = Number(position.value.number);
          else throw new RpcError(Code.INVALID_ARGUMENT, `invalid start position type: ${position.case}`);
          // Until the checkpointed transaction is passed, its block's earlier events are skipped.
          let passed = afterStatus === undefined;
          for (;;) {
            const more = h.blocks.nextBlock(request.channelId, signal);
            more.catch(() => undefined);
            for (const block of h.blocks.blocks(request.channelId, next)) {
              next = block.number + 1;
              const events = [];
              for (const tx of block.transactions) {
                if (!passed) {
                  passed = tx.txId === after;
                  continue;
                }
                if (tx.event && tx.event.chaincodeId === request.chaincodeId) events.push(tx.event);
              }
              passed = true;
              if (events.length > 0) {
                await sink.send(
                  toBinary(
                    ChaincodeEventsResponseSchema,
                    create(ChaincodeEventsResponseSchema, { events, blockNumber: BigInt(block.number) }),
                  ),
                );
              }
            }
            try {
              await more;
            } catch {
              return; // the client closed the stream
            }
          }
        },
      },
    },
  };
}

/** A signed request's identity must have signed it (the gateway's ACL check). */
async function checkRequestSignature(
  h: GatewayHost,
  identity: Uint8Array,
  request: Uint8Array,
  signature: Uint8Array,
  channelId: string,
): Promise<void> {
  let mspId: string;
  try {
    mspId = creatorIdentity(identity).mspId;
  } catch (e) {
    throw new RpcError(Code.PERMISSION_DENIED, `access denied: the requestor is not a valid identity: ${reason(e)}`);
  }
  const ca = await h.caCertificate(mspId);
  if (ca === undefined || !verifyCreatorSignature(identity, request, signature, ca)) {
    throw new RpcError(
      Code.PERMISSION_DENIED,
      `access denied for [${channelId}]: the request signature does not verify against the requestor's identity`,
    );
  }
}
