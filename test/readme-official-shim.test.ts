/**
 * README.md, "Driving the official fabric-shim": both recipes, run exactly as shown. fabric-shim
 * 2.5.8's `fabric-chaincode-node start` ignores CORE_PEER_ADDRESS, so the peer address and the
 * chaincode id go as flags (`--peer.address`, `--chaincode-id-name`), and `stub.getMspID()` needs
 * CORE_PEER_LOCALMSPID. The chaincode is an unchanged fabric-contract-api package.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { MockPeer } from 'fabric-shim-ts/testing';
import { ROOT, runCli, stopAll } from './support/cli-process';
import { stopChildren } from './support/children';

const README = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
const section = README.slice(README.indexOf('### Driving the official fabric-shim'));
const tsBlock = /```ts\n([\s\S]*?)```/.exec(section)?.[1] ?? '';
const bashBlock = /```bash\n([\s\S]*?)```/.exec(section)?.[1] ?? '';
const packageDir = path.join(ROOT, 'test', 'fixtures', 'contract-js-package'); // module.exports.contracts = [Greeter]
const BIN = path.join(ROOT, 'node_modules', '.bin', 'fabric-chaincode-node'); // what npx runs

let peer: MockPeer | undefined;
let child: ChildProcess | undefined;
afterAll(async () => {
  // afterAll: child.kill(), then await peer.stop()
  if (child) await stopChildren(child);
  await peer?.stop();
  await stopAll();
});

test("the README's TypeScript recipe is this test's code", () => {
  const self = readFileSync(__filename, 'utf8');
  const lines = tsBlock
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '');
  expect(lines.length).toBeGreaterThan(4);
  for (const line of lines)
    expect({ line, here: self.includes(line.replace(/^const (child|peer) /, '$1 ')) }).toEqual({ line, here: true });
});

test('a test starts the official chaincode against the mock peer and invokes it', async () => {
  peer = await MockPeer.start();
  const registered = peer.waitForChaincode('greeter');
  child = spawn(
    process.execPath,
    [require.resolve('fabric-shim/cli.js'), 'start', '--peer.address', peer.address, '--chaincode-id-name', 'greeter:1.0'],
    {
      cwd: packageDir, // the package whose main exports `contracts` (or pass --module-path)
      env: { ...process.env, CORE_PEER_LOCALMSPID: 'Org1MSP', CORE_CHAINCODE_LOGGING_LEVEL: 'warning' },
      stdio: 'inherit',
    },
  );
  const cc = await registered;
  const res = await cc.invoke(['greeter:Hello', 'ann']);
  expect(res.payload.toString()).toBe('hello ann');
});

test("the README's shell recipe: the mock peer CLI and `npx fabric-chaincode-node start` with flags", async () => {
  const lines = bashBlock
    .split('\n')
    .map((l) => l.replace(/\s+#.*$/, '').trim())
    .filter((l) => l !== '');
  expect(lines).toEqual([
    'npx fabric-shim-ts mock-peer --address 127.0.0.1:7052',
    'CORE_PEER_LOCALMSPID=Org1MSP npx fabric-chaincode-node start --peer.address 127.0.0.1:7052 --chaincode-id-name greeter:1.0',
    'invoke greeter greeter:Hello ann',
  ]);
  // The same commands, on a free port instead of 7052.
  const mock = runCli(['mock-peer', '--address', '127.0.0.1:0']);
  const [, address] = await mock.waitFor(/mock peer listening on (\S+)/, 'stdout');
  const [envPart, , , ...args] = lines[1]!.replaceAll('127.0.0.1:7052', address!).split(' ');
  const [envName, envValue] = envPart!.split('=');
  const official = spawn(BIN, args, {
    cwd: packageDir,
    env: { ...process.env, [envName!]: envValue, CORE_CHAINCODE_LOGGING_LEVEL: 'warning' },
    stdio: 'ignore',
  });
  try {
    await mock.waitFor(/^chaincode greeter:1\.0 registered/m, 'stdout');
    mock.write(lines[2]!);
    const [json] = await mock.waitFor(/^\{"outcome".*\}\n/m, 'stdout');
    expect(JSON.parse(json!)).toMatchObject({ status: 200, payload: 'hello ann' });
  } finally {
    await stopChildren(official);
  }
  mock.write('quit');
  expect(await mock.exit).toBe(0);
});
