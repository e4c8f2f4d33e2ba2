/**
 * Spawns one benchmark chaincode process with plain `node`, configured the way a peer
 * configures a chaincode (CORE_* env and fabric-shim's flags), and times spawn -> READY.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './build';
import type { BenchChaincode, BenchPeer } from './peer';
import { memoryKiB, type MemoryKiB } from './proc-stats';

/** A running chaincode process registered with the bench peer. */
export interface ChaincodeProcess {
  readonly pid: number;
  readonly chaincode: BenchChaincode;
  /** Milliseconds from spawn to the peer's READY. */
  readonly startupMs: number;
  /** Stops the process (SIGTERM, then SIGKILL after 2 s) and waits for it to exit. */
  stop(): Promise<void>;
}

/** How to start one chaincode process. */
export interface LaunchOptions {
  /** Bundled chaincode file (bench/.build/<kind>.js). */
  file: string;
  /** Chaincode name the process registers with; unique per launch. */
  name: string;
  /** CORE_CHAINCODE_LOGGING_LEVEL for the process. */
  logLevel: string;
  /** Extra node flags, e.g. --cpu-prof. */
  nodeArgs?: string[];
  /** The node binary (default: the one running the bench); `--node <path>`. */
  node?: string;
}

const READY_TIMEOUT_MS = 30_000;

function tail(path: string): string {
  try {
    return readFileSync(path, 'utf8').slice(-2000);
  } catch {
    return '';
  }
}

function exited(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
}

function stopper(child: ChildProcess, exit: Promise<void>): () => Promise<void> {
  return async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 2000);
      await exit;
      clearTimeout(timer);
    }
  };
}

/** Milliseconds a process sits idle before its idle RSS is read. */
export const IDLE_MS = 1000;

/**
 * The "bare node" reference: a `node` process that only keeps itself alive (setInterval), as
 * small as a Node process gets. Resolves with its VmRSS after it has started and sat idle for
 * IDLE_MS, the same wait as a chaincode's idle RSS after READY; the process is stopped.
 */
export async function bareNodeIdleRssKiB(node: string = process.execPath): Promise<number> {
  return (await bareNodeIdleMemory(node)).rss;
}

/** bareNodeIdleRssKiB with the anonymous / file-backed split. */
export async function bareNodeIdleMemory(node: string = process.execPath, idleMs = IDLE_MS): Promise<MemoryKiB> {
  const child = spawn(node, ['-e', "process.stdout.write('up\\n'); setInterval(() => {}, 60000)"], { stdio: ['ignore', 'pipe', 'ignore'] });
  const exit = exited(child);
  const stop = stopper(child, exit);
  try {
    await new Promise<void>((resolve, reject) => {
      child.stdout!.once('data', () => resolve());
      void exit.then(() => reject(new Error('bare node exited early')));
    });
    child.stdout!.destroy();
    await new Promise((r) => setTimeout(r, idleMs));
    return memoryKiB(child.pid!);
  } finally {
    await stop();
  }
}

/**
 * Spawns the chaincode and resolves once the peer has sent READY. The process's stdout and
 * stderr go to a temp file (not a pipe: reading a pipe would cost the bench process, which is
 * also the peer, CPU in the logging row); its tail is shown if the process fails.
 */
export async function launchChaincode(peer: BenchPeer, opts: LaunchOptions): Promise<ChaincodeProcess> {
  const logPath = join(tmpdir(), `fabric-shim-ts-bench-${opts.name}.log`);
  const logFd = openSync(logPath, 'w');
  const registered = peer.waitForChaincode(opts.name);
  const started = performance.now();
  const child = spawn(
    opts.node ?? process.execPath,
    [...(opts.nodeArgs ?? []), opts.file, '--peer.address', peer.address, '--chaincode-id-name', opts.name],
    {
      cwd: ROOT,
      stdio: ['ignore', logFd, logFd],
      env: {
        ...process.env,
        CORE_PEER_ADDRESS: peer.address,
        CORE_CHAINCODE_ID_NAME: opts.name,
        CORE_PEER_TLS_ENABLED: 'false',
        CORE_CHAINCODE_LOGGING_LEVEL: opts.logLevel,
        CORE_CHAINCODE_LOGGING_SHIM: opts.logLevel,
      },
    },
  );
  closeSync(logFd);
  const pid = child.pid;
  const exit = exited(child);
  const stop = stopper(child, exit);
  let timer: NodeJS.Timeout | undefined;
  try {
    if (pid === undefined) throw new Error('spawn failed');
    const failed = exit.then(() => {
      throw new Error(`exited before READY (code ${String(child.exitCode)})`);
    });
    const timedOut = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no READY within ${READY_TIMEOUT_MS} ms`)), READY_TIMEOUT_MS);
    });
    const chaincode = await Promise.race([registered, failed, timedOut]);
    const startupMs = performance.now() - started;
    return { pid, chaincode, startupMs, stop };
  } catch (err) {
    await stop();
    throw new Error(`chaincode ${opts.name}: ${(err as Error).message}\n--- output tail ---\n${tail(logPath)}`);
  } finally {
    clearTimeout(timer);
  }
}
