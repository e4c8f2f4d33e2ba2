/**
 * fabric-shim's `ChaincodeProposal` namespace (from fabric-shim-api): the names of the decoded
 * proposal that `getSignedProposal()` returns, re-exported by index.ts as `ChaincodeProposal`.
 * fabric-shim's module has no such value at run time; ours carries `HeaderType` so code that
 * reads `ChaincodeProposal.HeaderType.ENDORSER_TRANSACTION` works too.
 */
import type {
  ChaincodeProposalPayload as ProposalPayload,
  ChannelHeader as DecodedChannelHeader,
  DecodedSignedProposal,
  SignatureHeader as DecodedSignatureHeader,
} from './proposal';

/** common.HeaderType: what a channel header's `type` says (3 for a chaincode proposal). */
export enum HeaderType {
  MESSAGE = 0,
  CONFIG = 1,
  CONFIG_UPDATE = 2,
  ENDORSER_TRANSACTION = 3,
  ORDERER_TRANSACTION = 4,
  DELIVER_SEEK_INFO = 5,
  CHAINCODE_PACKAGE = 6,
  PEER_ADMIN_OPERATION = 8,
}

export type SignedProposal = DecodedSignedProposal;
export type Proposal = DecodedSignedProposal['proposal'];
export type Header = Proposal['header'];
export type ChannelHeader = DecodedChannelHeader;
export type SignatureHeader = DecodedSignatureHeader;
export type ChaincodeProposalPayload = ProposalPayload;
