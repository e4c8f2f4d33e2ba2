import { create } from '@bufbuild/protobuf';
import * as net from 'node:net';
import { ChaincodeMessageSchema, ChaincodeMessage_Type, type ChaincodeMessage } from '../src/gen/peer/chaincode_shim_pb';
import { channelOptions, dialChaincode, dialChaincodeSupport, serveStreams, type PeerStream, type StreamServer } from '../src/stream';
import { ShimError } from '../src/errors';
import { createTlsFixture, type TlsFixture } from '../src/testing/tls';

/** Collects what a PeerStream delivers. */
function collect(stream: PeerStream): {
  messages: ChaincodeMessage[];
  ended: Promise<ShimError | undefined>;
  next(): Promise<ChaincodeMessage>;
} {
  const messages: ChaincodeMessage[] = [];
  const waiters: ((m: ChaincodeMessage) => void)[] = [];
  let resolveEnd!: (e: ShimError | undefined) => void;
  const ended = new Promise<ShimError | undefined>((r) => (resolveEnd = r));
  stream.listen({
    onMessage(m) {
      const w = waiters.shift();
      if (w) w(m);
      else messages.push(m);
    },
    onEnd(e) {
      resolveEnd(e);
    },
  });
  return {
    messages,
    ended,
    next: () =>
      new Promise((r) => {
        const m = messages.shift();
        if (m) r(m);
        else waiters.push(r);
      }),
  };
}

const msg = (type: ChaincodeMessage_Type, txid = '', payload: Uint8Array = new Uint8Array(0)) =>
  create(ChaincodeMessageSchema, { type, txid, channelId: 'ch', payload });

describe('stream', () => {
  let server: StreamServer | undefined;
  const clients: PeerStream[] = [];
  afterEach(async () => {
    for (const c of clients.splice(0)) c.destroy();
    await server?.stop();
    server = undefined;
  });

  test('ChaincodeSupport/Register carries messages both ways in order and ends cleanly', async () => {
    const accepted: PeerStream[] = [];
    server = await serveStreams(
      'ChaincodeSupport',
      (s) => {
        accepted.push(s);
        // echo with the type changed so the test sees the server touched it
        s.listen({ onMessage: (m) => s.send(msg(ChaincodeMessage_Type.RESPONSE, m.txid, m.payload)), onEnd: () => undefined });
      },
      { address: '127.0.0.1:0' },
    );
    expect(server.port).toBeGreaterThan(0);
    expect(server.address).toBe(`127.0.0.1:${server.port}`);
    const client = dialChaincodeSupport(server.address);
    clients.push(client);
    const c = collect(client);
    for (let i = 0; i < 50; i++) client.send(msg(ChaincodeMessage_Type.GET_STATE, `tx${i}`, Buffer.from(`p${i}`)));
    for (let i = 0; i < 50; i++) {
      const m = await c.next();
      expect(m.type).toBe(ChaincodeMessage_Type.RESPONSE);
      expect(m.txid).toBe(`tx${i}`);
      expect(Buffer.from(m.payload).toString()).toBe(`p${i}`);
    }
    expect(accepted).toHaveLength(1);
    client.end();
    // the server side ends its half when ours ends, so the client sees a clean end
    await expect(c.ended).resolves.toBeUndefined();
    expect(() => client.send(msg(ChaincodeMessage_Type.KEEPALIVE))).toThrow(ShimError);
  });

  test('Chaincode/Connect is served and dialled the other way round', async () => {
    server = await serveStreams(
      'Chaincode',
      (s) => {
        s.send(msg(ChaincodeMessage_Type.REGISTERED));
        s.listen({ onMessage: () => s.end(), onEnd: () => undefined });
      },
      { address: '127.0.0.1:0' },
    );
    const peer = dialChaincode(server.address);
    clients.push(peer);
    const c = collect(peer);
    expect((await c.next()).type).toBe(ChaincodeMessage_Type.REGISTERED);
    peer.send(msg(ChaincodeMessage_Type.REGISTER));
    await expect(c.ended).resolves.toBeUndefined();
  });

  test('messages above grpc-js 4 MiB default pass (Fabric allows 100 MiB)', async () => {
    server = await serveStreams(
      'ChaincodeSupport',
      (s) => {
        s.listen({ onMessage: (m) => s.send(m), onEnd: () => undefined });
      },
      { address: '127.0.0.1:0' },
    );
    const client = dialChaincodeSupport(`grpc://${server.address}`);
    clients.push(client);
    const c = collect(client);
    const big = new Uint8Array(6 * 1024 * 1024).fill(7);
    client.send(msg(ChaincodeMessage_Type.PUT_STATE, 'big', big));
    const back = await c.next();
    expect(back.payload.length).toBe(big.length);
    expect(back.payload[big.length - 1]).toBe(7);
  });

  test('a message above the configured limit fails the stream with a gRPC code', async () => {
    server = await serveStreams(
      'ChaincodeSupport',
      (s) => {
        s.listen({ onMessage: (m) => s.send(m), onEnd: () => undefined });
      },
      { address: '127.0.0.1:0', grpc: { maxReceiveMessageLength: 1024 } },
    );
    const client = dialChaincodeSupport(server.address);
    clients.push(client);
    const c = collect(client);
    client.send(msg(ChaincodeMessage_Type.PUT_STATE, 'x', new Uint8Array(4096)));
    const err = await c.ended;
    expect(err).toBeInstanceOf(ShimError);
    expect(err?.code).toBe('STREAM_CLOSED');
    expect(err?.grpcCode).toBe(8); // RESOURCE_EXHAUSTED
  });

  test('server destroy is seen by the client as STREAM_CLOSED; client destroy as cancelled by the server', async () => {
    let serverSide: ReturnType<typeof collect> | undefined;
    const gotServer = new Promise<PeerStream>((resolve) => {
      void serveStreams(
        'ChaincodeSupport',
        (s) => {
          serverSide = collect(s);
          resolve(s);
        },
        { address: '127.0.0.1:0' },
      ).then((srv) => {
        server = srv;
        const client = dialChaincodeSupport(srv.address);
        clients.push(client);
        client.send(msg(ChaincodeMessage_Type.REGISTER));
      });
    });
    const s = await gotServer;
    const client = clients[0]!;
    const c = collect(client);
    s.destroy(new Error('peer going away'));
    const err = await c.ended;
    expect(err?.code).toBe('STREAM_CLOSED');
    expect(err?.message).toContain('peer going away');
    expect(err?.grpcCode).toBe(10); // ABORTED
    expect(await serverSide!.ended).toBeInstanceOf(ShimError);
  });

  test('a client that cancels ends the server-side stream', async () => {
    let serverEnded!: Promise<ShimError | undefined>;
    const accepted = new Promise<void>((resolve) => {
      void serveStreams(
        'ChaincodeSupport',
        (s) => {
          serverEnded = collect(s).ended;
          resolve();
        },
        { address: '127.0.0.1:0' },
      ).then((srv) => {
        server = srv;
        const client = dialChaincodeSupport(srv.address);
        clients.push(client);
        client.send(msg(ChaincodeMessage_Type.REGISTER));
      });
    });
    await accepted;
    const c = collect(clients[0]!);
    clients[0]!.destroy();
    expect(await c.ended).toBeInstanceOf(ShimError);
    // grpc-js reports the half-close before the cancellation, so the server side may see a
    // clean end: what matters is that it ends.
    const err = await serverEnded;
    if (err !== undefined) expect(err.code).toBe('STREAM_CLOSED');
  });

  test('dialling a port nobody listens on ends with UNAVAILABLE', async () => {
    const port = await new Promise<number>((resolve) => {
      const s = net.createServer();
      s.listen(0, '127.0.0.1', () => {
        const p = (s.address() as net.AddressInfo).port;
        s.close(() => resolve(p));
      });
    });
    const client = dialChaincodeSupport(`127.0.0.1:${port}`);
    clients.push(client);
    const c = collect(client);
    client.send(msg(ChaincodeMessage_Type.REGISTER));
    const err = await c.ended;
    expect(err?.code).toBe('STREAM_CLOSED');
    expect(err?.grpcCode).toBe(14);
    expect(err?.message).toContain(`127.0.0.1:${port}`);
  });

  test('channelOptions: Fabric defaults, named settings mapped, raw grpc options pass through', () => {
    const o = channelOptions({ maxReceiveMessageLength: 5, 'grpc.keepalive_time_ms': 1234, 'grpc.primary_user_agent': 'x' });
    expect(o['grpc.max_receive_message_length']).toBe(5);
    expect(o['grpc.max_send_message_length']).toBe(100 * 1024 * 1024);
    expect(o['grpc.keepalive_time_ms']).toBe(1234);
    expect(o['grpc.keepalive_timeout_ms']).toBe(20000);
    expect(o['grpc.primary_user_agent']).toBe('x');
  });

  describe('TLS', () => {
    let fx: TlsFixture;
    beforeAll(async () => {
      fx = await createTlsFixture();
    });

    async function echoServer(tls: { key: Uint8Array; cert: Uint8Array; clientCaCert?: Uint8Array }) {
      server = await serveStreams(
        'ChaincodeSupport',
        (s) => {
          s.listen({ onMessage: (m) => s.send(m), onEnd: () => undefined });
        },
        { address: '127.0.0.1:0', tls },
      );
      return server;
    }

    test('mutual TLS: a client with a certificate from the client CA gets through', async () => {
      const srv = await echoServer({ key: fx.server.key, cert: fx.server.cert, clientCaCert: fx.ca.cert });
      const client = dialChaincodeSupport(srv.address, {
        tls: { rootCert: fx.ca.cert, clientKey: fx.client.key, clientCert: fx.client.cert },
      });
      clients.push(client);
      const c = collect(client);
      client.send(msg(ChaincodeMessage_Type.REGISTER, 'tls'));
      expect((await c.next()).txid).toBe('tls');
    });

    test('mutual TLS: a client without a certificate is refused', async () => {
      const srv = await echoServer({ key: fx.server.key, cert: fx.server.cert, clientCaCert: fx.ca.cert });
      const client = dialChaincodeSupport(srv.address, { tls: { rootCert: fx.ca.cert } });
      clients.push(client);
      const c = collect(client);
      client.send(msg(ChaincodeMessage_Type.REGISTER));
      expect((await c.ended)?.code).toBe('STREAM_CLOSED');
    });

    test('the server name override lets a certificate for another host name through', async () => {
      const named = await fx.ca.issue({ commonName: 'peer0.org1.example.com', server: true, hosts: ['peer0.org1.example.com'] });
      const srv = await echoServer({ key: named.key, cert: named.cert });
      const plain = dialChaincodeSupport(srv.address, { tls: { rootCert: fx.ca.cert } });
      clients.push(plain);
      const refused = collect(plain);
      plain.send(msg(ChaincodeMessage_Type.REGISTER));
      expect((await refused.ended)?.grpcCode).toBe(14); // UNAVAILABLE: host name mismatch

      const overridden = dialChaincodeSupport(srv.address, { tls: { rootCert: fx.ca.cert, serverNameOverride: 'peer0.org1.example.com' } });
      clients.push(overridden);
      const ok = collect(overridden);
      overridden.send(msg(ChaincodeMessage_Type.REGISTER, 'named'));
      expect((await ok.next()).txid).toBe('named');
    });
  });
});
