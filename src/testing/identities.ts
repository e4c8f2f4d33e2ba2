/**
 * Test identities: one self-signed ECDSA P-256 certificate authority per MSP, issuing
 * X.509 certificates shaped like Fabric CA's enrollment certificates (subject
 * `C=US, ST=North Carolina, O=Hyperledger, OU=<type>, CN=<name>`, the Fabric attribute
 * extension 1.2.3.4.5.6.7.8.1 holding `{"attrs":{...}}` with Fabric CA's default
 * `hf.EnrollmentID`, `hf.Type` and `hf.Affiliation`), serialized as Fabric does
 * (`msp.SerializedIdentity`: MSP id + PEM bytes) and signing as a Fabric client does
 * (ECDSA SHA-256, DER, low-S: the MSP rejects high-S signatures).
 */
import { create, toBinary } from '@bufbuild/protobuf';
import type { webcrypto } from 'node:crypto';
import type { X509Certificate } from '@peculiar/x509';
import { FABRIC_ATTRIBUTES_OID, loadX509 } from '../client-identity';
import { invalidArgument } from '../errors';
import { SerializedIdentitySchema } from '../gen/msp/identities_pb';

/** A client identity with its certificate and private key. */
export interface TestIdentity {
  readonly mspId: string;
  readonly certificatePem: string;
  /** Every attribute in the certificate's Fabric attribute extension (hf.* defaults included). */
  readonly attributes: Readonly<Record<string, string>>;
  /** The encoded `msp.SerializedIdentity`: what a proposal's creator field holds. */
  serialize(): Uint8Array;
  /** ECDSA P-256 SHA-256 signature of `data`, DER encoded with low S (as Fabric clients sign). */
  sign(data: Uint8Array): Promise<Uint8Array>;
  /** The private key as PKCS#8 PEM, for tools that sign on their own. */
  privateKeyPem(): Promise<string>;
}

/** What to put in an identity's certificate. */
export interface IdentityRequest {
  /** Subject CN and `hf.EnrollmentID`; default `user1`. */
  commonName?: string;
  /** Attributes added to (or overriding) Fabric CA's hf.* defaults. */
  attributes?: Readonly<Record<string, string>>;
  /** Subject OUs (Fabric node OUs: client, peer, admin, orderer); default `['client']`. */
  organizationalUnits?: readonly string[];
}

type CryptoKey = webcrypto.CryptoKey;

interface CertificateAuthority {
  readonly certificate: X509Certificate;
  readonly privateKey: CryptoKey;
}

const ECDSA_P256 = { name: 'ECDSA', namedCurve: 'P-256' } as const;
const ECDSA_SHA256 = { name: 'ECDSA', hash: 'SHA-256' } as const;
const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Issues test identities. Each MSP's CA is made on first use and kept; asking twice for the
 * same MSP and request returns the same identity (same certificate, same key).
 *
 * @example
 * ```ts
 * const factory = new IdentityFactory();
 * const alice = await factory.identity('Org1MSP', { commonName: 'alice', attributes: { role: 'auditor' } });
 * const creator = alice.serialize(); // msp.SerializedIdentity bytes
 * ```
 */
export class IdentityFactory {
  private readonly authorities = new Map<string, Promise<CertificateAuthority>>();
  private readonly identities = new Map<string, Promise<TestIdentity>>();

  /** An identity of `mspId` issued by that MSP's CA. */
  identity(mspId: string, req: IdentityRequest = {}): Promise<TestIdentity> {
    if (typeof mspId !== 'string' || mspId.length === 0) {
      return Promise.reject(invalidArgument('mspId must be a non-empty string'));
    }
    const key = JSON.stringify([
      mspId,
      req.commonName ?? null,
      req.organizationalUnits ?? null,
      Object.entries(req.attributes ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
    ]);
    let identity = this.identities.get(key);
    if (identity === undefined) {
      identity = this.issue(mspId, req);
      // A failed issue must not poison the cache.
      identity.catch(() => this.identities.delete(key));
      this.identities.set(key, identity);
    }
    return identity;
  }

  /** Whether this factory has (started to make) a CA for `mspId`: an MSP the mock peer knows. */
  knows(mspId: string): boolean {
    return this.authorities.has(mspId);
  }

  /** The PEM certificate of `mspId`'s CA (what the MSP's cacerts would hold). */
  async caCertificatePem(mspId: string): Promise<string> {
    return (await this.authority(mspId)).certificate.toString('pem');
  }

  private authority(mspId: string): Promise<CertificateAuthority> {
    let authority = this.authorities.get(mspId);
    if (authority === undefined) {
      authority = createAuthority(mspId);
      authority.catch(() => this.authorities.delete(mspId));
      this.authorities.set(mspId, authority);
    }
    return authority;
  }

  private async issue(mspId: string, req: IdentityRequest): Promise<TestIdentity> {
    const x509 = loadX509();
    const ca = await this.authority(mspId);
    const commonName = req.commonName ?? 'user1';
    const ous = req.organizationalUnits ?? ['client'];
    if (commonName.length === 0) throw invalidArgument('commonName must not be empty');
    if (ous.some((ou) => ou.length === 0)) throw invalidArgument('organizationalUnits must not contain an empty name');
    const attributes: Record<string, string> = {
      // Fabric CA adds these three to every enrollment certificate by default.
      'hf.Affiliation': '',
      'hf.EnrollmentID': commonName,
      'hf.Type': ous[0] ?? 'client',
      ...req.attributes,
    };

    const keys = await crypto.subtle.generateKey(ECDSA_P256, true, ['sign', 'verify']);
    const now = Date.now();
    const certificate = await x509.X509CertificateGenerator.create({
      serialNumber: randomSerial(),
      subject: [
        { C: ['US'] },
        { ST: ['North Carolina'] },
        { O: ['Hyperledger'] },
        ...ous.map((ou) => ({ OU: [ou] })),
        { CN: [commonName] },
      ],
      issuer: ca.certificate.subjectName,
      notBefore: new Date(now - 60_000),
      notAfter: new Date(now + 365 * DAY_MS),
      signingAlgorithm: ECDSA_SHA256,
      publicKey: keys.publicKey,
      signingKey: ca.privateKey,
      extensions: [
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
        new x509.BasicConstraintsExtension(false, undefined, true),
        await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
        await x509.AuthorityKeyIdentifierExtension.create(ca.certificate.publicKey),
        // The JSON bytes are the extension value itself, as fabric-ca's attrmgr writes them.
        new x509.Extension(FABRIC_ATTRIBUTES_OID, false, new TextEncoder().encode(JSON.stringify({ attrs: attributes }))),
      ],
    });
    return new IssuedIdentity(mspId, certificate.toString('pem'), attributes, keys.privateKey);
  }
}

class IssuedIdentity implements TestIdentity {
  readonly attributes: Readonly<Record<string, string>>;
  private serialized: Uint8Array | undefined;

  constructor(
    readonly mspId: string,
    readonly certificatePem: string,
    attributes: Record<string, string>,
    private readonly privateKey: CryptoKey,
  ) {
    this.attributes = Object.freeze({ ...attributes });
  }

  serialize(): Uint8Array {
    this.serialized ??= toBinary(
      SerializedIdentitySchema,
      create(SerializedIdentitySchema, { mspid: this.mspId, idBytes: new TextEncoder().encode(this.certificatePem) }),
    );
    // A copy: callers may not corrupt later proposals by writing into it.
    return this.serialized.slice();
  }

  async sign(data: Uint8Array): Promise<Uint8Array> {
    const p1363 = new Uint8Array(await crypto.subtle.sign(ECDSA_SHA256, this.privateKey, data));
    return ecdsaDer(p1363);
  }

  async privateKeyPem(): Promise<string> {
    const pkcs8 = Buffer.from(await crypto.subtle.exportKey('pkcs8', this.privateKey)).toString('base64');
    return `-----BEGIN PRIVATE KEY-----\n${pkcs8.replace(/.{1,64}/g, '$&\n')}-----END PRIVATE KEY-----\n`;
  }
}

async function createAuthority(mspId: string): Promise<CertificateAuthority> {
  const x509 = loadX509();
  const domain = `${mspId.replace(/msp$/i, '').toLowerCase() || 'org'}.example.com`;
  const keys = await crypto.subtle.generateKey(ECDSA_P256, false, ['sign', 'verify']);
  const now = Date.now();
  const certificate = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: randomSerial(),
    // Shaped like the test network's CAs: C=US, ST=North Carolina, L=Durham, O=org1.example.com, CN=ca.org1.example.com.
    name: [{ C: ['US'] }, { ST: ['North Carolina'] }, { L: ['Durham'] }, { O: [domain] }, { CN: [`ca.${domain}`] }],
    notBefore: new Date(now - 60_000),
    notAfter: new Date(now + 15 * 365 * DAY_MS),
    signingAlgorithm: ECDSA_SHA256,
    keys,
    extensions: [
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      new x509.BasicConstraintsExtension(true, 1, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { certificate, privateKey: keys.privateKey };
}

/** A positive 128-bit serial number in hex (RFC 5280: positive, at most 20 octets). */
function randomSerial(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[0] = ((bytes[0] ?? 0) & 0x7f) | 0x01;
  return Buffer.from(bytes).toString('hex');
}

/** The order n of the P-256 group. */
const P256_N = BigInt('0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551');
const P256_HALF_N = P256_N >> 1n;

/**
 * Converts WebCrypto's r||s signature to DER, with s replaced by n - s when s > n/2:
 * Fabric's MSP (bccsp) refuses signatures with a high S.
 * @internal exported for tests
 */
export function ecdsaDer(p1363: Uint8Array): Uint8Array {
  if (p1363.length !== 64) throw invalidArgument(`expected a 64-byte P-256 signature, got ${p1363.length} bytes`);
  const r = p1363.subarray(0, 32);
  let s = BigInt(`0x${Buffer.from(p1363.subarray(32)).toString('hex')}`);
  if (s > P256_HALF_N) s = P256_N - s;
  const sBytes = Buffer.from(s.toString(16).padStart(64, '0'), 'hex');
  const rInt = derInteger(r);
  const sInt = derInteger(sBytes);
  return Uint8Array.from([0x30, rInt.length + sInt.length, ...rInt, ...sInt]);
}

function derInteger(unsigned: Uint8Array): number[] {
  let start = 0;
  while (start < unsigned.length - 1 && unsigned[start] === 0) start++;
  const digits = Array.from(unsigned.subarray(start));
  // A leading 1 bit would make the integer negative: prefix a zero byte.
  if ((digits[0] ?? 0) & 0x80) digits.unshift(0);
  return [0x02, digits.length, ...digits];
}
