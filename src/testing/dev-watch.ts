/**
 * Watches a package's files for `fabric-shim-ts dev`: one non-recursive `fs.watch` per
 * directory (portable, unlike `recursive` on older Linux nodes), skipping node_modules, dot
 * directories, the build output and the crypto directory, so a build never restarts itself and
 * a large node_modules costs no watches.
 */
import { watch, readdirSync, statSync, type FSWatcher } from 'node:fs';
import { basename, join, relative, sep } from 'node:path';

/** Editor scratch files and build caches: saving a file makes these too, and they change nothing. */
const SCRATCH = /(^\.#|~$|\.sw[a-p]$|^4913$|\.tsbuildinfo$)/;

/** Stops watching. */
export interface TreeWatcher {
  close(): void;
}

/** Whether a change at `path` (absolute) is one `dev` ignores. */
export function ignoredPath(root: string, excluded: readonly string[], path: string): boolean {
  if (excluded.some((dir) => path === dir || path.startsWith(dir + sep))) return true;
  const parts = relative(root, path).split(sep);
  const name = parts.pop() ?? '';
  if (SCRATCH.test(name) || name === 'node_modules') return true;
  return parts.some((p) => p === 'node_modules' || p.startsWith('.'));
}

/** Calls `onChange(relativePath)` for every change under `root` not in `excluded` (absolute dirs). */
export function watchTree(root: string, excluded: readonly string[], onChange: (path: string) => void): TreeWatcher {
  const watchers = new Map<string, FSWatcher>();
  const skip = (path: string): boolean => path !== root && (ignoredPath(root, excluded, path) || basename(path).startsWith('.'));

  const add = (dir: string): void => {
    if (watchers.has(dir) || skip(dir)) return;
    let watcher: FSWatcher;
    try {
      watcher = watch(dir, (_event, filename) => {
        const path = filename ? join(dir, filename.toString()) : dir;
        if (path !== dir && ignoredPath(root, excluded, path)) return;
        try {
          if (statSync(path).isDirectory()) add(path);
        } catch {
          // Removed (or renamed away): its watcher reports an error and is dropped.
        }
        onChange(relative(root, path) || '.');
      });
    } catch {
      return; // gone already, or unreadable
    }
    watcher.on('error', () => {
      watcher.close();
      watchers.delete(dir);
    });
    watchers.set(dir, watcher);
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) if (entry.isDirectory()) add(join(dir, entry.name));
  };

  add(root);
  return {
    close() {
      for (const w of watchers.values()) w.close();
      watchers.clear();
    },
  };
}
