#!/usr/bin/env node
/**
 * The `fabric-shim-ts` command. Subcommands are loaded lazily so `start` pays only for itself:
 * - `start [--module <path>]` (this file): fabric-chaincode-node's `start`, for any chaincode module.
 * Each subcommand returns an exit code; only this file turns it into `process.exitCode`
 * (never `process.exit`, so pending output is flushed).
 */
import { existsSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ChaincodeInterface } from './chaincode';
import { ShimError } from './errors';

const USAGE = `Usage: fabric-shim-ts <command> [options]

Commands:
  start [--module <path>]   register the chaincode with a peer and serve it (fabric-chaincode-node's start)
                            flags: --peer.address, --chaincode-id-name, --ssl-target-name-override,
                            --module-path, --grpc.<option> (env: CORE_PEER_ADDRESS, CORE_CHAINCODE_ID_NAME, ...)
  server                    serve the chaincode as a service (chaincode-as-a-service)
  package ccaas             write a chaincode-as-a-service install package
  mock-peer                 run the mock peer
  metadata generate         print or write the contract metadata
`;

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

/** The module to load: `--module`, else `--module-path` (a file or a package directory), else the package in the working directory. */
function moduleFile(argv: readonly string[], cwd: string): string {
  let target = cwd;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const m = /^--(module|module-path|modulePath)(?:=(.*))?$/.exec(arg);
    if (m === null) continue;
    const value = m[2] ?? argv[i + 1];
    if (value === undefined || value === '') throw new ShimError('CONFIG', `${arg} needs a path`);
    target = resolve(cwd, value);
  }
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

/** `fabric-shim-ts start`: loads the chaincode module and runs `start()` until the stream ends; returns 1 then. */
export async function startCommand(argv: readonly string[], env: NodeJS.ProcessEnv = process.env, cwd: string = process.cwd()): Promise<number> {
  const file = moduleFile(argv, cwd);
  const mod = await loadModule(file);
  const chaincode = await chaincodeFromExports(mod, file);
  const { start } = await import('./shim');
  await start(chaincode, { argv, env });
  return 0; // not reached: start() only ever rejects
}

/** Runs one subcommand; returns the process exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'start':
      // Fabric's chaincode-as-a-service convention (Go contract API): CHAINCODE_SERVER_ADDRESS selects server mode.
      if ((process.env.CHAINCODE_SERVER_ADDRESS ?? '') !== '') return (await import('./server-cli')).serverCommand([...rest]);
      return startCommand(rest);
    case 'server':
      return (await import('./server-cli')).serverCommand([...rest]);
    case 'package':
      return (await import('./server-cli')).packageCommand([...rest]);
    case 'mock-peer':
      return (await import('./testing/cli')).mockPeerCommand([...rest]);
    case 'metadata':
      return (await import('./contract/cli')).metadataCommand([...rest]);
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      process.stdout.write(USAGE);
      return command === undefined ? 1 : 0;
    default:
      process.stderr.write(`fabric-shim-ts: unknown command "${command}"\n\n${USAGE}`);
      return 1;
  }
}

/** Prints a failure for a person reading a container log: the message, and the cause chain. */
function report(err: unknown): void {
  let line = err instanceof Error ? `${err.name === 'ShimError' ? `[${(err as ShimError).code}]` : err.name}: ${err.message}` : String(err);
  let cause = err instanceof Error ? err.cause : undefined;
  while (cause instanceof Error && !line.includes(cause.message)) {
    line += `\n  caused by: ${cause.message}`;
    cause = cause.cause;
  }
  process.stderr.write(`fabric-shim-ts: ${line}\n`);
}

// Run only as the bin (dist/cli.js, CommonJS); importing this module (tests, the ESM build) runs nothing.
if (typeof require !== 'undefined' && require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      report(err);
      // Non-zero so the peer (or the orchestrator) restarts the chaincode.
      process.exitCode = 1;
    },
  );
}
