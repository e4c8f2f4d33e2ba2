/**
 * Node's on-disk compile cache (`module.enableCompileCache()`, Node >= 22.1), switched on as the
 * package loads, before its bundle is compiled: start-up to READY is mostly compiling JavaScript
 * (issue 16), and a chaincode process starts the same code again at every restart or peer
 * reconnect of its container. Imported first by the package entry so it runs before the rest.
 *
 * The cache directory is Node's choice unless the operator makes one (Node's own switches):
 * - `NODE_COMPILE_CACHE=<dir>`: Node enables the cache itself at start-up, in `<dir>`;
 * - `NODE_DISABLE_COMPILE_CACHE=1`: no cache at all;
 * - otherwise `<os.tmpdir()>/node-compile-cache` (`/tmp` in a Fabric chaincode container, which is
 *   writable there; on a read-only file system enabling fails quietly and nothing changes).
 * Node 20 and 22.0 have no compile cache: nothing happens there.
 */
import * as nodeModule from 'node:module';

/** The part of `node:module` used here (`enableCompileCache` is absent before Node 22.1). */
export interface CompileCacheHost {
  enableCompileCache?: (dir?: string) => unknown;
}

/**
 * Enables Node's compile cache where it exists and the operator has not disabled it. Returns
 * whether it asked Node to (Node itself reports a failure in its return value, never throws for it).
 */
export function enableCompileCache(env: NodeJS.ProcessEnv = process.env, host: CompileCacheHost = nodeModule as CompileCacheHost): boolean {
  const enable = host.enableCompileCache;
  if (typeof enable !== 'function' || (env.NODE_DISABLE_COMPILE_CACHE ?? '') !== '') return false;
  try {
    // No directory: NODE_COMPILE_CACHE when set (Node has then enabled it already), else Node's default.
    enable.call(host);
    return true;
  } catch {
    // A cache is an optimisation: whatever fails here, the chaincode starts as it would without.
    return false;
  }
}

enableCompileCache();
