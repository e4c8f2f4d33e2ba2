/**
 * CLI subcommands of chaincode-as-a-service:
 * - `fabric-shim-ts package ccaas --label L --address host:port [--tls ...] [--output file]`
 * - `fabric-shim-ts server` (fabric-chaincode-node's `server` command: same flags and env).
 *
 * Both return an exit code; only src/cli.ts turns it into the process exit status.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { createCcaasPackage } from './ccaas-package';
import { ShimError } from './errors';

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
`;

const PACKAGE_VALUE_FLAGS = ['label', 'address', 'dial-timeout', 'root-cert', 'client-key', 'client-cert', 'output'];
const PACKAGE_BOOLEAN_FLAGS = ['tls', 'client-auth', 'help'];

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
  try {
    const args = parseArgs(argv, PACKAGE_VALUE_FLAGS, PACKAGE_BOOLEAN_FLAGS);
    if (args.booleans.has('help')) {
      process.stdout.write(PACKAGE_USAGE);
      return 0;
    }
    if (args.positionals.length !== 1 || args.positionals[0] !== 'ccaas') {
      throw new ShimError('CONFIG', "the only package type is 'ccaas': fabric-shim-ts package ccaas --label L --address host:port");
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

function reportFailure(err: unknown, usage: string): number {
  if (err instanceof ShimError && err.code === 'CONFIG') {
    process.stderr.write(`error: ${err.message}\n\n${usage}`);
    return 1;
  }
  throw err;
}
