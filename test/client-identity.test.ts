import type { X509Certificate } from '@peculiar/x509';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import * as fc from 'fast-check';
import { ClientIdentity, FABRIC_ATTRIBUTES_OID, formatDN, loadX509 } from '../src/client-identity';
import { ShimError } from '../src/errors';
import { IdentityFactory } from '../src/testing/identities';

// The official ClientIdentity, to compare results field by field.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const OfficialClientIdentity = (require('fabric-shim') as { ClientIdentity: new (stub: unknown) => OfficialIdentity }).ClientIdentity;
interface OfficialIdentity {
  getID(): string;
  getMSPID(): string;
  getIDBytes(): Uint8Array;
  getAttributeValue(name: string): string | null;
  assertAttributeValue(name: string, value: string): boolean;
}

/** The minimal stub both implementations need (fabric-shim also logs the channel and txid). */
function stubFor(mspid: string, idBytes: Uint8Array) {
  return { getCreator: () => ({ mspid, idBytes }), getChannelID: () => 'mychannel', getTxID: () => 'tx1' };
}

const utf8 = (s: string) => new TextEncoder().encode(s);

type NameJson = Record<string, string[]>[];

/** A self-signed certificate with any subject and optional raw attribute extension bytes. */
async function makeCert(subject: NameJson, attrExtension?: Uint8Array): Promise<string> {
  const x509 = loadX509();
  const keys = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign', 'verify']);
  const extensions = attrExtension === undefined ? [] : [new x509.Extension(FABRIC_ATTRIBUTES_OID, false, attrExtension)];
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: '01ab',
    name: subject,
    keys,
    signingAlgorithm: { name: 'ECDSA', hash: 'SHA-256' },
    extensions,
  });
  return cert.toString('pem');
}

/** Both implementations over the same creator must agree on every accessor. */
function expectSameAsOfficial(mspid: string, pem: string | Uint8Array, attrNames: string[]): ClientIdentity {
  const idBytes = typeof pem === 'string' ? utf8(pem) : pem;
  const ours = new ClientIdentity(stubFor(mspid, idBytes));
  const theirs = new OfficialClientIdentity(stubFor(mspid, idBytes));
  expect(ours.getID()).toBe(theirs.getID());
  expect(ours.getMSPID()).toBe(theirs.getMSPID());
  expect(Buffer.from(ours.getIDBytes()).equals(Buffer.from(theirs.getIDBytes()))).toBe(true);
  for (const name of attrNames) {
    expect([name, ours.getAttributeValue(name)]).toEqual([name, theirs.getAttributeValue(name)]);
    const value = theirs.getAttributeValue(name);
    for (const candidate of [value ?? '', 'other', '']) {
      expect(ours.assertAttributeValue(name, candidate)).toBe(theirs.assertAttributeValue(name, candidate));
    }
  }
  return ours;
}

describe('ClientIdentity matches fabric-shim', () => {
  const factory = new IdentityFactory();

  test('Fabric CA-shaped identities with attributes', async () => {
    for (const [mspId, req] of [
      ['Org1MSP', { commonName: 'appUser', attributes: { role: 'auditor', level: '3' } }],
      ['Org2MSP', { commonName: 'admin', organizationalUnits: ['admin'] }],
      ['Org1MSP', { commonName: 'peer0', organizationalUnits: ['peer', 'department1', 'east'] }],
    ] as const) {
      const id = await factory.identity(mspId, req);
      const ours = expectSameAsOfficial(mspId, id.certificatePem, [...Object.keys(id.attributes), 'missing', 'hf.Registrar.Roles']);
      for (const [name, value] of Object.entries(id.attributes)) {
        // fabric-shim reads an empty value as null.
        expect(ours.getAttributeValue(name)).toBe(value === '' ? null : value);
      }
    }
  });

  test('the ID string format for a known certificate', async () => {
    const pem = await makeCert([{ C: ['US'] }, { O: ['Acme'] }, { CN: ['alice'] }]);
    const cid = expectSameAsOfficial('Org1MSP', pem, []);
    expect(cid.getID()).toBe('x509::/C=US/O=Acme/CN=alice::/C=US/O=Acme/CN=alice');
  });

  test('DN quirks: slashes, attribute types without short names, email, UTF-8, L/ST', async () => {
    const pem = await makeCert([
      { C: ['DE'] },
      { ST: ['Baden-Württemberg'] },
      { L: ['a/b/c'] },
      { O: ['Ünïcödé GmbH'] },
      { OU: ['x/y'] },
      { '2.5.4.5': ['SN-42'] },
      { '0.9.2342.19200300.100.1.25': ['example'] },
      { '1.2.840.113549.1.9.1': ['ops@example.com'] },
      { CN: ['/leading slash'] },
    ]);
    const cid = expectSameAsOfficial('Org1MSP', pem, ['anything']);
    // Only the first '/' of a value is escaped, and unknown types print with an empty short name.
    expect(cid.getID()).toContain('/L=a\\/b/c/');
    expect(cid.getID()).toContain('/=SN-42/=example/E=ops@example.com/CN=\\/leading slash::');
  });

  test('property: random subject DNs (slashes, Unicode, repeated types) give fabric-shim IDs', async () => {
    const value = fc
      .string({ unit: fc.constantFrom('a', 'Z', '0', ' ', '/', '\\', '=', ',', '+', 'é', '中', '-', '.'), minLength: 1, maxLength: 10 })
      .filter((v) => v.trim() === v && v.trim().length > 0);
    const type = fc.constantFrom('C', 'ST', 'L', 'O', 'OU', 'CN', '2.5.4.5', '2.5.4.12', '1.2.840.113549.1.9.1');
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(type, value), { minLength: 1, maxLength: 6 }), async (rdns) => {
        // C is two letters; an email is IA5 (ASCII), which @fidm/x509 enforces.
        const subject = rdns.map(([t, v]) => ({ [t]: [t === 'C' ? 'US' : t.startsWith('1.2.840') ? v.replace(/[^\x20-\x7e]/g, 'x') : v] }));
        const attrs = Object.fromEntries(rdns.map(([, v], i) => [`a${i}/${v}`, v]));
        const pem = await makeCert(subject, utf8(JSON.stringify({ attrs })));
        expectSameAsOfficial('Org1MSP', pem, Object.keys(attrs));
      }),
      { numRuns: 40 },
    );
  });

  test('certificate without the attribute extension: no attributes', async () => {
    const pem = await makeCert([{ CN: ['plain'] }]);
    const cid = expectSameAsOfficial('Org3MSP', pem, ['role', 'hf.EnrollmentID']);
    expect(cid.getAttributeValue('role')).toBeNull();
    expect(cid.assertAttributeValue('role', '')).toBe(false);
  });

  test('attribute extension with empty and non-string values', async () => {
    const pem = await makeCert([{ CN: ['odd'] }], utf8(JSON.stringify({ attrs: { empty: '', n: 5, ok: 'yes' } })));
    const cid = expectSameAsOfficial('Org1MSP', pem, ['empty', 'ok', 'absent']);
    expect(cid.getAttributeValue('empty')).toBeNull();
    expect(cid.getAttributeValue('ok')).toBe('yes');
    expect(cid.getAttributeValue('n')).toBe(5); // as fabric-shim: the certificate's value as it is
    // Names that live on Object.prototype are not attributes (fabric-shim would return the prototype's function).
    expect(cid.getAttributeValue('constructor')).toBeNull();
    expect(cid.getAttributeValue('__proto__')).toBeNull();
  });

  test('PEM variants: CRLF line ends, no trailing newline, a chain (first certificate wins)', async () => {
    const a = await makeCert([{ CN: ['first'] }]);
    const b = await makeCert([{ CN: ['second'] }]);
    expectSameAsOfficial('Org1MSP', a.replace(/\n/g, '\r\n'), []);
    expectSameAsOfficial('Org1MSP', a.trimEnd(), []);
    const chain = expectSameAsOfficial('Org1MSP', `${a}\n${b}`, []);
    expect(chain.getID()).toBe('x509::/CN=first::/CN=first');
  });

  test('getX509Certificate exposes the parsed certificate', async () => {
    const id = await factory.identity('Org1MSP', { commonName: 'certUser' });
    const view = new ClientIdentity(stubFor('Org1MSP', utf8(id.certificatePem))).getX509Certificate();
    expect(view.subject).toMatch(/CN=certUser$/);
    // Typed structurally (no @peculiar/x509 type in our declarations); the object is @peculiar/x509's.
    const cert = view as unknown as X509Certificate;
    expect(cert.subjectName.getField('CN')).toEqual(['certUser']);
    expect(cert.issuerName.getField('CN')).toEqual(['ca.org1.example.com']);
    expect(cert.toString('pem').replace(/\s+/g, '')).toBe(id.certificatePem.replace(/\s+/g, ''));
    expect(cert.notAfter.getTime()).toBeGreaterThan(Date.now());
    expect(cert.getExtension(FABRIC_ATTRIBUTES_OID)).not.toBeNull();
  });

  test('the same creator twice gives equal results (cached parse)', async () => {
    const id = await factory.identity('Org1MSP', { commonName: 'cached', attributes: { a: 'b' } });
    const one = new ClientIdentity(stubFor('Org1MSP', utf8(id.certificatePem)));
    const two = new ClientIdentity(stubFor('Org9MSP', utf8(id.certificatePem)));
    expect(two.getID()).toBe(one.getID());
    expect(two.getAttributeValue('a')).toBe('b');
    expect(two.getMSPID()).toBe('Org9MSP');
  });
});

describe('ClientIdentity errors', () => {
  function expectBothThrow(idBytes: Uint8Array, message: RegExp) {
    expect(() => new OfficialClientIdentity(stubFor('Org1MSP', idBytes))).toThrow();
    let thrown: unknown;
    try {
      new ClientIdentity(stubFor('Org1MSP', idBytes));
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(ShimError);
    expect((thrown as ShimError).code).toBe('INVALID_ARGUMENT');
    expect((thrown as ShimError).message).toMatch(message);
  }

  test('not a PEM at all (e.g. an idemix identity)', () => {
    expectBothThrow(utf8('not a certificate'), /^Failed to find start line or end line of the certificate\.$/);
    expectBothThrow(new Uint8Array(0), /Failed to find start line/);
  });

  test('a PEM block that is not a certificate', () => {
    expectBothThrow(utf8('-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n'), /Cannot read X\.509 certificate/);
    expectBothThrow(utf8('-----BEGIN CERTIFICATE-----\n!!!!\n-----END CERTIFICATE-----\n'), /invalid base64/);
    expectBothThrow(utf8('-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n'), /no CERTIFICATE block/);
  });

  test('attribute extension that is not JSON', async () => {
    const pem = await makeCert([{ CN: ['broken'] }], utf8('{"attrs":'));
    expectBothThrow(utf8(pem), /attribute extension \(1\.2\.3\.4\.5\.6\.7\.8\.1\) is not valid JSON/);
  });

  test('formatDN refuses malformed names', () => {
    expect(() => formatDN(Uint8Array.from([0x30, 0x05, 0x31]))).toThrow(/malformed/);
    expect(() => formatDN(Uint8Array.from([0x04, 0x00]))).toThrow(/malformed Name/);
  });
});

test('loading the module does not load @peculiar/x509; the first ClientIdentity does', async () => {
  const pem = (await new IdentityFactory().identity('Org1MSP')).certificatePem;
  const script = `
    const loaded = () => Object.keys(require.cache).some((k) => k.includes('@peculiar' + require('path').sep + 'x509'));
    const { ClientIdentity } = require(${JSON.stringify(path.join(__dirname, '..', 'src', 'client-identity.ts'))});
    const before = loaded();
    const pem = ${JSON.stringify(pem)};
    const cid = new ClientIdentity({ getCreator: () => ({ mspid: 'Org1MSP', idBytes: Buffer.from(pem) }) });
    process.stdout.write(JSON.stringify({ before, after: loaded(), id: cid.getID() }));
  `;
  const child = spawnSync(process.execPath, ['--require', require.resolve('tsx/cjs'), '-e', script], { encoding: 'utf8', timeout: 60_000 });
  expect(child.stderr).toBe('');
  expect(JSON.parse(child.stdout)).toEqual({ before: false, after: true, id: expect.stringMatching(/^x509::\/C=US/) });
});
