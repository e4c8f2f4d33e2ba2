#!/usr/bin/env node
/**
 * The `fabric-shim-ts` command (the package's bin, dist/cli.js): picks the subcommand, each in
 * src/cli/ and loaded only when chosen (`--help` and `--version` load none, `start` pays only
 * for itself), and reports a failure. Each subcommand returns an exit code; only this file turns it into
 * `process.exitCode` (never `process.exit`, so pending output is flushed).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { wantsHelp } from './cli/args';
import { loadFailureDetail } from './cli/module-loader';
import { ShimError } from './errors';

const USAGE = `Usage: fabric-shim-ts <command> [options]

Commands:
  start               register the chaincode with a peer and serve it (fabric-chaincode-node's start)
  server              serve the chaincode as a service: the peer dials it (chaincode-as-a-service)
  package ccaas       write a chaincode-as-a-service install package and print its package id
  package node        write a node install package (optionally one bundled file) and print its package id
  mock-peer           run a mock peer with an in-memory ledger, driven from stdin, for manual testing
  dev                 run this package's chaincode behind a mock peer with the Fabric Gateway, for an app
  metadata generate   print or write the contract metadata

Options:
  --help, -h          show help (also: fabric-shim-ts <command> --help, fabric-shim-ts help <command>)
  --version, -v       print the version

Example:
  fabric-shim-ts start --peer.address 127.0.0.1:7052 --chaincode-id-name mycc:1.0
`;

/** The version in our package.json (../package.json from src/ and from dist/ alike). */
function version(): string {
  return (JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')) as { version: string }).version;
}

/** Runs one subcommand; returns the process exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'start':
      // Fabric's chaincode-as-a-service convention (Go contract API): CHAINCODE_SERVER_ADDRESS selects server mode.
      if (!wantsHelp(rest) && (process.env.CHAINCODE_SERVER_ADDRESS ?? '') !== '')
        return (await import('./cli/server')).serverCommand([...rest]);
      return (await import('./cli/start')).startCommand(rest);
    case 'server':
      return (await import('./cli/server')).serverCommand([...rest]);
    case 'package':
      return (await import('./cli/package')).packageCommand([...rest]);
    case 'dev':
      return (await import('./cli/dev')).devCommand([...rest]);
    case 'mock-peer':
      return (await import('./cli/mock-peer')).mockPeerCommand([...rest]);
    case 'metadata':
      return (await import('./cli/metadata')).metadataCommand([...rest]);
    case '--version':
    case '-v':
    case 'version':
      process.stdout.write(`${version()}\n`);
      return 0;
    case 'help':
      // `help <command>` is `<command> --help`.
      if (rest[0] !== undefined) return main([rest[0], ...rest.slice(1), '--help']);
      process.stdout.write(USAGE);
      return 0;
    case undefined:
    case '--help':
    case '-h':
      process.stdout.write(USAGE);
      return command === undefined ? 1 : 0;
    default:
      process.stderr.write(`fabric-shim-ts: unknown command "${command}"\n\n${USAGE}`);
      return 1;
  }
}

/**
 * Prints a failure for a person reading a container log, once: for a chaincode module that did
 * not load, what node itself prints for it (file, line, stack), then our one-line reason; else
 * the message and the cause chain.
 */
export function report(err: unknown, write: (text: string) => void = (t) => process.stderr.write(t)): void {
  const detail = loadFailureDetail(err);
  if (detail !== undefined && err instanceof Error) {
    write(`${detail}\n\nfabric-shim-ts: ${err.message}\n`);
    return;
  }
  let line = err instanceof Error ? `${err instanceof ShimError ? `[${err.code}]` : err.name}: ${err.message}` : String(err);
  let cause = err instanceof Error ? err.cause : undefined;
  while (cause instanceof Error && !line.includes(cause.message)) {
    line += `\n  caused by: ${cause.message}`;
    cause = cause.cause;
  }
  write(`fabric-shim-ts: ${line}\n`);
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
