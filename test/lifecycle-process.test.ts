/**
 * Issue 12, defect 1 (process side): under `Shim.start` and `fabric-shim-ts start`, an unhandled
 * rejection or an uncaught exception raised by chaincode code is logged (with the txid when the
 * error names one) and the process keeps serving, as fabric-shim's does; only the loss of the
 * stream ends it, with a non-zero exit code. Each mode runs in a child process (tsx) registered
 * with the mock peer.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { join } from 'node:path';
import { createLogger } from '../src/logger';
import { MockPeer } from '../src/testing/mock-peer';
import type { MockChaincode } from '../src/testing/mock-chaincode';

const ROOT = join(__dirname, '..');
const FIXTURES = join(__dirname, 'fixtures');

/** How each entry point is launched: the arguments after `node`. */
const MODES: Record<string, (peerAddress: string, id: string) => string[]> = {
  'Shim.start (promise ignored)': (peerAddress, id) => [
    '--require',
    require.resolve('tsx/cjs'),
    join(FIXTURES, 'lifecycle-start.js'),
    '--peer.address',
    peerAddress,
    '--chaincode-id-name',
    id,
  ],
  'fabric-shim-ts start --module': (peerAddress, id) => [
    '--import',
    'tsx',
    join('src', 'cli.ts'),
    'start',
    '--module',
    join(FIXTURES, 'lifecycle-chaincode.js'),
    '--peer.address',
    peerAddress,
    '--chaincode-id-name',
    id,
  ],
};

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A child whose stderr can be waited on: resolves once it matches `pattern` (the test's timeout bounds it). */
function watch(child: ChildProcessWithoutNullStreams) {
  let stderr = '';
  const waiting = new Set<() => void>();
  child.stderr.on('data', (d: Buffer) => {
    stderr += d.toString();
    for (const check of waiting) check();
  });
  return {
    get stderr() {
      return stderr;
    },
    until(pattern: RegExp): Promise<void> {
      return new Promise((resolve) => {
        const check = () => {
          if (pattern.test(stderr)) {
            waiting.delete(check);
            resolve();
          }
        };
        waiting.add(check);
        check();
      });
    },
  };
}

/** The faults of test/fixtures/lifecycle-chaincode.js, one transaction each; the chaincode serves after every one. */
async function exercise(cc: MockChaincode, peer: MockPeer, out: ReturnType<typeof watch>): Promise<void> {
  expect(await cc.invoke(['rejectUnawaited'])).toMatchObject({ outcome: 'COMPLETED', status: 200 });
  await out.until(/unhandled promise rejection \(the chaincode keeps serving\).*rejected in chaincode, nobody awaits/);

  expect(await cc.invoke(['throwInTimer'])).toMatchObject({ outcome: 'COMPLETED', status: 200 });
  await out.until(/uncaught exception \(the chaincode keeps serving\).*thrown in a chaincode timer/);

  const late = await cc.invoke(['lateCall']);
  expect(late).toMatchObject({ outcome: 'COMPLETED', status: 200 });
  // The late call's error names its transaction, so the line does too.
  await out.until(new RegExp(`unhandled promise rejection .*txid=${late.txId.slice(0, 8)}.*putState\\(\\) called after it ended`));

  expect(await cc.invoke(['unawaitedWrite', 'dropped-await'])).toMatchObject({ status: 200, committed: true });
  expect(peer.ledger.getString('guarded', 'dropped-await')).toBe('written without await');
  expect(await cc.invoke(['ok', 'still serving'])).toMatchObject({ status: 200, committed: true });
}

test.each(Object.keys(MODES))(
  '%s: chaincode faults are logged and the process keeps serving; losing the stream ends it with exit 1',
  async (mode) => {
    const peer = await MockPeer.start({ txTimeoutMs: 20_000, logger: createLogger('peer', { level: 'critical' }) });
    let stopped = false;
    cleanups.push(() => stopped || peer.stop());
    const registered = peer.waitForChaincode('guarded');
    const child = spawn(process.execPath, MODES[mode]!(peer.address, 'guarded:1'), {
      cwd: ROOT,
      env: { ...process.env, CHAINCODE_SERVER_ADDRESS: '', CORE_PEER_LOCALMSPID: 'Org1MSP', CORE_CHAINCODE_LOGGING_SHIM: 'error' },
      stdio: ['ignore', 'ignore', 'pipe'],
    }) as unknown as ChildProcessWithoutNullStreams;
    cleanups.push(() => void (child.exitCode === null && child.signalCode === null && child.kill('SIGKILL')));
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    const out = watch(child);
    const cc = await registered;

    await exercise(cc, peer, out);
    expect(child.exitCode).toBeNull();

    stopped = true;
    await peer.stop();
    expect(await exited).toBe(1);
    expect(out.stderr).toMatch(/ended the stream; exiting so the chaincode is restarted/);
  },
  60_000,
);

test('fabric-shim-ts server: chaincode faults are logged and the server keeps serving; SIGTERM still stops it (exit 0)', async () => {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      join('src', 'cli.ts'),
      'server',
      '--chaincode-address',
      '127.0.0.1:0',
      '--chaincode-id',
      'guarded:1',
      '--module-path',
      join(FIXTURES, 'lifecycle-chaincode.js'),
    ],
    {
      cwd: ROOT,
      env: { ...process.env, CORE_PEER_LOCALMSPID: 'Org1MSP', CORE_CHAINCODE_LOGGING_SHIM: 'error' },
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  ) as unknown as ChildProcessWithoutNullStreams;
  cleanups.push(() => void (child.exitCode === null && child.signalCode === null && child.kill('SIGKILL')));
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  const out = watch(child);
  await out.until(/listening on \S+/);
  const address = /listening on (\S+)/.exec(out.stderr)![1]!;
  const peer = await MockPeer.start({ txTimeoutMs: 20_000, logger: createLogger('peer', { level: 'critical' }) });
  cleanups.push(() => peer.stop());
  const cc = await peer.connect(address, { name: 'guarded' });
  await exercise(cc, peer, out);
  expect(child.exitCode).toBeNull();
  child.kill('SIGTERM');
  expect(await exited).toBe(0);
}, 60_000);
