/**
 * ClientIdentity: who submitted the transaction, read from the creator's X.509 certificate.
 *
 * Same API and same results as fabric-shim's `ClientIdentity` (lib/chaincode.js), so
 * identity strings stored on the ledger by a fabric-shim chaincode keep matching after a
 * switch: `getID()` is `x509::<subject DN>::<issuer DN>` with each attribute written as
 * `/<short name>=<value>` in certificate order, exactly as fabric-shim formats it with
 * @fidm/x509 (only CN, C, L, ST, O, OU and E have short names; the first `/` in a value
 * is escaped as `\/`).
 *
 * Certificate parsing uses @peculiar/x509, which costs ~100 ms to load: it is required on
 * first use only, never when the package itself is loaded. Parsed certificates are cached
 * (a client usually sends many transactions with one certificate).
 */
import type { X509Certificate } from '@peculiar/x509';
import { ShimError } from './errors';
import { loadPackage } from './optional-module';

/** What ClientIdentity needs from a stub: the transaction creator. */
export interface CreatorSource {
  getCreator(): { mspid: string; idBytes: Uint8Array };
}

/** The @peculiar/x509 module. */
export type X509Module = typeof import('@peculiar/x509');

let x509Module: X509Module | undefined;

/**
 * Loads @peculiar/x509 synchronously on first call (ClientIdentity's constructor is
 * synchronous in fabric-shim, so a dynamic `import()` cannot be used).
 * @internal
 */
export function loadX509(): X509Module {
  if (x509Module === undefined) {
    // tsyringe (used by @peculiar/x509) refuses to load without the Reflect metadata polyfill.
    loadPackage('reflect-metadata', 'certificate parsing');
    const mod = loadPackage<X509Module>('@peculiar/x509', 'certificate parsing');
    // Outside browsers @peculiar/x509 has no default crypto provider: give it Node's WebCrypto.
    mod.cryptoProvider.set(globalThis.crypto);
    x509Module = mod;
  }
  return x509Module;
}

/**
 * What `getX509Certificate()` returns, described structurally: the parsed certificate is an
 * @peculiar/x509 `X509Certificate`, whose own declarations need the DOM lib, so naming that type
 * in ours would break every consumer project without DOM types (and TS1479 under node16).
 * Cast to @peculiar/x509's type, with that package installed, for its other members.
 */
export interface X509CertificateView {
  /** The subject distinguished name, e.g. `C=US, O=Hyperledger, OU=client, CN=user1`. */
  readonly subject: string;
  /** The issuer distinguished name. */
  readonly issuer: string;
  /** The serial number, hexadecimal. */
  readonly serialNumber: string;
  readonly notBefore: Date;
  readonly notAfter: Date;
  /** The DER encoding. */
  readonly rawData: ArrayBuffer;
  /** `pem` (default), `base64`, `base64url`, `hex` or `text`. */
  toString(format?: 'pem' | 'base64' | 'base64url' | 'hex' | 'text'): string;
}

/** Fabric CA's certificate extension holding `{"attrs":{...}}` (fabric-ca lib/attrmgr). */
export const FABRIC_ATTRIBUTES_OID = '1.2.3.4.5.6.7.8.1';

/** The parts of a creator certificate that ClientIdentity exposes; shared through the cache. */
interface ParsedCertificate {
  readonly id: string;
  /** The Fabric attribute extension's JSON text, parsed again per ClientIdentity (each gets its own `attrs`, as in fabric-shim). */
  readonly attrsJson: string | undefined;
  readonly certificate: X509Certificate;
}

const CACHE_LIMIT = 256;
const cache = new Map<string, ParsedCertificate>();

/**
 * The identity that submitted a transaction.
 *
 * Its own enumerable fields are fabric-shim's, in its order (`stub`, `mspId`, `idBytes`, `id`,
 * `attrs`): chaincode written for fabric-shim reads `cid.id` or `cid.attrs`, and whatever
 * serialises or inspects the object sees the same keys. The parsed certificate is held in a
 * private field, invisible to `Object.keys` and JSON.
 *
 * @example
 * ```ts
 * const cid = new ClientIdentity(stub);
 * if (!cid.assertAttributeValue('role', 'auditor')) {
 *   return Shim.error(`${cid.getID()} is not an auditor`);
 * }
 * ```
 */
export class ClientIdentity {
  /** The stub the identity was read from (fabric-shim's field). */
  stub: CreatorSource;
  /** The submitter's MSP id. */
  mspId: string;
  /** The submitter's identity bytes: the PEM certificate. */
  idBytes: Uint8Array;
  /** `x509::<subject DN>::<issuer DN>`, as {@link getID}. */
  id: string;
  /**
   * The attributes of the certificate's Fabric extension (`{}` without one), as fabric-shim
   * reads them: the extension's `attrs` member, whatever it holds.
   */
  attrs: Record<string, unknown>;
  readonly #certificate: X509Certificate;

  /**
   * Reads and parses the creator of the stub's transaction.
   * @throws ShimError('INVALID_ARGUMENT') when the creator is not a PEM X.509 certificate
   *   or its Fabric attribute extension is not valid JSON.
   */
  constructor(stub: CreatorSource) {
    this.stub = stub;
    const creator = stub.getCreator();
    this.mspId = creator.mspid;
    this.idBytes = creator.idBytes;
    const parsed = parseCreator(creator.idBytes);
    this.id = parsed.id;
    this.attrs = parsed.attrsJson === undefined ? {} : readAttributes(parsed.attrsJson);
    this.#certificate = parsed.certificate;
  }

  /** A string unique within the MSP: `x509::<subject DN>::<issuer DN>` (fabric-shim's format). */
  getID(): string {
    return this.id;
  }

  /** The MSP ID of the submitting identity. */
  getMSPID(): string {
    return this.mspId;
  }

  /** The identity bytes as sent by the client: the PEM certificate. */
  getIDBytes(): Uint8Array {
    return this.idBytes;
  }

  /**
   * The value of the certificate attribute `attrName`, or null when the identity does not
   * have it. As in fabric-shim, an empty (falsy) value also reads as null and any other value is
   * returned as it is in the certificate (Fabric CA always writes strings). Unlike fabric-shim,
   * names inherited from Object.prototype (`constructor`, `toString`...) are not attributes.
   */
  getAttributeValue(attrName: string): string | null {
    const attrs = this.attrs as Record<string, unknown> | null | undefined;
    if (attrs === null || typeof attrs !== 'object' || !Object.prototype.hasOwnProperty.call(attrs, attrName)) return null;
    const value = attrs[attrName];
    return value ? (value as string) : null;
  }

  /** True when the identity has attribute `attrName` with exactly the value `attrValue`. */
  assertAttributeValue(attrName: string, attrValue: string): boolean {
    const value = this.getAttributeValue(attrName);
    return value !== null && value === attrValue;
  }

  /**
   * The parsed creator certificate (an @peculiar/x509 `X509Certificate` at run time: subject,
   * issuer, serialNumber, notBefore/notAfter, rawData; see {@link X509CertificateView}).
   * fabric-shim 2.x has no such method; the Go shim's `GetX509Certificate` does.
   */
  getX509Certificate(): X509CertificateView {
    return this.#certificate;
  }
}

function parseCreator(idBytes: Uint8Array): ParsedCertificate {
  const text = new TextDecoder().decode(idBytes);
  const cached = cache.get(text);
  if (cached !== undefined) return cached;

  const der = pemToDer(text);
  const x509 = loadX509();
  let certificate: X509Certificate;
  try {
    certificate = new x509.X509Certificate(der);
  } catch (cause) {
    throw new ShimError('INVALID_ARGUMENT', `Cannot read X.509 certificate of the creator: ${errorMessage(cause)}`, { cause });
  }
  const id = `x509::${formatDN(new Uint8Array(certificate.subjectName.toArrayBuffer()))}::${formatDN(
    new Uint8Array(certificate.issuerName.toArrayBuffer()),
  )}`;
  const parsed: ParsedCertificate = { id, attrsJson: attributesJson(certificate), certificate };

  if (cache.size >= CACHE_LIMIT) {
    const oldest = cache.keys().next();
    if (oldest.done !== true) cache.delete(oldest.value);
  }
  cache.set(text, parsed);
  return parsed;
}

// fabric-shim's normalizeX509 takes the first BEGIN marker and the last END marker.
const PEM_BLOCK = /-----\s*BEGIN ?[^-]+?-----([\s\S]*)-----\s*END ?[^-]+?-----/;
// Within that, @fidm/x509 reads the first certificate block.
const FIRST_CERT = /-----BEGIN (?:X509 |TRUSTED )?CERTIFICATE-----([\s\S]*?)-----END (?:X509 |TRUSTED )?CERTIFICATE-----/;

function pemToDer(text: string): Uint8Array {
  const block = PEM_BLOCK.exec(text);
  if (block === null) {
    // Same words as fabric-shim, so callers matching on them keep working.
    throw new ShimError('INVALID_ARGUMENT', 'Failed to find start line or end line of the certificate.');
  }
  const cert = FIRST_CERT.exec(block[0]);
  const body = cert?.[1];
  if (body === undefined) {
    throw new ShimError('INVALID_ARGUMENT', 'Cannot read X.509 certificate of the creator: no CERTIFICATE block');
  }
  const b64 = body.replace(/\s+/g, '');
  if (b64.length === 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(b64)) {
    throw new ShimError('INVALID_ARGUMENT', 'Cannot read X.509 certificate of the creator: invalid base64 body');
  }
  return new Uint8Array(Buffer.from(b64, 'base64'));
}

/** The Fabric attribute extension's JSON text; checked once here, so a bad one fails at parse time. */
function attributesJson(certificate: X509Certificate): string | undefined {
  const extension = certificate.extensions.find((ext) => ext.type === FABRIC_ATTRIBUTES_OID);
  if (extension === undefined) return undefined;
  // Fabric CA stores the JSON bytes directly as the extension value (no inner ASN.1 string).
  const json = new TextDecoder().decode(extension.value);
  readAttributes(json);
  return json;
}

/** `attrs` of the extension's JSON, as fabric-shim reads it (`JSON.parse(text).attrs`). */
function readAttributes(json: string): Record<string, unknown> {
  let decoded: unknown;
  try {
    decoded = JSON.parse(json);
  } catch (cause) {
    throw new ShimError('INVALID_ARGUMENT', `Fabric attribute extension (${FABRIC_ATTRIBUTES_OID}) is not valid JSON`, { cause });
  }
  return (isRecord(decoded) ? decoded['attrs'] : undefined) as Record<string, unknown>;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

// ---- Distinguished names, formatted as fabric-shim does ----

/** Short names @fidm/x509 knows; every other attribute type prints with an empty name. */
const SHORT_NAMES: Readonly<Record<string, string>> = {
  '2.5.4.3': 'CN',
  '2.5.4.6': 'C',
  '2.5.4.7': 'L',
  '2.5.4.8': 'ST',
  '2.5.4.10': 'O',
  '2.5.4.11': 'OU',
  '1.2.840.113549.1.9.1': 'E',
};

/** Formats a DER Name as `/CN=a/OU=b...` in encoding order, as fabric-shim's formatDN. */
export function formatDN(nameDer: Uint8Array): string {
  const reader = new DerReader(nameDer);
  const rdnSequence = reader.expect(0x30, 'Name');
  let out = '';
  for (const set of rdnSequence.children()) {
    if (set.tag !== 0x31) throw derError('RelativeDistinguishedName');
    for (const atv of set.children()) {
      const parts = atv.children();
      const type = parts[0];
      const value = parts[1];
      if (atv.tag !== 0x30 || type === undefined || value === undefined || type.tag !== 0x06) {
        throw derError('AttributeTypeAndValue');
      }
      const shortName = SHORT_NAMES[decodeOid(type.content)] ?? '';
      // fabric-shim uses String.replace with a string pattern: only the first '/' is escaped.
      out += `/${shortName}=${decodeString(value.tag, value.content).replace('/', '\\/')}`;
    }
  }
  return out;
}

function decodeString(tag: number, content: Uint8Array): string {
  switch (tag) {
    case 0x1e: // BMPString: UTF-16BE
      return Buffer.from(content).swap16().toString('utf16le');
    default:
      // @fidm/x509 decodes every string type (UTF8, Printable, IA5, T61...) as UTF-8.
      return Buffer.from(content).toString('utf8');
  }
}

function decodeOid(content: Uint8Array): string {
  const arcs: number[] = [];
  let value = 0;
  for (const byte of content) {
    value = value * 128 + (byte & 0x7f);
    if ((byte & 0x80) === 0) {
      if (arcs.length === 0) {
        const first = value < 80 ? Math.floor(value / 40) : 2;
        arcs.push(first, value - first * 40);
      } else {
        arcs.push(value);
      }
      value = 0;
    }
  }
  return arcs.join('.');
}

function derError(what: string): ShimError {
  return new ShimError('INVALID_ARGUMENT', `Cannot read X.509 certificate of the creator: malformed ${what}`);
}

/** One DER element (tag, content) with a reader over its children. */
class DerElement {
  constructor(
    readonly tag: number,
    readonly content: Uint8Array,
  ) {}

  children(): DerElement[] {
    const reader = new DerReader(this.content);
    const out: DerElement[] = [];
    while (!reader.done) out.push(reader.next());
    return out;
  }
}

/** Minimal DER reader for Names; @peculiar/x509 has already validated the certificate. */
class DerReader {
  private offset = 0;
  constructor(private readonly bytes: Uint8Array) {}

  get done(): boolean {
    return this.offset >= this.bytes.length;
  }

  expect(tag: number, what: string): DerElement {
    const element = this.next();
    if (element.tag !== tag) throw derError(what);
    return element;
  }

  next(): DerElement {
    const tag = this.byte();
    let length = this.byte();
    if (length & 0x80) {
      const count = length & 0x7f;
      if (count === 0 || count > 4) throw derError('length');
      length = 0;
      for (let i = 0; i < count; i++) length = length * 256 + this.byte();
    }
    const end = this.offset + length;
    if (end > this.bytes.length) throw derError('length');
    const content = this.bytes.subarray(this.offset, end);
    this.offset = end;
    return new DerElement(tag, content);
  }

  private byte(): number {
    const value = this.bytes[this.offset];
    if (value === undefined) throw derError('element');
    this.offset++;
    return value;
  }
}
