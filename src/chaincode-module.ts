/**
 * Finding and loading a chaincode module, for `fabric-shim-ts start` and `server` alike (one
 * place): the module path (a file, or a package directory whose package.json `main` is used, as
 * fabric-chaincode-node does), then what it exports: a chaincode object or class, or
 * fabric-contract-api's `contracts`.
 */
import { existsSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ChaincodeInterface } from './chaincode';
import { ShimError } from './errors';

type ModuleShape = Record<string, unknown> & { default?: unknown };

const isChaincode = (v: unknown): v is ChaincodeInterface =>
  typeof v === 'object' && v !== null && typeof (v as ModuleShape).Init === 'function' && typeof (v as ModuleShape).Invoke === 'function';

/** A class whose instances are chaincodes (`module.exports = MyChaincode`). */
const isChaincodeClass = (v: unknown): v is new () => ChaincodeInterface =>
  typeof v === 'function' && isChaincode((v as { prototype?: unknown }).prototype);

/**
 * Finds the chaincode a module exports: `chaincode`, `default`, or the module itself, as an
 * instance or a class; else `contracts` (fabric-contract-api convention), wrapped by the
 * contract API. Throws ShimError('CONFIG') when the module offers neither.
 */
export async function chaincodeFromExports(mod: unknown, where: string): Promise<ChaincodeInterface> {
  const m = (mod ?? {}) as ModuleShape;
  // import() of a CommonJS module puts module.exports under `default`.
  const d = (m.default ?? {}) as ModuleShape;
  for (const candidate of [m.chaincode, d.chaincode, m.default, m]) {
    if (isChaincode(candidate)) return candidate;
    if (isChaincodeClass(candidate)) return new candidate();
  }
  const exported = Array.isArray(m.contracts) ? m : Array.isArray(d.contracts) ? d : undefined;
  if (exported !== undefined) {
    // As fabric-chaincode-node's bootstrap: the package's name/version, serializers and
    // META-INF/metadata.json come with the contracts.
    const { chaincodeFromContracts } = await import('./contract/chaincode-from-contract');
    const { contractModuleFrom } = await import('./contract/module-loader');
    const { contracts, ...options } = contractModuleFrom(exported, packageDir(where));
    return chaincodeFromContracts(contracts, options);
  }
  throw new ShimError('CONFIG', `${where} exports no chaincode: export an object or class with Init and Invoke (as "chaincode", default, or the module), or "contracts"`);
}

/** The folder of the nearest package.json at or above `file` (the file's own folder if none). */
function packageDir(file: string): string {
  for (let dir = dirname(file); ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) return dirname(file);
  }
}

/** The `--module` / `--module-path` argument of `start` (or undefined: the package in the working directory). */
export function moduleArg(argv: readonly string[]): string | undefined {
  let target: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const m = /^--(module|module-path|modulePath)(?:=(.*))?$/.exec(arg);
    if (m === null) continue;
    const value = m[2] ?? argv[i + 1];
    if (value === undefined || value === '') throw new ShimError('CONFIG', `${arg} needs a path`);
    target = value;
  }
  return target;
}

/** The file to load for `modulePath` (a file, or a package directory: its package.json `main`, else index.js). */
function resolveModule(modulePath: string, cwd: string): string {
  const target = resolve(cwd, modulePath);
  const isDir = existsSync(target) && statSync(target).isDirectory();
  // require.resolve honours package.json "main" (and index.js) for a directory, like fabric-chaincode-node.
  const req = createRequire(resolve(cwd, 'package.json'));
  try {
    return req.resolve(target);
  } catch (cause) {
    const hint = isDir ? ` (is "main" in ${resolve(target, 'package.json')} right, and is the package built?)` : '';
    throw new ShimError('CONFIG', `cannot find the chaincode module ${target}${hint}`, { cause });
  }
}

/**
 * Loads a chaincode module: `require` first (CommonJS, and ESM on Node versions that can require
 * it), `import()` for an ESM module that cannot be required (e.g. top-level await).
 */
async function loadModule(file: string): Promise<unknown> {
  try {
    return createRequire(file)(file) as unknown;
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    if (code !== 'ERR_REQUIRE_ESM' && code !== 'ERR_REQUIRE_ASYNC_MODULE') throw err;
    return (await import(pathToFileURL(file).href)) as unknown;
  }
}

/** Loads the chaincode at `modulePath` (default: the package in `cwd`). Throws ShimError('CONFIG') naming what is missing. */
export async function loadChaincode(modulePath = '.', cwd: string = process.cwd()): Promise<ChaincodeInterface> {
  const file = resolveModule(modulePath, cwd);
  return chaincodeFromExports(await loadModule(file), file);
}
