/**
 * The marbles package run the ways a real network runs it, as a separate process:
 * - client mode (`fabric-shim-ts start`, what the peer's Node builder and dev mode do): the
 *   process dials the peer named by --peer.address with CORE_CHAINCODE_ID_NAME, and exits
 *   non-zero when the peer goes away, so the peer or orchestrator restarts it;
 * - chaincode as a service (`CHAINCODE_SERVER_ADDRESS` + `CHAINCODE_ID` with the same `start`):
 *   the process listens and the peer dials it; SIGTERM stops it cleanly.
 * The CLI runs from the sources under tsx (in a deployment it is the installed package's bin).
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { join } from 'node:path';
import { MockPeer } from 'fabric-shim-ts/testing';

const ROOT = join(__dirname, '..', '..', '..');
const MODULE = join('examples', 'marbles', 'src', 'index.ts');

interface Cli {
  child: ChildProcessWithoutNullStreams;
  exit: Promise<number | null>;
  stderr(): string;
}

describe('marbles as a chaincode process', () => {
  const children: ChildProcessWithoutNullStreams[] = [];
  const peers: MockPeer[] = [];

  afterAll(async () => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    await Promise.all(peers.map((p) => p.stop()));
  });

  function cli(args: string[], env: NodeJS.ProcessEnv): Cli {
    const clean = { ...process.env };
    delete clean.CHAINCODE_SERVER_ADDRESS;
    delete clean.CORE_PEER_ADDRESS;
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], { cwd: ROOT, env: { ...clean, ...env } });
    children.push(child);
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout.resume();
    const exit = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    return { child, exit, stderr: () => stderr };
  }

  test('start (client mode): registers as CORE_CHAINCODE_ID_NAME, serves, exits 1 when the peer goes away', async () => {
    const peer = await MockPeer.start();
    peers.push(peer);
    const proc = cli(['start', '--module', MODULE, '--peer.address', peer.address], { CORE_CHAINCODE_ID_NAME: 'marbles:1.0' });
    const cc = await Promise.race([
      peer.waitForChaincode('marbles', { timeoutMs: 20_000 }),
      proc.exit.then((code) => {
        throw new Error(`chaincode exited (${code}) before registering:\n${proc.stderr()}`);
      }),
    ]);
    expect(cc.chaincodeId).toBe('marbles:1.0');

    expect((await cc.invoke(['initMarble', 'm1', 'blue', '3', 'tom'])).status).toBe(200);
    expect(peer.ledger.getJSON('marbles', 'm1')).toMatchObject({ name: 'm1', owner: 'tom' });
    const read = await cc.invoke(['readMarble', 'm1']);
    expect(JSON.parse(read.payload.toString())).toMatchObject({ color: 'blue', size: 3 });

    await peer.stop();
    expect(await proc.exit).toBe(1);
  });

  test('start with CHAINCODE_SERVER_ADDRESS (chaincode as a service): the peer dials in; SIGTERM exits 0', async () => {
    const peer = await MockPeer.start();
    peers.push(peer);
    const packageId = `marbles_1.0:${'ab'.repeat(32)}`;
    const proc = cli(['start', '--module', MODULE], { CHAINCODE_SERVER_ADDRESS: '127.0.0.1:0', CHAINCODE_ID: packageId });
    const address = await new Promise<string>((resolve, reject) => {
      proc.child.stderr.on('data', () => {
        const m = /listening on (\S+)/.exec(proc.stderr());
        if (m) resolve(m[1]!);
      });
      void proc.exit.then((code) => reject(new Error(`server exited (${code}) before listening:\n${proc.stderr()}`)));
    });

    const cc = await peer.connect(address, { name: 'marbles' });
    expect(cc.chaincodeId).toBe(packageId);
    expect((await cc.invoke(['initMarble', 'm2', 'red', '4', 'jerry'])).status).toBe(200);
    expect(peer.ledger.getJSON('marbles', 'm2')).toMatchObject({ owner: 'jerry' });

    proc.child.kill('SIGTERM');
    expect(await proc.exit).toBe(0);
  });
});
