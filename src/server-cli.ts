/**
 * CLI subcommands of chaincode-as-a-service:
 * - `fabric-shim-ts package ccaas --label L --address host:port [--tls ...] [--output file]`
 * - `fabric-shim-ts package node --label L [--output file] [--bundle]` (src/node-package.ts)
 * - `fabric-shim-ts server` (fabric-chaincode-node's `server` command: same flags and env).
 *
 * Both return an exit code; only src/cli.ts turns it into the process exit status.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve, relative } from 'node:path';
import { createCcaasPackage, validateLabel } from './ccaas-package';
import type { ChaincodeInterface } from './chaincode';
import { loadChaincode, loadFailureDetail } from './chaincode-module';
import { readGrpcFlags, readPemOrBase64, readSetting } from './config';
import { ShimError } from './errors';
import { shimLogger } from './logger';
import type { ChaincodeServerOpts, TlsProps } from './server';

const PACKAGE_USAGE = `Usage: fabric-shim-ts package ccaas --label <label> --address <host:port> [options]

Writes the install package for Fabric's ccaas external builder and prints its package id
(give it to the chaincode server as CHAINCODE_ID / --chaincode-id).

Options:
  --label <label>          package label (alphanumerics separated by . + - _)
  --address <host:port>    address the peer dials (Go templates like {{.peername}} allowed)
  --dial-timeout <dur>     Go duration the peer waits when dialling (default 10s)
  --tls                    the chaincode server uses TLS; needs --root-cert
  --root-cert <file>       PEM of the CA that signed the chaincode server's certificate
  --client-auth            the chaincode server requires a client certificate (mutual TLS)
  --client-key <file>      PEM key the peer presents (with --client-auth)
  --client-cert <file>     PEM certificate the peer presents (with --client-auth)
  --output <file>          where to write the package (default <label>.tar.gz)

Example:
  CHAINCODE_ID=$(fabric-shim-ts package ccaas --label mycc_1.0 --address mycc.example.com:9999 --output mycc.tar.gz)

For the peer's node builder instead: fabric-shim-ts package node --help
`;

const PACKAGE_VALUE_FLAGS = ['label', 'address', 'dial-timeout', 'root-cert', 'client-key', 'client-cert', 'output'];
const PACKAGE_BOOLEAN_FLAGS = ['tls', 'client-auth'];

/** Parsed `--name value` / `--name=value` / `--flag` arguments. */
interface ParsedArgs {
  values: Map<string, string>;
  booleans: Set<string>;
  positionals: string[];
}

/** A strict parser for our own subcommands: unknown or repeated flags are configuration errors. */
function parseArgs(argv: readonly string[], valueFlags: readonly string[], booleanFlags: readonly string[]): ParsedArgs {
  const parsed: ParsedArgs = { values: new Map(), booleans: new Set(), positionals: [] };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (!arg.startsWith('--')) {
      parsed.positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq === -1 ? undefined : eq);
    if (booleanFlags.includes(name) && eq === -1) {
      parsed.booleans.add(name);
    } else if (valueFlags.includes(name)) {
      const value = eq === -1 ? argv[++i] : arg.slice(eq + 1);
      if (value === undefined) throw new ShimError('CONFIG', `--${name} needs a value`);
      if (parsed.values.has(name)) throw new ShimError('CONFIG', `--${name} given twice`);
      parsed.values.set(name, value);
    } else {
      throw new ShimError('CONFIG', `unknown option ${arg}`);
    }
  }
  return parsed;
}

function readPemFile(file: string | undefined, what: string): string | undefined {
  if (file === undefined) return undefined;
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    throw new ShimError('CONFIG', `cannot read ${what} file '${file}': ${(err as Error).message}`, { cause: err });
  }
}

/**
 * `fabric-shim-ts package ccaas ...` (argv after `package`). Writes the package file, prints
 * the package id on stdout (alone, so `CHAINCODE_ID=$(fabric-shim-ts package ccaas ...)` works)
 * and returns 0; prints the problem and returns 1 on bad input.
 */
export async function packageCommand(argv: string[]): Promise<number> {
  if (argv[0] === 'node') return nodePackageCommand(argv.slice(1));
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(PACKAGE_USAGE);
    return 0;
  }
  try {
    const args = parseArgs(argv, PACKAGE_VALUE_FLAGS, PACKAGE_BOOLEAN_FLAGS);
    if (args.positionals.length !== 1 || args.positionals[0] !== 'ccaas') {
      throw new ShimError('CONFIG', "the package type is 'ccaas' (fabric-shim-ts package ccaas --label L --address host:port) or 'node' (fabric-shim-ts package node --label L)");
    }
    const label = args.values.get('label');
    const address = args.values.get('address');
    if (label === undefined) throw new ShimError('CONFIG', '--label is required');
    if (address === undefined) throw new ShimError('CONFIG', '--address is required');
    const tlsRequired = args.booleans.has('tls');
    const clientAuthRequired = args.booleans.has('client-auth');
    const optional = <T>(name: string, value: T | undefined) => (value === undefined ? {} : { [name]: value });
    const pkg = createCcaasPackage({
      label,
      address,
      tlsRequired,
      clientAuthRequired,
      ...optional('dialTimeout', args.values.get('dial-timeout')),
      ...optional('rootCert', readPemFile(args.values.get('root-cert'), 'root certificate')),
      ...optional('clientKey', readPemFile(args.values.get('client-key'), 'client key')),
      ...optional('clientCert', readPemFile(args.values.get('client-cert'), 'client certificate')),
    });
    const output = args.values.get('output') ?? `${label}.tar.gz`;
    try {
      writeFileSync(output, pkg.bytes);
    } catch (err) {
      throw new ShimError('CONFIG', `cannot write package '${output}': ${(err as Error).message}`, { cause: err });
    }
    process.stderr.write(`wrote ${output} (ccaas, address ${address}${tlsRequired ? ', TLS' : ''}${clientAuthRequired ? ', client auth' : ''})\n`);
    process.stdout.write(`${pkg.packageId}\n`);
    return 0;
  } catch (err) {
    return reportFailure(err, PACKAGE_USAGE);
  }
}

const NODE_PACKAGE_USAGE = `Usage: fabric-shim-ts package node --label <label> [--output <file>] [--bundle]

Run in a contract package's folder: writes the install package that
\`peer lifecycle chaincode package --lang node\` writes (metadata.json, and code.tar.gz with the
folder's files under src/ but node_modules, .git and other dot-folders) and prints its package id.

Options:
  --label <label>    package label (alphanumerics separated by . + - _)
  --output <file>    where to write the package (default <label>.tar.gz)
  --bundle           the code is one JavaScript file (the package's built "main" and its
                     dependencies, fabric-shim-ts included) and a package.json with no
                     dependencies: the peer's node builder installs nothing. Runs the package's
                     build script first; needs esbuild (npm install --save-dev esbuild)

Example:
  fabric-shim-ts package node --label asset_1.0 --bundle --output asset.tar.gz
  peer lifecycle chaincode install asset.tar.gz
`;

/** `fabric-shim-ts package node ...` (argv after `node`): as {@link packageCommand}. */
async function nodePackageCommand(argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(NODE_PACKAGE_USAGE);
    return 0;
  }
  try {
    const args = parseArgs(argv, ['label', 'output'], ['bundle']);
    if (args.positionals.length > 0) throw new ShimError('CONFIG', `unexpected argument '${args.positionals[0] ?? ''}'`);
    const label = args.values.get('label');
    if (label === undefined) throw new ShimError('CONFIG', '--label is required');
    const { createNodePackage, projectFiles, bundleProject } = await import('./node-package');
    validateLabel(label);
    const output = resolve(args.values.get('output') ?? `${label}.tar.gz`);
    const bundle = args.booleans.has('bundle');
    const dir = process.cwd();
    const files = bundle ? await bundleProject(dir, (line) => process.stderr.write(`${line}\n`)) : projectFiles(dir, [output]);
    const pkg = createNodePackage({ label, path: '.', files });
    try {
      writeFileSync(output, pkg.bytes);
    } catch (err) {
      throw new ShimError('CONFIG', `cannot write package '${output}': ${(err as Error).message}`, { cause: err });
    }
    process.stderr.write(`wrote ${relative(dir, output) || output} (node, ${bundle ? 'bundled' : `${files.length} files`})\n`);
    process.stdout.write(`${pkg.packageId}\n`);
    return 0;
  } catch (err) {
    return reportFailure(err, NODE_PACKAGE_USAGE);
  }
}

function reportFailure(err: unknown, usage: string): number {
  if (err instanceof ShimError && err.code === 'CONFIG') {
    process.stderr.write(`error: ${err.message}\n\n${usage}`);
    return 1;
  }
  throw err;
}

const SERVER_USAGE = `Usage: fabric-shim-ts server --chaincode-address <host:port> --chaincode-id <package id> [options]

Runs the contract package at --module-path as a chaincode server the peer dials (chaincode as a
service). Flags and CORE_* variables are fabric-chaincode-node's; CHAINCODE_SERVER_ADDRESS,
CHAINCODE_ID and CHAINCODE_TLS_* are the names of Fabric's ccaas docs and the Go contract API.

Options (flag | environment):
  --chaincode-address <host:port>       CORE_CHAINCODE_ADDRESS | CHAINCODE_SERVER_ADDRESS
  --chaincode-id <label:hash>           CORE_CHAINCODE_ID | CHAINCODE_ID
  --chaincode-tls-cert-file <pem>       CORE_CHAINCODE_TLS_CERT_FILE | CHAINCODE_TLS_CERT
  --chaincode-tls-cert-path <base64>    CORE_CHAINCODE_TLS_CERT_PATH
  --chaincode-tls-key-file <pem>        CORE_CHAINCODE_TLS_KEY_FILE | CHAINCODE_TLS_KEY
  --chaincode-tls-key-path <base64>     CORE_CHAINCODE_TLS_KEY_PATH
  --chaincode-tls-client-cacert-file    CORE_CHAINCODE_TLS_CLIENT_CACERT_FILE | CHAINCODE_CLIENT_CA_CERT
  --chaincode-tls-client-cacert-path    CORE_CHAINCODE_TLS_CLIENT_CACERT_PATH
                                        (CHAINCODE_TLS_* are used only when CHAINCODE_TLS_DISABLED=false)
  --module-path <dir>                   CORE_MODULE_PATH (default: working directory)
  --shutdown-grace-ms <ms>              time SIGTERM lets transactions finish (default 25000)
  --grpc.<option> <value>               any gRPC server option (e.g. --grpc.keepalive_time_ms)
                                        CORE_PEER_LOCALMSPID (stub.getMspID()), CORE_CHAINCODE_LOGGING_*

Example:
  fabric-shim-ts server --chaincode-address 0.0.0.0:9999 --chaincode-id "$(fabric-shim-ts package ccaas --label mycc_1.0 --address mycc:9999)"
`;

/** Below Kubernetes' default 30 s termination grace, so we finish before SIGKILL arrives. */
const DEFAULT_SHUTDOWN_GRACE_MS = 25_000;

/** What `fabric-shim-ts server` runs: the server options plus where the chaincode is. */
export interface ServerConfig {
  options: ChaincodeServerOpts;
  modulePath: string;
  shutdownGraceMs: number;
}

/** One TLS file setting in its PEM (`-file`) and base64 (`-path`) forms, flags before env. */
function readTlsMaterial(argv: readonly string[], env: NodeJS.ProcessEnv, name: string, what: string): Uint8Array | undefined {
  const envName = `CORE_CHAINCODE_TLS_${name.toUpperCase().replace(/-/g, '_')}`;
  const file = readSetting(argv, env, [`chaincode-tls-${name}-file`], [`${envName}_FILE`]);
  const path = readSetting(argv, env, [`chaincode-tls-${name}-path`], [`${envName}_PATH`]);
  // fabric-shim declares each -file/-path pair as conflicting options.
  if (file !== undefined && path !== undefined) {
    throw new ShimError('CONFIG', `--chaincode-tls-${name}-file and --chaincode-tls-${name}-path are mutually exclusive`);
  }
  return readPemOrBase64(file, path, what);
}

/** CHAINCODE_TLS_* of Fabric's ccaas samples / Go contract API: PEM file names, on only when CHAINCODE_TLS_DISABLED=false. */
function readGoStyleTls(env: NodeJS.ProcessEnv): Partial<TlsProps> {
  const disabled = (env.CHAINCODE_TLS_DISABLED ?? 'true').trim().toLowerCase();
  if (!['false', '0', 'f'].includes(disabled)) return {};
  const tls: Partial<TlsProps> = {};
  const key = readPemOrBase64(env.CHAINCODE_TLS_KEY, undefined, 'TLS key (CHAINCODE_TLS_KEY)');
  const cert = readPemOrBase64(env.CHAINCODE_TLS_CERT, undefined, 'TLS certificate (CHAINCODE_TLS_CERT)');
  const ca = readPemOrBase64(env.CHAINCODE_CLIENT_CA_CERT, undefined, 'client CA certificate (CHAINCODE_CLIENT_CA_CERT)');
  if (key !== undefined) tls.key = key;
  if (cert !== undefined) tls.cert = cert;
  if (ca !== undefined) tls.clientCACerts = ca;
  if (tls.key === undefined || tls.cert === undefined) {
    throw new ShimError('CONFIG', 'CHAINCODE_TLS_DISABLED is false but CHAINCODE_TLS_KEY or CHAINCODE_TLS_CERT is not set');
  }
  return tls;
}

/**
 * Reads the `server` configuration as fabric-chaincode-node's serverCommand does (flags win
 * over env), plus Fabric's ccaas names. Throws ShimError('CONFIG') naming what is wrong.
 */
export function readServerConfig(argv: readonly string[], env: NodeJS.ProcessEnv): ServerConfig {
  const address = readSetting(argv, env, ['chaincode-address'], ['CORE_CHAINCODE_ADDRESS', 'CHAINCODE_SERVER_ADDRESS']);
  if (address === undefined) {
    throw new ShimError('CONFIG', 'the listen address is not set: pass --chaincode-address <host:port> or set CHAINCODE_SERVER_ADDRESS');
  }
  const ccid = readSetting(argv, env, ['chaincode-id'], ['CORE_CHAINCODE_ID', 'CHAINCODE_ID']);
  if (ccid === undefined) {
    throw new ShimError('CONFIG', 'the chaincode id is not set: pass --chaincode-id <label:hash> or set CHAINCODE_ID (the package id)');
  }
  let tls: Partial<TlsProps> = {};
  const key = readTlsMaterial(argv, env, 'key', 'TLS key');
  const cert = readTlsMaterial(argv, env, 'cert', 'TLS certificate');
  const ca = readTlsMaterial(argv, env, 'client-cacert', 'TLS client CA certificate');
  if (key !== undefined) tls.key = key;
  if (cert !== undefined) tls.cert = cert;
  if (ca !== undefined) tls.clientCACerts = ca;
  if (Object.keys(tls).length === 0) tls = readGoStyleTls(env);
  // fabric-shim's serverCommand checks: one of key/cert without the other is an error.
  if ((tls.key !== undefined || tls.cert !== undefined) && tls.key === undefined) {
    throw new ShimError('CONFIG', 'A TLS option is set but no key is specified');
  }
  if ((tls.key !== undefined || tls.cert !== undefined) && tls.cert === undefined) {
    throw new ShimError('CONFIG', 'A TLS option is set but no cert is specified');
  }
  // fabric-shim silently ignores a client CA without TLS; refusing is safer than serving
  // plaintext to someone who believes mutual TLS is on.
  if (tls.clientCACerts !== undefined && tls.key === undefined) {
    throw new ShimError('CONFIG', 'a TLS client CA certificate is set but TLS is not (no key and cert)');
  }
  const options: ChaincodeServerOpts = { ccid, address, ...readGrpcFlags(argv) };
  if (tls.key !== undefined && tls.cert !== undefined) options.tlsProps = tls as TlsProps;
  const mspId = env.CORE_PEER_LOCALMSPID;
  if (mspId !== undefined && mspId !== '') options.mspId = mspId;

  const graceText = readSetting(argv, env, ['shutdown-grace-ms'], []);
  const shutdownGraceMs = graceText === undefined ? DEFAULT_SHUTDOWN_GRACE_MS : Number(graceText);
  if (!Number.isInteger(shutdownGraceMs) || shutdownGraceMs < 0) {
    throw new ShimError('CONFIG', `--shutdown-grace-ms must be a non-negative integer, not '${graceText}'`);
  }
  // `--module` is `fabric-shim-ts start`'s flag; accepted so `start` in server mode takes the same arguments.
  const modulePath = readSetting(argv, env, ['module', 'module-path'], ['CORE_MODULE_PATH']) ?? '.';
  return { options, modulePath, shutdownGraceMs };
}

/** Process hooks {@link runServer} needs; `process` by default, injectable for tests. */
export interface SignalSource {
  once(signal: 'SIGTERM' | 'SIGINT', listener: () => void): unknown;
  removeListener(signal: 'SIGTERM' | 'SIGINT', listener: () => void): unknown;
}

/**
 * Serves `chaincode` until SIGTERM or SIGINT, then stops gracefully (new peers refused,
 * in-flight transactions given `shutdownGraceMs`) and resolves 0. Rejects when it cannot listen.
 */
export async function runServer(
  chaincode: ChaincodeInterface,
  config: Pick<ServerConfig, 'options' | 'shutdownGraceMs'>,
  signals: SignalSource = process,
): Promise<number> {
  const log = shimLogger('server');
  // Lazy: `package` shares this module and needs no gRPC.
  const { server } = await import('./server');
  const srv = server(chaincode, config.options);
  await srv.start();
  // Printed (not only logged) so scripts and tests learn the real port when asked for port 0.
  process.stderr.write(`fabric-shim-ts server: listening on ${srv.address} as ${config.options.ccid}\n`);
  const signal = await new Promise<string>((resolve) => {
    const onTerm = () => done('SIGTERM');
    const onInt = () => done('SIGINT');
    const done = (name: string) => {
      signals.removeListener('SIGTERM', onTerm);
      signals.removeListener('SIGINT', onInt);
      resolve(name);
    };
    signals.once('SIGTERM', onTerm);
    signals.once('SIGINT', onInt);
  });
  // Printed so an operator sees why the chaincode went away (and tests see the signal was taken).
  process.stderr.write(`fabric-shim-ts server: ${signal}, stopping (transactions get ${config.shutdownGraceMs} ms to finish)\n`);
  log.info('shutting down', { signal, graceMs: config.shutdownGraceMs });
  await srv.stop(config.shutdownGraceMs);
  process.stderr.write('fabric-shim-ts server: stopped\n');
  return 0;
}

/**
 * `fabric-shim-ts server ...` (argv after `server`): fabric-chaincode-node's server command.
 * Loads the contract package at `--module-path` (as `start` does), serves it, and returns 0
 * after a graceful stop on SIGTERM/SIGINT; 1 on bad configuration or when it cannot listen.
 */
export async function serverCommand(argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(SERVER_USAGE);
    return 0;
  }
  let config: ServerConfig;
  let chaincode: ChaincodeInterface;
  try {
    config = readServerConfig(argv, process.env);
    chaincode = await loadChaincode(config.modulePath);
  } catch (err) {
    const detail = loadFailureDetail(err);
    if (detail !== undefined) {
      // What node prints for the module, then our one line; the usage would only hide it.
      process.stderr.write(`${detail}\n\nerror: ${(err as Error).message}\n`);
      return 1;
    }
    if (err instanceof ShimError) return reportFailure(err, SERVER_USAGE);
    process.stderr.write(`error: cannot load the chaincode: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
  try {
    return await runServer(chaincode, config);
  } catch (err) {
    process.stderr.write(`error: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
}
