/**
 * The transaction messages a gateway peer reads and writes, with the generated code: a client's
 * SignedProposal unpacked, the prepared transaction (common.Envelope -> Payload -> Transaction ->
 * ChaincodeActionPayload -> ChaincodeEndorsedAction -> ProposalResponsePayload -> ChaincodeAction)
 * assembled as Fabric's gateway assembles it, a submitted Envelope unpacked, and the ECDSA
 * signature checks the peer and orderer make against a creator's X.509 certificate.
 */
import { create, fromBinary, toBinary } from '@bufbuild/protobuf';
import { timestampDate } from '@bufbuild/protobuf/wkt';
import { createHash, verify, X509Certificate } from 'node:crypto';
import {
  ChannelHeaderSchema,
  EnvelopeSchema,
  HeaderSchema,
  HeaderType,
  PayloadSchema,
  SignatureHeaderSchema,
  type Envelope,
  type Header,
} from '../gen/common/common_pb';
import { SerializedIdentitySchema } from '../gen/msp/identities_pb';
import { ChaincodeEventSchema, type ChaincodeEvent } from '../gen/peer/chaincode_event_pb';
import { ChaincodeInputSchema, ChaincodeInvocationSpecSchema, type ChaincodeInput } from '../gen/peer/chaincode_pb';
import {
  ChaincodeActionSchema,
  ChaincodeProposalPayloadSchema,
  ProposalSchema,
  type ChaincodeAction,
  type SignedProposal,
} from '../gen/peer/proposal_pb';
import { EndorsementSchema, ProposalResponsePayloadSchema, type Endorsement } from '../gen/peer/proposal_response_pb';
import { ChaincodeActionPayloadSchema, TransactionSchema } from '../gen/peer/transaction_pb';
import { computeTxId, type ProposalSigner } from './proposals';

/** A client's proposal, unpacked. */
export interface UnpackedProposal {
  readonly channelId: string;
  readonly txId: string;
  readonly chaincodeName: string;
  readonly input: ChaincodeInput;
  readonly creator: Uint8Array;
  readonly timestamp: Date;
  readonly header: Header;
  /** The proposal's ChaincodeProposalPayload without its transient map (what the transaction keeps). */
  readonly payloadWithoutTransient: Uint8Array;
  /** sha256(header bytes || payload without transient): ProposalResponsePayload.proposal_hash. */
  readonly proposalHash: Uint8Array;
  readonly hasTransientData: boolean;
}

/** Unpacks a SignedProposal; throws an Error saying what is missing or malformed. */
export function unpackProposal(signed: SignedProposal | undefined): UnpackedProposal {
  if (!signed || signed.proposalBytes.length === 0) throw new Error('a signed proposal is required');
  const proposal = fromBinary(ProposalSchema, signed.proposalBytes);
  const header = fromBinary(HeaderSchema, proposal.header);
  const channelHeader = fromBinary(ChannelHeaderSchema, header.channelHeader);
  const signatureHeader = fromBinary(SignatureHeaderSchema, header.signatureHeader);
  const payload = fromBinary(ChaincodeProposalPayloadSchema, proposal.payload);
  const spec = fromBinary(ChaincodeInvocationSpecSchema, payload.input).chaincodeSpec;
  if (channelHeader.type !== HeaderType.ENDORSER_TRANSACTION)
    throw new Error(`invalid header type ${channelHeader.type}: expected ENDORSER_TRANSACTION`);
  if (channelHeader.channelId === '') throw new Error('no channel id provided');
  const chaincodeName = spec?.chaincodeId?.name ?? '';
  if (chaincodeName === '') throw new Error(`no chaincode name is provided, channel id [${channelHeader.channelId}]`);
  // The txid must be derived from the nonce and creator, as the endorser's preProcess checks.
  const expected = computeTxId(signatureHeader.nonce, signatureHeader.creator);
  if (channelHeader.txId !== expected) throw new Error(`invalid txID. got [${channelHeader.txId}], expected [${expected}]`);
  const payloadWithoutTransient = toBinary(
    ChaincodeProposalPayloadSchema,
    create(ChaincodeProposalPayloadSchema, { input: payload.input }),
  );
  return {
    channelId: channelHeader.channelId,
    txId: channelHeader.txId,
    chaincodeName,
    input: spec?.input ?? create(ChaincodeInputSchema),
    creator: signatureHeader.creator,
    timestamp: channelHeader.timestamp ? timestampDate(channelHeader.timestamp) : new Date(),
    header,
    payloadWithoutTransient,
    proposalHash: createHash('sha256').update(proposal.header).update(payloadWithoutTransient).digest(),
    hasTransientData: Object.keys(payload.TransientMap).length > 0,
  };
}

/** The MSP id and certificate of an encoded msp.SerializedIdentity; throws when malformed. */
export function creatorIdentity(creator: Uint8Array): { mspId: string; certificate: X509Certificate } {
  const id = fromBinary(SerializedIdentitySchema, creator);
  return { mspId: id.mspid, certificate: new X509Certificate(Buffer.from(id.idBytes)) };
}

/**
 * Whether `signature` (ECDSA, DER) is the creator's signature over `data`, and the creator's
 * certificate was issued by `caCertificatePem` when given (the MSP's check). False, never a throw,
 * for anything malformed.
 */
export function verifyCreatorSignature(creator: Uint8Array, data: Uint8Array, signature: Uint8Array, caCertificatePem?: string): boolean {
  try {
    const { certificate } = creatorIdentity(creator);
    if (caCertificatePem !== undefined && !certificate.verify(new X509Certificate(caCertificatePem).publicKey)) return false;
    return verify('sha256', data, certificate.publicKey, signature);
  } catch {
    return false;
  }
}

/** What the endorser's simulation produced, for the ChaincodeAction. */
export interface EndorsedResult {
  /** ChaincodeAction.results: an encoded rwset.TxReadWriteSet. */
  readonly results: Uint8Array;
  readonly event: ChaincodeEvent | undefined;
  readonly status: number;
  readonly message: string;
  readonly payload: Uint8Array;
  /** Name and version of the invoked chaincode. */
  readonly chaincodeName: string;
  readonly chaincodeVersion: string;
}

/**
 * Assembles the prepared transaction for `proposal` endorsed by `endorser`, as Fabric's gateway
 * does (prepareTransaction): the unsigned Envelope the client signs and submits.
 */
export async function prepareTransaction(proposal: UnpackedProposal, result: EndorsedResult, endorser: ProposalSigner): Promise<Envelope> {
  const action = create(ChaincodeActionSchema, {
    results: result.results,
    events: result.event ? toBinary(ChaincodeEventSchema, result.event) : new Uint8Array(0),
    response: { status: result.status, message: result.message, payload: result.payload },
    chaincodeId: { name: result.chaincodeName, version: result.chaincodeVersion },
  });
  const responsePayload = toBinary(
    ProposalResponsePayloadSchema,
    create(ProposalResponsePayloadSchema, {
      proposalHash: proposal.proposalHash,
      extension: toBinary(ChaincodeActionSchema, action),
    }),
  );
  const endorserBytes = endorser.serialize();
  const endorsement = create(EndorsementSchema, {
    endorser: endorserBytes,
    // The endorser signs the response payload followed by its own identity.
    signature: await endorser.sign(Buffer.concat([responsePayload, endorserBytes])),
  });
  const actionPayload = toBinary(
    ChaincodeActionPayloadSchema,
    create(ChaincodeActionPayloadSchema, {
      chaincodeProposalPayload: proposal.payloadWithoutTransient,
      action: { proposalResponsePayload: responsePayload, endorsements: [endorsement] },
    }),
  );
  const transaction = toBinary(
    TransactionSchema,
    create(TransactionSchema, {
      actions: [{ header: proposal.header.signatureHeader, payload: actionPayload }],
    }),
  );
  const payload = toBinary(PayloadSchema, create(PayloadSchema, { header: proposal.header, data: transaction }));
  return create(EnvelopeSchema, { payload });
}

/** A submitted transaction, unpacked. */
export interface UnpackedTransaction {
  readonly channelId: string;
  readonly txId: string;
  readonly creator: Uint8Array;
  readonly timestamp: Date;
  readonly action: ChaincodeAction;
  /** The bytes every endorsement signs (with the endorser's identity appended). */
  readonly responsePayload: Uint8Array;
  readonly endorsements: readonly Endorsement[];
  readonly event: ChaincodeEvent | undefined;
}

/** Unpacks a prepared transaction down to its ChaincodeAction; throws an Error when malformed. */
export function unpackTransaction(envelope: Envelope): UnpackedTransaction {
  const payload = fromBinary(PayloadSchema, envelope.payload);
  if (!payload.header) throw new Error('missing header');
  const channelHeader = fromBinary(ChannelHeaderSchema, payload.header.channelHeader);
  const signatureHeader = fromBinary(SignatureHeaderSchema, payload.header.signatureHeader);
  if (channelHeader.type !== HeaderType.ENDORSER_TRANSACTION) throw new Error(`unsupported transaction type ${channelHeader.type}`);
  const actions = fromBinary(TransactionSchema, payload.data).actions;
  if (actions.length !== 1) throw new Error(`expected one transaction action, got ${actions.length}`);
  const actionPayload = fromBinary(ChaincodeActionPayloadSchema, (actions[0] as { payload: Uint8Array }).payload);
  if (!actionPayload.action) throw new Error('missing endorsed action');
  const responsePayload = actionPayload.action.proposalResponsePayload;
  const action = fromBinary(ChaincodeActionSchema, fromBinary(ProposalResponsePayloadSchema, responsePayload).extension);
  return {
    channelId: channelHeader.channelId,
    txId: channelHeader.txId,
    creator: signatureHeader.creator,
    timestamp: channelHeader.timestamp ? timestampDate(channelHeader.timestamp) : new Date(),
    action,
    responsePayload,
    endorsements: actionPayload.action.endorsements,
    event: action.events.length > 0 ? fromBinary(ChaincodeEventSchema, action.events) : undefined,
  };
}
