/**
 * `fabric-shim-ts dev`: the chaincode package in the working directory, served by a mock peer
 * with the Fabric Gateway, for developing and testing a client application with no Fabric
 * network. It
 * 1. starts the mock peer with the gateway on `--address` (TLS with a generated CA on `--tls`);
 * 2. writes User1 of Org1MSP and the TLS CA in the test network's crypto layout (src/testing/dev-crypto.ts);
 * 3. runs the package's `build` script, then its `start` script as a peer runs a chaincode in
 *    development mode: `--peer.address`, `--chaincode-id-name name:version`, CORE_PEER_ADDRESS,
 *    CORE_CHAINCODE_ID_NAME, CORE_PEER_LOCALMSPID and the CORE_PEER_TLS_* / CORE_TLS_CLIENT_*
 *    files (so `fabric-chaincode-node start` works as well as `fabric-shim-ts start`);
 * 4. prints how to connect, and rebuilds and restarts the chaincode when a file changes;
 * 5. on SIGINT/SIGTERM stops the chaincode and the peer and exits 0.
 * The ledger lives as long as the command: restarts of the chaincode keep it.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Writable } from 'node:stream';
import { writeDevCrypto, type DevCryptoPaths } from '../testing/dev-crypto';
import { chaincodeNameOf, readPackage, runScript, type PackageInfo, type ScriptRun } from '../testing/dev-package';
import { watchTree, type TreeWatcher } from '../testing/dev-watch';
import { MockPeer } from '../testing/mock-peer';
import { createTestCa, type TestCa } from '../testing/tls';
import { type ArgSpec, type ParsedArgs, parseArgs, wantsHelp } from './args';

const USAGE = `Usage: fabric-shim-ts dev [options]   (in a chaincode package's folder)

Serves the package's chaincode through a mock peer with the Fabric Gateway: runs its build and
start scripts as a peer in development mode would, writes a client identity (User1 of Org1MSP)
and the TLS CA where a Fabric test network application looks for them, restarts the chaincode
when a file changes, and runs until interrupted.

  --address <host:port>   listen address (default localhost:7051; port 0 = any free port, printed)
  --tls                   serve TLS with a generated CA (peer0.org1.example.com, localhost)
  --crypto-dir <dir>      where the crypto material goes (default .fabric-dev), test network layout:
                          <dir>/peerOrganizations/org1.example.com/{users,peers,tlsca,...}
  --name <name>           chaincode name (default: the package name)
  --channel <channel>     channel name (default mychannel)
  --no-watch              do not restart on changes

No environment variables are read. The chaincode gets what a peer in development mode gives it:
--peer.address, --chaincode-id-name, CORE_PEER_ADDRESS, CORE_CHAINCODE_ID_NAME, CORE_PEER_LOCALMSPID
(and with --tls, CORE_PEER_TLS_ENABLED, CORE_PEER_TLS_ROOTCERT_FILE and the client key/certificate).

Example:
  fabric-shim-ts dev --tls    # then run the application with CRYPTO_PATH=.fabric-dev/peerOrganizations/org1.example.com
`;

/** Parsed flags. */
interface DevOptions {
  address: string;
  tls: boolean;
  cryptoDir: string;
  name: string | undefined;
  channel: string;
  watch: boolean;
}

/** Where the command writes (default stdout/stderr). */
export interface DevIo {
  output: Writable;
  errors: Writable;
}

/** Settings of {@link devCommand} other than its arguments. */
export interface DevContext {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Ends the session (default: SIGINT or SIGTERM). */
  signal?: AbortSignal;
}

const MSP_ID = 'Org1MSP';
const DOMAIN = 'org1.example.com';
const PEER_HOST = `peer0.${DOMAIN}`;
/** Quiet time after the last change before rebuilding: an editor's save is several events. */
const DEBOUNCE_MS = 300;

const DEV_ARGS: ArgSpec = {
  style: 'strict',
  lastWins: true,
  values: { address: [], 'crypto-dir': [], name: [], channel: [] },
  booleans: { tls: [], 'no-watch': [] },
};

/** The options from the command line, or the text to print (the usage, or the problem and the usage). */
function parseFlags(argv: readonly string[]): DevOptions | string {
  if (wantsHelp(argv)) return USAGE;
  let args: ParsedArgs;
  try {
    args = parseArgs(argv, DEV_ARGS);
  } catch (e) {
    return `${(e as Error).message}\n\n${USAGE}`;
  }
  if (args.positionals[0] !== undefined) return `unknown option ${args.positionals[0]}\n\n${USAGE}`;
  for (const [name, value] of args.values) if (value === '') return `--${name} needs a value\n\n${USAGE}`;
  const opts: DevOptions = {
    address: args.values.get('address') ?? 'localhost:7051',
    tls: args.booleans.has('tls'),
    cryptoDir: args.values.get('crypto-dir') ?? '.fabric-dev',
    name: args.values.get('name'),
    channel: args.values.get('channel') ?? 'mychannel',
    watch: !args.booleans.has('no-watch'),
  };
  if (!/:\d+$/.test(opts.address)) return `--address needs host:port (got ${opts.address})\n`;
  return opts;
}

/** tsconfig.json's compilerOptions.outDir (comments and trailing commas allowed), if any. */
function tsOutDir(dir: string): string | undefined {
  let text: string;
  try {
    text = readFileSync(join(dir, 'tsconfig.json'), 'utf8');
  } catch {
    return undefined;
  }
  const json = text
    .replace(/("(?:\\.|[^"\\])*")|\/\/[^\n]*|\/\*[\s\S]*?\*\//g, (_m, str: string | undefined) => str ?? '')
    .replace(/,(\s*[}\]])/g, '$1');
  try {
    const outDir = (JSON.parse(json) as { compilerOptions?: { outDir?: unknown } }).compilerOptions?.outDir;
    return typeof outDir === 'string' ? resolve(dir, outDir) : undefined;
  } catch {
    return undefined;
  }
}

/** The TLS CA and the certificates it signs: the peer's server pair and the chaincode's client pair. */
async function tlsMaterial(
  address: string,
): Promise<{ ca: TestCa; server: { key: Uint8Array; cert: Uint8Array }; chaincodeClient: Awaited<ReturnType<TestCa['issue']>> }> {
  const ca = await createTestCa(`tlsca.${DOMAIN}`, 30);
  const host = address.replace(/:\d+$/, '').replace(/^\[|\]$/g, '');
  const hosts = [PEER_HOST, 'localhost', '127.0.0.1', '::1'];
  if (!hosts.includes(host) && host !== '0.0.0.0' && host !== '::' && host !== '') hosts.push(host);
  const [server, chaincodeClient] = await Promise.all([
    ca.issue({ commonName: PEER_HOST, server: true, client: true, hosts, validDays: 30 }),
    ca.issue({ commonName: 'chaincode', client: true, hosts: [], validDays: 30 }),
  ]);
  return { ca, server, chaincodeClient };
}

/** The lines that tell an application where to connect, named as the fabric-samples gateway applications' variables. */
function connectionInfo(peer: MockPeer, paths: DevCryptoPaths, name: string, tls: boolean): string {
  const lines = [
    `fabric-shim-ts dev: mock peer with the Fabric Gateway on ${peer.address}, TLS ${tls ? 'on' : 'off'}`,
    'Connect an application with (names as in fabric-samples asset-transfer-basic/application-gateway-*):',
    `  PEER_ENDPOINT=${peer.address}`,
    ...(tls ? [`  PEER_HOST_ALIAS=${PEER_HOST}`, `  TLS_CERT_PATH=${paths.tlsCertPath ?? ''}`] : []),
    `  CRYPTO_PATH=${paths.cryptoPath}`,
    `  CERT_DIRECTORY_PATH=${paths.certDirectory}`,
    `  KEY_DIRECTORY_PATH=${paths.keyDirectory}`,
    `  MSP_ID=${MSP_ID}`,
    `  CHANNEL_NAME=${peer.channel}`,
    `  CHAINCODE_NAME=${name}`,
    'The identity and CA are regenerated on each start: restart the application after restarting dev.',
  ];
  return `${lines.join('\n')}\n`;
}

/** The chaincode process's life: build, start, wait for registration; restarts serialized. */
class ChaincodeRunner {
  private run: ScriptRun | undefined;
  private cycling: Promise<void> | undefined;
  private again = false;
  private closed = false;
  private readonly abort = new AbortController();

  constructor(
    private readonly peer: MockPeer,
    private readonly pkg: PackageInfo,
    private readonly name: string,
    private readonly args: readonly string[],
    private readonly env: NodeJS.ProcessEnv,
    private readonly io: DevIo,
  ) {}

  /** Builds and (re)starts the chaincode; a request during a cycle runs one more cycle after it. */
  restart(): Promise<void> {
    if (this.cycling) {
      this.again = true;
      return this.cycling;
    }
    this.cycling = (async () => {
      do {
        this.again = false;
        await this.cycle();
      } while (this.again && !this.closed);
      this.cycling = undefined;
    })();
    return this.cycling;
  }

  /** Stops the chaincode (and a build in progress); no restart after this. */
  async close(): Promise<void> {
    this.closed = true;
    this.abort.abort(new Error('dev session ended'));
    await this.run?.stop();
    await this.cycling;
  }

  private say(text: string): void {
    this.io.output.write(`fabric-shim-ts dev: ${text}\n`);
  }

  private async cycle(): Promise<void> {
    if (this.run) {
      await this.run.stop();
      this.run = undefined;
    }
    // The old process is gone; forget its registration so the next one is awaited, not the old.
    this.peer.chaincode(this.name)?.session.close();
    if (this.closed) return;
    if (this.pkg.scripts.build !== undefined) {
      this.say('npm run build');
      const build = runScript(this.pkg, 'build', [], this.env, this.io.output, this.io.errors);
      this.run = build;
      const code = await build.exited;
      this.run = undefined;
      if (this.closed) return;
      if (code !== 0) {
        this.say(`the build failed (exit code ${String(code)}); waiting for a change`);
        return;
      }
    }
    if (this.pkg.scripts.start === undefined) {
      this.say('package.json has no "start" script: add one (e.g. "fabric-shim-ts start" or "fabric-chaincode-node start")');
      return;
    }
    const started = Date.now();
    this.say(`npm start -- ${this.args.join(' ')}`);
    const run = runScript(this.pkg, 'start', this.args, this.env, this.io.output, this.io.errors);
    this.run = run;
    const registered = this.peer.waitForChaincode(this.name, { timeoutMs: 0, signal: this.abort.signal });
    registered.catch(() => undefined);
    const first = await Promise.race([
      registered.then(
        () => 'registered' as const,
        () => 'closed' as const,
      ),
      run.exited.then(() => 'exited' as const),
    ]);
    if (first === 'registered') {
      this.say(`chaincode ${this.name} ready (registered in ${Date.now() - started} ms)`);
      void run.exited.then((code) => {
        if (this.run === run && !this.closed) this.say(`the chaincode exited (exit code ${String(code)}); waiting for a change`);
      });
    } else if (first === 'exited' && !this.closed) {
      this.say(`the chaincode exited (exit code ${String(await run.exited)}) before it registered; waiting for a change`);
    }
  }
}

/** Resolves when `signal` aborts, or at SIGINT/SIGTERM when there is none. */
function untilStopped(signal: AbortSignal | undefined): Promise<void> {
  if (signal) {
    return new Promise((resolve) => {
      if (signal.aborted) resolve();
      else signal.addEventListener('abort', () => resolve(), { once: true });
    });
  }
  return new Promise((resolve) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

/** Runs `fabric-shim-ts dev` until SIGINT/SIGTERM (or `context.signal`); resolves with the exit code. */
export async function devCommand(
  argv: readonly string[],
  io: DevIo = { output: process.stdout, errors: process.stderr },
  context: DevContext = {},
): Promise<number> {
  const opts = parseFlags(argv);
  if (typeof opts === 'string') {
    (opts === USAGE ? io.output : io.errors).write(opts);
    return opts === USAGE ? 0 : 2;
  }
  const cwd = resolve(context.cwd ?? process.cwd());
  const stopped = untilStopped(context.signal);
  const pkg = readPackage(cwd);
  const name = opts.name ?? chaincodeNameOf(pkg.name);
  const cryptoDir = resolve(cwd, opts.cryptoDir);
  const tls = opts.tls ? await tlsMaterial(opts.address) : undefined;
  const peer = await MockPeer.start({
    address: opts.address,
    gateway: true,
    channel: opts.channel,
    mspId: MSP_ID,
    // The process may live for days: no growing wire log.
    recordWire: false,
    ...(tls ? { tls: tls.server } : {}),
  });
  let runner: ChaincodeRunner | undefined;
  let watcher: TreeWatcher | undefined;
  let debounce: NodeJS.Timeout | undefined;
  try {
    const user = await peer.identity(MSP_ID, {}, { commonName: `User1@${DOMAIN}` }).resolve();
    const paths = await writeDevCrypto({
      dir: cryptoDir,
      domain: DOMAIN,
      user,
      caCertificatePem: await peer.identities.caCertificatePem(MSP_ID),
      ...(tls ? { tls: { ca: tls.ca, chaincodeClient: tls.chaincodeClient } } : {}),
    });
    io.output.write(connectionInfo(peer, paths, name, opts.tls));

    const chaincodeId = `${name}:${pkg.version}`;
    // Inherited settings that would send the chaincode elsewhere (service mode, another peer's TLS) are dropped.
    const inherited = Object.entries(context.env ?? process.env).filter(
      ([key]) =>
        !key.startsWith('CORE_PEER_TLS_') &&
        !key.startsWith('CORE_TLS_CLIENT_') &&
        key !== 'CHAINCODE_SERVER_ADDRESS' &&
        key !== 'CHAINCODE_ID',
    );
    const env: NodeJS.ProcessEnv = Object.fromEntries(inherited);
    Object.assign(env, {
      CORE_PEER_ADDRESS: peer.address,
      CORE_CHAINCODE_ID_NAME: chaincodeId,
      CORE_PEER_LOCALMSPID: MSP_ID,
      ...(paths.chaincodeTlsEnv ?? { CORE_PEER_TLS_ENABLED: 'false' }),
    });
    runner = new ChaincodeRunner(peer, pkg, name, ['--peer.address', peer.address, '--chaincode-id-name', chaincodeId], env, io);
    const current = runner;
    void current.restart();

    if (opts.watch) {
      const excluded = [cryptoDir, join(cwd, 'dist'), join(cwd, 'coverage'), tsOutDir(cwd)].filter((d): d is string => d !== undefined);
      watcher = watchTree(cwd, excluded, (path) => {
        clearTimeout(debounce);
        debounce = setTimeout(() => {
          io.output.write(`fabric-shim-ts dev: ${path} changed: rebuilding and restarting the chaincode\n`);
          void current.restart();
        }, DEBOUNCE_MS);
      });
    }
    await stopped;
    io.output.write('fabric-shim-ts dev: stopping\n');
  } finally {
    clearTimeout(debounce);
    watcher?.close();
    await runner?.close();
    await peer.stop();
  }
  return 0;
}
