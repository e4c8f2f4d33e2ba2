/**
 * The chaincode package `fabric-shim-ts dev` runs: its package.json, and its npm scripts run as
 * child processes. Each script runs in a process group of its own (npm, the shell, and the
 * chaincode under them), so stopping it stops every process it started, not only npm.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Writable } from 'node:stream';

/** What `dev` reads from the package.json in the working directory. */
export interface PackageInfo {
  readonly dir: string;
  readonly name: string;
  readonly version: string;
  readonly scripts: Readonly<Record<string, string>>;
}

/** How long a stopped script may take to exit after SIGTERM before its group gets SIGKILL. */
const STOP_GRACE_MS = 5000;

/**
 * Fabric's chaincode name rule (`^[a-zA-Z0-9]+([-_][a-zA-Z0-9]+)*$`), applied to a package name:
 * the npm scope goes, other characters become `-`.
 */
export function chaincodeNameOf(packageName: string): string {
  const bare = packageName.replace(/^@[^/]+\//, '');
  return (
    bare
      .replace(/[^A-Za-z0-9_-]+/g, '-')
      .replace(/[-_]{2,}/g, '-')
      .replace(/^[-_]+|[-_]+$/g, '') || 'chaincode'
  );
}

/** Reads `dir/package.json`; throws a plain message when there is none. */
export function readPackage(dir: string): PackageInfo {
  let json: { name?: unknown; version?: unknown; scripts?: unknown };
  try {
    json = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as typeof json;
  } catch (e) {
    throw new Error(
      `no readable package.json in ${dir}: run fabric-shim-ts dev in the chaincode package's folder (${e instanceof Error ? e.message : String(e)})`,
    );
  }
  const scripts = typeof json.scripts === 'object' && json.scripts !== null ? (json.scripts as Record<string, string>) : {};
  return {
    dir,
    name: typeof json.name === 'string' ? json.name : 'chaincode',
    version: typeof json.version === 'string' && json.version !== '' ? json.version : '1.0',
    scripts,
  };
}

/** One running npm script. */
export interface ScriptRun {
  /** Resolves with the exit code (null when killed by a signal). */
  readonly exited: Promise<number | null>;
  /** SIGTERM to the script's process group, SIGKILL after a grace period; resolves once npm exited. */
  stop(): Promise<void>;
}

function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    // A negative pid signals the whole group (detached: the child leads a group of its own).
    if (process.platform === 'win32') child.kill(signal);
    else process.kill(-child.pid, signal);
  } catch {
    // ESRCH: the group has already gone.
  }
}

/**
 * Runs `npm run <script> [-- args]` in `pkg.dir`, its output copied to `out`/`err` (never
 * ended). The environment is `env` exactly.
 */
export function runScript(
  pkg: PackageInfo,
  script: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  out: Writable,
  err: Writable,
): ScriptRun {
  const npmArgs = ['run', script, ...(args.length > 0 ? ['--', ...args] : [])];
  const child = spawn(process.platform === 'win32' ? 'npm.cmd' : 'npm', npmArgs, {
    cwd: pkg.dir,
    env,
    detached: process.platform !== 'win32',
    stdio: ['ignore', 'pipe', 'pipe'],
    shell: process.platform === 'win32',
  });
  child.stdout?.on('data', (d: Buffer) => out.write(d));
  child.stderr?.on('data', (d: Buffer) => err.write(d));
  const exited = new Promise<number | null>((resolve) => {
    child.once('error', (e) => {
      err.write(`fabric-shim-ts dev: cannot run npm: ${e.message}\n`);
      resolve(127);
    });
    child.once('exit', (code) => resolve(code));
  });
  let stopping: Promise<void> | undefined;
  return {
    exited,
    stop() {
      stopping ??= (async () => {
        if (child.exitCode === null && child.signalCode === null) signalGroup(child, 'SIGTERM');
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([exited, new Promise<void>((resolve) => (timer = setTimeout(resolve, STOP_GRACE_MS)))]);
        clearTimeout(timer);
        // Whatever is left of the group (a chaincode that ignored SIGTERM, a stray grandchild).
        signalGroup(child, 'SIGKILL');
        await exited;
      })();
      return stopping;
    },
  };
}
