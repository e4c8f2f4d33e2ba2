/**
 * Synchronous, on-demand loading of packages that only some users need (certificate parsing,
 * OpenTelemetry, the mock peer's rich queries), so `require('fabric-shim-ts')` does not pay for
 * them and a missing optional package fails with a message naming it.
 */
import { createRequire } from 'node:module';
import { ShimError } from './errors';

// __filename exists in CommonJS and in our ESM build (tsup `shims`); a foreign bundler may drop
// it, and resolving from the working directory is then the best remaining guess.
const load = createRequire(typeof __filename === 'string' ? __filename : `${process.cwd()}/index.js`);

/**
 * Loads package `name` now. Throws ShimError('CONFIG') naming the package and `neededFor` when it
 * cannot be loaded (not installed, or failing at load).
 */
export function loadPackage<T>(name: string, neededFor: string): T {
  try {
    return loadNamed(name) as T;
  } catch (cause) {
    const why = cause instanceof Error ? cause.message.split('\n')[0] : String(cause);
    throw new ShimError('CONFIG', `${neededFor} needs the package '${name}' (npm install ${name}): ${why}`, { cause });
  }
}

/** Loads package `name` now, or returns undefined when it is not installed or fails to load. */
export function tryLoadPackage<T>(name: string): T | undefined {
  try {
    return loadNamed(name) as T;
  } catch {
    return undefined;
  }
}

/**
 * Packages bundled with the chaincode (`fabric-shim-ts package node --bundle`), which the bundle's
 * entry registers by name here before it loads anything: a bundle has no node_modules to resolve from.
 */
const BUNDLED = Symbol.for('fabric-shim-ts.bundled-packages');

function loadNamed(name: string): unknown {
  const bundled = (globalThis as { [BUNDLED]?: Record<string, (() => unknown) | undefined> })[BUNDLED]?.[name];
  return bundled !== undefined ? bundled() : load(name);
}
