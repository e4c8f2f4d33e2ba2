/**
 * Chaincode as a service over real loopback sockets: the peer (test/support/raw-peer.ts)
 * dials the ChaincodeServer, plain, TLS and mutual TLS, and runs transactions through the same
 * handler client mode uses.
 */
import { ChaincodeServer, server, type ChaincodeServerOpts } from '../src/server';
import type { ChaincodeInterface } from '../src/chaincode';
import { createTestCa, createTlsFixture, type TlsFixture } from '../src/testing/tls';
import { chaincode } from './fixtures/server-chaincode';
import { RawPeer } from './support/raw-peer';
import { gate } from './support/sync';

const CCID = 'basic_1.0:4f0e0b2f1f6f8b9c0d3e2a1b5c6d7e8f9a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d';

/** The fixture chaincode, counting every call so tests can prove it never ran. */
function counted(): { cc: ChaincodeInterface; calls: () => number } {
  let calls = 0;
  return {
    cc: {
      Init: (stub) => {
        calls++;
        return chaincode.Init(stub);
      },
      Invoke: (stub) => {
        calls++;
        return chaincode.Invoke(stub);
      },
    },
    calls: () => calls,
  };
}

const servers: ChaincodeServer[] = [];
const peers: RawPeer[] = [];

async function startServer(cc: ChaincodeInterface, opts: Partial<ChaincodeServerOpts> = {}): Promise<ChaincodeServer> {
  const s = server(cc, { ccid: CCID, address: '127.0.0.1:0', mspId: 'Org1MSP', ...opts });
  servers.push(s);
  await s.start();
  return s;
}

async function dial(address: string, tls?: Parameters<typeof RawPeer.connect>[1]): Promise<RawPeer> {
  const p = await RawPeer.connect(address, tls);
  peers.push(p);
  return p;
}

afterEach(async () => {
  for (const p of peers.splice(0)) p.close();
  await Promise.all(servers.splice(0).map((s) => s.stop(1_000)));
});

let tls: TlsFixture;
beforeAll(async () => {
  tls = await createTlsFixture();
});

describe('ChaincodeServer (plain)', () => {
  it("sends REGISTER with the ccid on the peer's stream and serves transactions", async () => {
    const s = await startServer(chaincode);
    expect(s.address).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(s.address.endsWith(':0')).toBe(false);
    const peer = await dial(s.address);
    expect(peer.registeredAs).toBe(CCID);
    expect(await peer.invoke(['put', 'k', 'v1'])).toMatchObject({ type: 'COMPLETED', status: 200, payload: 'ok' });
    expect(new TextDecoder().decode(peer.state.get('k'))).toBe('v1');
    expect(await peer.invoke(['get', 'k'])).toMatchObject({ type: 'COMPLETED', status: 200, payload: 'v1' });
    expect(await peer.invoke(['whoami'])).toMatchObject({ payload: 'Org1MSP' });
    expect(await peer.invoke(['nope'])).toMatchObject({ type: 'COMPLETED', status: 500, message: 'unknown function nope' });
    expect(s.connections).toBe(1);
  });

  it('serves two peers at once, each connection independent, transactions interleaved', async () => {
    const s = await startServer(chaincode);
    const [p1, p2] = [await dial(s.address), await dial(s.address)];
    expect(s.connections).toBe(2);
    p1.state.set('a', new TextEncoder().encode('10'));
    p2.state.set('a', new TextEncoder().encode('100'));

    // p1's transaction waits at its first read until p2's transaction has reached the peer too,
    // so both are in flight in the same process at the same time.
    const g = gate();
    let held = false;
    p1.onTalkBack = async () => {
      if (held) return;
      held = true;
      g.arrive();
      await g.wait;
    };
    p2.onTalkBack = () => g.open();
    const first = p1.invoke(['transfer', 'a', 'b']);
    await g.reached;
    const second = p2.invoke(['transfer', 'a', 'b']);
    expect(await second).toMatchObject({ type: 'COMPLETED', payload: '99,1' });
    expect(await first).toMatchObject({ type: 'COMPLETED', payload: '9,1' });

    // Many more, concurrently on both connections.
    const runs = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? p1 : p2).invoke(['put', `k${i}`, `v${i}`])));
    expect(runs.every((r) => r.type === 'COMPLETED' && r.status === 200)).toBe(true);
    expect([...p1.state.keys()].filter((k) => k.startsWith('k')).sort()).toEqual(Array.from({ length: 10 }, (_, i) => `k${i * 2}`).sort());

    // Closing one connection leaves the other working.
    p1.close();
    await p1.ended;
    expect(await p2.invoke(['get', 'a'])).toMatchObject({ payload: '99' });
  });

  it("rejects bad arguments with fabric-shim's messages", () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const Official = require('fabric-shim/lib/server') as new (cc: unknown, opts: unknown) => unknown;
    const cases: [unknown, unknown][] = [
      [null, {}],
      [chaincode, null],
      [{}, { ccid: 'x', address: 'a:1' }],
      [chaincode, { address: 'a:1' }],
      [chaincode, { ccid: 'x' }],
      [chaincode, { ccid: 'x', address: 'a:1', tlsProps: { cert: Buffer.from('c') } }],
      [chaincode, { ccid: 'x', address: 'a:1', tlsProps: { key: Buffer.from('k') } }],
    ];
    for (const [cc, opts] of cases) {
      let official = '';
      try {
        new Official(cc, opts);
      } catch (e) {
        official = (e as Error).message;
      }
      expect(official).not.toBe('');
      expect(() => server(cc as ChaincodeInterface, opts as ChaincodeServerOpts)).toThrow(official);
    }
  });

  it('reports an address it cannot bind', async () => {
    const s = await startServer(chaincode);
    const clash = server(chaincode, { ccid: CCID, address: s.address });
    await expect(clash.start()).rejects.toMatchObject({ code: 'CONFIG' });
  });
});

describe('ChaincodeServer (TLS)', () => {
  it('serves a peer that trusts the server CA', async () => {
    const s = await startServer(chaincode, { tlsProps: { key: tls.server.key, cert: tls.server.cert } });
    const peer = await dial(s.address, { rootCert: tls.ca.cert });
    expect(peer.registeredAs).toBe(CCID);
    expect(await peer.invoke(['put', 'k', 'v'])).toMatchObject({ type: 'COMPLETED', status: 200 });
  });

  it('a peer trusting another CA never gets a stream', async () => {
    const { cc, calls } = counted();
    const s = await startServer(cc, { tlsProps: { key: tls.server.key, cert: tls.server.cert } });
    const other = await createTestCa('other');
    await expect(dial(s.address, { rootCert: other.cert })).rejects.toMatchObject({ code: 'STREAM_CLOSED' });
    expect(calls()).toBe(0);
    expect(s.connections).toBe(0);
  });

  it('a plaintext peer cannot talk to a TLS server', async () => {
    const s = await startServer(chaincode, { tlsProps: { key: tls.server.key, cert: tls.server.cert } });
    await expect(dial(s.address)).rejects.toMatchObject({ code: 'STREAM_CLOSED' });
    expect(s.connections).toBe(0);
  });
});

describe('ChaincodeServer (mutual TLS)', () => {
  const mtls = () => ({ tlsProps: { key: tls.server.key, cert: tls.server.cert, clientCACerts: tls.ca.cert } });

  it('serves a peer whose client certificate the client CA signed', async () => {
    const s = await startServer(chaincode, mtls());
    const peer = await dial(s.address, { rootCert: tls.ca.cert, clientKey: tls.client.key, clientCert: tls.client.cert });
    expect(peer.registeredAs).toBe(CCID);
    expect(await peer.invoke(['put', 'k', 'v'])).toMatchObject({ type: 'COMPLETED', status: 200 });
  });

  it('refuses, before any chaincode code runs, a peer with a certificate from another CA or none', async () => {
    const { cc, calls } = counted();
    const s = await startServer(cc, mtls());
    const stranger = await (await createTestCa('stranger')).issue({ commonName: 'evil-peer', client: true });
    await expect(dial(s.address, { rootCert: tls.ca.cert, clientKey: stranger.key, clientCert: stranger.cert })).rejects.toMatchObject({
      code: 'STREAM_CLOSED',
    });
    await expect(dial(s.address, { rootCert: tls.ca.cert })).rejects.toMatchObject({ code: 'STREAM_CLOSED' });
    expect(calls()).toBe(0);
    expect(s.connections).toBe(0);

    // The server is unharmed: a good peer still gets through.
    const good = await dial(s.address, { rootCert: tls.ca.cert, clientKey: tls.client.key, clientCert: tls.client.cert });
    expect(await good.invoke(['put', 'k', 'v'])).toMatchObject({ type: 'COMPLETED' });
    expect(calls()).toBe(1);
  });
});

describe('ChaincodeServer.stop', () => {
  it('lets an in-flight transaction finish, then closes the peer streams', async () => {
    const s = await startServer(chaincode);
    const peer = await dial(s.address);
    const g = gate();
    peer.onTalkBack = async () => {
      g.arrive();
      await g.wait;
    };
    const events: string[] = [];
    const tx = peer.invoke(['put', 'k', 'v']).then((r) => {
      events.push(`tx ${r.type}`);
      return r;
    });
    await g.reached; // the transaction is now waiting on the peer
    const stopped = s.stop(10_000).then(() => events.push('stopped'));
    // New peers are refused while draining.
    await expect(RawPeer.connect(s.address)).rejects.toBeDefined();
    g.open();
    await Promise.all([tx, stopped]);
    expect(events).toEqual(['tx COMPLETED', 'stopped']);
    expect(await peer.ended).toBeUndefined();
    expect(new TextDecoder().decode(peer.state.get('k'))).toBe('v');
  });

  it('gives up on a transaction that never finishes after the grace period', async () => {
    const s = await startServer(chaincode);
    const peer = await dial(s.address);
    const g = gate();
    peer.onTalkBack = async () => {
      g.arrive();
      await new Promise(() => undefined); // the peer never answers
    };
    void peer.invoke(['put', 'k', 'v']);
    await g.reached;
    await s.stop(100);
    await peer.ended;
    expect(s.connections).toBe(0);
  });

  it('is idempotent and safe before start', async () => {
    const never = server(chaincode, { ccid: CCID, address: '127.0.0.1:0' });
    await expect(never.stop()).resolves.toBeUndefined();
    const s = await startServer(chaincode);
    const first = s.stop();
    // Idempotent: a second stop() is the same stop, not a second drain and close.
    expect(s.stop()).toBe(first);
    await first;
    // And it did stop: the address no longer takes peers.
    await expect(RawPeer.connect(s.address)).rejects.toBeDefined();
  });
});
