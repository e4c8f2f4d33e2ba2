/**
 * `fabric-shim-ts server`: configuration as fabric-chaincode-node's server command reads it, and
 * the real CLI in a child process (tsx) serving a contract package, TLS from files, and SIGTERM
 * during a transaction letting it complete before a clean exit.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadChaincode } from '../src/cli/module-loader';
import { readServerConfig } from '../src/config';
import { createTestCa, createTlsFixture, type TlsFixture } from '../src/testing/tls';
import { RawPeer } from './support/raw-peer';
import { gate, until } from './support/sync';

const ROOT = resolve(__dirname, '..');
const CCID = 'kv_1:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef';
const text = (b: Uint8Array | undefined) => (b === undefined ? undefined : Buffer.from(b).toString());

let dir: string;
let tls: TlsFixture;
const files: Record<string, string> = {};
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'server-cli-'));
  tls = await createTlsFixture();
  const write = (name: string, content: string) => {
    files[name] = join(dir, name);
    writeFileSync(files[name], content);
  };
  write('cert.pem', tls.server.certPem);
  write('key.pem', tls.server.keyPem);
  write('ca.pem', tls.ca.certPem);
  write('cert.b64', Buffer.from(tls.server.certPem).toString('base64'));
  write('key.b64', Buffer.from(tls.server.keyPem).toString('base64'));
  write('ca.b64', Buffer.from(tls.ca.certPem).toString('base64'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('readServerConfig', () => {
  it('reads fabric-chaincode-node flags, flags winning over CORE_* env', () => {
    const cfg = readServerConfig(
      ['--chaincode-address', '0.0.0.0:9999', '--chaincode-id=flag:1', '--grpc.keepalive_time_ms', '5000', '--module-path', 'x'],
      { CORE_CHAINCODE_ADDRESS: 'env:1', CORE_CHAINCODE_ID: 'env:2', CORE_PEER_LOCALMSPID: 'Org1MSP' },
    );
    expect(cfg.options).toEqual({ ccid: 'flag:1', address: '0.0.0.0:9999', 'grpc.keepalive_time_ms': 5000, mspId: 'Org1MSP' });
    expect(cfg.modulePath).toBe('x');
    expect(cfg.shutdownGraceMs).toBe(25_000);
  });

  it('reads CORE_* and then the ccaas names CHAINCODE_SERVER_ADDRESS / CHAINCODE_ID', () => {
    expect(
      readServerConfig([], {
        CORE_CHAINCODE_ADDRESS: 'a:1',
        CORE_CHAINCODE_ID: 'i:1',
        CHAINCODE_SERVER_ADDRESS: 'b:2',
        CHAINCODE_ID: 'j:2',
      }).options,
    ).toMatchObject({ address: 'a:1', ccid: 'i:1' });
    expect(readServerConfig([], { CHAINCODE_SERVER_ADDRESS: 'b:2', CHAINCODE_ID: 'j:2' }).options).toMatchObject({
      address: 'b:2',
      ccid: 'j:2',
    });
  });

  it('loads TLS from PEM files (-file) and base64 files (-path), flags and env', () => {
    const fromFlags = readServerConfig(
      [
        '--chaincode-address',
        'a:1',
        '--chaincode-id',
        'i:1',
        '--chaincode-tls-cert-file',
        files['cert.pem']!,
        '--chaincode-tls-key-path',
        files['key.b64']!,
        '--chaincode-tls-client-cacert-path',
        files['ca.b64']!,
      ],
      {},
    );
    expect(text(fromFlags.options.tlsProps?.cert)).toBe(tls.server.certPem);
    expect(text(fromFlags.options.tlsProps?.key)).toBe(tls.server.keyPem);
    expect(text(fromFlags.options.tlsProps?.clientCACerts)).toBe(tls.ca.certPem);

    const fromEnv = readServerConfig([], {
      CHAINCODE_SERVER_ADDRESS: 'a:1',
      CHAINCODE_ID: 'i:1',
      CORE_CHAINCODE_TLS_CERT_PATH: files['cert.b64'],
      CORE_CHAINCODE_TLS_KEY_FILE: files['key.pem'],
    });
    expect(text(fromEnv.options.tlsProps?.cert)).toBe(tls.server.certPem);
    expect(fromEnv.options.tlsProps?.clientCACerts).toBeUndefined();
  });

  it('reads the Go contract API TLS variables only when CHAINCODE_TLS_DISABLED=false', () => {
    const env = {
      CHAINCODE_SERVER_ADDRESS: 'a:1',
      CHAINCODE_ID: 'i:1',
      CHAINCODE_TLS_KEY: files['key.pem'],
      CHAINCODE_TLS_CERT: files['cert.pem'],
      CHAINCODE_CLIENT_CA_CERT: files['ca.pem'],
    };
    expect(readServerConfig([], env).options.tlsProps).toBeUndefined();
    const on = readServerConfig([], { ...env, CHAINCODE_TLS_DISABLED: 'false' }).options.tlsProps;
    expect(text(on?.key)).toBe(tls.server.keyPem);
    expect(text(on?.clientCACerts)).toBe(tls.ca.certPem);
  });

  it('refuses incomplete or contradictory configuration with a clear message', () => {
    const base = ['--chaincode-address', 'a:1', '--chaincode-id', 'i:1'];
    const cases: [string[], NodeJS.ProcessEnv, RegExp][] = [
      [[], {}, /listen address is not set/],
      [['--chaincode-address', 'a:1'], {}, /chaincode id is not set/],
      [[...base, '--chaincode-tls-cert-file', files['cert.pem']!], {}, /A TLS option is set but no key is specified/],
      [[...base, '--chaincode-tls-key-file', files['key.pem']!], {}, /A TLS option is set but no cert is specified/],
      [[...base, '--chaincode-tls-client-cacert-file', files['ca.pem']!], {}, /client CA certificate is set but TLS is not/],
      [[...base, '--chaincode-tls-key-file', files['key.pem']!, '--chaincode-tls-key-path', files['key.b64']!], {}, /mutually exclusive/],
      [[...base, '--chaincode-tls-key-file', join(dir, 'missing.pem')], {}, /missing\.pem/],
      [base, { CHAINCODE_TLS_DISABLED: 'false' }, /CHAINCODE_TLS_KEY or CHAINCODE_TLS_CERT is not set/],
      [[...base, '--shutdown-grace-ms', 'soon'], {}, /--shutdown-grace-ms/],
    ];
    for (const [argv, env, message] of cases) {
      expect(() => readServerConfig(argv, env)).toThrow(message);
    }
  });
});

describe('loadChaincode', () => {
  it('loads a contract package through package.json main, and a plain chaincode module', async () => {
    const contract = await loadChaincode('test/fixtures/server-contract', ROOT);
    expect(typeof contract.Invoke).toBe('function');
    const plain = await loadChaincode('test/fixtures/server-chaincode.ts', ROOT);
    const { chaincode } = await import('./fixtures/server-chaincode');
    expect(plain).toBe(chaincode);
    await expect(loadChaincode('test/fixtures/nowhere', ROOT)).rejects.toMatchObject({ code: 'CONFIG' });
  });
});

describe('fabric-shim-ts server (child process)', () => {
  const children: ChildProcessWithoutNullStreams[] = [];
  const peers: RawPeer[] = [];
  afterAll(() => {
    for (const p of peers) p.close();
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  });

  /** Starts the CLI under tsx; resolves once it prints the address it listens on. */
  function startCli(
    args: string[],
    env: NodeJS.ProcessEnv = {},
  ): Promise<{ child: ChildProcessWithoutNullStreams; address: string; stderr: () => string; exit: Promise<number | null> }> {
    // tsx's loader in the same process (no wrapper process), so the signal reaches our code directly.
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], {
      cwd: ROOT,
      env: { ...process.env, ...env },
    });
    children.push(child);
    let stderr = '';
    const exit = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    return new Promise((resolveStart, reject) => {
      child.stderr.on('data', (d: Buffer) => {
        stderr += d.toString();
        const m = /listening on (\S+)/.exec(stderr);
        if (m) resolveStart({ child, address: m[1]!, stderr: () => stderr, exit });
      });
      void exit.then((code) => reject(new Error(`CLI exited (${code}) before listening:\n${stderr}`)));
    });
  }

  it('SIGTERM during a transaction lets it complete, then exits 0', async () => {
    const cli = await startCli([
      'server',
      '--chaincode-address',
      '127.0.0.1:0',
      '--chaincode-id',
      CCID,
      '--module-path',
      'test/fixtures/server-contract',
    ]);
    const peer = await RawPeer.connect(cli.address);
    peers.push(peer);
    expect(peer.registeredAs).toBe(CCID);
    peer.state.set('k', Buffer.from('old'));

    const g = gate();
    peer.onTalkBack = async () => {
      g.arrive();
      await g.wait;
    };
    const tx = peer.invoke(['put', 'k', 'new']);
    await g.reached; // the transaction waits on the peer inside the child
    cli.child.kill('SIGTERM');
    // Wait until the child has taken the signal (its stderr says so), then let the transaction go on.
    await until(cli.child.stderr, 'data', () => cli.stderr().includes('SIGTERM'));
    peer.onTalkBack = undefined;
    g.open();
    expect(await tx).toMatchObject({ type: 'COMPLETED', status: 200, payload: 'old' });
    expect(Buffer.from(peer.state.get('k')!).toString()).toBe('new');
    expect(await cli.exit).toBe(0);
    expect(cli.stderr()).toMatch(/stopped/);
    expect(await peer.ended).toBeUndefined();
  });

  it('serves mutual TLS from files given by CORE_* env and refuses a stranger', async () => {
    const cli = await startCli(['server'], {
      CHAINCODE_SERVER_ADDRESS: '127.0.0.1:0',
      CHAINCODE_ID: CCID,
      CORE_MODULE_PATH: 'test/fixtures/server-contract',
      CORE_CHAINCODE_TLS_CERT_FILE: files['cert.pem'],
      CORE_CHAINCODE_TLS_KEY_PATH: files['key.b64'],
      CORE_CHAINCODE_TLS_CLIENT_CACERT_FILE: files['ca.pem'],
    });
    const stranger = await (await createTestCa('stranger')).issue({ commonName: 'evil', client: true });
    await expect(
      RawPeer.connect(cli.address, { rootCert: tls.ca.cert, clientKey: stranger.key, clientCert: stranger.cert }),
    ).rejects.toMatchObject({ code: 'STREAM_CLOSED' });
    const peer = await RawPeer.connect(cli.address, { rootCert: tls.ca.cert, clientKey: tls.client.key, clientCert: tls.client.cert });
    peers.push(peer);
    expect(await peer.invoke(['kv:put', 'a', 'b'])).toMatchObject({ type: 'COMPLETED', status: 200 });
    cli.child.kill('SIGINT');
    expect(await cli.exit).toBe(0);
  });

  it('`start` runs server mode when CHAINCODE_SERVER_ADDRESS is set', async () => {
    const cli = await startCli(['start', '--module-path', 'test/fixtures/server-contract'], {
      CHAINCODE_SERVER_ADDRESS: '127.0.0.1:0',
      CHAINCODE_ID: CCID,
    });
    const peer = await RawPeer.connect(cli.address);
    peers.push(peer);
    expect(peer.registeredAs).toBe(CCID);
    cli.child.kill('SIGTERM');
    expect(await cli.exit).toBe(0);
  });

  it('exits 1 with the reason when the configuration is wrong', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'server', '--chaincode-address', '127.0.0.1:0'], {
      cwd: ROOT,
      env: { ...process.env, CHAINCODE_ID: '', CORE_CHAINCODE_ID: '' },
    });
    children.push(child);
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    const code = await new Promise<number | null>((r) => child.on('exit', r));
    expect(code).toBe(1);
    expect(stderr).toMatch(/chaincode id is not set/);
  });
});
