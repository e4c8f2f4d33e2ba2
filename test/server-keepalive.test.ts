/**
 * Keepalive of the chaincode server: an idle but healthy peer connection survives many ping
 * periods, and a peer that goes silent (a frozen TCP path) is detected and its handler dropped.
 * Short ping settings are passed as fabric-shim passes `grpc.*` server options.
 */
import { server, type ChaincodeServer } from '../src/server';
import { chaincode } from './fixtures/server-chaincode';
import { RawPeer } from './fixtures/server-peer';
import { frozenRelay } from './support/frozen-relay';


const until = async (cond: () => boolean): Promise<void> => {
  while (!cond()) await new Promise((r) => setTimeout(r, 20));
};

let srv: ChaincodeServer;
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** Pings every 100 ms; `timeoutMs` is how long an unanswered ping is tolerated. */
async function start(timeoutMs: number): Promise<ChaincodeServer> {
  srv = server(chaincode, {
    ccid: 'ka:1', address: '127.0.0.1:0',
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
  const peer = await RawPeer.connect(srv.address);
  cleanups.push(() => peer.close());
  await new Promise((r) => setTimeout(r, 1_000)); // ten ping periods with no traffic
  expect(srv.connections).toBe(1);
  expect(await peer.invoke(['put', 'k', 'v'])).toMatchObject({ type: 'COMPLETED', status: 200 });
});

it('notices a peer that went silent and drops its connection', async () => {
  await start(200);
  const path = await frozenRelay(srv.address);
  cleanups.push(() => path.close());
  const peer = await RawPeer.connect(path.address);
  cleanups.push(() => peer.close());
  expect(await peer.invoke(['put', 'k', 'v'])).toMatchObject({ type: 'COMPLETED' });
  expect(srv.connections).toBe(1);
  path.freeze();
  await until(() => srv.connections === 0);
});
