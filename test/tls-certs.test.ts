import { X509Certificate, createPrivateKey } from 'node:crypto';
import * as tls from 'node:tls';
import type { AddressInfo } from 'node:net';
import { createTestCa, createTlsFixture } from '../src/testing/tls';

/** Completes one TLS handshake over loopback; resolves with the client's authorized flag and error. */
function handshake(
  serverOpts: tls.TlsOptions,
  clientOpts: tls.ConnectionOptions,
): Promise<{ ok: boolean; error?: string; peerCn?: string }> {
  return new Promise((resolve, reject) => {
    let peerCn: string | undefined;
    const server = tls.createServer(serverOpts, (socket) => {
      const cert = socket.getPeerCertificate();
      const cn: unknown = cert && 'subject' in cert ? cert.subject?.CN : undefined;
      peerCn = typeof cn === 'string' ? cn : undefined;
      socket.end('hi');
    });
    server.on('tlsClientError', () => undefined);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      const client = tls.connect({ ...clientOpts, host: '127.0.0.1', port });
      // With TLS 1.3 the client's handshake finishes before the server checks the client
      // certificate, so success means the server's greeting actually arrived.
      let greeted = false;
      client.on('data', (d: Buffer) => {
        greeted = d.toString() === 'hi';
      });
      client.on('end', () => {
        client.destroy();
        server.close(() =>
          resolve(greeted ? { ok: true, ...(peerCn === undefined ? {} : { peerCn }) } : { ok: false, error: 'closed without greeting' }),
        );
      });
      client.on('error', (e) => {
        client.destroy();
        server.close(() => resolve({ ok: false, error: e.message }));
      });
    });
    server.on('error', reject);
  });
}

describe('testing/tls certificates', () => {
  it('issues a server certificate signed by the CA with SANs and serverAuth', async () => {
    const { ca, server } = await createTlsFixture();
    const caCert = new X509Certificate(ca.certPem);
    const leaf = new X509Certificate(server.certPem);
    expect(caCert.ca).toBe(true);
    expect(leaf.ca).toBe(false);
    expect(leaf.checkIssued(caCert)).toBe(true);
    expect(leaf.verify(caCert.publicKey)).toBe(true);
    expect(leaf.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(leaf.checkHost('localhost')).toBe('localhost');
    expect(leaf.keyUsage).toEqual(['1.3.6.1.5.5.7.3.1']);
    // The key is PKCS#8 PEM and matches the certificate.
    const key = createPrivateKey(server.keyPem);
    expect(key.asymmetricKeyType).toBe('ec');
    expect(leaf.checkPrivateKey(key)).toBe(true);
    expect(new TextDecoder().decode(server.cert)).toBe(server.certPem);
  });

  it('marks client certificates clientAuth and signs them with the same CA only', async () => {
    const { ca, client } = await createTlsFixture();
    const other = await createTestCa('other');
    const leaf = new X509Certificate(client.certPem);
    expect(leaf.keyUsage).toEqual(['1.3.6.1.5.5.7.3.2']);
    expect(leaf.verify(new X509Certificate(ca.certPem).publicKey)).toBe(true);
    expect(leaf.verify(new X509Certificate(other.certPem).publicKey)).toBe(false);
  });

  it('completes a mutual TLS handshake and refuses a client from another CA', async () => {
    const { ca, server, client } = await createTlsFixture();
    const serverOpts: tls.TlsOptions = {
      key: server.keyPem,
      cert: server.certPem,
      ca: ca.certPem,
      requestCert: true,
      rejectUnauthorized: true,
    };
    const good = await handshake(serverOpts, { ca: ca.certPem, key: client.keyPem, cert: client.certPem, servername: 'localhost' });
    expect(good).toEqual({ ok: true, peerCn: 'peer0.localhost' });

    const stranger = await (await createTestCa('stranger')).issue({ commonName: 'evil', client: true });
    const bad = await handshake(serverOpts, { ca: ca.certPem, key: stranger.keyPem, cert: stranger.certPem, servername: 'localhost' });
    expect(bad.ok).toBe(false);
  });

  it('a client trusting another CA refuses the server', async () => {
    const { server } = await createTlsFixture();
    const other = await createTestCa('other');
    const res = await handshake({ key: server.keyPem, cert: server.certPem }, { ca: other.certPem, servername: 'localhost' });
    expect(res.ok).toBe(false);
    expect(res.error).toMatch(/certificate/i);
  });

  it('can make an expired certificate', async () => {
    const ca = await createTestCa();
    const old = await ca.issue({ commonName: 'old', server: true, validDays: -1 });
    expect(new Date(new X509Certificate(old.certPem).validTo).getTime()).toBeLessThan(Date.now());
  });
});
