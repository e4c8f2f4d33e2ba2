/**
 * `fabric-shim-ts package node [--bundle]` (issue 15), run as a user runs it in a contract
 * package's folder (a copy of examples/asset-transfer): the archive read with the system tar
 * against the layout of `peer lifecycle chaincode package --lang node`, the package id, and a
 * bundled package started the way Fabric's node builder starts it (`npm start -- --peer.address
 * ... --chaincode-id-name ...`) in a folder with no node_modules at all, against the mock peer.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { MockPeer } from '../src/testing/mock-peer';
import { ROOT, copyExample, tempDir } from './support/dev-session';
import { ensureBuiltDist } from './support/dist';

const CLI = join(ROOT, 'src', 'cli.ts');
const TSX = pathToFileURL(require.resolve('tsx')).href;

/** An environment without the variables that would change a child's mode. */
function cleanEnv(): NodeJS.ProcessEnv {
  const drop = new Set([
    'CHAINCODE_SERVER_ADDRESS',
    'CORE_PEER_ADDRESS',
    'CORE_CHAINCODE_ID_NAME',
    'CORE_CHAINCODE_LOGGING_SHIM',
    'NODE_OPTIONS',
  ]);
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !drop.has(name)));
  return { ...env, npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false' };
}

/** Runs `fabric-shim-ts package node <args>` in `cwd` to its end. */
function packageNode(
  cwd: string,
  args: readonly string[],
  nodeArgs: readonly string[] = [],
): { code: number | null; stdout: string; stderr: string } {
  const res = spawnSync(process.execPath, [...nodeArgs, '--import', TSX, CLI, 'package', 'node', ...args], {
    cwd,
    env: cleanEnv(),
    encoding: 'utf8',
  });
  return { code: res.status, stdout: res.stdout, stderr: res.stderr };
}

function tarList(file: string): string[] {
  return spawnSync('tar', ['-tzf', file], { encoding: 'utf8' }).stdout.trim().split('\n');
}

function untar(file: string, into: string): string {
  mkdirSync(into, { recursive: true });
  const res = spawnSync('tar', ['-xzf', file, '-C', into], { encoding: 'utf8' });
  if (res.status !== 0) throw new Error(res.stderr);
  return into;
}

let work: string;
let project: string;
beforeAll(() => {
  work = tempDir('pkg-node-');
  project = join(work, 'asset-transfer');
  mkdirSync(project);
  copyExample('asset-transfer', project);
  // A transaction that parses the caller's certificate: @peculiar/x509, which the shim loads only when needed, must be in the bundle.
  const contract = join(project, 'src', 'asset-transfer.ts');
  const whoAmI = '  @Transaction(false)\n  async WhoAmI(ctx: Context): Promise<string> {\n    return ctx.clientIdentity.getID();\n  }\n\n';
  writeFileSync(
    contract,
    readFileSync(contract, 'utf8').replace('  /** Reads the asset and checks', `${whoAmI}  /** Reads the asset and checks`),
  );
  // What a project folder also holds, which must not be packaged.
  mkdirSync(join(project, '.git'));
  writeFileSync(join(project, '.git', 'HEAD'), 'ref: refs/heads/main\n');
  mkdirSync(join(project, '.vscode'));
  writeFileSync(join(project, '.vscode', 'settings.json'), '{}\n');
  writeFileSync(join(project, 'package-lock.json'), '{"lockfileVersion":3}\n');
  mkdirSync(join(project, 'META-INF', 'statedb', 'couchdb', 'indexes'), { recursive: true });
  writeFileSync(
    join(project, 'META-INF', 'statedb', 'couchdb', 'indexes', 'owner.json'),
    '{"index":{"fields":["owner"]},"name":"owner","type":"json"}\n',
  );
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('package node', () => {
  it('writes metadata.json and code.tar.gz as peer lifecycle chaincode package --lang node does, and prints label:sha256', () => {
    const res = packageNode(project, ['--label', 'asset_1.0']);
    expect(res.stderr).toMatch(/^wrote asset_1\.0\.tar\.gz \(node, \d+ files\)\n$/);
    expect(res.code).toBe(0);
    const file = join(project, 'asset_1.0.tar.gz');
    expect(res.stdout).toBe(`asset_1.0:${createHash('sha256').update(readFileSync(file)).digest('hex')}\n`);

    expect(tarList(file)).toEqual(['metadata.json', 'code.tar.gz']);
    const outer = untar(file, join(work, 'plain-outer'));
    // Byte for byte what peer's json.Marshal of {Path, Type, Label} writes.
    expect(readFileSync(join(outer, 'metadata.json'), 'utf8')).toBe('{"path":".","type":"node","label":"asset_1.0"}');

    const code = join(outer, 'code.tar.gz');
    expect(tarList(code)).toEqual([
      'META-INF/statedb/couchdb/indexes/owner.json',
      'src/package-lock.json',
      'src/package.json',
      'src/src/asset-transfer.ts',
      'src/src/asset.ts',
      'src/src/index.ts',
      'src/tsconfig.json',
    ]);
    // Regular files, mode 0644: the peer's node platform refuses anything else.
    for (const line of spawnSync('tar', ['-tvzf', code], { encoding: 'utf8' }).stdout.trim().split('\n'))
      expect(line).toMatch(/^-rw-r--r-- /);
    const inner = untar(code, join(work, 'plain-inner'));
    expect(readFileSync(join(inner, 'src', 'package.json'))).toEqual(readFileSync(join(project, 'package.json')));
  });

  it('the same folder gives the same package id; the output file itself is never packaged', () => {
    const a = packageNode(project, ['--label', 'same', '--output', 'out.tgz']);
    const b = packageNode(project, ['--label', 'same', '--output', 'out.tgz']);
    expect(a.code).toBe(0);
    expect(b.stdout).toBe(a.stdout);
    const outer = untar(join(project, 'out.tgz'), join(work, 'same-outer'));
    expect(tarList(join(outer, 'code.tar.gz'))).not.toContain('src/out.tgz');
    rmSync(join(project, 'out.tgz'));
  });

  it('--help prints its usage and writes nothing', () => {
    const res = packageNode(project, ['--help']);
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/^Usage: fabric-shim-ts package node --label <label> \[--output <file>\] \[--bundle\]\n/);
    expect(existsSync(join(project, 'undefined.tar.gz'))).toBe(false);
  });

  it('refuses a bad label, and a folder without package.json', () => {
    const bad = packageNode(project, ['--label', 'a b']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^error: invalid label 'a b'/);
    const empty = join(work, 'empty');
    mkdirSync(empty);
    writeFileSync(join(empty, 'index.js'), '');
    const none = packageNode(empty, ['--label', 'x']);
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(/^error: no package\.json at the root of the chaincode package/);
  });
});

describe('package node --bundle', () => {
  const started = new Set<ChildProcess>();
  // dist/ for the published-build case (built once, when missing or older than src/).
  beforeAll(() => ensureBuiltDist(), 180_000);
  afterEach(async () => {
    for (const child of started) {
      if (child.exitCode === null && child.signalCode === null && child.pid !== undefined) {
        const gone = new Promise((r) => child.once('exit', r));
        process.kill(-child.pid, 'SIGKILL'); // npm and the node it started: the group we created
        await gone;
      }
    }
    started.clear();
  });

  /**
   * Runs the extracted bundle in `run` as Fabric's node builder does (`npm start -- --peer.address
   * ... --chaincode-id-name ...`) against a mock peer, and checks transactions, the caller's
   * certificate and the contract metadata.
   */
  async function serveFromBundle(run: string): Promise<void> {
    const peer = await MockPeer.start();
    try {
      const child = spawn('npm', ['start', '--', '--peer.address', peer.address, '--chaincode-id-name', 'x:1'], {
        cwd: run,
        env: cleanEnv(),
        detached: true,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      started.add(child);
      let output = '';
      child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
      child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
      const exited = new Promise<never>((_, reject) =>
        child.once('exit', (c) => reject(new Error(`npm start exited (${String(c)}):\n${output}`))),
      );
      const cc = await Promise.race([peer.waitForChaincode('x'), exited]);
      const created = await cc.invoke(['CreateAsset', 'a1', 'blue', '5', 'Tom', '300']);
      expect(created.status).toBe(200);
      const read = await cc.invoke(['ReadAsset', 'a1']);
      expect(read.status).toBe(200);
      expect(JSON.parse(Buffer.from(read.payload).toString())).toMatchObject({
        ID: 'a1',
        Color: 'blue',
        Size: 5,
        Owner: 'Tom',
        AppraisedValue: 300,
      });
      const who = await cc.invoke(['WhoAmI']);
      expect(who.status).toBe(200);
      expect(Buffer.from(who.payload).toString()).toMatch(/^x509::\/.*CN=/);
      // The contract metadata (decorators' types included) survived the bundle.
      const meta = await cc.invoke(['org.hyperledger.fabric:GetMetadata']);
      const contracts = (
        JSON.parse(Buffer.from(meta.payload).toString()) as {
          contracts: Record<string, { transactions: { name: string; parameters?: { schema: unknown }[] }[] }>;
        }
      ).contracts;
      const create = Object.values(contracts)
        .flatMap((c) => c.transactions)
        .find((t) => t.name === 'CreateAsset');
      expect(create?.parameters?.map((p) => p.schema)).toEqual([
        { type: 'string' },
        { type: 'string' },
        { type: 'number' },
        { type: 'string' },
        { type: 'number' },
      ]);
    } finally {
      await peer.stop();
    }
  }

  it('builds, bundles, and the bundle serves transactions with npm start and no node_modules', async () => {
    rmSync(join(project, 'dist'), { recursive: true, force: true });
    const res = packageNode(project, ['--label', 'asset_b', '--bundle', '--output', join(work, 'bundled.tar.gz')]);
    expect(res.stderr).toMatch(/running the build script/);
    expect(res.code).toBe(0);
    expect(existsSync(join(project, 'dist', 'index.js'))).toBe(true); // the build script ran
    const file = join(work, 'bundled.tar.gz');
    expect(res.stdout).toBe(`asset_b:${createHash('sha256').update(readFileSync(file)).digest('hex')}\n`);

    const outer = untar(file, join(work, 'bundle-outer'));
    expect(readFileSync(join(outer, 'metadata.json'), 'utf8')).toBe('{"path":".","type":"node","label":"asset_b"}');
    const code = join(outer, 'code.tar.gz');
    expect(tarList(code)).toEqual(['src/package.json', 'src/index.js', 'META-INF/statedb/couchdb/indexes/owner.json']);

    // As Fabric's node builder: the code package's src/ alone, then npm start -- <peer flags>.
    const run = join(untar(code, join(work, 'bundle-run')), 'src');
    const pkg = JSON.parse(readFileSync(join(run, 'package.json'), 'utf8')) as Record<string, unknown>;
    expect(pkg).toMatchObject({ name: 'asset-transfer-example', version: '1.0.0', main: 'index.js', scripts: { start: 'node index.js' } });
    expect(pkg.dependencies).toBeUndefined();
    expect(existsSync(join(run, 'node_modules'))).toBe(false);

    await serveFromBundle(run);
  });

  it('bundles against the published build (dist/, through the package exports) the same way', async () => {
    // The example as an installed package sees fabric-shim-ts: this checkout's package.json
    // (exports -> dist/) and its dependencies.
    const installed = join(work, 'installed');
    mkdirSync(join(installed, 'node_modules', '.bin'), { recursive: true });
    for (const entry of ['package.json', 'tsconfig.json', 'src']) cpSync(join(project, entry), join(installed, entry), { recursive: true });
    symlinkSync(ROOT, join(installed, 'node_modules', 'fabric-shim-ts'), 'dir');
    symlinkSync(join(ROOT, 'node_modules', '@types'), join(installed, 'node_modules', '@types'), 'dir');
    symlinkSync(join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), join(installed, 'node_modules', '.bin', 'tsc'));
    const res = packageNode(installed, ['--label', 'asset_d', '--bundle', '--output', join(work, 'dist-bundled.tar.gz')]);
    expect(res.stderr).toMatch(/wrote .*dist-bundled\.tar\.gz \(node, bundled\)/);
    expect(res.code).toBe(0);
    const code = join(untar(join(work, 'dist-bundled.tar.gz'), join(work, 'dist-outer')), 'code.tar.gz');
    const run = join(untar(code, join(work, 'dist-run')), 'src');
    // The shim came from dist/, not from the sources.
    expect(readFileSync(join(run, 'index.js'), 'utf8')).toContain('dist/contract/index.js');
    await serveFromBundle(run);
  });

  it('esbuild is loaded only for --bundle, and its absence is one clear line', () => {
    // A preload that makes 'esbuild' unresolvable, as when it is not installed anywhere (but for
    // tsx, which runs the CLI's TypeScript here with its own esbuild).
    const hide = join(work, 'hide-esbuild.js');
    writeFileSync(
      hide,
      [
        "const Module = require('node:module');",
        'const resolve = Module._resolveFilename;',
        'Module._resolveFilename = function (request, parent, ...rest) {',
        "  const fromTsx = /[\\\\/]node_modules[\\\\/]tsx[\\\\/]/.test(parent?.filename ?? '');",
        "  if (request === 'esbuild' && !fromTsx) throw Object.assign(new Error(\"Cannot find module 'esbuild'\"), { code: 'MODULE_NOT_FOUND' });",
        '  return resolve.call(this, request, parent, ...rest);',
        '};',
        '',
      ].join('\n'),
    );
    const plain = packageNode(project, ['--label', 'no_esbuild', '--output', join(work, 'no-esbuild.tgz')], ['--require', hide]);
    expect(plain.code).toBe(0);
    const bundled = packageNode(
      project,
      ['--label', 'no_esbuild', '--bundle', '--output', join(work, 'no-esbuild.tgz')],
      ['--require', hide],
    );
    expect(bundled.code).toBe(1);
    expect(bundled.stderr).toMatch(
      /^error: fabric-shim-ts package node --bundle needs the package 'esbuild' \(npm install esbuild\): Cannot find module 'esbuild'\n/,
    );
  });

  it('a main that is TypeScript is refused with the reason', () => {
    const ts = join(work, 'ts-main');
    mkdirSync(ts);
    writeFileSync(join(ts, 'package.json'), JSON.stringify({ name: 'ts-main', version: '1.0.0', main: 'index.ts' }));
    writeFileSync(join(ts, 'index.ts'), 'export const contracts = [];\n');
    const res = packageNode(ts, ['--label', 'x', '--bundle']);
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/^error: "main" is TypeScript \(index\.ts\): bundle the compiled JavaScript/);
  });
});
