/**
 * The `fabric-shim-ts` bin in a child process, as a user runs it: the TypeScript sources under
 * tsx's loader (in the same process, so signals reach our code), loopback only. Every child is
 * remembered so a test's `afterEach`/`afterAll` can stop the ones still running.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { resolve } from 'node:path';

export const ROOT = resolve(__dirname, '..', '..');

/** A running CLI: its output so far, a way to wait for a line, its exit code. */
export interface CliProcess {
  readonly child: ChildProcessWithoutNullStreams;
  stdout(): string;
  stderr(): string;
  /** Resolves with the first match of `re` in stdout or stderr (as chosen); rejects if the process exits first. */
  waitFor(re: RegExp, stream?: 'stdout' | 'stderr'): Promise<RegExpMatchArray>;
  /** The exit code (null when killed by a signal). */
  readonly exit: Promise<number | null>;
  write(line: string): void;
}

const running = new Set<ChildProcessWithoutNullStreams>();

/** Kills every CLI child still running (SIGKILL) and waits for them to go. */
export async function stopAll(): Promise<void> {
  const alive = [...running].filter((c) => c.exitCode === null && c.signalCode === null);
  await Promise.all(
    alive.map(
      (c) =>
        new Promise<void>((r) => {
          c.once('exit', () => r());
          c.kill('SIGKILL');
        }),
    ),
  );
  running.clear();
}

/**
 * Runs `fabric-shim-ts <args>` with `env` added to this process's environment (minus the
 * variables that would change the mode or the log level, unless `env` sets them).
 */
export function runCli(args: readonly string[], env: NodeJS.ProcessEnv = {}, nodeArgs: readonly string[] = []): CliProcess {
  return spawnCli([...nodeArgs, '--import', 'tsx', 'src/cli.ts', ...args], env);
}

/**
 * Runs the BUILT bin, `node dist/cli.js <args>`, as the published package runs it (build it first:
 * see ensureBuiltDist in ./dist.ts). Only this catches what the bundler changes, such as a
 * CommonJS build turning `import()` into `require()`.
 */
export function runBuiltCli(args: readonly string[], env: NodeJS.ProcessEnv = {}): CliProcess {
  return spawnCli(['dist/cli.js', ...args], env);
}

function spawnCli(argv: readonly string[], env: NodeJS.ProcessEnv): CliProcess {
  const base: NodeJS.ProcessEnv = {
    ...process.env,
    CHAINCODE_SERVER_ADDRESS: '',
    CORE_CHAINCODE_LOGGING_SHIM: '',
    CORE_PEER_ADDRESS: '',
    CORE_CHAINCODE_ID_NAME: '',
  };
  const child = spawn(process.execPath, argv, { cwd: ROOT, env: { ...base, ...env } });
  running.add(child);
  const text = { stdout: '', stderr: '' };
  const waiters: (() => void)[] = [];
  let exited = false;
  const exit = new Promise<number | null>((r) =>
    child.on('exit', (code) => {
      exited = true;
      running.delete(child);
      // Output may still be in the pipes at 'exit'; 'close' comes after the last of it.
      child.on('close', () => {
        r(code);
        waiters.splice(0).forEach((w) => w());
      });
    }),
  );
  for (const name of ['stdout', 'stderr'] as const) {
    child[name].on('data', (d: Buffer) => {
      text[name] += d.toString();
      waiters.splice(0).forEach((w) => w());
    });
  }
  return {
    child,
    stdout: () => text.stdout,
    stderr: () => text.stderr,
    exit,
    write: (line) => child.stdin.write(`${line}\n`),
    async waitFor(re, stream = 'stderr') {
      for (;;) {
        const m = text[stream].match(re);
        if (m) return m;
        if (exited && child.stdout.readableEnded && child.stderr.readableEnded) {
          throw new Error(`the CLI exited before printing ${String(re)}\nstdout:\n${text.stdout}\nstderr:\n${text.stderr}`);
        }
        await new Promise<void>((r) => waiters.push(r));
      }
    },
  };
}

/** Runs the CLI to its end; resolves with its exit code and output. */
export async function runToEnd(
  args: readonly string[],
  env: NodeJS.ProcessEnv = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const cli = runCli(args, env);
  cli.child.stdin.end();
  const code = await cli.exit;
  return { code, stdout: cli.stdout(), stderr: cli.stderr() };
}
