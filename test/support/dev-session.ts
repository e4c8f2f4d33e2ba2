/**
 * `fabric-shim-ts dev` as a user runs it, for tests: a chaincode package in a folder of its own
 * (a temporary copy), the CLI as a child process in that folder, and a gateway application as
 * another child process.
 *
 * The copy gets a node_modules/ the way `npm install` would give it one, pointing at this
 * checkout's sources rather than a built dist/ (none is built in tests): `fabric-shim-ts` (and
 * its /contract and /testing entries) require the sources, the `fabric-shim-ts` bin runs
 * src/cli.ts under tsx, and `tsc` is the repository's TypeScript. Its build script compiles
 * without type-checking (`--noCheck`), since the sources' types are not packaged as
 * declarations here; the emitted JavaScript (decorator metadata included) is what `tsc` emits.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

export const ROOT = join(__dirname, '..', '..');
const CLI = join(ROOT, 'src', 'cli.ts');
/** tsx's loader by absolute URL: `--import tsx` would be resolved from the package's folder. */
const TSX = pathToFileURL(require.resolve('tsx')).href;

/** A temporary folder for the test's packages. */
export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Copies an example package (package.json, tsconfig.json, src/) into `dir` and installs this checkout as its fabric-shim-ts. */
export function copyExample(example: string, dir: string): string {
  for (const entry of ['package.json', 'tsconfig.json', 'src'])
    cpSync(join(ROOT, 'examples', example, entry), join(dir, entry), { recursive: true });
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
  pkg.scripts.build = `${pkg.scripts.build ?? 'tsc -p tsconfig.json'} --noCheck`;
  writeFileSync(join(dir, 'package.json'), JSON.stringify(pkg, null, 2));
  const lib = join(dir, 'node_modules', 'fabric-shim-ts');
  const bin = join(dir, 'node_modules', '.bin');
  mkdirSync(bin, { recursive: true });
  for (const [entry, source] of [
    ['', 'index.ts'],
    ['contract', 'contract/index.ts'],
    ['testing', 'testing/index.ts'],
  ] as const) {
    mkdirSync(join(lib, entry), { recursive: true });
    writeFileSync(join(lib, entry, 'index.js'), `module.exports = require(${JSON.stringify(join(ROOT, 'src', source))});\n`);
  }
  writeFileSync(join(lib, 'package.json'), JSON.stringify({ name: 'fabric-shim-ts', version: '0.0.0-test', main: 'index.js' }));
  writeFileSync(join(bin, 'fabric-shim-ts'), `#!/bin/sh\nexec "${process.execPath}" --import ${TSX} "${CLI}" "$@"\n`);
  chmodSync(join(bin, 'fabric-shim-ts'), 0o755);
  symlinkSync(join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), join(bin, 'tsc'));
  // The examples' tsconfig lists `"types": ["node"]` (TypeScript 6 and 7 need it): give it @types/node.
  symlinkSync(join(ROOT, 'node_modules', '@types'), join(dir, 'node_modules', '@types'), 'dir');
  return dir;
}

/** A running `fabric-shim-ts dev`. */
export interface DevProcess {
  readonly child: ChildProcessWithoutNullStreams;
  /** Everything it printed so far (stdout and stderr, interleaved as received). */
  output(): string;
  /** Resolves with the first match of `pattern` in the output after `from`; rejects if dev exits first. */
  waitFor(pattern: RegExp, from?: number): Promise<RegExpExecArray>;
  /** SIGTERM, then its exit code. */
  stop(): Promise<number | null>;
}

/** Starts `fabric-shim-ts dev <args>` in `cwd`. */
export function startDev(cwd: string, args: readonly string[]): DevProcess {
  const env = { ...process.env };
  delete env.CHAINCODE_SERVER_ADDRESS;
  const child = spawn(process.execPath, ['--import', TSX, CLI, 'dev', ...args], { cwd, env });
  let out = '';
  const listeners = new Set<() => void>();
  const take = (d: Buffer): void => {
    out += d.toString();
    for (const l of listeners) l();
  };
  child.stdout.on('data', take);
  child.stderr.on('data', take);
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    child,
    output: () => out,
    waitFor(pattern, from = 0) {
      return new Promise((resolve, reject) => {
        const check = (): void => {
          const m = pattern.exec(out.slice(from));
          if (m) {
            listeners.delete(check);
            resolve(m);
          }
        };
        listeners.add(check);
        check();
        void exit.then((code) => {
          if (!listeners.has(check)) return;
          listeners.delete(check);
          reject(new Error(`dev exited (${String(code)}) before printing ${String(pattern)}:\n${out}`));
        });
      });
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return exit;
    },
  };
}

/** What dev printed about where to connect. */
export interface Connection {
  peerEndpoint: string;
  cryptoPath: string;
  tlsCertPath: string;
}

/** Reads the PEER_ENDPOINT / CRYPTO_PATH / TLS_CERT_PATH lines dev prints. */
export function connectionOf(output: string): Connection {
  const value = (name: string): string => {
    const m = new RegExp(`^ {2}${name}=(.*)$`, 'm').exec(output);
    if (!m?.[1]) throw new Error(`dev printed no ${name}:\n${output}`);
    return m[1];
  };
  return { peerEndpoint: value('PEER_ENDPOINT'), cryptoPath: value('CRYPTO_PATH'), tlsCertPath: value('TLS_CERT_PATH') };
}

/** A finished run of the example application. */
export interface AppRun {
  code: number | null;
  stdout: string;
  stderr: string;
  /** When its first submit was committed (performance.now()), if it was. */
  firstCommitAt: number | undefined;
}

/** Runs examples/asset-transfer-app unchanged, configured only through its environment variables. */
export function runApp(env: Record<string, string>): Promise<AppRun> {
  const child = spawn(process.execPath, ['--import', TSX, join(ROOT, 'examples', 'asset-transfer-app', 'src', 'app.ts')], {
    cwd: join(ROOT, 'examples', 'asset-transfer-app'),
    env: { ...process.env, ...env },
  });
  const run: AppRun = { code: null, stdout: '', stderr: '', firstCommitAt: undefined };
  child.stdout.on('data', (d: Buffer) => {
    run.stdout += d.toString();
    if (run.firstCommitAt === undefined && run.stdout.includes('*** Result: committed')) run.firstCommitAt = performance.now();
  });
  child.stderr.on('data', (d: Buffer) => (run.stderr += d.toString()));
  return new Promise((resolve) => child.once('close', (code) => resolve({ ...run, code })));
}
