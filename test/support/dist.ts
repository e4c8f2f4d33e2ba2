/**
 * `dist/` built from the current sources, for tests of what is published (the types, the bin).
 * Builds once when it is missing or older than src/; test files in parallel jest workers take
 * turns through a lock directory, so two builds never write dist/ at the same time.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, rmdirSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { distIsStale } from './type-compat';

const REPO = path.resolve(__dirname, '..', '..');
const LOCK = path.join(REPO, 'dist.build-lock');
const STALE_LOCK_MS = 5 * 60_000;

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function stale(): boolean {
  return distIsStale() || !existsSync(path.join(REPO, 'dist', 'cli.js'));
}

/** Makes sure dist/ is current (TYPE_COMPAT_NO_BUILD=1: use it as it is). */
export function ensureBuiltDist(): void {
  if (process.env.TYPE_COMPAT_NO_BUILD === '1' || !stale()) return;
  for (;;) {
    try {
      mkdirSync(LOCK);
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      // A lock left by a killed run would block forever: take it over when it is old.
      const lock = statSync(LOCK, { throwIfNoEntry: false });
      if (lock && Date.now() - lock.mtimeMs > STALE_LOCK_MS) rmdirSync(LOCK);
      else if (lock) sleep(200);
    }
  }
  try {
    if (stale()) execFileSync('npm', ['run', 'build'], { cwd: REPO, stdio: 'ignore' });
  } finally {
    rmdirSync(LOCK);
  }
}
