/**
 * The one argument parser of the CLI and of `start()` (src/cli/args.ts): fabric-chaincode-node's
 * yargs conventions for `start`/`server`, strict ones for our own commands.
 */
import { type ArgSpec, parseArgs } from '../src/cli/args';
import { ShimError } from '../src/errors';

const YARGS: ArgSpec = { style: 'yargs', values: { 'peer.address': [], module: ['module-path'] }, valuePattern: /^grpc\.[A-Za-z0-9_.]+$/ };
const STRICT: ArgSpec = { style: 'strict', values: { label: [], file: ['f'] }, booleans: { tls: [] } };

function configError(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ShimError);
    expect((e as ShimError).code).toBe('CONFIG');
    return (e as ShimError).message;
  }
  throw new Error('expected a CONFIG error');
}

describe('yargs style (start, server, start())', () => {
  test('both forms, camelCase spellings, aliases, last one wins, --grpc.* by pattern', () => {
    const args = parseArgs(
      ['--peer.address', 'a:1', '--modulePath=/m', '--grpc.max_send_message_length', '-1', '--peer.address=b:2'],
      YARGS,
    );
    expect(Object.fromEntries(args.values)).toEqual({ 'peer.address': 'b:2', module: '/m', 'grpc.max_send_message_length': '-1' });
  });
  test('unknown options and other words are ignored; a value never starts with --', () => {
    expect(parseArgs(['index.js', '--other', 'x', '-v', '--peer.address', 'a:1'], YARGS).values.get('peer.address')).toBe('a:1');
    expect(configError(() => parseArgs(['--peer.address', '--module', 'm'], YARGS))).toBe('--peer.address needs a value');
    expect(configError(() => parseArgs(['--grpc.keepalive_time_ms'], YARGS))).toBe('--grpc.keepalive_time_ms needs a value');
  });
});

describe('strict style (package, mock-peer, dev, metadata)', () => {
  test('values, short spellings, booleans, positionals', () => {
    const args = parseArgs(['ccaas', '--label', '--odd', '-f=out.json', '--tls'], STRICT);
    expect(Object.fromEntries(args.values)).toEqual({ label: '--odd', file: 'out.json' });
    expect([...args.booleans]).toEqual(['tls']);
    expect(args.positionals).toEqual(['ccaas']);
  });
  test('unknown, repeated, valueless options are errors naming the option as typed', () => {
    expect(configError(() => parseArgs(['--bogus'], STRICT))).toBe('unknown option --bogus');
    expect(configError(() => parseArgs(['--tls=yes'], STRICT))).toBe('unknown option --tls=yes');
    expect(configError(() => parseArgs(['-f', 'a', '--file', 'b'], STRICT))).toBe('--file given twice');
    expect(configError(() => parseArgs(['--label'], STRICT))).toBe('--label needs a value');
    expect(parseArgs(['-f', 'a', '--file', 'b'], { ...STRICT, lastWins: true }).values.get('file')).toBe('b');
  });
});
