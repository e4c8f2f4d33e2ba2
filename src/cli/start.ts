/**
 * `fabric-shim-ts start [--module <path>]`: fabric-chaincode-node's `start`, for any chaincode
 * module: loads it (src/cli/module-loader.ts) and runs `start()` with the same arguments.
 */
import { DEFAULT_REGISTRATION_TIMEOUT_MS, START_ARGS, startConfigFrom } from '../config';
import { ShimError } from '../errors';
import { parseArgs, wantsHelp } from './args';
import { loadChaincode } from './module-loader';

const START_USAGE = `Usage: fabric-shim-ts start [options]

Loads the chaincode module (the package in the working directory, or --module) and registers it
with the peer, then serves transactions until the stream ends; exits 1 then, so the peer or the
orchestrator restarts it. Flags win over the environment (flag | environment):

  --peer.address <host:port>            CORE_PEER_ADDRESS        the peer's chaincode address (port required)
  --chaincode-id-name <name:version>    CORE_CHAINCODE_ID_NAME   name:version, or the package id
  --module, --module-path <path>                                 file or package folder (default: .)
  --registration-timeout <ms|30s|1m>    CORE_REGISTRATION_TIMEOUT
                                        how long to wait for READY (default ${DEFAULT_REGISTRATION_TIMEOUT_MS / 1000}s; 0 = forever)
  --ssl-target-name-override <host>                              TLS server name to expect
  --grpc.<option> <value>                                        a gRPC channel option, e.g. --grpc.keepalive_time_ms
                                        CORE_PEER_TLS_ENABLED=true, CORE_PEER_TLS_ROOTCERT_FILE
                                        CORE_TLS_CLIENT_KEY_FILE|_PATH, CORE_TLS_CLIENT_CERT_FILE|_PATH
                                        CORE_PEER_LOCALMSPID     stub.getMspID()
                                        CORE_CHAINCODE_LOGGING_SHIM, CORE_CHAINCODE_LOGGING_LEVEL,
                                        CORE_CHAINCODE_LOGGING_FORMAT=json
                                        CHAINCODE_SERVER_ADDRESS set: serve as a service instead (see server --help)

Example:
  fabric-shim-ts start --peer.address 127.0.0.1:7052 --chaincode-id-name mycc:1.0 --module dist/index.js
`;

/** `fabric-shim-ts start`: loads the chaincode module and runs `start()` until the stream ends; returns 1 then. */
export async function startCommand(
  argv: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
  cwd: string = process.cwd(),
): Promise<number> {
  if (wantsHelp(argv)) {
    process.stdout.write(START_USAGE);
    return 0;
  }
  // The configuration is checked before the module is loaded: a wrong address is reported
  // without running the chaincode's top-level code.
  const args = parseArgs(argv, START_ARGS);
  startConfigFrom(args, env);
  const modulePath = args.values.get('module');
  if (modulePath === '') throw new ShimError('CONFIG', '--module needs a path');
  const chaincode = await loadChaincode(modulePath, cwd);
  const { start } = await import('../shim');
  await start(chaincode, { argv, env });
  return 0; // not reached: start() only ever rejects
}
