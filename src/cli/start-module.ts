/**
 * `startModule(exports)` (exported by fabric-shim-ts/contract): what `fabric-shim-ts start` does once it has loaded the chaincode
 * module, for a program that has the module's exports already: the entry of a bundle written by
 * `fabric-shim-ts package node --bundle`, which has no module to find on disk.
 */
import { chaincodeFromExports } from './module-loader';
import { start, type StartOptions } from '../shim';

/** Options of {@link startModule}: {@link StartOptions} and where the module is. */
export interface StartModuleOptions extends StartOptions {
  /**
   * A file of the module's package: the package.json nearest to it gives a contract package's
   * name and version, and its folder the contract metadata (META-INF/ or contract-metadata/).
   * Default: the working directory's package.
   */
  modulePath?: string;
}

/**
 * Starts the chaincode that `exported` (a module's exports) offers, as `fabric-shim-ts start`
 * would: a chaincode object or class (as `chaincode`, `default` or the module), or
 * fabric-contract-api's `contracts`. Reads `--peer.address`, `--chaincode-id-name` and the rest
 * from `options.argv` (default: the process's arguments) and the environment. Never resolves.
 */
export async function startModule(exported: unknown, options: StartModuleOptions = {}): Promise<never> {
  const { modulePath, ...startOptions } = options;
  const chaincode = await chaincodeFromExports(exported, modulePath ?? `${process.cwd()}/index.js`);
  return start(chaincode, startOptions);
}
