/**
 * README.md's contract example ("The contract API"), compiled with tsc as a contract project is
 * (legacy decorators with decorator metadata): its `@Object` type must give typed properties in
 * the metadata, and it must start and answer. (Issue 12: the example used `@Property() ID = ''`,
 * whose design:type is Object.)
 */
import './fixtures/contract-quiet';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as ts from 'typescript';
import { chaincodeFromContracts, type ContractLike } from '../src/contract';
import { FakeStub, creatorPem } from './fixtures/contract-fake-stub';

const README = readFileSync(path.join(__dirname, '..', 'README.md'), 'utf8');
const section = README.slice(README.indexOf('## The contract API'));
const example = /```ts\n([\s\S]*?)```/.exec(section)?.[1] ?? '';

let dir: string;
let contracts: ContractLike[];
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'readme-contract-'));
  const source = example.replace("from 'fabric-shim-ts/contract'", `from ${JSON.stringify(path.join(__dirname, '..', 'src', 'contract'))}`);
  const { outputText } = ts.transpileModule(source, {
    compilerOptions: {
      module: ts.ModuleKind.CommonJS,
      target: ts.ScriptTarget.ES2022,
      experimentalDecorators: true,
      emitDecoratorMetadata: true,
    },
  });
  writeFileSync(path.join(dir, 'index.js'), outputText);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  ({ contracts } = require(path.join(dir, 'index.js')) as { contracts: ContractLike[] });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('the example is the one README shows, importing the contract API', () => {
  expect(example).toContain("from 'fabric-shim-ts/contract'");
  expect(example).toContain('@DataType() export class Asset');
});

it('emits a real design:type for every property (none is Object)', () => {
  // What tsc emits for a property is what the metadata gets: design:type must not be Object.
  const { outputText } = ts.transpileModule(example, {
    compilerOptions: { experimentalDecorators: true, emitDecoratorMetadata: true, target: ts.ScriptTarget.ES2022 },
  });
  expect(outputText).not.toMatch(/"design:type", Object\)/);
});

it('starts, with typed properties in the metadata, and answers', async () => {
  const cc = chaincodeFromContracts(contracts, { title: 'readme', version: '1' });
  expect(cc.metadata.components.schemas.Asset).toEqual({
    $id: 'Asset',
    type: 'object',
    properties: { ID: { type: 'string' }, Owner: { type: 'string' }, Value: { type: 'number' } },
  });
  const pem = await creatorPem();
  const state = new Map<string, Buffer>();
  expect((await cc.Invoke(new FakeStub(['CreateAsset', 'a1', 'ann', '5'], state, pem).asStub())).status).toBe(200);
  const read = await cc.Invoke(new FakeStub(['ReadAsset', 'a1'], state, pem).asStub());
  expect(JSON.parse(Buffer.from(read.payload ?? []).toString())).toEqual({ ID: 'a1', Owner: 'ann', Value: 5 });
});
