/**
 * `fabric-shim-ts mock-peer` in a child process (issue 15): it prints when a chaincode registers
 * and leaves, answers `help` on stdin, passes transient data, an identity (MSP, attributes) and a
 * channel to an invoke, and a busy port is one clean line.
 */
import { join } from 'node:path';
import { ROOT, runCli, runToEnd, stopAll } from './support/cli-process';

const ECHO = join(ROOT, 'test', 'fixtures', 'cli-echo', 'index.js');

afterAll(() => stopAll());

test('registers and leaves are printed; help; invoke with channel, identity and transient data; quit exits 0', async () => {
  const peer = runCli(['mock-peer', '--address', '127.0.0.1:0', '--channel', 'ch1']);
  const [, address] = await peer.waitFor(/mock peer listening on (\S+) \(channel ch1\)\n/, 'stdout');
  const cc = runCli(['start', '--module', ECHO, '--peer.address', address!, '--chaincode-id-name', 'echo:1.0']);
  await peer.waitFor(/^chaincode echo:1\.0 registered \(invoke it as echo\)\n/m, 'stdout');

  peer.write('help');
  await peer.waitFor(/quit .*\n/, 'stdout');
  expect(peer.stdout()).toMatch(/invoke <chaincode> \[options\] <args\.\.\.>/);
  expect(peer.stdout()).toMatch(/--transient <key=value>/);

  peer.write('invoke echo --channel ch2 --msp Org2MSP --attr role=auditor --transient "secret=s 3" --transient k2=v2 -- --literal x');
  const [json] = await peer.waitFor(/^\{"outcome".*\}\n/m, 'stdout');
  const result = JSON.parse(json!) as { status: number; payload: string };
  expect(result.status).toBe(200);
  expect(JSON.parse(result.payload)).toEqual({
    args: ['--literal', 'x'],
    channel: 'ch2',
    msp: 'Org2MSP',
    role: 'auditor',
    transient: { secret: 's 3', k2: 'v2' },
  });

  peer.write('invoke echo --attr norole');
  await peer.waitFor(/^error: --attr needs name=value, not "norole"\n/m);

  cc.child.kill('SIGTERM');
  await cc.exit;
  await peer.waitFor(/^chaincode echo:1\.0 left\n/m, 'stdout');
  peer.write('quit');
  expect(await peer.exit).toBe(0);
  expect(peer.stderr()).toBe('error: --attr needs name=value, not "norole"\n');
});

test('a second mock peer on a busy port: one clean EADDRINUSE line, exit 1', async () => {
  const first = runCli(['mock-peer', '--address', '127.0.0.1:0']);
  const [, address] = await first.waitFor(/listening on (\S+)/, 'stdout');
  const second = await runToEnd(['mock-peer', '--address', address!]);
  expect(second.code).toBe(1);
  expect(second.stderr).toBe(
    `fabric-shim-ts: [CONFIG]: cannot listen on ${address!}: the address is already in use (EADDRINUSE): another process listens there\n`,
  );
  first.write('quit');
  expect(await first.exit).toBe(0);
});
