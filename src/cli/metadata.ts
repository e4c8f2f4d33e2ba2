/**
 * `fabric-shim-ts metadata generate [--file <out>] [--module <path>]`: prints or writes the
 * metadata of a contract package, as `fabric-chaincode-node metadata generate` does.
 */
import { writeFile } from 'node:fs/promises';
import { extname, resolve } from 'node:path';
import { chaincodeFromModule } from '../contract/module-loader';
import { ShimError } from '../errors';
import { type ArgSpec, parseArgs, wantsHelp } from './args';

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
    const json = JSON.stringify(chaincodeFromModule(modulePath).metadata, null, 4);
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
    process.stderr.write(`metadata generate failed: ${(e as Error).message}\n`);
    return 1;
  }
}
