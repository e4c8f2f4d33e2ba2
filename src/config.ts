/**
 * Start-up configuration from Fabric's environment variables and fabric-chaincode-node's
 * `start` flags (lib/cmds/startCommand.js), flags winning over the environment.
 */
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { ShimError } from './errors';
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
  /** `--module-path` (fabric-chaincode-node) or `--module`. */
  modulePath?: string;
  /** How long to wait for the peer's READY after dialling; 0 waits forever. */
  registrationTimeoutMs: number;
}

/**
 * Default of `--registration-timeout`: the peer's own default execute timeout, and fabric-shim's
 * `request-timeout` default. A peer on loopback answers REGISTER in milliseconds.
 */
export const DEFAULT_REGISTRATION_TIMEOUT_MS = 30_000;

/** The value flags of fabric-chaincode-node's `start` command, plus our `--module`. */
export const START_VALUE_FLAGS = [
  'peer.address',
  'chaincode-id-name',
  'ssl-target-name-override',
  'module-path',
  'module',
  'registration-timeout',
  'grpc.max_send_message_length',
  'grpc.max_receive_message_length',
  'grpc.keepalive_time_ms',
  'grpc.http2.min_time_between_pings_ms',
  'grpc.keepalive_timeout_ms',
  'grpc.http2.max_pings_without_data',
  'grpc.keepalive_permit_without_calls',
] as const;

/** `chaincode-id-name` -> `chaincodeIdName`: yargs (fabric-shim) accepts both spellings. */
function camel(flag: string): string {
  return flag.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
}

/** The value of `--name value` or `--name=value` (last one wins, as with yargs); undefined if absent. */
function flagValue(argv: readonly string[], name: string): string | undefined {
  const bare = name.replace(/^-+/, '');
  const names = new Set([bare, camel(bare)]);
  let value: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (!arg.startsWith('--')) continue;
    const eq = arg.indexOf('=');
    const key = arg.slice(2, eq === -1 ? undefined : eq);
    if (!names.has(key)) continue;
    if (eq !== -1) value = arg.slice(eq + 1);
    else if (i + 1 < argv.length && !(argv[i + 1] as string).startsWith('--')) value = argv[++i];
    else throw new ShimError('CONFIG', `flag --${bare} needs a value`);
  }
  return value;
}

/**
 * Reads one setting: the first of `flags` given in `argv` (with or without leading dashes;
 * `--name value` or `--name=value`), else the first of `envNames` set (non-empty) in `env`.
 */
export function readSetting(argv: readonly string[], env: NodeJS.ProcessEnv, flags: readonly string[], envNames: readonly string[]): string | undefined {
  for (const flag of flags) {
    const v = flagValue(argv, flag);
    if (v !== undefined) return v;
  }
  for (const name of envNames) {
    const v = env[name];
    if (v !== undefined && v !== '') return v;
  }
  return undefined;
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
    if (!PEM.test(pem.toString('latin1'))) throw new ShimError('CONFIG', `the ${what} file ${pathValue} holds neither base64 of a PEM nor a PEM`);
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
    throw new ShimError('CONFIG', `the ${what} file ${file} holds a malformed PEM: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  }
  return pem;
}

/** `--grpc.<option> value` flags as fabric-chaincode-node takes them; numbers as numbers (it declares them numeric). */
export function readGrpcFlags(argv: readonly string[]): GrpcSettings {
  const settings: GrpcSettings = {};
  for (const arg of argv) {
    const m = /^--(grpc\.[A-Za-z0-9_.]+)(?:=|$)/.exec(arg);
    if (m === null) continue;
    const name = m[1] as string;
    const raw = flagValue(argv, name) as string;
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
  const target = address.replace(/^grpcs?:\/\//, '');
  // host:port, or [ipv6]:port; the port is a number.
  if (!/^(?:\[[^\]]+\]|[^:[\]]+):\d+$/.test(target)) {
    throw new ShimError('CONFIG', `peer address "${address}" has no port: use host:port, e.g. "${/^[^:]*$/.test(target) ? target : `[${target}]`}:7052" (the peer's chaincode listen address, CORE_PEER_CHAINCODELISTENADDRESS)`);
  }
  return target;
}

/**
 * Reads a timeout as fabric-chaincode-node reads its `request-timeout` (milliseconds), also
 * accepting a Go duration such as `30s`, `500ms` or `1m` (how Fabric writes its own timeouts).
 * `0` means no timeout. Throws ShimError('CONFIG') naming `what` on anything else.
 */
export function parseTimeoutMs(text: string, what: string): number {
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
  const peerAddress = readSetting(argv, env, ['peer.address'], ['CORE_PEER_ADDRESS']);
  if (peerAddress === undefined) {
    throw new ShimError('CONFIG', 'the peer address is not set: pass --peer.address <host:port> or set CORE_PEER_ADDRESS');
  }
  const chaincodeId = readSetting(argv, env, ['chaincode-id-name'], ['CORE_CHAINCODE_ID_NAME']);
  if (chaincodeId === undefined) {
    throw new ShimError('CONFIG', 'the chaincode id is not set: pass --chaincode-id-name <name> or set CORE_CHAINCODE_ID_NAME');
  }
  // fabric-chaincode-node's env convention (yargs envPrefix CORE): CORE_<FLAG_IN_CAPITALS>.
  const timeoutText = readSetting(argv, env, ['registration-timeout'], ['CORE_REGISTRATION_TIMEOUT']);
  const registrationTimeoutMs = timeoutText === undefined
    ? DEFAULT_REGISTRATION_TIMEOUT_MS
    : parseTimeoutMs(timeoutText, '--registration-timeout (CORE_REGISTRATION_TIMEOUT)');
  const config: StartConfig = { peerAddress: peerTarget(peerAddress), chaincodeId, grpc: readGrpcFlags(argv), registrationTimeoutMs };
  const mspId = readSetting(argv, env, [], ['CORE_PEER_LOCALMSPID']);
  if (mspId !== undefined) config.mspId = mspId;
  const modulePath = readSetting(argv, env, ['module', 'module-path'], []);
  if (modulePath !== undefined) config.modulePath = modulePath;

  if ((env.CORE_PEER_TLS_ENABLED ?? '').trim().toLowerCase() === 'true') {
    const rootFile = env.CORE_PEER_TLS_ROOTCERT_FILE;
    if (rootFile === undefined || rootFile === '') {
      throw new ShimError('CONFIG', 'CORE_PEER_TLS_ENABLED is true but CORE_PEER_TLS_ROOTCERT_FILE is not set');
    }
    const rootCert = readPemOrBase64(rootFile, undefined, 'peer TLS root certificate (CORE_PEER_TLS_ROOTCERT_FILE)') as Uint8Array;
    // The peer requires mutual TLS from chaincode, so the client pair is mandatory (as in fabric-shim).
    const clientKey = readPemOrBase64(env.CORE_TLS_CLIENT_KEY_FILE, env.CORE_TLS_CLIENT_KEY_PATH, 'TLS client key (CORE_TLS_CLIENT_KEY_FILE/_PATH)');
    const clientCert = readPemOrBase64(env.CORE_TLS_CLIENT_CERT_FILE, env.CORE_TLS_CLIENT_CERT_PATH, 'TLS client certificate (CORE_TLS_CLIENT_CERT_FILE/_PATH)');
    if (clientKey === undefined || clientCert === undefined) {
      throw new ShimError('CONFIG', 'TLS is enabled but the client key or certificate is missing: set CORE_TLS_CLIENT_KEY_FILE and CORE_TLS_CLIENT_CERT_FILE (PEM) or CORE_TLS_CLIENT_KEY_PATH and CORE_TLS_CLIENT_CERT_PATH (base64)');
    }
    const tls: TlsClientOptions = { rootCert, clientKey, clientCert };
    const override = readSetting(argv, env, ['ssl-target-name-override'], []);
    if (override !== undefined) tls.serverNameOverride = override;
    config.tls = tls;
  }
  return config;
}
