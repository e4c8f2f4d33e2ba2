/**
 * `fabric-shim-ts metadata generate [--file <out>] [--module <path>]`: prints or writes the
 * metadata of a contract package, as `fabric-chaincode-node metadata generate` does.
 */
import { existsSync, statSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { extname, resolve } from 'node:path';
import { chaincodeFromContracts, type ContractChaincode } from '../contract/chaincode-from-contract';
import { contractModuleFrom } from '../contract/contract-package';
import { ShimError } from '../errors';
import { type ArgSpec, parseArgs, wantsHelp } from './args';
import { loadFailureDetail, loadModuleAt, packageDir } from './module-loader';

const USAGE = `Usage: fabric-shim-ts metadata generate [--file|-f <out.json>] [--module|--module-path|-p <dir>]

Prints (or writes to --file) the metadata document of the contract package at --module
(default: the working directory), as \`fabric-chaincode-node metadata generate\` does.
No environment variables are read.

Example:
  fabric-shim-ts metadata generate --module-path . --file META-INF/metadata.json`;

const METADATA_ARGS: ArgSpec = { style: 'strict', lastWins: true, values: { file: ['f'], module: ['module-path', 'p'] } };

/** Runs the `metadata` subcommand; `argv` are the words after `metadata` (a leading `metadata` is skipped). Returns the exit code. */
export async function metadataCommand(argv: string[]): Promise<number> {
  const words = argv[0] === 'metadata' ? argv.slice(1) : [...argv];
  if (wantsHelp(words)) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (words[0] !== 'generate') {
    process.stderr.write(`${USAGE}\n`);
    return 1;
  }
  let file: string | undefined;
  let modulePath: string;
  try {
    const args = parseArgs(words.slice(1), METADATA_ARGS);
    if (args.positionals[0] !== undefined) throw new ShimError('CONFIG', `unknown option ${args.positionals[0]}`);
    file = args.values.get('file');
    modulePath = args.values.get('module') ?? '.';
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n${USAGE}\n`);
    return 1;
  }
  try {
    const json = JSON.stringify((await contractChaincodeAt(modulePath)).metadata, null, 4);
    if (file === undefined) {
      process.stdout.write(json + '\n');
    } else {
      // fabric-shim appends .json to a name without an extension.
      const path = resolve(process.cwd(), extname(file) === '' ? `${file}.json` : file);
      await writeFile(path, json);
      process.stderr.write(`File containing metadata has been saved to ${path}\n`);
    }
    return 0;
  } catch (e) {
    // For a module that failed to load: what node prints for it first, as `start` does.
    const detail = loadFailureDetail(e);
    process.stderr.write(`${detail === undefined ? '' : `${detail}\n\n`}metadata generate failed: ${(e as Error).message}\n`);
    return 1;
  }
}

/**
 * The contract chaincode of the package at `modulePath`, loaded as `start` loads it (one module
 * loader) and read as fabric-shim's `metadata generate` reads it: the module's `contracts` (or
 * the module as one contract class), with the name, version and metadata file of the package
 * folder (`modulePath` itself when it is a folder).
 */
async function contractChaincodeAt(modulePath: string): Promise<ContractChaincode> {
  const { exported, file } = await loadModuleAt(modulePath);
  const target = resolve(process.cwd(), modulePath);
  const dir = existsSync(target) && statSync(target).isDirectory() ? target : packageDir(file);
  // import() of a CommonJS module puts module.exports under `default`.
  const m = exported as { contracts?: unknown; default?: { contracts?: unknown } };
  const contractExports = !Array.isArray(m.contracts) && Array.isArray(m.default?.contracts) ? m.default : exported;
  const { contracts, ...options } = contractModuleFrom(contractExports, dir);
  return chaincodeFromContracts(contracts, options);
}
