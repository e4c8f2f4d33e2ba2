/**
 * Node's compile cache (issue 16): switched on as the package loads where Node has it (>= 22.1),
 * off where the operator disabled it (NODE_DISABLE_COMPILE_CACHE), a no-op on older Node, and a
 * failure to enable it never stops the package from loading.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { enableCompileCache, type CompileCacheHost } from '../src/compile-cache';

const ROOT = join(__dirname, '..');

function host(impl?: (dir?: string) => unknown): { host: CompileCacheHost; calls: (string | undefined)[] } {
  const calls: (string | undefined)[] = [];
  if (impl === undefined) return { host: {}, calls };
  return {
    host: {
      enableCompileCache: (dir?: string) => {
        calls.push(dir);
        return impl(dir);
      },
    },
    calls,
  };
}

describe('enableCompileCache', () => {
  it('asks Node for its compile cache, in the directory Node chooses (NODE_COMPILE_CACHE or its default)', () => {
    const h = host(() => ({ status: 1 }));
    expect(enableCompileCache({}, h.host)).toBe(true);
    expect(h.calls).toEqual([undefined]);
  });

  it('does nothing when the operator disabled the cache', () => {
    const h = host(() => ({ status: 1 }));
    expect(enableCompileCache({ NODE_DISABLE_COMPILE_CACHE: '1' }, h.host)).toBe(false);
    expect(h.calls).toEqual([]);
  });

  it('does nothing on a Node without a compile cache (Node 20)', () => {
    expect(enableCompileCache({}, host().host)).toBe(false);
  });

  it('a throwing enableCompileCache is swallowed: the cache is only an optimisation', () => {
    const h = host(() => {
      throw new Error('EACCES');
    });
    expect(enableCompileCache({}, h.host)).toBe(false);
    expect(h.calls).toHaveLength(1);
  });

  it('is enabled by loading the package entry, before the rest of the package', () => {
    // A fake enableCompileCache installed before the entry loads records whether the shim module
    // (the bulk of the package) was already loaded when it was called: it must not have been.
    const probe = `
      const m = require('node:module');
      let shimLoadedFirst;
      m.enableCompileCache = () => { shimLoadedFirst = Object.keys(require.cache).some((k) => k.endsWith('shim.ts')); return { status: 1 }; };
      require('./src/index');
      process.stdout.write(JSON.stringify({ called: shimLoadedFirst !== undefined, shimLoadedFirst }));`;
    const out = execFileSync(process.execPath, ['-r', 'tsx/cjs', '-e', probe], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, NODE_DISABLE_COMPILE_CACHE: '' },
    });
    expect(JSON.parse(out)).toEqual({ called: true, shimLoadedFirst: false });
  });

  it('on the running Node: in os.tmpdir() where Node has a compile cache, nowhere when disabled (CI runs this on 20, 22, 24)', () => {
    // getCompileCacheDir (Node >= 22.8) reports where the cache went; TMPDIR keeps it in a temp dir.
    const probe = `require('./src/index'); const m = require('node:module');
      process.stdout.write(JSON.stringify({ has: typeof m.enableCompileCache === 'function', dir: m.getCompileCacheDir?.() ?? null }));`;
    const tmp = mkdtempSync(join(tmpdir(), 'compile-cache-'));
    try {
      const run = (extra: NodeJS.ProcessEnv): { has: boolean; dir: string | null } => {
        // Node counts NODE_DISABLE_COMPILE_CACHE as set even when empty: absent unless `extra` sets it.
        const env: NodeJS.ProcessEnv = { ...process.env, TMPDIR: tmp };
        delete env.NODE_COMPILE_CACHE;
        delete env.NODE_DISABLE_COMPILE_CACHE;
        Object.assign(env, extra);
        return JSON.parse(execFileSync(process.execPath, ['-r', 'tsx/cjs', '-e', probe], { cwd: ROOT, encoding: 'utf8', env })) as {
          has: boolean;
          dir: string | null;
        };
      };
      const on = run({});
      const off = run({ NODE_DISABLE_COMPILE_CACHE: '1' });
      expect(off.dir).toBeNull();
      if (!on.has)
        expect(on.dir).toBeNull(); // Node 20: nothing to enable
      // Node 24 adds a per-version subdirectory.
      else if (on.dir !== null) expect(on.dir.startsWith(join(tmp, 'node-compile-cache'))).toBe(true);
      else {
        // 22.1-22.7 have enableCompileCache but no getCompileCacheDir: the only case where dir may be null.
        const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
        expect(major === 22 && minor < 8).toBe(true);
      }
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });
});
