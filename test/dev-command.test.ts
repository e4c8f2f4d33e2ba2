/**
 * `fabric-shim-ts dev` in-process (devCommand with an AbortSignal for SIGINT): flags, the
 * plain-text default (no TLS) with the identity read back from the files it wrote, what it says
 * when the build or the chaincode fails, and the crypto folders it refuses to clear.
 */
import { createPrivateKey } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import * as grpc from '@grpc/grpc-js';
import { connect, signers } from '@hyperledger/fabric-gateway';
import { devCommand } from '../src/cli/dev';
import { chaincodeNameOf } from '../src/testing/dev-package';
import { ignoredPath } from '../src/testing/dev-watch';
import { tempDir } from './support/dev-session';

/** A Writable that keeps what it was given and resolves waiters on a match. */
class Collector extends Writable {
  text = '';
  private readonly waiters = new Set<() => void>();
  override _write(chunk: Buffer, _enc: BufferEncoding, done: () => void): void {
    this.text += chunk.toString();
    for (const w of this.waiters) w();
    done();
  }
  waitFor(pattern: RegExp): Promise<RegExpExecArray> {
    return new Promise((resolve) => {
      const check = (): void => {
        const m = pattern.exec(this.text);
        if (m) {
          this.waiters.delete(check);
          resolve(m);
        }
      };
      this.waiters.add(check);
      check();
    });
  }
}

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function makePackage(scripts: Record<string, string>): string {
  const dir = tempDir('dev-cmd-');
  dirs.push(dir);
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: '@acme/kv.store', version: '2.1.0', scripts }));
  return dir;
}

function dev(argv: string[], cwd: string): { out: Collector; err: Collector; done: Promise<number>; abort: AbortController } {
  const out = new Collector();
  const err = new Collector();
  const abort = new AbortController();
  const done = devCommand(argv, { output: out, errors: err }, { cwd, signal: abort.signal });
  return { out, err, done, abort };
}

test('--help prints the usage; an unknown option or an address without a port is refused', async () => {
  const help = dev(['--help'], '.');
  expect(await help.done).toBe(0);
  expect(help.out.text).toContain('Usage: fabric-shim-ts dev');
  const bad = dev(['--colour'], '.');
  expect(await bad.done).toBe(2);
  expect(bad.err.text).toContain('unknown option --colour');
  const port = dev(['--address', 'localhost'], '.');
  expect(await port.done).toBe(2);
  expect(port.err.text).toContain('--address needs host:port');
});

test('chaincode names from package names; what the watcher ignores', () => {
  expect(chaincodeNameOf('@acme/kv.store')).toBe('kv-store');
  expect(chaincodeNameOf('basic')).toBe('basic');
  const root = '/p';
  expect(ignoredPath(root, ['/p/.fabric-dev', '/p/dist'], '/p/src/a.ts')).toBe(false);
  for (const path of [
    '/p/dist/a.js',
    '/p/.fabric-dev/x',
    '/p/node_modules/x/y.js',
    '/p/.git/index',
    '/p/src/.a.ts.swp',
    '/p/src/a.ts~',
    '/p/tsconfig.tsbuildinfo',
  ]) {
    expect(ignoredPath(root, ['/p/.fabric-dev', '/p/dist'], path)).toBe(true);
  }
});

test('without --tls: plain gRPC, and the written identity signs what the gateway accepts', async () => {
  const chaincode = join(__dirname, 'support', 'official-chaincode.js');
  const cwd = makePackage({ start: `node ${JSON.stringify(chaincode)}` });
  const run = dev(['--address', '127.0.0.1:0', '--no-watch'], cwd);
  try {
    await run.out.waitFor(/chaincode kv-store ready/);
    expect(run.out.text).toContain('TLS off');
    expect(run.out.text).not.toContain('TLS_CERT_PATH');
    expect(run.out.text).toContain('--chaincode-id-name kv-store:2.1.0');
    const endpoint = (/PEER_ENDPOINT=(\S+)/.exec(run.out.text) as RegExpExecArray)[1] as string;
    const msp = join(cwd, '.fabric-dev', 'peerOrganizations', 'org1.example.com', 'users', 'User1@org1.example.com', 'msp');
    const client = new grpc.Client(endpoint, grpc.credentials.createInsecure());
    const gateway = connect({
      client,
      identity: { mspId: 'Org1MSP', credentials: readFileSync(join(msp, 'signcerts', 'cert.pem')) },
      signer: signers.newPrivateKeySigner(createPrivateKey(readFileSync(join(msp, 'keystore', 'priv_sk')))),
    });
    try {
      const contract = gateway.getNetwork('mychannel').getContract('kv-store');
      await contract.submitTransaction('put', 'k', 'v');
      expect(Buffer.from(await contract.evaluateTransaction('get', 'k')).toString()).toBe('v');
      const who = JSON.parse(Buffer.from(await contract.evaluateTransaction('whoami')).toString()) as { mspid: string };
      expect(who.mspid).toBe('Org1MSP');
    } finally {
      gateway.close();
      client.close();
    }
  } finally {
    run.abort.abort();
    expect(await run.done).toBe(0);
  }
  expect(run.out.text).toContain('fabric-shim-ts dev: stopping');
}, 60_000);

test('a failing build, and a chaincode that exits before registering, are reported; dev keeps running', async () => {
  const failingBuild = dev(['--address', '127.0.0.1:0'], makePackage({ build: 'node -e "process.exit(3)"', start: 'node -e ""' }));
  try {
    await failingBuild.out.waitFor(/the build failed \(exit code 3\); waiting for a change/);
    expect(failingBuild.out.text).not.toContain('npm start');
  } finally {
    failingBuild.abort.abort();
    expect(await failingBuild.done).toBe(0);
  }

  const cwd = makePackage({ start: 'node exit.js' });
  writeFileSync(join(cwd, 'exit.js'), 'process.exit(4);\n');
  const exiting = dev(['--address', '127.0.0.1:0', '--no-watch'], cwd);
  try {
    await exiting.out.waitFor(/the chaincode exited \(exit code 4\) before it registered; waiting for a change/);
  } finally {
    exiting.abort.abort();
    expect(await exiting.done).toBe(0);
  }
}, 60_000);

test('a crypto folder dev did not write is not cleared', async () => {
  const cwd = makePackage({ start: 'node -e ""' });
  mkdirSync(join(cwd, 'organizations'));
  writeFileSync(join(cwd, 'organizations', 'real-key.pem'), 'keep me');
  const run = dev(['--address', '127.0.0.1:0', '--crypto-dir', 'organizations'], cwd);
  await expect(run.done).rejects.toThrow(/was not written by fabric-shim-ts dev/);
  expect(readFileSync(join(cwd, 'organizations', 'real-key.pem'), 'utf8')).toBe('keep me');
});

test('waitForChaincode: an AbortSignal ends the wait, timeoutMs 0 waits without a limit', async () => {
  const { MockPeer } = await import('../src/testing');
  const peer = await MockPeer.start();
  try {
    const abort = new AbortController();
    const waiting = peer.waitForChaincode('nobody', { timeoutMs: 0, signal: abort.signal });
    abort.abort(new Error('session over'));
    await expect(waiting).rejects.toThrow('session over');
    const aborted = new AbortController();
    aborted.abort(new Error('already over'));
    await expect(peer.waitForChaincode('nobody', { signal: aborted.signal })).rejects.toThrow('already over');
  } finally {
    await peer.stop();
  }
});
