import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from '../src/cli/args';
import { peerTarget, readPemOrBase64, readSetting, readStartConfig, START_ARGS } from '../src/config';
import { ShimError } from '../src/errors';

// Real PEMs: readPemOrBase64 parses what it reads (a corrupt file is named at start-up).
const KEY_PEM =
  '-----BEGIN PRIVATE KEY-----\nMIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQggHGDe1NQopm6KBLN\n3uGaYBUG7ZOo7W3JUIi2ADUWuxihRANCAASsTrrgjd1XjgEbLPU5K7grQxr2zgYI\niihcCTws8Vw0VDBn/WKPpRK0s1p/PrgG94/46yNGOw6BATz1wOMakQ4i\n-----END PRIVATE KEY-----';
const CERT_PEM =
  '-----BEGIN CERTIFICATE-----\nMIIBzTCCAXKgAwIBAgIQK9MbX0KZO4QtSJEjZjAw6jAKBggqhkjOPQQDAjAhMR8w\nHQYDVQQDExZmYWJyaWMtc2hpbS10cyB0ZXN0IENBMB4XDTI2MTEyMjAwMjY1NloX\nDTI2MTEyMzAxMjY1NlowGjEYMBYGA1UEAxMPcGVlcjAubG9jYWxob3N0MFkwEwYH\nKoZIzj0CAQYIKoZIzj0DAQcDQgAErE664I3dV44BGyz1OSu4K0Ma9s4GCIooXAk8\nLPFcNFQwZ/1ij6UStLNafz64BveP+OsjRjsOgQE89cDjGpEOIqOBkjCBjzAMBgNV\nHRMBAf8EAjAAMA4GA1UdDwEB/wQEAwIDiDAfBgNVHSMEGDAWgBQHmK5OyTmrvGZn\ne2fKgWjQjEGrvjAdBgNVHQ4EFgQU5y7npVjy8FBzq9oMh7UHKY8VVGkwEwYDVR0l\nBAwwCgYIKwYBBQUHAwIwGgYDVR0RBBMwEYIJbG9jYWxob3N0hwR/AAABMAoGCCqG\nSM49BAMCA0kAMEYCIQCEIrF7y807gU2j5n4LvezlMS+ZNT37PtNKWJ7upjUjNgIh\nANtRCmS2ecl3GnSkon7J4Uup0nxtoVzP3nKhOuHxuJm6\n-----END CERTIFICATE-----';
const CA_PEM =
  '-----BEGIN CERTIFICATE-----\nMIIBgTCCASigAwIBAgIQQpIo1tuHmydy2dMPLzLmNzAKBggqhkjOPQQDAjAhMR8w\nHQYDVQQDExZmYWJyaWMtc2hpbS10cyB0ZXN0IENBMB4XDTI2MTEyMjAwMjY1NloX\nDTI2MTEyMzAxMjY1NlowITEfMB0GA1UEAxMWZmFicmljLXNoaW0tdHMgdGVzdCBD\nQTBZMBMGByqGSM49AgEGCCqGSM49AwEHA0IABB7D8jcqZl9hJJZekzuyimeSKQ5U\nvjeAzPB8t2HhsPg0x7opw4YCeMMQfiUK5aiCHqrI+IDmeOSWKfqyTOE6Y4KjQjBA\nMA8GA1UdEwEB/wQFMAMBAf8wDgYDVR0PAQH/BAQDAgEGMB0GA1UdDgQWBBQHmK5O\nyTmrvGZne2fKgWjQjEGrvjAKBggqhkjOPQQDAgNHADBEAiAacHCAaLYdLTz73gaF\nhO399jH0Zc4i5pvDHRM3k4JYgQIgYVknOdF5nNoYUteUG4pXPFMpxGqlemZG7W6B\nC/KjD28=\n-----END CERTIFICATE-----';

let dir: string;
const file = (name: string, content: string) => {
  const p = join(dir, name);
  writeFileSync(p, content);
  return p;
};
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'fst-config-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function configError(fn: () => unknown): ShimError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ShimError);
    expect((e as ShimError).code).toBe('CONFIG');
    return e as ShimError;
  }
  throw new Error('expected a CONFIG error');
}

describe('readSetting', () => {
  test('flags win over env; both flag spellings; = form; last flag wins', () => {
    const env = { CORE_PEER_ADDRESS: 'env:1' };
    expect(readSetting([], env, ['peer.address'], ['CORE_PEER_ADDRESS'])).toBe('env:1');
    expect(readSetting(['--peer.address', 'flag:2'], env, ['peer.address'], ['CORE_PEER_ADDRESS'])).toBe('flag:2');
    expect(readSetting(['--peer.address=flag:3'], env, ['--peer.address'], ['CORE_PEER_ADDRESS'])).toBe('flag:3');
    expect(readSetting(['--chaincodeIdName', 'cc:1'], {}, ['chaincode-id-name'], [])).toBe('cc:1');
    expect(readSetting(['--peer.address', 'a:1', '--peer.address', 'b:2'], {}, ['peer.address'], [])).toBe('b:2');
    expect(readSetting([], { A: '', B: 'b' }, [], ['A', 'B'])).toBe('b');
    expect(readSetting(['--other', 'x'], {}, ['peer.address'], [])).toBeUndefined();
  });
  test('a value flag without a value is a CONFIG error', () => {
    expect(configError(() => readSetting(['--peer.address'], {}, ['peer.address'], [])).message).toContain('--peer.address');
    configError(() => readSetting(['--peer.address', '--chaincode-id-name', 'x'], {}, ['peer.address'], []));
  });
});

describe('readPemOrBase64', () => {
  test('*_FILE is PEM, *_PATH is base64 of the PEM, FILE preferred', () => {
    const pem = file('key.pem', KEY_PEM);
    const b64 = file('key.b64', Buffer.from(KEY_PEM).toString('base64'));
    const other = file('other.b64', Buffer.from(CERT_PEM).toString('base64'));
    expect(Buffer.from(readPemOrBase64(pem, undefined, 'key')!).toString()).toBe(KEY_PEM);
    expect(Buffer.from(readPemOrBase64(undefined, b64, 'key')!).toString()).toBe(KEY_PEM);
    expect(Buffer.from(readPemOrBase64(pem, other, 'key')!).toString()).toBe(KEY_PEM);
    expect(readPemOrBase64(undefined, undefined, 'key')).toBeUndefined();
    expect(readPemOrBase64('', '', 'key')).toBeUndefined();
  });
  test('a PEM under *_PATH is accepted as is', () => {
    expect(Buffer.from(readPemOrBase64(undefined, file('plain.pem', CERT_PEM), 'cert')!).toString()).toBe(CERT_PEM);
  });
  test('missing or wrong files are CONFIG errors naming the file', () => {
    const missing = join(dir, 'nope.pem');
    expect(configError(() => readPemOrBase64(missing, undefined, 'client key')).message).toContain(missing);
    const junk = file('junk.txt', 'not a pem');
    expect(configError(() => readPemOrBase64(junk, undefined, 'client key')).message).toContain(junk);
    const junk64 = file('junk.b64', Buffer.from('still not a pem').toString('base64'));
    expect(configError(() => readPemOrBase64(undefined, junk64, 'client key')).message).toContain(junk64);
  });
});

describe('readStartConfig', () => {
  test('env only', () => {
    const c = readStartConfig([], { CORE_PEER_ADDRESS: 'peer0:7052', CORE_CHAINCODE_ID_NAME: 'mycc:1', CORE_PEER_LOCALMSPID: 'Org1MSP' });
    expect(c).toEqual({ peerAddress: 'peer0:7052', chaincodeId: 'mycc:1', mspId: 'Org1MSP', grpc: {}, registrationTimeoutMs: 30_000 });
  });
  test('registration timeout: --registration-timeout or CORE_REGISTRATION_TIMEOUT, milliseconds or a Go-style duration', () => {
    const base = { CORE_PEER_ADDRESS: 'p:1', CORE_CHAINCODE_ID_NAME: 'cc' };
    expect(readStartConfig(['--registration-timeout', '1500'], base).registrationTimeoutMs).toBe(1500);
    expect(readStartConfig(['--registration-timeout=2s'], { ...base, CORE_REGISTRATION_TIMEOUT: '9' }).registrationTimeoutMs).toBe(2000);
    expect(readStartConfig([], { ...base, CORE_REGISTRATION_TIMEOUT: '1m' }).registrationTimeoutMs).toBe(60_000);
    expect(readStartConfig([], { ...base, CORE_REGISTRATION_TIMEOUT: '0' }).registrationTimeoutMs).toBe(0);
    expect(configError(() => readStartConfig(['--registration-timeout', '-5'], base)).message).toMatch(
      /--registration-timeout .* not "-5"/,
    );
  });
  test('an address without a port is refused (grpc-js would dial 443); [ipv6]:port is accepted', () => {
    const id = { CORE_CHAINCODE_ID_NAME: 'cc' };
    expect(configError(() => readStartConfig([], { ...id, CORE_PEER_ADDRESS: 'peer0' })).message).toMatch(
      /"peer0" has no port: use host:port, e.g. "peer0:7052"/,
    );
    expect(configError(() => readStartConfig([], { ...id, CORE_PEER_ADDRESS: 'grpcs://peer0' })).message).toMatch(/has no port/);
    expect(configError(() => readStartConfig([], { ...id, CORE_PEER_ADDRESS: 'peer0:abc' })).message).toMatch(/has no port/);
    expect(readStartConfig([], { ...id, CORE_PEER_ADDRESS: '[::1]:7052' }).peerAddress).toBe('[::1]:7052');
    expect(readStartConfig([], { ...id, CORE_PEER_ADDRESS: 'grpc://peer0.org1.example.com:7052' }).peerAddress).toBe(
      'peer0.org1.example.com:7052',
    );
  });
  test('flags (fabric-chaincode-node start) win; grpc options are passed through as numbers', () => {
    const argv = [
      '--peer.address',
      'grpc://flag:7052',
      '--chaincode-id-name=flagcc:2',
      '--grpc.max_send_message_length',
      '-1',
      '--grpc.keepalive_time_ms=300000',
      '--grpc.primary_user_agent',
      'me',
      '--module-path',
      '/m',
    ];
    const c = readStartConfig(argv, { CORE_PEER_ADDRESS: 'env:1', CORE_CHAINCODE_ID_NAME: 'envcc' });
    expect(c.peerAddress).toBe('flag:7052');
    expect(c.chaincodeId).toBe('flagcc:2');
    expect(c.grpc).toEqual({ 'grpc.max_send_message_length': -1, 'grpc.keepalive_time_ms': 300000, 'grpc.primary_user_agent': 'me' });
    // `fabric-shim-ts start` reads the module path from the same arguments.
    expect(parseArgs(argv, START_ARGS).values.get('module')).toBe('/m');
    expect(c.tls).toBeUndefined();
  });
  test('missing peer address or chaincode id: clear CONFIG errors', () => {
    expect(configError(() => readStartConfig([], { CORE_CHAINCODE_ID_NAME: 'x' })).message).toMatch(/peer\.address.*CORE_PEER_ADDRESS/);
    expect(configError(() => readStartConfig(['--peer.address', 'p:1'], {})).message).toMatch(/chaincode-id-name.*CORE_CHAINCODE_ID_NAME/);
    expect(configError(() => readStartConfig(['--peer.address', 'https://p:1', '--chaincode-id-name', 'x'], {})).message).toContain('http');
  });
  test('TLS: root cert plus client pair from *_FILE (PEM) or *_PATH (base64); name override flag', () => {
    const base = {
      CORE_PEER_ADDRESS: 'p:1',
      CORE_CHAINCODE_ID_NAME: 'cc',
      CORE_PEER_TLS_ENABLED: 'TRUE',
      CORE_PEER_TLS_ROOTCERT_FILE: file('ca.pem', CA_PEM),
    };
    const fromPem = readStartConfig(['--ssl-target-name-override', 'peer0.org1'], {
      ...base,
      CORE_TLS_CLIENT_KEY_FILE: file('k.pem', KEY_PEM),
      CORE_TLS_CLIENT_CERT_FILE: file('c.pem', CERT_PEM),
    });
    expect(Buffer.from(fromPem.tls!.rootCert!).toString()).toBe(CA_PEM);
    expect(Buffer.from(fromPem.tls!.clientKey!).toString()).toBe(KEY_PEM);
    expect(Buffer.from(fromPem.tls!.clientCert!).toString()).toBe(CERT_PEM);
    expect(fromPem.tls!.serverNameOverride).toBe('peer0.org1');

    const fromB64 = readStartConfig([], {
      ...base,
      CORE_TLS_CLIENT_KEY_PATH: file('k.b64', Buffer.from(KEY_PEM).toString('base64')),
      CORE_TLS_CLIENT_CERT_PATH: file('c.b64', Buffer.from(CERT_PEM).toString('base64')),
    });
    expect(Buffer.from(fromB64.tls!.clientKey!).toString()).toBe(KEY_PEM);
    expect(Buffer.from(fromB64.tls!.clientCert!).toString()).toBe(CERT_PEM);
    expect(fromB64.tls!.serverNameOverride).toBeUndefined();
  });
  test('TLS without root cert or client pair is a CONFIG error; TLS off ignores TLS variables', () => {
    const base = { CORE_PEER_ADDRESS: 'p:1', CORE_CHAINCODE_ID_NAME: 'cc', CORE_PEER_TLS_ENABLED: 'true' };
    expect(configError(() => readStartConfig([], base)).message).toContain('CORE_PEER_TLS_ROOTCERT_FILE');
    expect(configError(() => readStartConfig([], { ...base, CORE_PEER_TLS_ROOTCERT_FILE: file('ca2.pem', CA_PEM) })).message).toContain(
      'client key or certificate',
    );
    expect(readStartConfig([], { ...base, CORE_PEER_TLS_ENABLED: 'false', CORE_PEER_TLS_ROOTCERT_FILE: '/nope' }).tls).toBeUndefined();
  });
  test('peerTarget strips grpc(s):// only', () => {
    expect(peerTarget('grpcs://a:1')).toBe('a:1');
    expect(peerTarget('a:1')).toBe('a:1');
  });
});
