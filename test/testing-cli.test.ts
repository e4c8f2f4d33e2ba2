/** `fabric-shim-ts mock-peer`: commands on stdin drive a chaincode that dialled in. */
import { PassThrough } from 'node:stream';
import { connect, type ChaincodeConnection } from '../src/shim';
import { success } from '../src/response';
import { mockPeerCommand, tokenize } from '../src/cli/mock-peer';

function collect(stream: PassThrough): { text(): string; waitFor(re: RegExp): Promise<RegExpMatchArray> } {
  let text = '';
  const waiters: (() => void)[] = [];
  stream.on('data', (d: Buffer) => {
    text += d.toString();
    waiters.splice(0).forEach((w) => w());
  });
  return {
    text: () => text,
    async waitFor(re) {
      for (;;) {
        const m = text.match(re);
        if (m) return m;
        await new Promise<void>((r) => waiters.push(r));
      }
    },
  };
}

test('tokenize keeps quoted words whole', () => {
  expect(tokenize('invoke cc put "a b" {"x":1}')).toEqual(['invoke', 'cc', 'put', 'a b', '{"x":1}']);
});

test('mock-peer command: listen, invoke, get, history, errors, quit', async () => {
  const input = new PassThrough();
  const output = new PassThrough();
  const errors = new PassThrough();
  const out = collect(output);
  const err = collect(errors);
  const done = mockPeerCommand(['--address', '127.0.0.1:0', '--channel', 'clich'], { input, output, errors });
  const [, address] = await out.waitFor(/listening on (\S+) \(channel clich\)/);
  let conn: ChaincodeConnection | undefined;
  try {
    conn = connect(
      {
        Init: () => success(),
        Invoke: async (stub) => {
          const s = stub as unknown as { getStringArgs(): string[]; putState(k: string, v: Buffer): Promise<void> };
          const [, key, value] = s.getStringArgs();
          await s.putState(key!, Buffer.from(value!));
          return success(Buffer.from(`stored ${key}`));
        },
      },
      { peerAddress: address!, chaincodeId: 'clicc:1.0' },
    );
    await conn.ready;
    input.write('list\n');
    await out.waitFor(/\["clicc"\]/);
    input.write('invoke clicc put k1 "hello world"\n');
    await out.waitFor(/"payload":"stored k1"/);
    input.write('get clicc k1\n');
    await out.waitFor(/"hello world"\n/);
    input.write('evaluate clicc put k2 v2\n'); // runs, answers, commits nothing
    const [evaluated] = await out.waitFor(/^\{.*"payload":"stored k2".*\}\n/m);
    expect(JSON.parse(evaluated!)).toMatchObject({ status: 200, committed: false });
    input.write('get clicc k2\n');
    await out.waitFor(/^null\n/m);
    input.write('history clicc k1\n');
    await out.waitFor(/"isDelete":false/);
    input.write('invoke nosuch x\n');
    await err.waitFor(/no chaincode "nosuch" connected \(connected: clicc\)/);
    input.write('quit\n');
    expect(await done).toBe(0);
    expect(out.text()).toMatch(/"status":200/);
  } finally {
    conn?.close();
    input.end();
    await done;
  }
});

test('mock-peer command: unknown option is exit code 2', async () => {
  const errors = new PassThrough();
  const err = collect(errors);
  const code = await mockPeerCommand(['--bogus', 'x'], { input: new PassThrough(), output: new PassThrough(), errors });
  expect(code).toBe(2);
  expect(err.text()).toMatch(/unknown option --bogus/);
});
