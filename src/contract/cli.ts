/**
 * `fabric-shim-ts metadata generate [--file <out>] [--module <path>]`: prints or writes the
 * metadata of a contract package, as `fabric-chaincode-node metadata generate` does.
 */
import { writeFile } from 'node:fs/promises';
import { extname, resolve } from 'node:path';
import { chaincodeFromModule } from './module-loader';

const USAGE = `Usage: fabric-shim-ts metadata generate [--file|-f <out.json>] [--module|--module-path|-p <dir>]

Prints (or writes to --file) the metadata document of the contract package at --module
(default: the working directory), as \`fabric-chaincode-node metadata generate\` does.
No environment variables are read.

Example:
  fabric-shim-ts metadata generate --module-path . --file META-INF/metadata.json`;

/** Runs the `metadata` subcommand; `argv` are the words after `metadata` (a leading `metadata` is skipped). Returns the exit code. */
export async function metadataCommand(argv: string[]): Promise<number> {
  const args = argv[0] === 'metadata' ? argv.slice(1) : [...argv];
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (args[0] !== 'generate') {
    process.stderr.write(`${USAGE}\n`);
    return 1;
  }
  let file: string | undefined;
  let modulePath = '.';
  for (let i = 1; i < args.length; i++) {
    const arg = args[i] as string;
    const [flag, inline] = arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = (): string | undefined => inline ?? args[++i];
    if (flag === '--file' || flag === '-f') file = value();
    else if (flag === '--module' || flag === '--module-path' || flag === '-p') modulePath = value() ?? '.';
    else if (flag === '--help' || flag === '-h') {
      process.stdout.write(`${USAGE}\n`);
      return 0;
    } else {
      process.stderr.write(`unknown option ${arg}\n${USAGE}\n`);
      return 1;
    }
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
