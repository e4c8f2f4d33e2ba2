/**
 * README.md's tsconfig for TypeScript 5.9, 6 and 7 is the example's own, which
 * .ci/typescript-versions compiles with each of them (issue 15).
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';

const ROOT = path.join(__dirname, '..');

test("the README's compilerOptions are examples/asset-transfer/tsconfig.json's", () => {
  const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const shown = /A contract's tsconfig for TypeScript 5\.9, 6 and 7[\s\S]*?```json\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';
  const example = JSON.parse(readFileSync(path.join(ROOT, 'examples', 'asset-transfer', 'tsconfig.json'), 'utf8')) as {
    compilerOptions: unknown;
  };
  expect(JSON.parse(shown)).toEqual(example.compilerOptions);
});

test('every example builds with those options and lists @types/node, which they need', () => {
  for (const name of ['asset-transfer', 'events-and-calls', 'marbles', 'private-assets']) {
    const dir = path.join(ROOT, 'examples', name);
    const { compilerOptions: o } = JSON.parse(readFileSync(path.join(dir, 'tsconfig.json'), 'utf8')) as {
      compilerOptions: Record<string, unknown>;
    };
    const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { devDependencies: Record<string, string> };
    expect({
      name,
      module: o.module,
      moduleResolution: o.moduleResolution,
      types: o.types,
      typesNode: pkg.devDependencies['@types/node'] !== undefined,
    }).toEqual({ name, module: 'node16', moduleResolution: 'node16', types: ['node'], typesNode: true });
  }
  const ci = readFileSync(path.join(ROOT, '.ci', 'run'), 'utf8');
  expect(ci).toContain('.ci/typescript-versions');
});
