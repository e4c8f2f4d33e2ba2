/**
 * Start-up configuration from Fabric's environment variables and fabric-chaincode-node's
 * `start` and `server` flags (lib/cmds/startCommand.js, serverCommand.js), flags winning over
 * the environment: what `start()`, `fabric-shim-ts start` and `fabric-shim-ts server` run with.
 */
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { type ArgSpec, type ParsedArgs, parseArgs } from './cli/args';
import { withoutGrpcScheme } from './connection-options';
import { ShimError } from './errors';
import type { ChaincodeServerOpts, TlsProps } from './server';
import type { GrpcSettings, TlsClientOptions } from './stream';

/** Everything `start()` needs to dial the peer. */
export interface StartConfig {
  /** host:port of the peer (a `grpc://`/`grpcs://` prefix is removed). */
  peerAddress: string;
  /** The name sent in REGISTER (CORE_CHAINCODE_ID_NAME: `name:version` or the package id). */
  chaincodeId: string;
  /** CORE_PEER_LOCALMSPID. */
  mspId?: string;
  /** Set when CORE_PEER_TLS_ENABLED is true. */
  tls?: TlsClientOptions;
  /** `--grpc.*` options given on the command line. */
  grpc: GrpcSettings;
  /** How long to wait for the peer's READY after dialling; 0 waits forever. */
  registrationTimeoutMs: number;
}

/**
 * Default of `--registration-timeout`: the peer's own default execute timeout, and fabric-shim's
 * `request-timeout` default. A peer on loopback answers REGISTER in milliseconds.
 */
export const DEFAULT_REGISTRATION_TIMEOUT_MS = 30_000;

/** fabric-shim's `--grpc.<option>` flags: any gRPC channel option, by its gRPC name. */
const GRPC_OPTION = /^grpc\.[A-Za-z0-9_.]+$/;

/** The flags of fabric-chaincode-node's `start` command (yargs conventions), plus our `--module`. */
export const START_ARGS: ArgSpec = {
  style: 'yargs',
  values: {
    'peer.address': [],
    'chaincode-id-name': [],
    'ssl-target-name-override': [],
    'registration-timeout': [],
    module: ['module-path'],
  },
  valuePattern: GRPC_OPTION,
};

/** The flags of fabric-chaincode-node's `server` command (yargs conventions). */
const SERVER_ARGS: ArgSpec = {
  style: 'yargs',
  values: {
    'chaincode-address': [],
    'chaincode-id': [],
    'chaincode-tls-key-file': [],
    'chaincode-tls-key-path': [],
    'chaincode-tls-cert-file': [],
    'chaincode-tls-cert-path': [],
    'chaincode-tls-client-cacert-file': [],
    'chaincode-tls-client-cacert-path': [],
    'shutdown-grace-ms': [],
    // `--module` is `fabric-shim-ts start`'s flag; accepted so `start` in server mode takes the same arguments.
    module: ['module-path'],
  },
  valuePattern: GRPC_OPTION,
};

/** The first of the flags `names` given in `args`, else the first of `envNames` set (non-empty) in `env`. */
function setting(args: ParsedArgs, env: NodeJS.ProcessEnv, names: readonly string[], envNames: readonly string[]): string | undefined {
  for (const name of names) {
    const v = args.values.get(name);
    if (v !== undefined) return v;
  }
  for (const name of envNames) {
    const v = env[name];
    if (v !== undefined && v !== '') return v;
  }
  return undefined;
}

/**
 * Reads one setting: the first of `flags` given in `argv` (with or without leading dashes;
 * `--name value` or `--name=value`, the last one given winning, as with yargs), else the first
 * of `envNames` set (non-empty) in `env`.
 */
export function readSetting(
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
  flags: readonly string[],
  envNames: readonly string[],
): string | undefined {
  const names = flags.map((flag) => flag.replace(/^-+/, ''));
  const args = parseArgs(argv, { style: 'yargs', values: Object.fromEntries(names.map((name) => [name, []])) });
  return setting(args, env, names, envNames);
}

function readFile(file: string, what: string): Buffer {
  try {
    return readFileSync(file);
  } catch (cause) {
    throw new ShimError('CONFIG', `cannot read the ${what} file ${file}: ${(cause as Error).message}`, { cause });
  }
}

const PEM = /-----BEGIN [A-Z0-9 ]+-----/;

/**
 * Reads key or certificate material the way the peer hands it to a chaincode: `fileValue` (a
 * `*_FILE` variable) names a PEM file; else `pathValue` (a `*_PATH` variable) names a file with
 * the base64 of the PEM (fabric-shim decodes it so). Returns PEM bytes, undefined when neither is
 * set; throws ShimError('CONFIG') naming the file when it cannot be read or holds no PEM.
 */
export function readPemOrBase64(fileValue: string | undefined, pathValue: string | undefined, what: string): Uint8Array | undefined {
  if (fileValue !== undefined && fileValue !== '') {
    const pem = readFile(fileValue, what);
    if (!PEM.test(pem.toString('latin1'))) throw new ShimError('CONFIG', `the ${what} file ${fileValue} holds no PEM block`);
    return checkPem(pem, fileValue, what);
  }
  if (pathValue !== undefined && pathValue !== '') {
    const bytes = readFile(pathValue, what);
    const raw = bytes.toString('latin1');
    // Tolerate a PEM where base64 is expected: some deployments mount the same file under both names.
    if (PEM.test(raw)) return checkPem(bytes, pathValue, what);
    const pem = Buffer.from(raw.trim(), 'base64');
    if (!PEM.test(pem.toString('latin1')))
      throw new ShimError('CONFIG', `the ${what} file ${pathValue} holds neither base64 of a PEM nor a PEM`);
    return checkPem(pem, pathValue, what);
  }
  return undefined;
}

/**
 * Parses certificates and private keys in `pem`, so a corrupt file is named at start-up rather
 * than surfacing later as an anonymous TLS failure ("DECODER routines::unsupported", or a
 * handshake the peer drops). Returns `pem`.
 */
function checkPem(pem: Buffer, file: string, what: string): Buffer {
  const text = pem.toString('latin1');
  try {
    for (const block of text.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g) ?? []) new X509Certificate(block);
    if (/-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----/.test(text)) createPrivateKey(text);
  } catch (cause) {
    throw new ShimError(
      'CONFIG',
      `the ${what} file ${file} holds a malformed PEM: ${cause instanceof Error ? cause.message : String(cause)}`,
      { cause },
    );
  }
  return pem;
}

/** The `--grpc.<option> value` flags in `args`; numbers as numbers (fabric-chaincode-node declares them numeric). */
function grpcSettings(args: ParsedArgs): GrpcSettings {
  const settings: GrpcSettings = {};
  for (const [name, raw] of args.values) {
    if (!GRPC_OPTION.test(name)) continue;
    const n = Number(raw);
    settings[name] = raw.trim() !== '' && Number.isFinite(n) ? n : raw;
  }
  return settings;
}

/**
 * Removes fabric-shim's optional `grpc://`/`grpcs://` prefix; http(s) URLs are refused as
 * fabric-shim does. An address without a port is refused too: grpc-js would dial port 443 for
 * it, which is never a peer's chaincode port (7052 by default), and the chaincode would then
 * fail (or hang) far from the cause.
 */
export function peerTarget(address: string): string {
  if (/^https?:\/\//.test(address)) {
    throw new ShimError('CONFIG', `peer address "${address}" can not be an http(s) URL: use host:port (or grpc(s)://host:port)`);
  }
  const target = withoutGrpcScheme(address);
  // host:port, or [ipv6]:port; the port is a number.
  if (!/^(?:\[[^\]]+\]|[^:[\]]+):\d+$/.test(target)) {
    throw new ShimError(
      'CONFIG',
      `peer address "${address}" has no port: use host:port, e.g. "${/^[^:]*$/.test(target) ? target : `[${target}]`}:7052" (the peer's chaincode listen address, CORE_PEER_CHAINCODELISTENADDRESS)`,
    );
  }
  return target;
}

/**
 * Reads a timeout as fabric-chaincode-node reads its `request-timeout` (milliseconds), also
 * accepting a Go duration such as `30s`, `500ms` or `1m` (how Fabric writes its own timeouts).
 * `0` means no timeout. Throws ShimError('CONFIG') naming `what` on anything else.
 */
function parseTimeoutMs(text: string, what: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m)?\s*$/.exec(text);
  if (m === null) throw new ShimError('CONFIG', `${what} must be milliseconds or a duration such as 30s, 500ms or 1m, not "${text}"`);
  const scale = m[2] === 's' ? 1000 : m[2] === 'm' ? 60_000 : 1;
  return Math.round(Number(m[1]) * scale);
}

/**
 * Builds the configuration of `start()` from command-line flags and Fabric's environment.
 * Throws ShimError('CONFIG') naming what is missing or unreadable.
 */
export function readStartConfig(argv: readonly string[] = process.argv.slice(2), env: NodeJS.ProcessEnv = process.env): StartConfig {
  return startConfigFrom(parseArgs(argv, START_ARGS), env);
}

/** {@link readStartConfig} of arguments already parsed with {@link START_ARGS}. */
export function startConfigFrom(args: ParsedArgs, env: NodeJS.ProcessEnv): StartConfig {
  const peerAddress = setting(args, env, ['peer.address'], ['CORE_PEER_ADDRESS']);
  if (peerAddress === undefined) {
    throw new ShimError('CONFIG', 'the peer address is not set: pass --peer.address <host:port> or set CORE_PEER_ADDRESS');
  }
  const chaincodeId = setting(args, env, ['chaincode-id-name'], ['CORE_CHAINCODE_ID_NAME']);
  if (chaincodeId === undefined) {
    throw new ShimError('CONFIG', 'the chaincode id is not set: pass --chaincode-id-name <name> or set CORE_CHAINCODE_ID_NAME');
  }
  // fabric-chaincode-node's env convention (yargs envPrefix CORE): CORE_<FLAG_IN_CAPITALS>.
  const timeoutText = setting(args, env, ['registration-timeout'], ['CORE_REGISTRATION_TIMEOUT']);
  const registrationTimeoutMs =
    timeoutText === undefined
      ? DEFAULT_REGISTRATION_TIMEOUT_MS
      : parseTimeoutMs(timeoutText, '--registration-timeout (CORE_REGISTRATION_TIMEOUT)');
  const config: StartConfig = { peerAddress: peerTarget(peerAddress), chaincodeId, grpc: grpcSettings(args), registrationTimeoutMs };
  const mspId = setting(args, env, [], ['CORE_PEER_LOCALMSPID']);
  if (mspId !== undefined) config.mspId = mspId;

  if ((env.CORE_PEER_TLS_ENABLED ?? '').trim().toLowerCase() === 'true') {
    const rootFile = env.CORE_PEER_TLS_ROOTCERT_FILE;
    if (rootFile === undefined || rootFile === '') {
      throw new ShimError('CONFIG', 'CORE_PEER_TLS_ENABLED is true but CORE_PEER_TLS_ROOTCERT_FILE is not set');
    }
    const rootCert = readPemOrBase64(rootFile, undefined, 'peer TLS root certificate (CORE_PEER_TLS_ROOTCERT_FILE)') as Uint8Array;
    // The peer requires mutual TLS from chaincode, so the client pair is mandatory (as in fabric-shim).
    const clientKey = readPemOrBase64(
      env.CORE_TLS_CLIENT_KEY_FILE,
      env.CORE_TLS_CLIENT_KEY_PATH,
      'TLS client key (CORE_TLS_CLIENT_KEY_FILE/_PATH)',
    );
    const clientCert = readPemOrBase64(
      env.CORE_TLS_CLIENT_CERT_FILE,
      env.CORE_TLS_CLIENT_CERT_PATH,
      'TLS client certificate (CORE_TLS_CLIENT_CERT_FILE/_PATH)',
    );
    if (clientKey === undefined || clientCert === undefined) {
      throw new ShimError(
        'CONFIG',
        'TLS is enabled but the client key or certificate is missing: set CORE_TLS_CLIENT_KEY_FILE and CORE_TLS_CLIENT_CERT_FILE (PEM) or CORE_TLS_CLIENT_KEY_PATH and CORE_TLS_CLIENT_CERT_PATH (base64)',
      );
    }
    const tls: TlsClientOptions = { rootCert, clientKey, clientCert };
    const override = setting(args, env, ['ssl-target-name-override'], []);
    if (override !== undefined) tls.serverNameOverride = override;
    config.tls = tls;
  }
  return config;
}

/** Below Kubernetes' default 30 s termination grace, so we finish before SIGKILL arrives. */
const DEFAULT_SHUTDOWN_GRACE_MS = 25_000;

/** What `fabric-shim-ts server` runs: the server options plus where the chaincode is. */
export interface ServerConfig {
  options: ChaincodeServerOpts;
  modulePath: string;
  shutdownGraceMs: number;
}

/** One TLS file setting in its PEM (`-file`) and base64 (`-path`) forms, flags before env. */
function readTlsMaterial(args: ParsedArgs, env: NodeJS.ProcessEnv, name: string, what: string): Uint8Array | undefined {
  const envName = `CORE_CHAINCODE_TLS_${name.toUpperCase().replace(/-/g, '_')}`;
  const file = setting(args, env, [`chaincode-tls-${name}-file`], [`${envName}_FILE`]);
  const path = setting(args, env, [`chaincode-tls-${name}-path`], [`${envName}_PATH`]);
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
  const args = parseArgs(argv, SERVER_ARGS);
  const address = setting(args, env, ['chaincode-address'], ['CORE_CHAINCODE_ADDRESS', 'CHAINCODE_SERVER_ADDRESS']);
  if (address === undefined) {
    throw new ShimError('CONFIG', 'the listen address is not set: pass --chaincode-address <host:port> or set CHAINCODE_SERVER_ADDRESS');
  }
  const ccid = setting(args, env, ['chaincode-id'], ['CORE_CHAINCODE_ID', 'CHAINCODE_ID']);
  if (ccid === undefined) {
    throw new ShimError('CONFIG', 'the chaincode id is not set: pass --chaincode-id <label:hash> or set CHAINCODE_ID (the package id)');
  }
  let tls: Partial<TlsProps> = {};
  const key = readTlsMaterial(args, env, 'key', 'TLS key');
  const cert = readTlsMaterial(args, env, 'cert', 'TLS certificate');
  const ca = readTlsMaterial(args, env, 'client-cacert', 'TLS client CA certificate');
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
  const options: ChaincodeServerOpts = { ccid, address, ...grpcSettings(args) };
  if (tls.key !== undefined && tls.cert !== undefined) options.tlsProps = tls as TlsProps;
  const mspId = env.CORE_PEER_LOCALMSPID;
  if (mspId !== undefined && mspId !== '') options.mspId = mspId;

  const graceText = setting(args, env, ['shutdown-grace-ms'], []);
  const shutdownGraceMs = graceText === undefined ? DEFAULT_SHUTDOWN_GRACE_MS : Number(graceText);
  if (!Number.isInteger(shutdownGraceMs) || shutdownGraceMs < 0) {
    throw new ShimError('CONFIG', `--shutdown-grace-ms must be a non-negative integer, not '${graceText}'`);
  }
  const modulePath = setting(args, env, ['module'], ['CORE_MODULE_PATH']) ?? '.';
  return { options, modulePath, shutdownGraceMs };
}
