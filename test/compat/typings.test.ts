/**
 * Every TypeScript corpus chaincode compiles against the OFFICIAL typings (fabric-shim 2.5.8 +
 * fabric-contract-api 2.5.8) with the settings of a typical contract project: strict, decorators
 * with metadata, CommonJS. The type-compat suite then checks the same files against ours under
 * several module settings; a chaincode that did not compile against the official typings would
 * prove nothing there.
 */
import { readdirSync, statSync } from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';
import { CHAINCODES, ROOT } from './harness';

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const full = path.join(dir, f);
    if (statSync(full).isDirectory()) return tsFiles(full);
    return full.endsWith('.ts') && !full.endsWith('.d.ts') ? [full] : [];
  });
}

test('the TypeScript chaincodes type-check against fabric-shim / fabric-contract-api 2.5.8 (strict, decorators, commonjs)', () => {
  const files = tsFiles(CHAINCODES);
  expect(files.length).toBeGreaterThanOrEqual(5);
  const program = ts.createProgram(files, {
    strict: true,
    experimentalDecorators: true,
    emitDecoratorMetadata: true,
    module: ts.ModuleKind.CommonJS,
    moduleResolution: ts.ModuleResolutionKind.Node10,
    target: ts.ScriptTarget.ES2020,
    esModuleInterop: true,
    noEmit: true,
    types: ['node'],
    typeRoots: [path.join(ROOT, 'node_modules', '@types')],
    ignoreDeprecations: '5.0',
  });
  // The official packages must be what 'fabric-shim' / 'fabric-contract-api' resolve to here.
  const resolved = ['fabric-shim', 'fabric-contract-api'].map((name) =>
    ts.resolveModuleName(name, files[0]!, program.getCompilerOptions(), ts.sys).resolvedModule?.resolvedFileName ?? '(unresolved)');
  expect(resolved).toEqual([expect.stringMatching(/fabric-shim[\\/]types[\\/]index\.d\.ts$/), expect.stringMatching(/fabric-contract-api[\\/]types[\\/]index\.d\.ts$/)]);
  const diagnostics = ts.getPreEmitDiagnostics(program).map((d) => {
    const where = d.file ? `${path.relative(ROOT, d.file.fileName)}:${d.file.getLineAndCharacterOfPosition(d.start ?? 0).line + 1}` : '';
    return `${where} TS${d.code}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
  });
  expect(diagnostics).toEqual([]);
}, 60_000);
