/**
 * The crypto material of `fabric-shim-ts dev`, written where an application made for Fabric's
 * test network looks for it (fabric-samples test-network `organizations/` layout, which the
 * asset-transfer `application-gateway-*` samples read through CRYPTO_PATH):
 *
 *   peerOrganizations/org1.example.com/
 *     users/User1@org1.example.com/msp/signcerts/cert.pem           (fabric-ca enrollment's name)
 *     users/User1@org1.example.com/msp/signcerts/User1@org1.example.com-cert.pem   (cryptogen's name)
 *     users/User1@org1.example.com/msp/keystore/priv_sk             (cryptogen's name; samples read the first file)
 *     users/User1@org1.example.com/msp/cacerts/ca.org1.example.com-cert.pem
 *     msp/cacerts/ca.org1.example.com-cert.pem, ca/ca.org1.example.com-cert.pem
 *     peers/peer0.org1.example.com/tls/ca.crt                        (--tls: the gateway's TLS CA)
 *     tlsca/tlsca.org1.example.com-cert.pem                          (--tls: the same CA)
 *   chaincode/   the TLS files a peer gives its chaincode (--tls): peer.crt, client.key/.crt
 *                (base64, CORE_TLS_CLIENT_*_PATH) and client_pem.key/.crt (PEM, *_FILE)
 *
 * The client certificate is issued by the mock peer's own Org1MSP CA, so the gateway accepts
 * the identity and verifies the signatures made with the key. Everything is regenerated on each
 * start (the CA lives in memory), so a directory this module did not create is never cleared.
 */
import { existsSync, readdirSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { TestIdentity } from './identities';
import type { TestCa, TlsKeyPair } from './tls';

/** Marks a crypto directory as `dev`'s own, safe to clear on the next start. */
const MARKER = '.fabric-shim-ts-dev';

/** What {@link writeDevCrypto} writes. */
export interface DevCryptoInput {
  /** The crypto directory (the test network's `organizations` folder). */
  dir: string;
  /** Organisation domain; `org1.example.com`. */
  domain: string;
  /** The client identity (User1) and its MSP's CA certificate. */
  user: TestIdentity;
  caCertificatePem: string;
  /** With TLS: the CA that signed the peer's server certificate, and the chaincode's client pair. */
  tls?: { ca: TestCa; chaincodeClient: TlsKeyPair };
}

/** Absolute paths of what was written: what an application and the chaincode are pointed at. */
export interface DevCryptoPaths {
  /** `CRYPTO_PATH` of the samples: `<dir>/peerOrganizations/<domain>`. */
  cryptoPath: string;
  certDirectory: string;
  certPath: string;
  keyDirectory: string;
  keyPath: string;
  /** The gateway's TLS CA (`peers/peer0.<domain>/tls/ca.crt`), with TLS. */
  tlsCertPath?: string;
  /** CORE_* variables for the chaincode process, with TLS. */
  chaincodeTlsEnv?: Record<string, string>;
}

async function put(file: string, content: string, mode = 0o644): Promise<void> {
  await mkdir(join(file, '..'), { recursive: true });
  await writeFile(file, content, { mode });
}

/**
 * Clears the parts of `dir` a previous `dev` wrote, refusing a non-empty directory it did not
 * create (someone's real test-network crypto, for instance).
 */
async function claim(dir: string): Promise<void> {
  if (existsSync(dir) && !existsSync(join(dir, MARKER)) && readdirSync(dir).length > 0) {
    throw new Error(`the crypto directory ${dir} exists and was not written by fabric-shim-ts dev: choose another with --crypto-dir`);
  }
  await rm(join(dir, 'peerOrganizations'), { recursive: true, force: true });
  await rm(join(dir, 'chaincode'), { recursive: true, force: true });
  await put(join(dir, MARKER), 'Written by `fabric-shim-ts dev`; regenerated on each start.\n');
}

/** Writes the client identity, the CA and (with TLS) the TLS material; returns their paths. */
export async function writeDevCrypto(input: DevCryptoInput): Promise<DevCryptoPaths> {
  const dir = resolve(input.dir);
  await claim(dir);
  const { domain } = input;
  const org = join(dir, 'peerOrganizations', domain);
  const user = `User1@${domain}`;
  const msp = join(org, 'users', user, 'msp');
  const caFile = `ca.${domain}-cert.pem`;
  const cert = input.user.certificatePem;
  const paths: DevCryptoPaths = {
    cryptoPath: org,
    certDirectory: join(msp, 'signcerts'),
    certPath: join(msp, 'signcerts', 'cert.pem'),
    keyDirectory: join(msp, 'keystore'),
    keyPath: join(msp, 'keystore', 'priv_sk'),
  };
  await Promise.all([
    put(paths.certPath, cert),
    put(join(paths.certDirectory, `${user}-cert.pem`), cert),
    put(paths.keyPath, await input.user.privateKeyPem(), 0o600),
    put(join(msp, 'cacerts', caFile), input.caCertificatePem),
    put(join(org, 'msp', 'cacerts', caFile), input.caCertificatePem),
    put(join(org, 'ca', caFile), input.caCertificatePem),
  ]);
  if (input.tls) {
    const { ca, chaincodeClient } = input.tls;
    const tlsCertPath = join(org, 'peers', `peer0.${domain}`, 'tls', 'ca.crt');
    const cc = join(dir, 'chaincode');
    const base64 = (pem: string): string => Buffer.from(pem).toString('base64');
    const chaincodeTlsEnv = {
      CORE_PEER_TLS_ENABLED: 'true',
      CORE_PEER_TLS_ROOTCERT_FILE: join(cc, 'peer.crt'),
      CORE_TLS_CLIENT_KEY_PATH: join(cc, 'client.key'),
      CORE_TLS_CLIENT_CERT_PATH: join(cc, 'client.crt'),
      CORE_TLS_CLIENT_KEY_FILE: join(cc, 'client_pem.key'),
      CORE_TLS_CLIENT_CERT_FILE: join(cc, 'client_pem.crt'),
    };
    await Promise.all([
      put(tlsCertPath, ca.certPem),
      put(join(org, 'tlsca', `tlsca.${domain}-cert.pem`), ca.certPem),
      put(join(org, 'msp', 'tlscacerts', `tlsca.${domain}-cert.pem`), ca.certPem),
      // As a peer hands them to its chaincode: the same names, base64 in *_PATH, PEM in *_FILE.
      put(chaincodeTlsEnv.CORE_PEER_TLS_ROOTCERT_FILE, ca.certPem),
      put(chaincodeTlsEnv.CORE_TLS_CLIENT_KEY_PATH, base64(chaincodeClient.keyPem), 0o600),
      put(chaincodeTlsEnv.CORE_TLS_CLIENT_CERT_PATH, base64(chaincodeClient.certPem)),
      put(chaincodeTlsEnv.CORE_TLS_CLIENT_KEY_FILE, chaincodeClient.keyPem, 0o600),
      put(chaincodeTlsEnv.CORE_TLS_CLIENT_CERT_FILE, chaincodeClient.certPem),
    ]);
    paths.tlsCertPath = tlsCertPath;
    paths.chaincodeTlsEnv = chaincodeTlsEnv;
  }
  return paths;
}
