/**
 * The generated protobuf modules (src/gen), each evaluated on first use (issue 16). Evaluating a
 * generated file boots its embedded descriptors in protobuf-es (`fileDesc`/`messageDesc`), several
 * MiB and milliseconds that an idle chaincode (registered, READY, no transaction yet) never needs:
 * the hand-written codecs (src/codec/) take the common messages and the enum copies in
 * codec/message-type.ts the switches. Runtime code reaches a schema through these accessors, so a
 * file is booted only when a message of it is first encoded or decoded by the generated code.
 * Types still come straight from src/gen with `import type`, which costs nothing at run time.
 *
 * `require` rather than `import()`: the accessors are synchronous. tsup's bundle (esbuild) turns a
 * `require` of a bundled ES module into a lazily run `init_x()` wrapper in both the CommonJS and
 * the ES module build (test/perf-structure.test.ts checks dist/ keeps it so).
 */
/* eslint-disable @typescript-eslint/no-require-imports */
import type * as ChaincodePb from './gen/peer/chaincode_pb';
import type * as ChaincodeEventPb from './gen/peer/chaincode_event_pb';
import type * as ChaincodeShimPb from './gen/peer/chaincode_shim_pb';
import type * as CommonPb from './gen/common/common_pb';
import type * as IdentitiesPb from './gen/msp/identities_pb';
import type * as KvQueryResultPb from './gen/ledger/queryresult/kv_query_result_pb';
import type * as MspPrincipalPb from './gen/msp/msp_principal_pb';
import type * as PoliciesPb from './gen/common/policies_pb';
import type * as ProposalPb from './gen/peer/proposal_pb';
import type * as ProposalResponsePb from './gen/peer/proposal_response_pb';

/** `load()` once, on the first call; the same module object after. */
function onFirstUse<T>(load: () => T): () => T {
  let module: T | undefined;
  return () => {
    if (module === undefined) module = load();
    return module;
  };
}

/** peer/chaincode.proto: ChaincodeID, ChaincodeInput, ChaincodeSpec, ChaincodeAdditionalParams. */
export const chaincodePb = onFirstUse(() => require('./gen/peer/chaincode_pb') as typeof ChaincodePb);
/** peer/chaincode_event.proto: ChaincodeEvent. */
export const chaincodeEventPb = onFirstUse(() => require('./gen/peer/chaincode_event_pb') as typeof ChaincodeEventPb);
/** peer/chaincode_shim.proto: ChaincodeMessage and the talk-back payloads. */
export const chaincodeShimPb = onFirstUse(() => require('./gen/peer/chaincode_shim_pb') as typeof ChaincodeShimPb);
/** common/common.proto: Header, ChannelHeader, SignatureHeader. */
export const commonPb = onFirstUse(() => require('./gen/common/common_pb') as typeof CommonPb);
/** msp/identities.proto: SerializedIdentity. */
export const identitiesPb = onFirstUse(() => require('./gen/msp/identities_pb') as typeof IdentitiesPb);
/** ledger/queryresult/kv_query_result.proto: KV, KeyModification. */
export const kvQueryResultPb = onFirstUse(() => require('./gen/ledger/queryresult/kv_query_result_pb') as typeof KvQueryResultPb);
/** msp/msp_principal.proto: MSPPrincipal, MSPRole. */
export const mspPrincipalPb = onFirstUse(() => require('./gen/msp/msp_principal_pb') as typeof MspPrincipalPb);
/** common/policies.proto: SignaturePolicyEnvelope. */
export const policiesPb = onFirstUse(() => require('./gen/common/policies_pb') as typeof PoliciesPb);
/** peer/proposal.proto: SignedProposal, Proposal, ChaincodeProposalPayload. */
export const proposalPb = onFirstUse(() => require('./gen/peer/proposal_pb') as typeof ProposalPb);
/** peer/proposal_response.proto: Response. */
export const proposalResponsePb = onFirstUse(() => require('./gen/peer/proposal_response_pb') as typeof ProposalResponsePb);
