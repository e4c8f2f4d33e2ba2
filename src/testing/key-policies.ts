/**
 * Key-level (state-based) endorsement policies at commit, as Fabric's validator checks them
 * (core/common/validation/statebased): a transaction that writes a key, or its metadata, whose
 * committed `VALIDATION_PARAMETER` holds a policy must carry endorsements satisfying that policy,
 * else it is ENDORSEMENT_POLICY_FAILURE. A key without one falls back to the chaincode's policy.
 * Policies are evaluated as cauthdsl evaluates a SignaturePolicyEnvelope: SignedBy matches a
 * principal to one endorsement not used yet, NOutOf needs n of its rules.
 */
import { fromBinary } from '@bufbuild/protobuf';
import { SignaturePolicyEnvelopeSchema, type SignaturePolicy } from '../gen/common/policies_pb';
import { MSPPrincipal_Classification, MSPRoleSchema, MSPRole_MSPRoleType, type MSPPrincipal } from '../gen/msp/msp_principal_pb';
import { TxValidationCode } from '../gen/peer/transaction_pb';
import { VALIDATION_PARAMETER } from '../requests';
import type { WorldState, WriteSet } from './world-state';

/** One endorsement of a transaction: its endorser's organisation and the MSP roles it holds. */
export interface Endorser {
  readonly mspId: string;
  readonly roles: readonly MSPRole_MSPRoleType[];
}

/** A peer of `mspId` (node OU `peer`): a member and a peer of its organisation. */
export const peerEndorser = (mspId: string): Endorser => ({ mspId, roles: [MSPRole_MSPRoleType.MEMBER, MSPRole_MSPRoleType.PEER] });

function matches(principal: MSPPrincipal | undefined, endorser: Endorser): boolean {
  // Identity and OU principals are not modelled: they match no endorsement.
  if (principal?.principalClassification !== MSPPrincipal_Classification.ROLE) return false;
  const role = fromBinary(MSPRoleSchema, principal.principal);
  return role.mspIdentifier === endorser.mspId && endorser.roles.includes(role.role);
}

function satisfied(
  rule: SignaturePolicy | undefined,
  principals: readonly MSPPrincipal[],
  endorsers: readonly Endorser[],
  used: boolean[],
): boolean {
  const type = rule?.Type;
  if (type?.case === 'signedBy') {
    const i = endorsers.findIndex((e, n) => !used[n] && matches(principals[type.value], e));
    if (i < 0) return false;
    used[i] = true;
    return true;
  }
  if (type?.case === 'nOutOf') {
    let count = 0;
    for (const sub of type.value.rules) {
      const attempt = [...used];
      if (satisfied(sub, principals, endorsers, attempt)) {
        count++;
        attempt.forEach((u, n) => (used[n] = u));
      }
    }
    return count >= type.value.n;
  }
  return false;
}

/** Whether `endorsers` satisfy the SignaturePolicyEnvelope `policy` (false for one that does not decode). */
export function policySatisfied(policy: Uint8Array, endorsers: readonly Endorser[]): boolean {
  try {
    const envelope = fromBinary(SignaturePolicyEnvelopeSchema, policy);
    return satisfied(
      envelope.rule,
      envelope.identities,
      endorsers,
      endorsers.map(() => false),
    );
  } catch {
    return false;
  }
}

/** VALID, or ENDORSEMENT_POLICY_FAILURE when a written key's committed policy is not satisfied. */
export function validateKeyPolicies(
  ledger: WorldState,
  channelId: string,
  writeSet: WriteSet,
  endorsers: readonly Endorser[],
): TxValidationCode {
  const keys = new Map<string, { namespace: string; collection: string; key: string }>();
  for (const w of [...writeSet.writes, ...writeSet.metadata]) keys.set(JSON.stringify([w.namespace, w.collection, w.key]), w);
  for (const { namespace, collection, key } of keys.values()) {
    const policy = ledger.getMetadata(namespace, key, { channel: channelId, collection })[VALIDATION_PARAMETER];
    if (policy !== undefined && policy.length > 0 && !policySatisfied(policy, endorsers))
      return TxValidationCode.ENDORSEMENT_POLICY_FAILURE;
  }
  return TxValidationCode.VALID;
}
