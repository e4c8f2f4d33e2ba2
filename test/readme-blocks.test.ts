/**
 * Every TypeScript block in README.md is either the code of a file that is run (a test, or an
 * example a test runs: each of its lines is in that file) or is type-checked here against the
 * sources, with only the names it assumes declared (issue 15). A new block fails until it is
 * one or the other.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';

const ROOT = path.join(__dirname, '..');
const README = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
const blocks = [...README.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!);

/** Blocks that are run: the block's first line, the file holding every line of it. */
const SHOWN_FILES: Record<string, string> = {
  "import { Context, Contract, Info, Returns, Transaction, Object as DataType, Property } from 'fabric-shim-ts/contract';": '', // compiled and run by contract-readme-example.test.ts
  "import { Shim, type ChaincodeInterface, type ChaincodeStub } from 'fabric-shim-ts';": 'test/readme-example.test.ts',
  '// test/readme-testing-contracts.test.ts': 'test/readme-testing-contracts.test.ts',
  'peer = await MockPeer.start();': 'test/readme-official-shim.test.ts',
  'peer = await MockPeer.start({ gateway: true });': 'test/readme-gateway.test.ts',
  '// examples/observability/otel-demo.ts (needs @opentelemetry/api, sdk-trace-base, sdk-metrics, context-async-hooks)':
    'examples/observability/otel-demo.ts',
};

/** Blocks type-checked here: the block's first line, what it assumes (declarations put before it). */
const COMPILED: Record<string, string> = {
  "import { Shim, ChaincodeInterface, ChaincodeStub } from 'fabric-shim-ts';   // or: const shim = require('fabric-shim-ts')": '',
  "import { Shim } from 'fabric-shim-ts';":
    "import type { ChaincodeInterface } from 'fabric-shim-ts';\ndeclare class Cc implements ChaincodeInterface { Init: ChaincodeInterface['Init']; Invoke: ChaincodeInterface['Invoke']; }\n",
  "import pino from 'pino';": '',
  '// client side (fabric-gateway)':
    "import { context, propagation } from '@opentelemetry/api';\nimport type { Contract } from '@hyperledger/fabric-gateway';\ndeclare const contract: Contract;\n",
};

/** Modules a block imports that this repository does not install. */
const AMBIENT = `declare module 'pino' {
  type LogFn = (fields: object, msg: string) => void;
  const pino: () => Record<'fatal' | 'error' | 'warn' | 'info' | 'debug', LogFn>;
  export default pino;
}
`;

const firstLine = (block: string) => block.split('\n')[0]!;

test('every block is a file that runs or is type-checked here', () => {
  const unknown = blocks.map(firstLine).filter((l) => !(l in SHOWN_FILES) && !(l in COMPILED));
  expect(unknown).toEqual([]);
  // And nothing listed here has gone from the README.
  expect([...Object.keys(SHOWN_FILES), ...Object.keys(COMPILED)].filter((l) => !blocks.some((b) => firstLine(b) === l))).toEqual([]);
});

test.each(blocks.filter((b) => SHOWN_FILES[firstLine(b)]).map((b) => [SHOWN_FILES[firstLine(b)]!, b] as const))(
  "the block from %s is that file's code",
  (file, block) => {
    // Compared with runs of spaces as one (the README aligns comments); a first line naming the
    // file, and `const` before a name the test declares further up, are the README's own.
    const squash = (t: string) => t.replace(/[ \t]+/g, ' ').trim();
    const text = squash(readFileSync(path.join(ROOT, file), 'utf8'));
    const missing = block
      .split('\n')
      .map(squash)
      .filter((l) => l !== '' && !l.startsWith(`// ${file}`) && !text.includes(l) && !text.includes(l.replace(/^const /, '')));
    expect(missing).toEqual([]);
  },
);

test('the other blocks type-check against the sources', () => {
  const files = new Map<string, string>([[path.join(ROOT, '.readme-blocks', 'ambient.d.ts'), AMBIENT]]);
  blocks
    .filter((b) => firstLine(b) in COMPILED)
    .forEach((b, i) => {
      // Each block is a module of its own (top-level await as in an ES module).
      files.set(path.join(ROOT, '.readme-blocks', `block${i}.ts`), `${COMPILED[firstLine(b)]}${b}\nexport {};\n`);
    });
  const options: ts.CompilerOptions = {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    esModuleInterop: true,
    experimentalDecorators: true,
    emitDecoratorMetadata: true,
    types: ['node'],
    baseUrl: ROOT,
    paths: {
      'fabric-shim-ts': ['./src/index.ts'],
      'fabric-shim-ts/contract': ['./src/contract/index.ts'],
      'fabric-shim-ts/testing': ['./src/testing/index.ts'],
    },
  };
  const host = ts.createCompilerHost(options);
  const readFile = host.readFile.bind(host);
  const fileExists = host.fileExists.bind(host);
  const getSourceFile = host.getSourceFile.bind(host);
  host.readFile = (f) => files.get(f) ?? readFile(f);
  host.fileExists = (f) => files.has(f) || fileExists(f);
  host.getSourceFile = (f, lang, ...rest) => (files.has(f) ? ts.createSourceFile(f, files.get(f)!, lang) : getSourceFile(f, lang, ...rest));
  const program = ts.createProgram([...files.keys()], options, host);
  const diagnostics = ts.getPreEmitDiagnostics(program).filter((d) => d.file && files.has(d.file.fileName));
  expect(diagnostics.map((d) => `${path.basename(d.file!.fileName)}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`)).toEqual([]);
});
