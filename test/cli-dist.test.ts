/**
 * The BUILT bin, `node dist/cli.js`, as the published package runs it (issue 15). The other CLI
 * tests run src/cli.ts under tsx; only this one sees what the bundler did to the code (the
 * CommonJS build once turned the module loader's `import()` into `require()`, which cannot load
 * an ES module with top-level `await`). dist/ is built first if it is missing or stale.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MockPeer } from '../src/testing/mock-peer';
import { runBuiltCli, stopAll } from './support/cli-process';
import { ensureBuiltDist } from './support/dist';

let dir: string;
beforeAll(() => {
  ensureBuiltDist();
  dir = mkdtempSync(join(tmpdir(), 'cli-dist-'));
}, 180_000);
afterAll(async () => {
  await stopAll();
  rmSync(dir, { recursive: true, force: true });
});

function pkg(name: string, files: Record<string, string>): string {
  const root = join(dir, name);
  mkdirSync(root, { recursive: true });
  for (const [file, content] of Object.entries(files)) writeFileSync(join(root, file), content);
  return root;
}

const source = (
  kind: string,
  esm: boolean,
) => `${esm ? 'await new Promise((resolve) => setTimeout(resolve, 1));\n' : ''}const response = (text) => ({ status: 200, message: '', payload: Buffer.from(text) });
${esm ? 'export default' : 'module.exports ='} class Chaincode {
  async Init() { return response(''); }
  async Invoke(stub) { return response(${JSON.stringify(kind)} + ':' + stub.getStringArgs().join(',')); }
}
`;

test('--version prints the package version', async () => {
  const cli = runBuiltCli(['--version']);
  expect(await cli.exit).toBe(0);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  expect(cli.stdout().trim()).toContain((require('../package.json') as { version: string }).version);
});

test.each([
  [
    'an ES module package with top-level await',
    'esm',
    () =>
      pkg('esm', {
        'package.json': JSON.stringify({ name: 'esm-cc', version: '1.0.0', type: 'module', main: 'index.js' }),
        'index.js': source('esm', true),
      }),
  ],
  [
    'a CommonJS package',
    'cjs',
    () =>
      pkg('cjs', {
        'package.json': JSON.stringify({ name: 'cjs-cc', version: '1.0.0', main: 'index.js' }),
        'index.js': source('cjs', false),
      }),
  ],
])('start serves %s against a mock peer, and logs dialling and READY', async (_name, kind, make) => {
  const folder = make();
  const peer = await MockPeer.start();
  try {
    const cli = runBuiltCli(['start', '--module', folder, '--peer.address', peer.address, '--chaincode-id-name', `${kind}:1.0`]);
    const cc = await Promise.race([
      peer.waitForChaincode(kind),
      cli.exit.then(() => {
        throw new Error(`exited early:\n${cli.stderr()}`);
      }),
    ]);
    const res = await cc.invoke(['a', 'b']);
    expect(res.payload.toString()).toBe(`${kind}:a,b`);
    await cli.waitFor(/INFO \[shim:start\] ready peer=\S+ chaincode=\w+:1\.0/);
    expect(cli.stderr()).toMatch(
      new RegExp(`INFO \\[shim:start\\] registering with peer peer=${peer.address.replace(/\./g, '\\.')} chaincode=${kind}:1\\.0 tls=off`),
    );
    cli.child.kill('SIGTERM');
    await cli.exit;
  } finally {
    await peer.stop();
  }
});
