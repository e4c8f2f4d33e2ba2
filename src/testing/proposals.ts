/**
 * Builds the SignedProposal a client would send, as the peer forwards it in INIT/TRANSACTION:
 * SignedProposal -> Proposal -> Header{ChannelHeader, SignatureHeader} + ChaincodeProposalPayload.
 * Shims decode all of it (creator, transient map, timestamp, binding), so it must be real.
 */
import { createHash, randomBytes } from 'node:crypto';
import { create, toBinary } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import { ChannelHeaderSchema, HeaderSchema, HeaderType, SignatureHeaderSchema } from '../gen/common/common_pb';
import { ChaincodeInputSchema, ChaincodeInvocationSpecSchema, ChaincodeSpec_Type } from '../gen/peer/chaincode_pb';
import {
  ChaincodeHeaderExtensionSchema,
  ChaincodeProposalPayloadSchema,
  ProposalSchema,
  SignedProposalSchema,
  type SignedProposal,
} from '../gen/peer/proposal_pb';

/** What signs a proposal: helper C's `TestIdentity` satisfies it. */
export interface ProposalSigner {
  /** msp.SerializedIdentity bytes: the proposal's creator. */
  serialize(): Uint8Array;
  /** Signature over the proposal bytes. */
  sign(data: Uint8Array): Promise<Uint8Array>;
}

/** Inputs of one proposal. */
export interface ProposalRequest {
  readonly channelId: string;
  readonly chaincodeName: string;
  readonly args: readonly Uint8Array[];
  readonly transient?: Readonly<Record<string, Uint8Array>>;
  readonly isInit?: boolean;
  readonly timestamp?: Date;
  /** Defaults to 24 random bytes, as the Fabric SDKs use. */
  readonly nonce?: Uint8Array;
}

/** A built proposal with its transaction id. */
export interface BuiltProposal {
  readonly txId: string;
  readonly signedProposal: SignedProposal;
  readonly timestamp: Date;
  readonly creator: Uint8Array;
}

/** Fabric's transaction id: hex(sha256(nonce || creator)). */
export function computeTxId(nonce: Uint8Array, creator: Uint8Array): string {
  return createHash('sha256').update(nonce).update(creator).digest('hex');
}

/** Builds and signs a proposal for an ENDORSER_TRANSACTION on `channelId`. */
export async function buildSignedProposal(signer: ProposalSigner, req: ProposalRequest): Promise<BuiltProposal> {
  const creator = signer.serialize();
  const nonce = req.nonce ?? randomBytes(24);
  const txId = computeTxId(nonce, creator);
  const timestamp = req.timestamp ?? new Date();
  const channelHeader = create(ChannelHeaderSchema, {
    type: HeaderType.ENDORSER_TRANSACTION,
    version: 0,
    timestamp: timestampFromDate(timestamp),
    channelId: req.channelId,
    txId,
    epoch: 0n,
    extension: toBinary(
      ChaincodeHeaderExtensionSchema,
      create(ChaincodeHeaderExtensionSchema, {
        chaincodeId: { name: req.chaincodeName },
      }),
    ),
  });
  const header = create(HeaderSchema, {
    channelHeader: toBinary(ChannelHeaderSchema, channelHeader),
    signatureHeader: toBinary(SignatureHeaderSchema, create(SignatureHeaderSchema, { creator, nonce })),
  });
  const invocation = create(ChaincodeInvocationSpecSchema, {
    chaincodeSpec: {
      type: ChaincodeSpec_Type.NODE,
      chaincodeId: { name: req.chaincodeName },
      input: create(ChaincodeInputSchema, { args: [...req.args], isInit: req.isInit ?? false }),
    },
  });
  const payload = create(ChaincodeProposalPayloadSchema, {
    input: toBinary(ChaincodeInvocationSpecSchema, invocation),
    TransientMap: { ...(req.transient ?? {}) },
  });
  const proposalBytes = toBinary(
    ProposalSchema,
    create(ProposalSchema, {
      header: toBinary(HeaderSchema, header),
      payload: toBinary(ChaincodeProposalPayloadSchema, payload),
    }),
  );
  const signature = await signer.sign(proposalBytes);
  return { txId, timestamp, creator, signedProposal: create(SignedProposalSchema, { proposalBytes, signature }) };
}
