/**
 * Keepalive of the chaincode server: an idle but healthy peer connection survives many ping
 * periods, and a peer that goes silent (a frozen TCP path) is detected and its handler dropped.
 * Short ping settings are passed as fabric-shim passes `grpc.*` server options.
 */
import { server, type ChaincodeServer } from '../src/server';
import { chaincode } from './fixtures/server-chaincode';
import { RawPeer } from './support/raw-peer';
import { frozenRelay } from './support/frozen-relay';
import { LogWatch } from './support/sync';
import { createLogger, setLogSink } from '../src/logger';

/** The server's log, kept silent: its 'peer connection failed' line is the event a test waits on. */
const logs = new LogWatch();
setLogSink(logs);
const log = createLogger('keepalive', { level: 'info' });

let srv: ChaincodeServer;
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** Pings every 100 ms; `timeoutMs` is how long an unanswered ping is tolerated. */
async function start(timeoutMs: number): Promise<ChaincodeServer> {
  srv = server(chaincode, {
    ccid: 'ka:1',
    address: '127.0.0.1:0',
    logger: log,
    'grpc.keepalive_time_ms': 100,
    'grpc.keepalive_timeout_ms': timeoutMs,
  });
  await srv.start();
  cleanups.push(() => srv.stop(500));
  return srv;
}

it('keeps an idle, healthy peer connection across many keepalive periods', async () => {
  // A generous ping timeout: the peer side runs in this (possibly busy) test process.
  await start(5_000);
  // Through a relay that is never frozen: it only counts the pings the peer side answers.
  const path = await frozenRelay(srv.address);
  cleanups.push(() => path.close());
  const peer = await RawPeer.connect(path.address);
  cleanups.push(() => peer.close());
  await path.pingsAnswered(10); // ten ping periods with no traffic
  expect(srv.connections).toBe(1);
  expect(await peer.invoke(['put', 'k', 'v'])).toMatchObject({ type: 'COMPLETED', status: 200 });
});

/**
 * A peer that served one transaction, then went silent (its TCP path frozen) until the server's
 * keepalive noticed and logged the dropped connection. Returns the frozen path.
 */
async function peerGoneSilent(): Promise<Awaited<ReturnType<typeof frozenRelay>>> {
  await start(200);
  const path = await frozenRelay(srv.address);
  cleanups.push(() => path.close());
  const peer = await RawPeer.connect(path.address);
  cleanups.push(() => peer.close());
  expect(await peer.invoke(['put', 'k', 'v'])).toMatchObject({ type: 'COMPLETED' });
  expect(srv.connections).toBe(1);
  const dropped = logs.next(/^peer (connection failed|disconnected)$/);
  path.freeze();
  await dropped;
  return path;
}

it('notices a peer that went silent and drops its connection', async () => {
  const path = await peerGoneSilent();
  // The server has let go of the connection (its socket is closed) once the relay sees it close.
  await path.targetClosed();
  expect(srv.connections).toBe(0);
});

it('stops at once right after keepalive dropped a connection', async () => {
  // grpc-js's tryShutdown waits for sessions to close; a session keepalive has just destroyed never
  // reports it, so stop() must not depend on that callback once it has forced the shutdown.
  await peerGoneSilent();
  await srv.stop(100);
  await expect(RawPeer.connect(srv.address)).rejects.toThrow();
});
