/**
 * Client mode with TLS: the chaincode dials a TLS peer (the mock peer serving TLS, mutual TLS
 * as a real peer requires) through the real shim `connect`, over loopback.
 */
import { connect, type ChaincodeConnection } from '../src/shim';
import { MockPeer } from '../src/testing';
import { createTestCa, createTlsFixture, type TlsFixture } from '../src/testing/tls';
import { chaincode } from './fixtures/server-chaincode';

let tls: TlsFixture;
const peers: MockPeer[] = [];
const conns: ChaincodeConnection[] = [];

beforeAll(async () => {
  tls = await createTlsFixture();
});
afterEach(async () => {
  for (const c of conns.splice(0)) c.close();
  await Promise.all(peers.splice(0).map((p) => p.stop()));
});

async function tlsPeer(mutual: boolean): Promise<MockPeer> {
  const peer = await MockPeer.start({
    tls: { key: tls.server.key, cert: tls.server.cert, ...(mutual ? { clientCaCert: tls.ca.cert } : {}) },
  });
  peers.push(peer);
  return peer;
}

function dial(peer: MockPeer, clientTls: Parameters<typeof connect>[1]['tls']): ChaincodeConnection {
  const conn = connect(chaincode, {
    peerAddress: peer.address,
    chaincodeId: 'kv:1.0',
    mspId: 'Org1MSP',
    ...(clientTls ? { tls: clientTls } : {}),
  });
  conn.closed.catch(() => undefined);
  conns.push(conn);
  return conn;
}

describe('client mode over TLS', () => {
  it('registers and runs transactions with a TLS peer it trusts', async () => {
    const peer = await tlsPeer(false);
    const waiting = peer.waitForChaincode('kv');
    await dial(peer, { rootCert: tls.ca.cert }).ready;
    const cc = await waiting;
    expect(await cc.invoke(['put', 'k', 'v'])).toMatchObject({ outcome: 'COMPLETED', status: 200 });
    expect((await cc.invoke(['get', 'k'])).payload.toString()).toBe('v');
  });

  it('presents its client certificate to a peer requiring mutual TLS', async () => {
    const peer = await tlsPeer(true);
    const waiting = peer.waitForChaincode('kv');
    await dial(peer, { rootCert: tls.ca.cert, clientKey: tls.client.key, clientCert: tls.client.cert }).ready;
    expect(await (await waiting).invoke(['put', 'k', 'v'])).toMatchObject({ outcome: 'COMPLETED' });
  });

  it('is refused by a mutual-TLS peer without a client certificate', async () => {
    const peer = await tlsPeer(true);
    await expect(dial(peer, { rootCert: tls.ca.cert }).ready).rejects.toMatchObject({ code: 'STREAM_CLOSED' });
  });

  it('refuses a peer whose certificate another CA signed, with a clear error', async () => {
    const peer = await tlsPeer(false);
    const other = await createTestCa('not the peer CA');
    const err = await dial(peer, { rootCert: other.cert }).ready.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toMatchObject({ code: 'STREAM_CLOSED', grpcCode: 14 /* UNAVAILABLE */ });
    // The message names the peer and why: the certificate could not be verified.
    expect((err as Error).message).toContain(peer.address);
    expect((err as Error).message).toMatch(/certificate/i);
  });

  it('verifies the server name, and serverNameOverride names the host in the peer certificate', async () => {
    const named = await tls.ca.issue({ commonName: 'peer0.org1.example.com', server: true, hosts: ['peer0.org1.example.com'] });
    const peer = await MockPeer.start({ tls: { key: named.key, cert: named.cert } });
    peers.push(peer);
    await expect(dial(peer, { rootCert: tls.ca.cert }).ready).rejects.toMatchObject({ code: 'STREAM_CLOSED' });
    const waiting = peer.waitForChaincode('kv');
    await dial(peer, { rootCert: tls.ca.cert, serverNameOverride: 'peer0.org1.example.com' }).ready;
    expect(await (await waiting).invoke(['put', 'k', 'v'])).toMatchObject({ outcome: 'COMPLETED' });
  });
});
