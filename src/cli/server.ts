/**
 * `fabric-shim-ts server`: fabric-chaincode-node's `server` command (same flags and env, read by
 * readServerConfig in src/config.ts): the peer dials the chaincode (chaincode as a service).
 *
 * Returns an exit code; only src/cli.ts turns it into the process exit status.
 */
import type { ChaincodeInterface } from '../chaincode';
import { readServerConfig, type ServerConfig } from '../config';
import { ShimError } from '../errors';
import { shimLogger } from '../logger';
import { reportFailure, wantsHelp } from './args';
import { loadChaincode, loadFailureDetail } from './module-loader';

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
  // Lazy: gRPC is loaded once the configuration and the chaincode are known good, so a
  // mistake in either is reported without that cost.
  const { server } = await import('../server');
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
  if (wantsHelp(argv)) {
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
