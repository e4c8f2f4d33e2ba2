/**
 * `fabric-shim-ts mock-peer`: the mock peer as a standalone process for manual testing. Start a
 * chaincode against it (CORE_PEER_ADDRESS = the printed address), then type commands (see
 * {@link COMMANDS}, or `help` on stdin). It prints a line when a chaincode registers and leaves.
 *
 * Arguments are split on spaces; wrap one in double quotes (JSON string syntax) to keep spaces.
 */
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type { InvokeOptions } from '../testing/mock-chaincode';
import { MockPeer, type MockPeerOptions } from '../testing/mock-peer';
import { type ArgSpec, parseArgs, wantsHelp } from './args';

/** Where the command reads commands and writes results (default: stdin/stdout). */
export interface CommandIo {
  input: Readable;
  output: Writable;
  errors: Writable;
}

/** The commands read from stdin (printed by `help`). */
const COMMANDS = `Commands (one a line; "double quoted" words keep spaces, JSON string syntax):
  invoke <chaincode> [options] <args...>   run a transaction and commit it; print the result as JSON
  evaluate <chaincode> [options] <args...> run a transaction as a query: print the result, commit nothing
  init <chaincode> [options] <args...>     run Init
    options: --channel <name>              the channel (default: the peer's)
             --msp <mspId>                 the creator's MSP (default Org1MSP)
             --attr <name=value>           an attribute in the creator's certificate (repeatable)
             --transient <key=value>       a transient data entry (repeatable)
             --                            end of options
  get <chaincode> <key>                    print a committed value
  keys <chaincode>                         print the committed keys
  history <chaincode> <key>                print a key's history, newest first
  list                                     print the connected chaincodes
  help                                     print this
  quit                                     stop (so does end of input)
`;

const USAGE = `Usage: fabric-shim-ts mock-peer [options]

Runs a mock peer (the real chaincode protocol over gRPC, an in-memory ledger) for manual
testing: start a chaincode against the printed address, then type commands on stdin.
No environment variables are read.

Options:
  --address <host:port>     listen address (default 127.0.0.1:7052; port 0 = a free port)
  --channel <name>          default channel (default mychannel)
  --timeout-ms <ms>         how long a transaction may run (default 30000)
  --no-batch                advertise no write batching or multi-key reads (a Fabric 3.0 peer)

${COMMANDS}
Example:
  fabric-shim-ts mock-peer --address 127.0.0.1:7052
  # in another shell:
  fabric-shim-ts start --peer.address 127.0.0.1:7052 --chaincode-id-name mycc:1.0
  # then, on the mock peer's stdin:
  invoke mycc --msp Org2MSP --attr role=auditor --transient secret=s3 CreateAsset a1 blue
  evaluate mycc ReadAsset a1
`;

/** Splits a command line on spaces; "double quoted" words are JSON strings. */
export function tokenize(line: string): string[] {
  const out: string[] = [];
  const re = /"((?:[^"\\]|\\.)*)"|(\S+)/g;
  // Group 1 is a quoted word's content; otherwise the whole match is a bare word.
  for (let m = re.exec(line); m; m = re.exec(line)) out.push(m[1] !== undefined ? (JSON.parse(`"${m[1]}"`) as string) : m[0]);
  return out;
}

const MOCK_PEER_ARGS: ArgSpec = {
  style: 'strict',
  lastWins: true,
  values: { address: [], channel: [], 'timeout-ms': [] },
  booleans: { 'no-batch': [] },
};

/** The peer's options from the command line, or the text to print (the usage, or the problem and the usage). */
function parseFlags(argv: readonly string[]): MockPeerOptions | string {
  if (wantsHelp(argv)) return USAGE;
  const opts: MockPeerOptions = { address: '127.0.0.1:7052' };
  try {
    const args = parseArgs(argv, MOCK_PEER_ARGS);
    if (args.positionals[0] !== undefined) return `unknown option ${args.positionals[0]}\n${USAGE}`;
    if (args.booleans.has('no-batch')) opts.capabilities = false;
    const address = args.values.get('address');
    const channel = args.values.get('channel');
    const timeout = args.values.get('timeout-ms');
    if (address !== undefined) opts.address = address;
    if (channel !== undefined) opts.channel = channel;
    if (timeout !== undefined) opts.txTimeoutMs = Number(timeout);
  } catch (e) {
    return `${(e as Error).message}\n${USAGE}`;
  }
  return opts;
}

/** `name=value` of --attr / --transient. */
function pair(flag: string, text: string | undefined): [string, string] {
  const eq = text?.indexOf('=') ?? -1;
  if (text === undefined || eq <= 0) throw new Error(`${flag} needs name=value, not ${JSON.stringify(text ?? '')}`);
  return [text.slice(0, eq), text.slice(eq + 1)];
}

/** The options before an invoke's arguments (`--channel`, `--msp`, `--attr`, `--transient`, `--`). */
function invokeOptions(peer: MockPeer, words: string[]): { opts: InvokeOptions; args: string[] } {
  const opts: InvokeOptions = {};
  let msp: string | undefined;
  const attrs: Record<string, string> = {};
  const transient: Record<string, string> = {};
  let i = 0;
  for (; i < words.length; i++) {
    const word = words[i] as string;
    if (word === '--') {
      i++;
      break;
    }
    if (!word.startsWith('--')) break;
    const value = words[++i];
    if (word === '--channel' && value !== undefined) opts.channel = value;
    else if (word === '--msp' && value !== undefined) msp = value;
    else if (word === '--attr') {
      const [k, v] = pair(word, value);
      attrs[k] = v;
    } else if (word === '--transient') {
      const [k, v] = pair(word, value);
      transient[k] = v;
    } else throw new Error(value === undefined ? `${word} needs a value` : `unknown invoke option ${word} (see help)`);
  }
  if (msp !== undefined || Object.keys(attrs).length > 0) opts.identity = peer.identity(msp, attrs);
  if (Object.keys(transient).length > 0) opts.transient = transient;
  return { opts, args: words.slice(i) };
}

async function run(peer: MockPeer, words: string[]): Promise<unknown> {
  const [command, name = '', ...rest] = words;
  const cc = () => {
    const found = peer.chaincode(name);
    if (!found)
      throw new Error(`no chaincode ${JSON.stringify(name)} connected (connected: ${peer.chaincodeNames().join(', ') || 'none'})`);
    return found;
  };
  switch (command) {
    case 'invoke':
    case 'evaluate':
    case 'init': {
      const chaincode = cc();
      const { opts, args } = invokeOptions(peer, rest);
      const res = await (command === 'init'
        ? chaincode.init(args, opts)
        : command === 'evaluate'
          ? chaincode.evaluate(args, opts)
          : chaincode.invoke(args, opts));
      return {
        ...res,
        payload: res.payload.toString('utf8'),
        events: res.events.map((e) => ({ ...e, payload: e.payload.toString('utf8') })),
      };
    }
    case 'get':
      return peer.ledger.getString(name, rest[0] ?? '') ?? null;
    case 'keys':
      return peer.ledger.keys(name);
    case 'history':
      return peer.ledger.getHistory(name, rest[0] ?? '').map((h) => ({ ...h, value: Buffer.from(h.value).toString('utf8') }));
    case 'list':
      return peer.chaincodeNames();
    default:
      throw new Error(`unknown command ${JSON.stringify(command)}`);
  }
}

/**
 * Prints a line when a chaincode registers and when it leaves. MockPeer has no event for it yet
 * (SessionHost's `registered`/`ended` are its public hooks): wrapped here, on this instance only.
 */
function announceChaincodes(peer: MockPeer, output: Writable): void {
  const registered = peer.registered.bind(peer);
  const ended = peer.ended.bind(peer);
  peer.registered = (session) => {
    registered(session);
    output.write(`chaincode ${session.chaincodeId} registered (invoke it as ${session.name})\n`);
  };
  peer.ended = (session) => {
    const wasRegistered = peer.chaincode(session.name)?.session === session;
    ended(session);
    if (wasRegistered) output.write(`chaincode ${session.chaincodeId} left\n`);
  };
}

/** Runs the mock peer until `quit` or end of input; resolves with the process exit code. */
export async function mockPeerCommand(
  argv: readonly string[],
  io: CommandIo = { input: process.stdin, output: process.stdout, errors: process.stderr },
): Promise<number> {
  const opts = parseFlags(argv);
  if (typeof opts === 'string') {
    (opts === USAGE ? io.output : io.errors).write(opts);
    return opts === USAGE ? 0 : 2;
  }
  const peer = await MockPeer.start(opts);
  announceChaincodes(peer, io.output);
  io.output.write(`mock peer listening on ${peer.address} (channel ${peer.channel})\n`);
  const lines = createInterface({ input: io.input, crlfDelay: Infinity });
  try {
    for await (const line of lines) {
      const words = tokenize(line);
      if (words.length === 0) continue;
      if (words[0] === 'quit' || words[0] === 'exit') break;
      if (words[0] === 'help' || words[0] === '?') {
        io.output.write(COMMANDS);
        continue;
      }
      try {
        io.output.write(`${JSON.stringify(await run(peer, words))}\n`);
      } catch (e) {
        io.errors.write(`error: ${e instanceof Error ? e.message : String(e)}\n`);
      }
    }
  } finally {
    lines.close();
    await peer.stop();
  }
  return 0;
}
