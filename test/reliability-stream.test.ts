/**
 * Reliability, case 3: the stream fails under running transactions. The peer ends it, resets
 * it, or vanishes without a word (only keepalive notices). Pending stub calls reject
 * STREAM_CLOSED, the connection's `closed` settles, no rejection goes unhandled, `fabric-shim-ts
 * start` exits non-zero with a clear message (so the peer or orchestrator restarts it), and a
 * chaincode server keeps serving its other peer connections.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { ChaincodeMessage_Type as Type } from '../src/gen/peer/chaincode_shim_pb';
import { connect, type ChaincodeConnection } from '../src/shim';
import { server, type ChaincodeServer } from '../src/server';
import { createLogger, setLogSink } from '../src/logger';
import { success, type ChaincodeResponse } from '../src/response';
import type { ChaincodeStub } from '../src/stub';
import { MockPeer } from '../src/testing/mock-peer';
import { ScriptedPeer, type PeerConnection } from './support/scripted-peer';
import { frozenRelay } from './support/frozen-relay';
import { EventList, LogWatch } from './support/sync';

/** Every log record, kept silent: the server's 'peer connection failed' is what a test waits on. */
const logs = new LogWatch();
setLogSink(logs);
const log = createLogger('reliability-stream', { level: 'debug' });

const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => void unhandled.push(reason);
beforeAll(() => process.on('unhandledRejection', onUnhandled));
afterAll(() => process.off('unhandledRejection', onUnhandled));

/** What each transaction's stub call settled with. */
const outcomes = new EventList<unknown>();
const chaincode = {
  Init: async (): Promise<ChaincodeResponse> => success(),
  async Invoke(stub: ChaincodeStub): Promise<ChaincodeResponse> {
    try {
      const v = await stub.getState(stub.getStringArgs()[0] ?? 'k');
      outcomes.push(v.toString());
      return success(v);
    } catch (e) {
      outcomes.push(e);
      throw e;
    }
  },
};

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
  outcomes.clear();
  await new Promise((r) => setImmediate(r));
  expect(unhandled).toEqual([]);
});

/** One turn of the event loop: every promise continuation pending now has run. */
const settled = (): Promise<void> => new Promise((r) => setImmediate(r));

/** Connects the chaincode to a scripted peer and starts two transactions waiting on GET_STATE. */
async function twoWaiting(grpc?: Record<string, number>, via?: (address: string) => Promise<string>) {
  const peer = await ScriptedPeer.start();
  cleanups.push(() => peer.stop());
  const address = via ? await via(peer.address) : peer.address;
  const conn = connect(chaincode, { peerAddress: address, chaincodeId: 'rs:1', logger: log, ...(grpc ? { grpc } : {}) });
  cleanups.push(() => conn.close());
  const pc = await peer.accept();
  await pc.handshake();
  await conn.ready;
  pc.transaction('t1', ['a']);
  pc.transaction('t2', ['b']);
  expect(Type[(await pc.next()).type]).toBe('GET_STATE');
  expect(Type[(await pc.next()).type]).toBe('GET_STATE');
  expect(conn.handler.inFlight).toBe(4); // two transactions, two calls waiting
  return { peer, pc, conn };
}

async function expectPendingCallsRejected(conn: ChaincodeConnection): Promise<void> {
  await outcomes.reach(2);
  for (const o of outcomes.items) expect(o).toMatchObject({ name: 'Error', code: 'STREAM_CLOSED' });
  // Both transactions answered their rejection by throwing; retiring them takes only promise continuations.
  await settled();
  expect(conn.handler.inFlight).toBe(0);
}

test('the peer ends the stream mid-transaction: waiting calls reject STREAM_CLOSED, nothing is held', async () => {
  const { pc, conn } = await twoWaiting();
  pc.stream.end();
  await expectPendingCallsRejected(conn);
  await expect(conn.closed).resolves.toBeUndefined(); // a clean end; start() turns it into a rejection
});

test('the peer resets the stream mid-transaction: waiting calls and closed reject STREAM_CLOSED with the cause', async () => {
  const { pc, conn } = await twoWaiting();
  pc.stream.destroy(new Error('peer crashed'));
  await expectPendingCallsRejected(conn);
  await expect(conn.closed).rejects.toMatchObject({ code: 'STREAM_CLOSED', message: expect.stringContaining('peer crashed') });
});

test('the peer vanishes (no FIN): keepalive notices, waiting calls and closed reject STREAM_CLOSED', async () => {
  let path!: Awaited<ReturnType<typeof frozenRelay>>;
  const { conn } = await twoWaiting({ keepaliveTimeMs: 200, keepaliveTimeoutMs: 200 }, async (address) => {
    path = await frozenRelay(address);
    cleanups.push(() => path.close());
    return path.address;
  });
  path.freeze();
  await expectPendingCallsRejected(conn);
  await expect(conn.closed).rejects.toMatchObject({ code: 'STREAM_CLOSED' });
});

describe('fabric-shim-ts start in a child process', () => {
  const fixture = join(__dirname, 'fixtures', 'reliability-chaincode.js');

  /** Runs the CLI against a scripted peer, lets `drop` break the stream mid-transaction, and returns how the process ended. */
  async function runAndDrop(drop: (pc: PeerConnection) => void): Promise<{ code: number | null; stderr: string }> {
    const peer = await ScriptedPeer.start();
    cleanups.push(() => peer.stop());
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        join('src', 'cli.ts'),
        'start',
        '--module',
        fixture,
        '--peer.address',
        peer.address,
        '--chaincode-id-name',
        'child:1',
      ],
      {
        cwd: join(__dirname, '..'),
        env: { ...process.env, CHAINCODE_SERVER_ADDRESS: '', CORE_CHAINCODE_LOGGING_SHIM: 'error' },
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    );
    cleanups.push(() => void (child.exitCode === null && child.kill('SIGKILL')));
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    const pc = await peer.accept();
    expect(await pc.handshake()).toBe('child:1');
    pc.transaction('t1', ['k']);
    expect(Type[(await pc.next()).type]).toBe('GET_STATE');
    drop(pc);
    return { code: await exited, stderr };
  }

  test('the peer resets the stream: the process exits 1 with a clear STREAM_CLOSED line, no unhandled rejection', async () => {
    const { code, stderr } = await runAndDrop((pc) => pc.stream.destroy(new Error('peer crashed')));
    expect(code).toBe(1);
    expect(stderr).toMatch(/^fabric-shim-ts: \[STREAM_CLOSED\]: chaincode child:1: .*peer crashed/m);
    expect(stderr).not.toMatch(/Unhandled|unhandled/);
  }, 30_000);

  test('the peer ends the stream cleanly: the process still exits 1 (a chaincode without its peer is useless)', async () => {
    const { code, stderr } = await runAndDrop((pc) => pc.stream.end());
    expect(code).toBe(1);
    expect(stderr).toMatch(
      /^fabric-shim-ts: \[STREAM_CLOSED\]: chaincode child:1: peer .* ended the stream; exiting so the chaincode is restarted/m,
    );
    expect(stderr).not.toMatch(/Unhandled|unhandled/);
  }, 30_000);
});

test('server mode: one peer connection failing mid-transaction leaves the others serving', async () => {
  const srv: ChaincodeServer = server(chaincode, { ccid: 'svc:1', address: '127.0.0.1:0', logger: log });
  await srv.start();
  cleanups.push(() => srv.stop(500));
  const peers = await Promise.all([MockPeer.start({ logger: log }), MockPeer.start({ logger: log })]);
  cleanups.push(() => Promise.all(peers.map((p) => p.stop())));
  const [failing, healthy] = await Promise.all(peers.map((p) => p.connect(srv.address, { name: 'svc' })));
  healthy!.session.faults.delay('GET_STATE', 50);
  peers[1]!.ledger.put('svc', 'k', 'healthy value');
  failing!.faults.closeStreamOn('GET_STATE');
  const dropped = logs.next(/^peer (connection failed|disconnected)$/);
  const [lost, ...served] = await Promise.allSettled([failing!.invoke(['k']), healthy!.invoke(['k']), healthy!.invoke(['k'])]);
  expect(lost).toMatchObject({ status: 'rejected', reason: { code: 'STREAM_CLOSED' } });
  for (const s of served) expect(s).toMatchObject({ status: 'fulfilled', value: { status: 200, payload: Buffer.from('healthy value') } });
  await dropped;
  await settled(); // the server forgets the handler right after logging its end
  expect(srv.connections).toBe(1);
  expect(await healthy!.invoke(['k'])).toMatchObject({ status: 200 });
});
