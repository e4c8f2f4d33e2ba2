/**
 * `fabric-shim-ts package`: the install packages of a chaincode.
 * - `package ccaas --label L --address host:port [--tls ...] [--output file]`: for Fabric's ccaas
 *   external builder (src/ccaas-package.ts);
 * - `package node --label L [--output file] [--bundle]`: for the peer's node builder
 *   (src/node-package.ts).
 *
 * Returns an exit code; only src/cli.ts turns it into the process exit status.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { createCcaasPackage, validateLabel } from '../ccaas-package';
import { ShimError } from '../errors';
import { type ArgSpec, parseArgs, reportFailure, wantsHelp } from './args';

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

const CCAAS_ARGS: ArgSpec = {
  style: 'strict',
  values: { label: [], address: [], 'dial-timeout': [], 'root-cert': [], 'client-key': [], 'client-cert': [], output: [] },
  booleans: { tls: [], 'client-auth': [] },
};

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
  if (wantsHelp(argv)) {
    process.stdout.write(PACKAGE_USAGE);
    return 0;
  }
  try {
    const args = parseArgs(argv, CCAAS_ARGS);
    if (args.positionals.length !== 1 || args.positionals[0] !== 'ccaas') {
      throw new ShimError(
        'CONFIG',
        "the package type is 'ccaas' (fabric-shim-ts package ccaas --label L --address host:port) or 'node' (fabric-shim-ts package node --label L)",
      );
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
    process.stderr.write(
      `wrote ${output} (ccaas, address ${address}${tlsRequired ? ', TLS' : ''}${clientAuthRequired ? ', client auth' : ''})\n`,
    );
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

const NODE_ARGS: ArgSpec = { style: 'strict', values: { label: [], output: [] }, booleans: { bundle: [] } };

/** `fabric-shim-ts package node ...` (argv after `node`): as {@link packageCommand}. */
async function nodePackageCommand(argv: string[]): Promise<number> {
  if (wantsHelp(argv)) {
    process.stdout.write(NODE_PACKAGE_USAGE);
    return 0;
  }
  try {
    const args = parseArgs(argv, NODE_ARGS);
    if (args.positionals.length > 0) throw new ShimError('CONFIG', `unexpected argument '${args.positionals[0] ?? ''}'`);
    const label = args.values.get('label');
    if (label === undefined) throw new ShimError('CONFIG', '--label is required');
    const { createNodePackage, projectFiles, bundleProject } = await import('../node-package');
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
