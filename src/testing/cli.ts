/**
 * `fabric-shim-ts mock-peer`: the mock peer as a standalone process for manual testing. Start a
 * chaincode against it (CORE_PEER_ADDRESS = the printed address), then type commands:
 *
 *   invoke <chaincode> <args...>    run a transaction, print the result as JSON
 *   init <chaincode> <args...>      run Init
 *   get <chaincode> <key>           print a committed value
 *   keys <chaincode>                print the committed keys
 *   history <chaincode> <key>       print a key's history, newest first
 *   list                            print the connected chaincodes
 *   quit                            stop (so does end of input)
 *
 * Arguments are split on spaces; wrap one in double quotes (JSON string syntax) to keep spaces.
 */
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { MockPeer, type MockPeerOptions } from './mock-peer';

/** Where the command reads commands and writes results (default: stdin/stdout). */
export interface CommandIo {
  input: Readable;
  output: Writable;
  errors: Writable;
}

const USAGE = `Usage: fabric-shim-ts mock-peer [--address 127.0.0.1:7052] [--channel mychannel] [--timeout-ms 30000] [--no-batch]
Reads commands from stdin: invoke|init <chaincode> <args...>, get <chaincode> <key>, keys <chaincode>,
history <chaincode> <key>, list, quit.
`;

/** Splits a command line on spaces; "double quoted" words are JSON strings. */
export function tokenize(line: string): string[] {
  const out: string[] = [];
  const re = /"((?:[^"\\]|\\.)*)"|(\S+)/g;
  // Group 1 is a quoted word's content; otherwise the whole match is a bare word.
  for (let m = re.exec(line); m; m = re.exec(line)) out.push(m[1] !== undefined ? (JSON.parse(`"${m[1]}"`) as string) : m[0]);
  return out;
}

function parseFlags(argv: readonly string[]): MockPeerOptions | string {
  const opts: MockPeerOptions = { address: '127.0.0.1:7052' };
  const rest = [...argv];
  for (let flag = rest.shift(); flag !== undefined; flag = rest.shift()) {
    if (flag === '--no-batch') {
      opts.capabilities = false;
      continue;
    }
    if (flag === '--help' || flag === '-h') return USAGE;
    const value = rest.shift();
    if (value === undefined) return `missing value for ${flag}\n${USAGE}`;
    if (flag === '--address') opts.address = value;
    else if (flag === '--channel') opts.channel = value;
    else if (flag === '--timeout-ms') opts.txTimeoutMs = Number(value);
    else return `unknown option ${flag}\n${USAGE}`;
  }
  return opts;
}

async function run(peer: MockPeer, words: string[]): Promise<unknown> {
  const [command, name = '', ...rest] = words;
  const cc = () => {
    const found = peer.chaincode(name);
    if (!found) throw new Error(`no chaincode ${JSON.stringify(name)} connected (connected: ${peer.chaincodeNames().join(', ') || 'none'})`);
    return found;
  };
  switch (command) {
    case 'invoke':
    case 'init': {
      const res = await (command === 'init' ? cc().init(rest) : cc().invoke(rest));
      return { ...res, payload: res.payload.toString('utf8'), events: res.events.map((e) => ({ ...e, payload: e.payload.toString('utf8') })) };
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

/** Runs the mock peer until `quit` or end of input; resolves with the process exit code. */
export async function mockPeerCommand(argv: readonly string[], io: CommandIo = { input: process.stdin, output: process.stdout, errors: process.stderr }): Promise<number> {
  const opts = parseFlags(argv);
  if (typeof opts === 'string') {
    (opts === USAGE ? io.output : io.errors).write(opts);
    return opts === USAGE ? 0 : 2;
  }
  const peer = await MockPeer.start(opts);
  io.output.write(`mock peer listening on ${peer.address} (channel ${peer.channel})\n`);
  const lines = createInterface({ input: io.input, crlfDelay: Infinity });
  try {
    for await (const line of lines) {
      const words = tokenize(line);
      if (words.length === 0) continue;
      if (words[0] === 'quit' || words[0] === 'exit') break;
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
