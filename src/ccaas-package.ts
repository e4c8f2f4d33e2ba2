/**
 * Chaincode-as-a-service packaging: the `.tar.gz` that Fabric's `ccaas` external builder
 * accepts from `peer lifecycle chaincode install`, and the package id the server must
 * register with.
 *
 * Layout (fabric core/chaincode/persistence/chaincode_package.go and ccaas_builder/cmd/build):
 * an outer gzipped tar holding `metadata.json` ({"type":"ccaas","label":L}) and `code.tar.gz`,
 * itself a gzipped tar holding `connection.json`. Every entry must be a regular file (the peer
 * refuses any other tar type). The package id is `label:hex(sha256(package bytes))`.
 *
 * No tar dependency is installed, so this file carries a minimal ustar writer.
 */
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { ShimError } from './errors';

/** What goes in `connection.json`: how the peer dials the chaincode server. */
export interface CcaasConnection {
  /** `host:port` the peer dials (may be a Go template such as `{{.peername}}_cc:9999`, expanded by the builder). */
  address: string;
  /** Go duration string, e.g. `10s` (the peer's default when empty is 3s). */
  dialTimeout?: string;
  /** The chaincode server speaks TLS. Requires {@link rootCert}. */
  tlsRequired?: boolean;
  /** The chaincode server demands a client certificate. Requires {@link clientKey} and {@link clientCert}. */
  clientAuthRequired?: boolean;
  /** PEM of the CA that signed the chaincode server's TLS certificate (the peer verifies the server with it). */
  rootCert?: string;
  /** PEM private key the peer presents when client auth is required. */
  clientKey?: string;
  /** PEM certificate the peer presents when client auth is required. */
  clientCert?: string;
}

/** Input of {@link createCcaasPackage}. */
export interface CcaasPackageOptions extends CcaasConnection {
  /** Package label; Fabric's rule: alphanumerics separated by single symbols from `.+-_`. */
  label: string;
  /** Timestamp written in the tar headers; fixed by default so the same input gives the same package id. */
  mtime?: Date;
}

/** A built package: the bytes to write and the id to give the chaincode server (`CHAINCODE_ID`). */
export interface CcaasPackage {
  bytes: Uint8Array;
  packageId: string;
  /** The exact `connection.json` object written (for display and tests). */
  connection: Record<string, string | boolean>;
  /** The exact `metadata.json` object written. */
  metadata: { type: 'ccaas'; label: string };
}

/** One regular file for {@link ustarArchive}. */
export interface TarFile {
  name: string;
  data: Uint8Array;
  /** Permission bits; 0o644 by default. */
  mode?: number;
  mtime?: Date;
}

// Fabric's persistence.LabelRegexp is /^[a-zA-Z0-9]+([.+-_][a-zA-Z0-9]+)*$/, where `+-_` is
// accidentally a character range (it admits ':' and more). We use the documented intent (only
// `.+-_` as separators), a strict subset: any label we accept the peer accepts, and a ':' never
// makes the `label:hash` package id ambiguous.
const LABEL_REGEXP = /^[a-zA-Z0-9]+([._+-][a-zA-Z0-9]+)*$/;

/** Throws ShimError('CONFIG') when `label` would be refused by the peer at install time. */
export function validateLabel(label: string): void {
  if (!LABEL_REGEXP.test(label)) {
    throw new ShimError(
      'CONFIG',
      `invalid label '${label}': it must be non-empty, consist of alphanumerics and symbols from '.+-_', and begin with an alphanumeric`,
    );
  }
}

/** The package id the peer computes for an installed package: `label:sha256hex(bytes)`. */
export function packageIdOf(label: string, packageBytes: Uint8Array): string {
  return `${label}:${createHash('sha256').update(packageBytes).digest('hex')}`;
}

/**
 * The `connection.json` object as the ccaas builder and the peer read it (field names of
 * fabric's ChaincodeServerUserData). TLS material is only written when TLS is on, and the
 * client pair only with client auth, mirroring the checks the peer makes before dialing.
 */
export function connectionJson(conn: CcaasConnection): Record<string, string | boolean> {
  if (conn.address.trim() === '') throw new ShimError('CONFIG', 'ccaas address must not be empty');
  const json: Record<string, string | boolean> = {
    address: conn.address,
    dial_timeout: conn.dialTimeout ?? '10s',
    tls_required: conn.tlsRequired === true,
  };
  if (conn.tlsRequired !== true) {
    if (conn.clientAuthRequired === true) throw new ShimError('CONFIG', 'client auth requires TLS (--tls)');
    return json;
  }
  if (!conn.rootCert) throw new ShimError('CONFIG', 'TLS requires the root certificate of the chaincode server (--root-cert)');
  json.client_auth_required = conn.clientAuthRequired === true;
  if (conn.clientAuthRequired === true) {
    if (!conn.clientKey) throw new ShimError('CONFIG', 'client auth requires the client key (--client-key)');
    if (!conn.clientCert) throw new ShimError('CONFIG', 'client auth requires the client certificate (--client-cert)');
    json.client_key = conn.clientKey;
    json.client_cert = conn.clientCert;
  }
  json.root_cert = conn.rootCert;
  return json;
}

/** Builds the ccaas install package and its package id. Pure: writes nothing to disk. */
export function createCcaasPackage(opts: CcaasPackageOptions): CcaasPackage {
  validateLabel(opts.label);
  const mtime = opts.mtime ?? new Date(0);
  const connection = connectionJson(opts);
  const metadata = { type: 'ccaas' as const, label: opts.label };
  const encode = (value: unknown) => new TextEncoder().encode(JSON.stringify(value, null, 2) + '\n');
  const code = gzip(ustarArchive([{ name: 'connection.json', data: encode(connection), mtime }]));
  const bytes = gzip(
    ustarArchive([
      { name: 'metadata.json', data: encode(metadata), mtime },
      { name: 'code.tar.gz', data: code, mtime },
    ]),
  );
  return { bytes, packageId: packageIdOf(opts.label, bytes), connection, metadata };
}

/** gzip of `data` (the compression `peer` and the builders read). */
export function gzip(data: Uint8Array): Uint8Array {
  return new Uint8Array(gzipSync(data));
}

const BLOCK = 512;

/** A POSIX ustar archive of regular files (no directories or links); names up to 100 bytes, or 255 split at a '/'. */
export function ustarArchive(files: readonly TarFile[]): Uint8Array {
  const parts: Uint8Array[] = [];
  for (const file of files) {
    parts.push(ustarHeader(file), file.data);
    const pad = (BLOCK - (file.data.length % BLOCK)) % BLOCK;
    if (pad > 0) parts.push(new Uint8Array(pad));
  }
  parts.push(new Uint8Array(2 * BLOCK)); // end-of-archive marker: two zero blocks
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function ustarHeader(file: TarFile): Uint8Array {
  const encoded = new TextEncoder().encode(file.name);
  // ustar: a name over 100 bytes is split at a '/' into a prefix (up to 155 bytes) and a name.
  let prefix = new Uint8Array(0);
  let name = encoded;
  if (encoded.length > 100) {
    const slash = encoded.lastIndexOf(0x2f, 155);
    if (slash > 0 && encoded.length - slash - 1 <= 100 && encoded.length - slash - 1 > 0) {
      prefix = encoded.subarray(0, slash);
      name = encoded.subarray(slash + 1);
    }
  }
  if (name.length === 0 || name.length > 100) {
    throw new ShimError('CONFIG', `tar entry name must be 1-100 bytes (or up to 255 with a '/' within its first 156): '${file.name}'`);
  }
  const h = new Uint8Array(BLOCK);
  const ascii = (offset: number, text: string) => h.set(new TextEncoder().encode(text), offset);
  // Numeric fields are zero-padded octal followed by NUL, as GNU and Go tar write them.
  const octal = (offset: number, width: number, value: number) => ascii(offset, value.toString(8).padStart(width - 1, '0'));
  h.set(name, 0);
  octal(100, 8, file.mode ?? 0o644);
  octal(108, 8, 0); // uid
  octal(116, 8, 0); // gid
  octal(124, 12, file.data.length);
  octal(136, 12, Math.floor((file.mtime ?? new Date(0)).getTime() / 1000));
  ascii(148, '        '); // checksum is computed with its own field as spaces
  ascii(156, '0'); // regular file: the only type the peer accepts
  ascii(257, 'ustar\u000000');
  h.set(prefix, 345);
  let sum = 0;
  for (const b of h) sum += b;
  ascii(148, sum.toString(8).padStart(6, '0') + '\u0000 ');
  return h;
}
