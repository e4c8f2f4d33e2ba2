/**
 * Loads an example's TypeScript sources the way `tsc` compiles them for deployment.
 *
 * `npm run demo` runs under tsx, whose esbuild transform emits no decorator metadata
 * (`design:type`, `design:paramtypes`); a fabric-contract-api style contract relies on it for
 * `@Property()` and parameter types. So files under the example's `src/` are transpiled here
 * with the TypeScript compiler and the example's own settings (experimentalDecorators +
 * emitDecoratorMetadata), exactly what `npm run build` in the example produces; every other
 * file (the library itself) keeps going through tsx.
 */
import { readFileSync } from 'node:fs';
import Module from 'node:module';
import { join, sep } from 'node:path';
import ts from 'typescript';

type CompileFn = (this: unknown, content: string, filename: string) => unknown;
type Loader = (module: { _compile: CompileFn }, filename: string) => unknown;

const extensions = (Module as unknown as { _extensions: Record<string, Loader> })._extensions;

/**
 * Requires `<exampleDir>/src` with decorator metadata emitted, returning its exports.
 * The hook covers only that directory and is removed again before returning.
 */
export function requireExample<T>(exampleDir: string): T {
  const srcDir = join(exampleDir, 'src') + sep;
  const tsconfig = ts.readConfigFile(join(exampleDir, 'tsconfig.json'), (f) => readFileSync(f, 'utf8'));
  if (tsconfig.error)
    throw new Error(`cannot read ${exampleDir}/tsconfig.json: ${ts.flattenDiagnosticMessageText(tsconfig.error.messageText, '\n')}`);
  const { options } = ts.convertCompilerOptionsFromJson(
    (tsconfig.config as { compilerOptions?: unknown }).compilerOptions ?? {},
    exampleDir,
  );
  const compilerOptions: ts.CompilerOptions = {
    ...options,
    module: ts.ModuleKind.CommonJS,
    sourceMap: false,
    inlineSourceMap: true,
    declaration: false,
  };

  const previous = extensions['.ts'];
  if (previous === undefined) throw new Error('no .ts loader registered: run the demo with tsx (npm run demo)');
  extensions['.ts'] = (module, filename) => {
    if (!filename.startsWith(srcDir)) return previous(module, filename);
    const { outputText } = ts.transpileModule(readFileSync(filename, 'utf8'), { compilerOptions, fileName: filename });
    return module._compile(outputText, filename);
  };
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require(join(exampleDir, 'src')) as T;
  } finally {
    extensions['.ts'] = previous;
  }
}
