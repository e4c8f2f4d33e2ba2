import { createPublicKey, createVerify, X509Certificate as NodeX509 } from 'node:crypto';
import * as official from '@hyperledger/fabric-protos';
import { IdentityFactory, ecdsaDer } from '../src/testing/identities';
import { ClientIdentity } from '../src/client-identity';

const P256_HALF_N = BigInt('0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551') >> 1n;

/** Reads r and s out of a DER ECDSA signature (SEQUENCE { INTEGER r, INTEGER s }, short lengths). */
function derToRS(der: Uint8Array): { r: bigint; s: bigint } {
  expect(der[0]).toBe(0x30);
  expect(der[1]).toBe(der.length - 2);
  let i = 2;
  const ints: bigint[] = [];
  while (i < der.length) {
    expect(der[i]).toBe(0x02);
    const len = der[i + 1]!;
    ints.push(BigInt(`0x${Buffer.from(der.subarray(i + 2, i + 2 + len)).toString('hex') || '0'}`));
    i += 2 + len;
  }
  expect(ints).toHaveLength(2);
  return { r: ints[0]!, s: ints[1]! };
}

describe('IdentityFactory', () => {
  const factory = new IdentityFactory();

  test('serialize() is an msp.SerializedIdentity the official decoder reads', async () => {
    const id = await factory.identity('Org1MSP', { commonName: 'alice' });
    const decoded = official.msp.SerializedIdentity.deserializeBinary(id.serialize());
    expect(decoded.getMspid()).toBe('Org1MSP');
    expect(Buffer.from(decoded.getIdBytes_asU8()).toString('utf8')).toBe(id.certificatePem);
    expect(id.certificatePem).toMatch(/^-----BEGIN CERTIFICATE-----\n[\s\S]+-----END CERTIFICATE-----\n?$/);
  });

  test('certificates look like Fabric CA enrollment certificates and chain to the MSP CA', async () => {
    const id = await factory.identity('Org1MSP', { commonName: 'bob', organizationalUnits: ['client', 'department1'] });
    const cert = new NodeX509(id.certificatePem);
    const ca = new NodeX509(await factory.caCertificatePem('Org1MSP'));
    expect(cert.subject.split('\n')).toEqual(['C=US', 'ST=North Carolina', 'O=Hyperledger', 'OU=client', 'OU=department1', 'CN=bob']);
    expect(ca.subject.split('\n')).toEqual(['C=US', 'ST=North Carolina', 'L=Durham', 'O=org1.example.com', 'CN=ca.org1.example.com']);
    expect(cert.issuer).toBe(ca.subject);
    expect(cert.checkIssued(ca)).toBe(true);
    expect(cert.verify(ca.publicKey)).toBe(true);
    expect(ca.verify(ca.publicKey)).toBe(true);
    expect(cert.ca).toBe(false);
    expect(ca.ca).toBe(true);
    expect(cert.publicKey.asymmetricKeyDetails?.namedCurve).toBe('prime256v1');
  });

  test('one CA per MSP, cached; identities cached per request', async () => {
    const a1 = await factory.identity('Org1MSP', { commonName: 'carol', attributes: { x: '1', y: '2' } });
    const a2 = await factory.identity('Org1MSP', { commonName: 'carol', attributes: { y: '2', x: '1' } });
    const other = await factory.identity('Org1MSP', { commonName: 'carol', attributes: { x: '1' } });
    expect(a2).toBe(a1);
    expect(other.certificatePem).not.toBe(a1.certificatePem);
    expect(await factory.caCertificatePem('Org1MSP')).toBe(await factory.caCertificatePem('Org1MSP'));
    expect(await factory.caCertificatePem('Org2MSP')).not.toBe(await factory.caCertificatePem('Org1MSP'));
    const org2 = new NodeX509(await factory.caCertificatePem('Org2MSP'));
    expect(org2.subject).toContain('CN=ca.org2.example.com');
    expect(new NodeX509(other.certificatePem).checkIssued(org2)).toBe(false);
  });

  test('sign() gives DER ECDSA-SHA256 signatures with low S that verify against the certificate', async () => {
    const id = await factory.identity('Org1MSP', { commonName: 'signer' });
    const key = new NodeX509(id.certificatePem).publicKey;
    for (let i = 0; i < 20; i++) {
      const data = Buffer.from(`proposal bytes ${i}`);
      const sig = await id.sign(data);
      const { s } = derToRS(sig);
      expect(s <= P256_HALF_N).toBe(true);
      expect(createVerify('SHA256').update(data).verify({ key, dsaEncoding: 'der' }, sig)).toBe(true);
      expect(createVerify('SHA256').update(Buffer.from('other')).verify({ key, dsaEncoding: 'der' }, sig)).toBe(false);
    }
  });

  test('privateKeyPem() matches the certificate key', async () => {
    const id = await factory.identity('Org3MSP');
    const pub = createPublicKey(await id.privateKeyPem()).export({ format: 'der', type: 'spki' });
    expect(Buffer.from(pub).equals(new NodeX509(id.certificatePem).publicKey.export({ format: 'der', type: 'spki' }))).toBe(true);
  });

  test('ecdsaDer normalizes a high S and pads integers with a top bit set', () => {
    const n = BigInt('0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551');
    const r = Buffer.alloc(32, 0x80);
    const highS = n - 5n;
    const p1363 = Buffer.concat([r, Buffer.from(highS.toString(16).padStart(64, '0'), 'hex')]);
    const der = ecdsaDer(p1363);
    const parsed = derToRS(der);
    expect(parsed.s).toBe(5n);
    expect(parsed.r).toBe(BigInt(`0x${r.toString('hex')}`));
    expect(der[3]).toBe(33); // r had its top bit set: a zero byte was prepended
    expect(() => ecdsaDer(new Uint8Array(10))).toThrow(/64-byte/);
  });

  test('attributes: Fabric CA defaults plus the request, readable with ClientIdentity', async () => {
    const id = await factory.identity('Org2MSP', {
      commonName: 'auditor1',
      attributes: { role: 'auditor', 'hf.Affiliation': 'org2.department1' },
    });
    expect(id.attributes).toEqual({
      role: 'auditor',
      'hf.Affiliation': 'org2.department1',
      'hf.EnrollmentID': 'auditor1',
      'hf.Type': 'client',
    });
    const cid = new ClientIdentity({ getCreator: () => ({ mspid: id.mspId, idBytes: new TextEncoder().encode(id.certificatePem) }) });
    expect(cid.getMSPID()).toBe('Org2MSP');
    expect(cid.getAttributeValue('role')).toBe('auditor');
    expect(cid.getAttributeValue('hf.EnrollmentID')).toBe('auditor1');
    expect(cid.getAttributeValue('hf.Affiliation')).toBe('org2.department1');
    expect(cid.assertAttributeValue('role', 'auditor')).toBe(true);
    expect(cid.assertAttributeValue('role', 'admin')).toBe(false);
    expect(cid.getID()).toBe(
      'x509::/C=US/ST=North Carolina/O=Hyperledger/OU=client/CN=auditor1::/C=US/ST=North Carolina/L=Durham/O=org2.example.com/CN=ca.org2.example.com',
    );
  });

  test('bad requests are refused', async () => {
    await expect(factory.identity('')).rejects.toThrow(/mspId/);
    await expect(factory.identity('Org1MSP', { commonName: '' })).rejects.toThrow(/commonName/);
    await expect(factory.identity('Org1MSP', { organizationalUnits: [''] })).rejects.toThrow(/organizationalUnits/);
  });
});
