/**
 * The one argument parser of every `fabric-shim-ts` command, and of `start()` (fabric-shim's
 * `Shim.start`, which reads its flags from process.argv). Table-driven: a command lists its
 * options in an {@link ArgSpec}; the parser knows the two conventions the commands need.
 * Node's `util.parseArgs` was not enough: it has no camelCase spellings, no `--grpc.<option>`
 * family, and refuses `--grpc.max_send_message_length -1` (a value starting with a dash).
 */
import { ShimError } from '../errors';

/** The options of one command. Names are written without dashes (`peer.address`, `f` for `-f`). */
export interface ArgSpec {
  /** Options that take a value: canonical name -> its other spellings (e.g. `module-path`, `p`). */
  values?: Readonly<Record<string, readonly string[]>>;
  /** Options that take no value (`--tls`): canonical name -> its other spellings. */
  booleans?: Readonly<Record<string, readonly string[]>>;
  /** Value options known by pattern, kept under their own name: fabric-shim's `--grpc.<option>`. */
  valuePattern?: RegExp;
  /**
   * - `yargs`: fabric-chaincode-node's conventions (it parses with yargs), for `start`, `server`
   *   and `start()`: camelCase spellings too (`--chaincodeIdName`), unknown options and other
   *   words ignored (process.argv carries the program's own), a value never starts with `--`,
   *   the last of a repeated option wins.
   * - `strict`: our own commands: an unknown option is an error, the word after a value option
   *   is its value whatever it looks like, a repeated value option is an error unless
   *   `lastWins` is set.
   */
  style: 'yargs' | 'strict';
  /** `strict` only: the last of a repeated value option wins instead of being an error. */
  lastWins?: boolean;
}

/** What {@link parseArgs} found. */
export interface ParsedArgs {
  /** Value options by canonical name (a `valuePattern` option by its own name), in the order first given. */
  values: Map<string, string>;
  /** Boolean options given, by canonical name. */
  booleans: Set<string>;
  /** Words that are not options (ignored by `yargs`-style commands). */
  positionals: string[];
}

/** `chaincode-id-name` -> `chaincodeIdName`: yargs accepts both spellings. */
function camel(name: string): string {
  return name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
}

/** Spelling (as typed, without dashes) -> canonical name. */
function spellings(table: Readonly<Record<string, readonly string[]>> | undefined, yargs: boolean): Map<string, string> {
  const map = new Map<string, string>();
  for (const [name, others] of Object.entries(table ?? {})) {
    for (const spelling of [name, ...others]) {
      map.set(spelling, name);
      if (yargs) map.set(camel(spelling), name);
    }
  }
  return map;
}

/**
 * Parses `argv` (the words after the command) by `spec`: `--name value`, `--name=value`, `-n
 * value`, `--flag`. Throws ShimError('CONFIG') for a value option without a value, and (strict)
 * for an unknown option or a repeated value option; its message names the option as typed.
 */
export function parseArgs(argv: readonly string[], spec: ArgSpec): ParsedArgs {
  const yargs = spec.style === 'yargs';
  const values = spellings(spec.values, yargs);
  const booleans = spellings(spec.booleans, yargs);
  const parsed: ParsedArgs = { values: new Map(), booleans: new Set(), positionals: [] };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const dashes = arg.startsWith('--') ? 2 : arg.startsWith('-') && arg.length > 1 && !yargs ? 1 : 0;
    if (dashes === 0) {
      parsed.positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const typed = arg.slice(dashes, eq === -1 ? undefined : eq);
    const boolean = booleans.get(typed);
    if (boolean !== undefined && eq === -1) {
      parsed.booleans.add(boolean);
      continue;
    }
    const name = values.get(typed) ?? (spec.valuePattern?.test(typed) === true ? typed : undefined);
    if (name === undefined) {
      if (yargs) continue;
      throw new ShimError('CONFIG', `unknown option ${arg}`);
    }
    let value: string | undefined;
    if (eq !== -1) value = arg.slice(eq + 1);
    else if (i + 1 < argv.length && !(yargs && (argv[i + 1] as string).startsWith('--'))) value = argv[++i];
    if (value === undefined) throw new ShimError('CONFIG', `${arg.slice(0, dashes)}${typed} needs a value`);
    if (!yargs && spec.lastWins !== true && parsed.values.has(name))
      throw new ShimError('CONFIG', `${arg.slice(0, dashes)}${typed} given twice`);
    parsed.values.set(name, value);
  }
  return parsed;
}

/** True when `argv` asks for help (`--help` or `-h` anywhere): every command prints its usage then. */
export function wantsHelp(argv: readonly string[]): boolean {
  return argv.includes('--help') || argv.includes('-h');
}

/** What a command does with a failure: a configuration error is printed with the usage (exit code 1); anything else is rethrown. */
export function reportFailure(err: unknown, usage: string): number {
  if (err instanceof ShimError && err.code === 'CONFIG') {
    process.stderr.write(`error: ${err.message}\n\n${usage}`);
    return 1;
  }
  throw err;
}
