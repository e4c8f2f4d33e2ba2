/**
 * Throwaway TLS certificates for tests: a CA and the server/client key pairs it signs, made
 * in memory with WebCrypto (ECDSA P-256, as Fabric's cryptogen uses) and @peculiar/x509.
 * Shipped in `fabric-shim-ts/testing` so chaincode authors can test TLS and mutual TLS too.
 *
 * @example
 * ```ts
 * const ca = await createTestCa('tls-ca');
 * const server = await ca.issue({ commonName: 'chaincode', server: true });
 * const peer = await ca.issue({ commonName: 'peer0', client: true });
 * await Shim.server(cc, { ccid, address: '127.0.0.1:0', tlsProps: { key: server.key, cert: server.cert, clientCACerts: ca.cert } }).start();
 * ```
 */
import { webcrypto } from 'node:crypto';
// @peculiar/x509 uses tsyringe, which needs the Reflect metadata polyfill loaded first.
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';

const ALGORITHM: webcrypto.EcKeyGenParams & webcrypto.EcdsaParams = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };
const DAY_MS = 24 * 60 * 60 * 1000;

/** A certificate and its private key, both PEM, as strings and as bytes (what grpc-js takes). */
export interface TlsKeyPair {
  readonly certPem: string;
  readonly keyPem: string;
  /** PEM certificate bytes. */
  readonly cert: Uint8Array;
  /** PEM PKCS#8 private key bytes. */
  readonly key: Uint8Array;
}

/** What to put in an issued certificate. */
export interface TlsCertificateRequest {
  commonName: string;
  /** Adds extended key usage serverAuth. */
  server?: boolean;
  /** Adds extended key usage clientAuth. */
  client?: boolean;
  /** Subject alternative names; `localhost` and `127.0.0.1` by default (IP literals become IP SANs). */
  hosts?: string[];
  /** Validity in days from now (default 1). A negative value makes an already expired certificate. */
  validDays?: number;
}

/** A test certificate authority. */
export interface TestCa {
  /** The CA's self-signed certificate, PEM. */
  readonly certPem: string;
  /** The CA certificate as PEM bytes (a root CA / client CA for TLS options). */
  readonly cert: Uint8Array;
  /** Issues a key pair signed by this CA. */
  issue(request: TlsCertificateRequest): Promise<TlsKeyPair>;
}

/** CA plus a server pair (SAN localhost/127.0.0.1) and a client pair, all from one CA. */
export interface TlsFixture {
  ca: TestCa;
  server: TlsKeyPair;
  client: TlsKeyPair;
}

function crypto(): webcrypto.Crypto {
  return webcrypto;
}

function pemBytes(pem: string): Uint8Array {
  return new TextEncoder().encode(pem);
}

async function keyPem(key: webcrypto.CryptoKey): Promise<string> {
  const der = await crypto().subtle.exportKey('pkcs8', key);
  return x509.PemConverter.encode(der, 'PRIVATE KEY');
}

function generateKeys(): Promise<webcrypto.CryptoKeyPair> {
  return crypto().subtle.generateKey(ALGORITHM, true, ['sign', 'verify']);
}

function randomSerial(): string {
  // Positive (top bit clear) 16-byte serial, as RFC 5280 requires.
  const bytes = crypto().getRandomValues(new Uint8Array(16));
  bytes[0] = (bytes[0] ?? 0) & 0x7f;
  return Buffer.from(bytes).toString('hex');
}

function validity(days: number): { notBefore: Date; notAfter: Date } {
  const now = Date.now();
  // Back-date by an hour so small clock differences never make a fresh certificate "not yet valid".
  const notBefore = new Date(Math.min(now, now + days * DAY_MS) - 60 * 60 * 1000);
  return { notBefore, notAfter: new Date(now + days * DAY_MS) };
}

const IP_LITERAL = /^(\d{1,3}(\.\d{1,3}){3}|[0-9a-fA-F:]*:[0-9a-fA-F:]*)$/;

/** Creates a self-signed test CA (valid 1 day unless told). */
export async function createTestCa(commonName = 'fabric-shim-ts test CA', validDays = 1): Promise<TestCa> {
  const keys = await generateKeys();
  const caCert = await x509.X509CertificateGenerator.createSelfSigned(
    {
      serialNumber: randomSerial(),
      name: `CN=${commonName}`,
      ...validity(validDays),
      signingAlgorithm: ALGORITHM,
      keys,
      extensions: [
        new x509.BasicConstraintsExtension(true, undefined, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
        await x509.SubjectKeyIdentifierExtension.create(keys.publicKey, false, crypto()),
      ],
    },
    crypto(),
  );
  const certPem = caCert.toString('pem');

  const issue = async (req: TlsCertificateRequest): Promise<TlsKeyPair> => {
    const leafKeys = await generateKeys();
    const usages: string[] = [];
    if (req.server === true) usages.push(x509.ExtendedKeyUsage.serverAuth);
    if (req.client === true) usages.push(x509.ExtendedKeyUsage.clientAuth);
    const hosts = req.hosts ?? ['localhost', '127.0.0.1'];
    const extensions: x509.Extension[] = [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyAgreement, true),
      await x509.AuthorityKeyIdentifierExtension.create(caCert, false, crypto()),
      await x509.SubjectKeyIdentifierExtension.create(leafKeys.publicKey, false, crypto()),
    ];
    if (usages.length > 0) extensions.push(new x509.ExtendedKeyUsageExtension(usages, false));
    if (hosts.length > 0) {
      extensions.push(
        new x509.SubjectAlternativeNameExtension(
          hosts.map((h) => ({ type: IP_LITERAL.test(h) ? ('ip' as const) : ('dns' as const), value: h })),
          false,
        ),
      );
    }
    const cert = await x509.X509CertificateGenerator.create(
      {
        serialNumber: randomSerial(),
        subject: `CN=${req.commonName}`,
        issuer: caCert.subject,
        ...validity(req.validDays ?? 1),
        signingAlgorithm: ALGORITHM,
        publicKey: leafKeys.publicKey,
        signingKey: keys.privateKey,
        extensions,
      },
      crypto(),
    );
    const leafCertPem = cert.toString('pem');
    const leafKeyPem = await keyPem(leafKeys.privateKey);
    return { certPem: leafCertPem, keyPem: leafKeyPem, cert: pemBytes(leafCertPem), key: pemBytes(leafKeyPem) };
  };

  return { certPem, cert: pemBytes(certPem), issue };
}

/** One CA with a server pair (serverAuth, SAN localhost/127.0.0.1) and a client pair (clientAuth). */
export async function createTlsFixture(): Promise<TlsFixture> {
  const ca = await createTestCa();
  const [server, client] = await Promise.all([
    ca.issue({ commonName: 'chaincode.localhost', server: true }),
    ca.issue({ commonName: 'peer0.localhost', client: true }),
  ]);
  return { ca, server, client };
}
