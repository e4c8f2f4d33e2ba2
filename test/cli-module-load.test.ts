/**
 * Loading the chaincode module in `fabric-shim-ts start` / `server` (issue 15): a module that
 * fails to load is reported as `node` itself reports it (file, line, source line, the error and
 * its stack), then one line of ours; a missing `require` lists the file once. ES modules
 * (`"type": "module"`, `.mjs`, top-level `await`) load with `import()` on every Node version.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MockPeer } from '../src/testing/mock-peer';
import { runCli, runToEnd, stopAll } from './support/cli-process';

let dir: string;
/** Writes `files` (name -> content) into a new package folder; returns its path. */
function pkg(name: string, files: Record<string, string>): string {
  const root = join(dir, name);
  mkdirSync(root, { recursive: true });
  for (const [file, content] of Object.entries(files)) writeFileSync(join(root, file), content);
  return root;
}
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'cli-module-load-'));
});
afterAll(async () => {
  await stopAll();
  rmSync(dir, { recursive: true, force: true });
});

const start = (module: string) => ['start', '--module', module, '--peer.address', '127.0.0.1:1', '--chaincode-id-name', 'bad:1.0'];
const CJS = JSON.stringify({ name: 'cc', version: '1.0.0', main: 'index.js' });

describe('a module that fails to load: what node prints, then our one line, exit 1', () => {
  test('a syntax error: file and line, the source line and caret, the SyntaxError', async () => {
    const file = join(
      pkg('syntax', { 'package.json': CJS, 'index.js': 'const a = 1;\nfunction f( {\n  return a;\n}\nmodule.exports = {};\n' }),
      'index.js',
    );
    const res = await runToEnd(start(file));
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(new RegExp(`^${file}:3\\n  return a;\\n {9}\\^\\n\\nSyntaxError: Unexpected identifier 'a'\\n {4}at `));
    expect(res.stderr.trimEnd().split('\n').at(-1)).toBe(
      `fabric-shim-ts: cannot load the chaincode module ${file}: SyntaxError: Unexpected identifier 'a' (line 3)`,
    );
    expect(res.stderr).not.toMatch(/TransformError|Node\.js v/);
  });

  test("a missing require: node's message, with the file once in the require stack", async () => {
    const file = join(
      pkg('missing', { 'package.json': CJS, 'index.js': "'use strict';\nrequire('no-such-package-anywhere');\n" }),
      'index.js',
    );
    const res = await runToEnd(start(file));
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(
      new RegExp(
        `^${file}:2\\nrequire\\('no-such-package-anywhere'\\);\\n\\^\\n\\nError: Cannot find module 'no-such-package-anywhere'\\nRequire stack:\\n- ${file}\\n {4}at `,
      ),
    );
    expect(res.stderr.split(`- ${file}`)).toHaveLength(2);
    expect(res.stderr).toMatch(/code: 'MODULE_NOT_FOUND'/);
    expect(res.stderr.trimEnd().split('\n').at(-1)).toBe(
      `fabric-shim-ts: cannot load the chaincode module ${file}: Error: Cannot find module 'no-such-package-anywhere' (MODULE_NOT_FOUND)`,
    );
  });

  test('a throw at load time: the line that threw, the error and its stack', async () => {
    const file = join(pkg('throws', { 'package.json': CJS, 'index.js': "'use strict';\nundefinedThing.call();\n" }), 'index.js');
    const res = await runToEnd(start(file));
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(
      new RegExp(
        `^${file}:2\\nundefinedThing\\.call\\(\\);\\n\\^\\n\\nReferenceError: undefinedThing is not defined\\n {4}at .*\\(${file}:2:1\\)`,
      ),
    );
    expect(res.stderr.trimEnd().split('\n').at(-1)).toBe(
      `fabric-shim-ts: cannot load the chaincode module ${file}: ReferenceError: undefinedThing is not defined`,
    );
  });

  test('server reports it the same way', async () => {
    const file = join(dir, 'throws', 'index.js');
    const res = await runToEnd(['server', '--chaincode-address', '127.0.0.1:0', '--chaincode-id', 'bad:1', '--module-path', file]);
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(new RegExp(`^${file}:2\\nundefinedThing`));
    expect(res.stderr.trimEnd().split('\n').at(-1)).toBe(
      `error: cannot load the chaincode module ${file}: ReferenceError: undefinedThing is not defined`,
    );
    expect(res.stderr).not.toMatch(/Usage:/);
  });
});

describe('ES modules load with import(), top-level await included', () => {
  const chaincodeSource = (payload: string) => `await new Promise((resolve) => setTimeout(resolve, 1));
const response = (text) => ({ status: 200, message: '', payload: Buffer.from(text) });
export default class EsmChaincode {
  async Init() { return response(''); }
  async Invoke(stub) { return response(${JSON.stringify(payload)} + ':' + stub.getStringArgs().join(',')); }
}
`;
  const cases: [string, () => string][] = [
    [
      'a "type": "module" package (package folder)',
      () =>
        pkg('esm-type', {
          'package.json': JSON.stringify({ name: 'esm-cc', version: '1.0.0', type: 'module', main: 'index.js' }),
          'index.js': chaincodeSource('type-module'),
        }),
    ],
    [
      'an .mjs main in a CommonJS package',
      () =>
        pkg('esm-mjs', {
          'package.json': JSON.stringify({ name: 'mjs-cc', version: '1.0.0', main: 'main.mjs' }),
          'main.mjs': chaincodeSource('mjs'),
        }),
    ],
  ];
  test.each(cases)('%s', async (_name, make) => {
    const folder = make();
    const peer = await MockPeer.start();
    try {
      const cli = runCli(['start', '--module', folder, '--peer.address', peer.address, '--chaincode-id-name', 'esm:1.0']);
      const cc = await Promise.race([
        peer.waitForChaincode('esm'),
        cli.exit.then(() => {
          throw new Error(cli.stderr());
        }),
      ]);
      const res = await cc.invoke(['a', 'b']);
      expect(res.payload.toString()).toMatch(/^(type-module|mjs):a,b$/);
    } finally {
      await peer.stop();
    }
  });
});
