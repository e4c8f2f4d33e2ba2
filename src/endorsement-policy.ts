/**
 * KeyEndorsementPolicy: builds and edits key-level (state-based) endorsement policies in
 * terms of MSP ids, as fabric-shim's lib/utils/statebased.js and fabric-chaincode-go's
 * pkg/statebased do.
 *
 * The policy is a SignaturePolicyEnvelope (version 0) whose rule is NOutOf(n = number of
 * orgs) over one SignedBy per org, each pointing at an MSPPrincipal of classification ROLE.
 * Principals are written in sorted MSP id order, as the Go package does, so the bytes do not
 * depend on the order orgs were added in (fabric-shim writes them in insertion order; the
 * two agree whenever orgs are added in sorted order, and the policies are equivalent).
 */
import { create, fromBinary, toBinary } from '@bufbuild/protobuf';
import type { SignaturePolicy } from './gen/common/policies_pb';
import type { MSPRole_MSPRoleType } from './gen/msp/msp_principal_pb';
import { mspPrincipalPb, policiesPb } from './protos';
import { ShimError, invalidArgument } from './errors';

/**
 * The role an org's endorsing identity must have. fabric-shim and the Go shim accept
 * MEMBER and PEER; the other MSP roles are accepted too, since Fabric's policy evaluation
 * supports them.
 */
export type EndorsementRole = 'MEMBER' | 'PEER' | 'ADMIN' | 'CLIENT' | 'ORDERER';

/**
 * fabric-shim's typings export an `ENDORSER_ROLES` enum (its module has no such value at run time;
 * ours does). A const plus a type of the same name, as a string enum would give.
 */
export const ENDORSER_ROLES = { MEMBER: 'MEMBER', PEER: 'PEER' } as const;
export type ENDORSER_ROLES = (typeof ENDORSER_ROLES)[keyof typeof ENDORSER_ROLES];
// eslint-disable-next-line @typescript-eslint/no-namespace
export declare namespace ENDORSER_ROLES {
  type MEMBER = 'MEMBER';
  type PEER = 'PEER';
}

/** Role name -> MSPRole.MSPRoleType; built when asked, as the enum's generated file loads on first use (protos.ts). */
function roles(): Readonly<Record<EndorsementRole, MSPRole_MSPRoleType>> {
  const { MSPRole_MSPRoleType: R } = mspPrincipalPb();
  return { MEMBER: R.MEMBER, PEER: R.PEER, ADMIN: R.ADMIN, CLIENT: R.CLIENT, ORDERER: R.ORDERER };
}

/**
 * A key-level endorsement policy requiring one endorsement from each listed org.
 *
 * @example
 * ```ts
 * const ep = new KeyEndorsementPolicy(await stub.getStateValidationParameter(key));
 * ep.addOrgs('PEER', 'Org1MSP', 'Org2MSP');
 * await stub.setStateValidationParameter(key, ep.getPolicy());
 * ```
 */
export class KeyEndorsementPolicy {
  /** MSP id -> role, in insertion order (what listOrgs returns, as fabric-shim). */
  private readonly orgs = new Map<string, MSPRole_MSPRoleType>();

  /**
   * Starts empty, or from an existing policy (e.g. the bytes read with
   * `getStateValidationParameter`). Only ROLE principals are kept, as in fabric-shim and Go.
   * @throws ShimError('INVALID_ARGUMENT') when `policy` is not a SignaturePolicyEnvelope.
   */
  constructor(policy?: Uint8Array | null) {
    if (policy === undefined || policy === null || policy.length === 0) return;
    const { MSPPrincipal_Classification, MSPRoleSchema } = mspPrincipalPb();
    let envelope;
    try {
      envelope = fromBinary(policiesPb().SignaturePolicyEnvelopeSchema, policy);
    } catch (cause) {
      throw new ShimError('INVALID_ARGUMENT', 'endorsement policy is not a valid SignaturePolicyEnvelope', { cause });
    }
    for (const identity of envelope.identities) {
      if (identity.principalClassification !== MSPPrincipal_Classification.ROLE) continue;
      let role;
      try {
        role = fromBinary(MSPRoleSchema, identity.principal);
      } catch (cause) {
        throw new ShimError('INVALID_ARGUMENT', 'endorsement policy holds a ROLE principal that is not an MSPRole', { cause });
      }
      this.orgs.set(role.mspIdentifier, role.role);
    }
  }

  /** The policy as bytes, for `setStateValidationParameter` / `setPrivateDataValidationParameter`. */
  getPolicy(): Uint8Array {
    const { MSPPrincipalSchema, MSPPrincipal_Classification, MSPRoleSchema } = mspPrincipalPb();
    const { SignaturePolicyEnvelopeSchema, SignaturePolicySchema, SignaturePolicy_NOutOfSchema } = policiesPb();
    const entries = [...this.orgs].sort(([a], [b]) => compareStrings(a, b));
    const identities = entries.map(([mspIdentifier, role]) =>
      create(MSPPrincipalSchema, {
        principalClassification: MSPPrincipal_Classification.ROLE,
        principal: toBinary(MSPRoleSchema, create(MSPRoleSchema, { mspIdentifier, role })),
      }),
    );
    const rules: SignaturePolicy[] = entries.map((_, index) => create(SignaturePolicySchema, { Type: { case: 'signedBy', value: index } }));
    const envelope = create(SignaturePolicyEnvelopeSchema, {
      version: 0,
      rule: create(SignaturePolicySchema, {
        Type: { case: 'nOutOf', value: create(SignaturePolicy_NOutOfSchema, { n: entries.length, rules }) },
      }),
      identities,
    });
    return toBinary(SignaturePolicyEnvelopeSchema, envelope);
  }

  /**
   * Requires an endorsement from each of `mspIds`, by an identity with `role`. An org
   * already listed takes the new role.
   * @throws ShimError('INVALID_ARGUMENT') for an unknown role or an empty MSP id.
   */
  // `string` as in fabric-shim's typings (the role is checked at run time); the literals are hints.
  addOrgs(role: EndorsementRole | (string & {}), ...mspIds: string[]): void {
    const table = roles();
    const mspRole = Object.prototype.hasOwnProperty.call(table, role) ? table[role as EndorsementRole] : undefined;
    if (mspRole === undefined) {
      // fabric-shim's words, plus what would have been accepted.
      throw invalidArgument(`role type ${String(role)} does not exist (expected one of ${Object.keys(table).join(', ')})`);
    }
    for (const mspId of mspIds) {
      if (typeof mspId !== 'string' || mspId.length === 0) {
        throw invalidArgument('an MSP id in an endorsement policy must be a non-empty string');
      }
    }
    for (const mspId of mspIds) this.orgs.set(mspId, mspRole);
  }

  /** Removes `mspIds` from the policy; ids not listed are ignored. */
  delOrgs(...mspIds: string[]): void {
    for (const mspId of mspIds) this.orgs.delete(mspId);
  }

  /** The MSP ids whose endorsement is required, in the order they were added. */
  listOrgs(): string[] {
    return [...this.orgs.keys()];
  }
}

/** Byte-wise order (Go's sort.Strings), not locale order. */
function compareStrings(a: string, b: string): number {
  const ab = Buffer.from(a, 'utf8');
  const bb = Buffer.from(b, 'utf8');
  return Buffer.compare(ab, bb);
}
