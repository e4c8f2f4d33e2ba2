#!/usr/bin/env node
/**
 * The `fabric-shim-ts` command. Subcommands are loaded lazily so `start` pays only for itself:
 * - `start [--module <path>]` (this file): fabric-chaincode-node's `start`, for any chaincode module.
 * Each subcommand returns an exit code; only this file turns it into `process.exitCode`
 * (never `process.exit`, so pending output is flushed).
 */
import { loadChaincode, moduleArg } from './chaincode-module';
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

/** `fabric-shim-ts start`: loads the chaincode module and runs `start()` until the stream ends; returns 1 then. */
export async function startCommand(argv: readonly string[], env: NodeJS.ProcessEnv = process.env, cwd: string = process.cwd()): Promise<number> {
  const chaincode = await loadChaincode(moduleArg(argv), cwd);
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
    case 'dev':
      return (await import('./testing/dev-command')).devCommand([...rest]);
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
  let line = err instanceof Error ? `${err instanceof ShimError ? `[${err.code}]` : err.name}: ${err.message}` : String(err);
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
