/**
 * A test identity in the shape `connect()` of `@hyperledger/fabric-gateway` takes, so an
 * unmodified gateway application can talk to the mock peer: `connect({ client, ...credentials })`.
 */
import type { TestIdentity } from './identities';

/**
 * The `identity`, `signer` and `hash` options of fabric-gateway's `connect()`.
 *
 * `hash` passes the message through unchanged and `signer` signs the whole message with ECDSA
 * P-256 over SHA-256: the same signature the gateway's default (sha256 digest + a private-key
 * signer) produces, without exposing a private key. Tools that need the key itself can use
 * {@link TestIdentity.privateKeyPem} with fabric-gateway's `signers.newPrivateKeySigner`.
 */
export interface GatewayCredentials {
  /** `{ mspId, credentials }`: credentials are the PEM certificate bytes, as fabric-gateway's Identity. */
  readonly identity: { readonly mspId: string; readonly credentials: Uint8Array };
  /** Signs what `hash` returned (here, the message itself). */
  readonly signer: (message: Uint8Array) => Promise<Uint8Array>;
  /** The identity function: the signer hashes the message itself. */
  readonly hash: (message: Uint8Array) => Uint8Array;
}

/**
 * Fabric Gateway credentials of a test identity.
 * @example
 * ```ts
 * const peer = await MockPeer.start({ gateway: true });
 * const client = new grpc.Client(peer.address, grpc.credentials.createInsecure());
 * const gateway = connect({ client, ...(await peer.gatewayCredentials('Org1MSP')) });
 * ```
 */
export function gatewayCredentials(identity: TestIdentity): GatewayCredentials {
  return {
    identity: { mspId: identity.mspId, credentials: new TextEncoder().encode(identity.certificatePem) },
    signer: (message) => identity.sign(message),
    hash: (message) => message,
  };
}
