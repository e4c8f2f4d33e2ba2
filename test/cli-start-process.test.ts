/**
 * `fabric-shim-ts start` in a child process, as an operator sees it (issue 15): one INFO line
 * when dialling and one at READY, a registration timeout, an address without a port refused,
 * and one clear message per failure (no log line repeating the final one, no grpc-js noise).
 */
import { createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { MockPeer } from '../src/testing/mock-peer';
import { ROOT, runCli, runToEnd, stopAll } from './support/cli-process';

const ECHO = join(ROOT, 'test', 'fixtures', 'cli-echo', 'index.js');
const start = (peerAddress: string, ...more: string[]) => [
  'start',
  '--module',
  ECHO,
  '--peer.address',
  peerAddress,
  '--chaincode-id-name',
  'echo:1.0',
  ...more,
];

afterEach(() => stopAll());

test('logs one line when dialling and one at READY (address, id, TLS, capabilities); a lost peer is one final line, exit 1', async () => {
  const peer = await MockPeer.start();
  try {
    const cli = runCli(start(peer.address));
    const cc = await peer.waitForChaincode('echo');
    await cli.waitFor(/ ready /);
    const lines = cli.stderr().trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(
      new RegExp(`INFO \\[shim:start\\] registering with peer peer=${peer.address} chaincode=echo:1.0 tls=off timeout=30000ms$`),
    );
    expect(lines[1]).toMatch(
      new RegExp(
        `INFO \\[shim:start\\] ready peer=${peer.address} chaincode=echo:1.0 tls=off capabilities="write batch \\(max 1000\\), multi-key reads \\(max 1000\\)"$`,
      ),
    );
    expect((await cc.invoke(['hello'])).status).toBe(200);
    cc.close();
    expect(await cli.exit).toBe(1);
    const after = cli.stderr().trim().split('\n').slice(2);
    expect(after).toEqual([expect.stringMatching(/^fabric-shim-ts: \[STREAM_CLOSED\]: chaincode echo:1\.0: /)]);
  } finally {
    await peer.stop();
  }
});

test('READY from a Fabric 3.0 peer (no capabilities) says so', async () => {
  const peer = await MockPeer.start({ capabilities: false });
  try {
    const cli = runCli(start(peer.address));
    await peer.waitForChaincode('echo');
    expect((await cli.waitFor(/ ready .*$/m))[0]).toMatch(/capabilities=none$/);
  } finally {
    await peer.stop();
  }
});

describe('an address that accepts TCP but never speaks gRPC', () => {
  let silent: Server;
  let address: string;
  const sockets = new Set<Socket>();
  beforeAll(async () => {
    silent = createServer((socket) => sockets.add(socket));
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    address = `127.0.0.1:${(silent.address() as { port: number }).port}`;
  });
  afterAll(
    () =>
      new Promise<void>((r) => {
        silent.close(() => r());
        // Connections still open would keep close() waiting.
        for (const s of sockets) s.destroy();
      }),
  );

  test('--registration-timeout: fails naming the address and what was waited for, exit 1', async () => {
    const res = await runToEnd(start(address, '--registration-timeout', '300ms'));
    expect(res.code).toBe(1);
    const lines = res.stderr.trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/INFO \[shim:start\] registering with peer .* timeout=300ms$/);
    expect(lines[1]).toBe(
      `fabric-shim-ts: [TIMEOUT]: chaincode echo:1.0: no READY from peer ${address} within 300 ms: no REGISTERED answer to REGISTER ` +
        "(is this the peer's chaincode listen address, CORE_PEER_CHAINCODELISTENADDRESS, and does it speak gRPC without TLS?); " +
        'wait longer with --registration-timeout or CORE_REGISTRATION_TIMEOUT (0 waits forever)',
    );
  });

  test('CORE_REGISTRATION_TIMEOUT in milliseconds works the same', async () => {
    const res = await runToEnd(start(address), { CORE_REGISTRATION_TIMEOUT: '200' });
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/^fabric-shim-ts: \[TIMEOUT\]: .* within 200 ms: /m);
  });
});

test('a bad timeout, or an address without a port, is refused before anything is dialled or loaded', async () => {
  const bad = await runToEnd(start('127.0.0.1:1', '--registration-timeout', 'soon'));
  expect(bad.code).toBe(1);
  expect(bad.stderr).toBe(
    'fabric-shim-ts: [CONFIG]: --registration-timeout (CORE_REGISTRATION_TIMEOUT) must be milliseconds or a duration such as 30s, 500ms or 1m, not "soon"\n',
  );
  const noPort = await runToEnd(start('localhost'));
  expect(noPort.code).toBe(1);
  expect(noPort.stderr).toBe(
    'fabric-shim-ts: [CONFIG]: peer address "localhost" has no port: use host:port, e.g. "localhost:7052" ' +
      "(the peer's chaincode listen address, CORE_PEER_CHAINCODELISTENADDRESS)\n",
  );
});

test('a refused connection is one line, without grpc-js\'s empty "Resolution note:"', async () => {
  // A port just freed: nothing listens there.
  const probe = createServer();
  await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
  const port = (probe.address() as { port: number }).port;
  await new Promise<void>((r) => probe.close(() => r()));
  const res = await runToEnd(start(`127.0.0.1:${port}`), { CORE_CHAINCODE_LOGGING_SHIM: 'warning' });
  expect(res.code).toBe(1);
  expect(res.stderr).toMatch(
    new RegExp(
      `^fabric-shim-ts: \\[STREAM_CLOSED\\]: chaincode echo:1\\.0: stream with 127\\.0\\.0\\.1:${port} failed: .*ECONNREFUSED.*\\(gRPC UNAVAILABLE\\)\\n$`,
    ),
  );
  expect(res.stderr).not.toMatch(/Resolution note|ERROR/);
});
