/**
 * The one module loader: finding and loading a chaincode module, for `fabric-shim-ts start`,
 * `server` and `metadata generate` alike: the module path (a file, or a package directory whose
 * package.json `main` is used, as fabric-chaincode-node does), loaded with `require` or
 * `import()` as node would, then what it exports: a chaincode object or class, or
 * fabric-contract-api's `contracts` (read by src/contract/contract-package.ts).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { inspect } from 'node:util';
import type { ChaincodeInterface } from '../chaincode';
import { ShimError } from '../errors';

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
    const { chaincodeFromContracts } = await import('../contract/chaincode-from-contract');
    const { contractModuleFrom } = await import('../contract/contract-package');
    const { contracts, ...options } = contractModuleFrom(exported, packageDir(where));
    return chaincodeFromContracts(contracts, options);
  }
  throw new ShimError(
    'CONFIG',
    `${where} exports no chaincode: export an object or class with Init and Invoke (as "chaincode", default, or the module), or "contracts"`,
  );
}

/** The folder of the nearest package.json at or above `file` (the file's own folder if none). */
export function packageDir(file: string): string {
  for (let dir = dirname(file); ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) return dirname(file);
  }
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

/** True when Node loads `file` as an ES module: `.mjs`, or `.js` in a package with `"type": "module"`. */
function isEsm(file: string): boolean {
  const ext = extname(file);
  if (ext === '.mjs') return true;
  if (ext !== '.js') return false;
  for (let dir = dirname(file); ; dir = dirname(dir)) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg)) {
      try {
        return (JSON.parse(readFileSync(pkg, 'utf8')) as { type?: unknown }).type === 'module';
      } catch {
        return false;
      }
    }
    if (dirname(dir) === dir) return false;
  }
}

/**
 * Node's own `import()`. Written as a function body because the CommonJS build (tsup/esbuild)
 * rewrites an `import()` in the source into `require()`, which cannot load an ES module with
 * top-level await, nor any ES module on Node versions without `require(esm)`.
 */
const nativeImport = new Function('specifier', 'return import(specifier)') as (specifier: string) => Promise<unknown>;

function importModule(file: string): Promise<unknown> {
  return nativeImport(pathToFileURL(file).href);
}

/**
 * Loads a chaincode module: an ES module with `import()` (on every Node version, and with
 * top-level `await`, which `require(esm)` never takes), anything else with `require`, falling
 * back to `import()` when Node says the file can only be imported. Throws ShimError('CONFIG')
 * whose {@link loadFailureDetail} is what `node` itself prints for the module.
 */
async function loadModule(file: string): Promise<unknown> {
  // Loaders (tsx, ts-node) and Node's own frames can fill the default 10 frames before the
  // chaincode's line that failed is reached.
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = Math.max(limit, 50);
  try {
    if (isEsm(file)) return await importModule(file);
    try {
      return createRequire(file)(file) as unknown;
    } catch (err) {
      const code = (err as { code?: unknown }).code;
      if (code !== 'ERR_REQUIRE_ESM' && code !== 'ERR_REQUIRE_ASYNC_MODULE') throw err;
      return await importModule(file);
    }
  } catch (err) {
    const report = nodeReport(file, err);
    const failure = new ShimError('CONFIG', `cannot load the chaincode module ${file}: ${report.reason ?? oneLine(err)}`, { cause: err });
    details.set(failure, report.detail);
    throw failure;
  } finally {
    Error.stackTraceLimit = limit;
  }
}

const details = new WeakMap<object, string>();

/**
 * What `node <file>` would have printed for a module that failed to load (file, line, source
 * line and caret, then the error with its stack), for an error thrown by {@link loadChaincode};
 * undefined for any other error. The CLI prints it before its own one-line reason.
 */
export function loadFailureDetail(err: unknown): string | undefined {
  return typeof err === 'object' && err !== null ? details.get(err) : undefined;
}

/** `Name: first line of the message (CODE)`. */
function oneLine(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const code = (err as { code?: unknown }).code;
  const first = err.message.split('\n')[0] ?? '';
  return `${err.name}: ${first}${typeof code === 'string' && !first.includes(code) ? ` (${code})` : ''}`;
}

/**
 * Our code's folder: frames in it are ours, not the chaincode's. dist/ when built (this module
 * is bundled into a chunk there), src/ when run from source (this module is in src/cli/).
 */
const OWN_DIR = basename(__dirname) === 'cli' ? dirname(__dirname) : __dirname;

/** What node prints for the failed module, and (for a syntax error) our reason, from node's text. */
function nodeReport(file: string, err: unknown): { detail: string; reason?: string } {
  if (!(err instanceof Error)) return { detail: `Uncaught ${inspect(err)}` };
  // A syntax error carries no file or line in its stack (node prints them from V8's message):
  // `node --check` prints exactly what node prints, and runs none of the module's code.
  if ((err.name === 'SyntaxError' || err.name === 'TransformError') && ['.js', '.cjs', '.mjs'].includes(extname(file))) {
    const env = { ...process.env };
    delete env.NODE_OPTIONS;
    const check = spawnSync(process.execPath, ['--check', file], { encoding: 'utf8', env });
    const line = /^(?:file:\/\/)?\S+?:(\d+)\n/.exec(check.stderr)?.[1];
    const syntax = /^SyntaxError: .*$/m.exec(check.stderr)?.[0];
    if (check.status !== 0 && syntax !== undefined) {
      return {
        detail: check.stderr.replace(/\n*Node\.js v[\d.]+\s*$/, '').trimEnd(),
        reason: line === undefined ? syntax : `${syntax} (line ${line})`,
      };
    }
  }
  dedupeRequireStack(err);
  return { detail: `${arrow(err.stack ?? '')}${inspect(err)}` };
}

/**
 * A require made from the module's own folder (createRequire(file)) puts the module in the
 * require stack twice; node lists it once.
 */
function dedupeRequireStack(err: Error): void {
  const e = err as Error & { requireStack?: unknown };
  if (!Array.isArray(e.requireStack)) return;
  const unique = [...new Set(e.requireStack as string[])];
  if (unique.length === e.requireStack.length) return;
  const listed = (list: string[]) => `Require stack:\n${list.map((f) => `- ${f}`).join('\n')}`;
  const before = listed(e.requireStack as string[]);
  e.requireStack = unique;
  e.message = e.message.replace(before, listed(unique));
  if (e.stack !== undefined) e.stack = e.stack.replace(before, listed(unique));
}

/** node's "file:line / source line / caret" header for the first frame in the chaincode's code. */
function arrow(stack: string): string {
  for (const m of stack.matchAll(/^\s+at (?:.*? \()?((?:file:\/\/)?\/[^():]+|[A-Za-z]:\\[^():]+):(\d+):(\d+)\)?$/gm)) {
    const where = m[1] as string;
    const path = where.startsWith('file://') ? fileURLToPath(where) : where;
    if (path.startsWith(OWN_DIR) || path.includes(`${'/node_modules/'}tsx/`)) continue;
    try {
      const source = readFileSync(path, 'utf8').split(/\r?\n/)[Number(m[2]) - 1];
      if (source === undefined) return '';
      return `${where}:${m[2]}\n${source}\n${' '.repeat(Math.max(0, Number(m[3]) - 1))}^\n\n`;
    } catch {
      return '';
    }
  }
  return '';
}

/**
 * Finds and loads the module at `modulePath` (default: the package in `cwd`): what it exports
 * and the file it is. Throws ShimError('CONFIG') naming what is missing, with a
 * {@link loadFailureDetail} when the module itself failed.
 */
export async function loadModuleAt(modulePath = '.', cwd: string = process.cwd()): Promise<{ exported: unknown; file: string }> {
  const file = resolveModule(modulePath, cwd);
  return { exported: await loadModule(file), file };
}

/** Loads the chaincode at `modulePath` (default: the package in `cwd`). Throws ShimError('CONFIG') naming what is missing. */
export async function loadChaincode(modulePath = '.', cwd: string = process.cwd()): Promise<ChaincodeInterface> {
  const { exported, file } = await loadModuleAt(modulePath, cwd);
  return chaincodeFromExports(exported, file);
}
