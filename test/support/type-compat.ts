/**
 * The type-compatibility harness: compiles probe sources written against fabric-shim 2.5.8 and
 * fabric-contract-api 2.5.8 twice with the TypeScript compiler API, once as written and once with
 * only the imports rewritten to fabric-shim-ts, in a throw-away consumer project whose
 * node_modules holds the official packages and the BUILT fabric-shim-ts (dist + package.json, as
 * published), under each module setting a contract project uses.
 *
 * One compiler host with a source-file cache serves every program, so lib.*.d.ts, @types/node and
 * the packages' declarations are parsed once for the whole run.
 */
import { mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import * as path from 'node:path';
import * as ts from 'typescript';

export const REPO = path.resolve(__dirname, '..', '..');
export const PROBES = path.join(REPO, 'test', 'compat', 'types');
/** The differential corpus: its TypeScript chaincodes are probes too (issue 12: tsc diagnostics of the corpus). */
export const CORPUS = path.join(REPO, 'test', 'compat', 'chaincodes');

/** The .ts files of the corpus's TypeScript chaincodes, relative to {@link CORPUS} (`name/file.ts`). */
export function corpusSources(): string[] {
  return readdirSync(CORPUS)
    .filter((name) => statSync(path.join(CORPUS, name)).isDirectory())
    .flatMap((name) =>
      readdirSync(path.join(CORPUS, name))
        .filter((f) => f.endsWith('.ts'))
        .map((f) => `${name}/${f}`),
    )
    .sort();
}

/** The import rewrite a migrating user makes, and nothing else. */
export const IMPORT_MAP: Readonly<Record<string, string>> = {
  'fabric-shim': 'fabric-shim-ts',
  'fabric-contract-api': 'fabric-shim-ts/contract',
};

export function migrate(source: string): string {
  return source.replace(/(['"])(fabric-shim|fabric-contract-api)\1/g, (_m, q: string, name: string) => `${q}${IMPORT_MAP[name]}${q}`);
}

export interface Setting {
  name: string;
  options: ts.CompilerOptions;
}

/** The module settings of the rule: classic CommonJS (node10), node16, nodenext, bundler; each with and without skipLibCheck. */
export const MODULE_SETTINGS: readonly { name: string; options: ts.CompilerOptions }[] = [
  { name: 'commonjs', options: { module: ts.ModuleKind.CommonJS, moduleResolution: ts.ModuleResolutionKind.Node10 } },
  { name: 'node16', options: { module: ts.ModuleKind.Node16, moduleResolution: ts.ModuleResolutionKind.Node16 } },
  { name: 'nodenext', options: { module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext } },
  { name: 'bundler', options: { module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler } },
];

/**
 * What a typical contract project's tsconfig says (fabric-samples' chaincode-typescript plus
 * `strict`): decorators with metadata, no DOM lib (chaincode runs on Node), Node's types only.
 */
export const BASE_OPTIONS: ts.CompilerOptions = {
  target: ts.ScriptTarget.ES2020,
  lib: ['lib.es2020.d.ts'],
  strict: true,
  experimentalDecorators: true,
  emitDecoratorMetadata: true,
  esModuleInterop: true,
  noEmit: true,
  types: ['node'],
  ignoreDeprecations: '5.0',
};

export const SETTINGS: readonly Setting[] = MODULE_SETTINGS.flatMap((m) =>
  [false, true].map((skipLibCheck) => ({
    name: `${m.name}${skipLibCheck ? '+skipLibCheck' : ''}`,
    options: { ...BASE_OPTIONS, ...m.options, skipLibCheck },
  })),
);

/**
 * A consumer project: package.json (CommonJS), node_modules with every package of the repo's
 * node_modules (the official packages and their type dependencies) plus `fabric-shim-ts` pointing
 * at the repo root, whose package.json exposes dist/ as it would once installed.
 */
export function createConsumer(dir: string): void {
  writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'type-compat-probe', version: '1.0.0', private: true }));
  const modules = path.join(dir, 'node_modules');
  mkdirSync(modules);
  const source = path.join(REPO, 'node_modules');
  for (const entry of readdirSync(source)) {
    if (entry.startsWith('.')) continue;
    symlinkSync(path.join(source, entry), path.join(modules, entry), 'dir');
  }
  symlinkSync(REPO, path.join(modules, 'fabric-shim-ts'), 'dir');
}

/**
 * Writes every probe twice: `official/` as written, `ours/` migrated; the `ours-only/` probes (no
 * official counterpart: our subpaths and additions) go to `ours/` only. Returns the root file lists.
 */
export function writeProbes(dir: string, probes: readonly string[]): { official: string[]; ours: string[] } {
  const official: string[] = [];
  const ours: string[] = [];
  for (const side of ['official', 'ours'] as const) mkdirSync(path.join(dir, side), { recursive: true });
  for (const probe of probes) {
    const text = readFileSync(path.join(PROBES, probe), 'utf8');
    const a = path.join(dir, 'official', probe);
    const b = path.join(dir, 'ours', probe);
    writeFileSync(a, text);
    writeFileSync(b, migrate(text));
    official.push(a);
    ours.push(b);
  }
  // Corpus chaincodes keep their folders: their files import each other.
  for (const source of corpusSources()) {
    const text = readFileSync(path.join(CORPUS, source), 'utf8');
    for (const [side, body, list] of [
      ['official', text, official],
      ['ours', migrate(text), ours],
    ] as const) {
      const target = path.join(dir, side, 'corpus', source);
      mkdirSync(path.dirname(target), { recursive: true });
      writeFileSync(target, body);
      list.push(target);
    }
  }
  const only = path.join(PROBES, 'ours-only');
  for (const probe of readdirSync(only).filter((f) => f.endsWith('.ts'))) {
    const target = path.join(dir, 'ours', `ours-only-${probe}`);
    writeFileSync(target, readFileSync(path.join(only, probe), 'utf8'));
    ours.push(target);
  }
  return { official, ours };
}

/** A compiler host whose parsed source files are shared by every program of the run. */
export function sharedHost(): ts.CompilerHost {
  const host = ts.createCompilerHost(BASE_OPTIONS, true);
  const cache = new Map<string, ts.SourceFile | undefined>();
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (fileName, languageVersionOrOptions, onError, shouldCreate) => {
    const o = typeof languageVersionOrOptions === 'object' ? languageVersionOrOptions : { languageVersion: languageVersionOrOptions };
    const key = `${fileName}|${o.languageVersion}|${o.impliedNodeFormat ?? ''}`;
    if (!cache.has(key)) cache.set(key, getSourceFile(fileName, languageVersionOrOptions, onError, shouldCreate));
    return cache.get(key);
  };
  return host;
}

export interface Finding {
  /** Path relative to the consumer folder's side (`official/`/`ours/`), or the package file. */
  file: string;
  line: number;
  code: number;
  message: string;
}

/** A diagnostic as one comparable, printable record. */
function finding(d: ts.Diagnostic, root: string): Finding {
  const message = ts.flattenDiagnosticMessageText(d.messageText, '\n');
  if (!d.file || d.start === undefined) return { file: '', line: 0, code: d.code, message };
  const line = d.file.getLineAndCharacterOfPosition(d.start).line + 1;
  let file = path.relative(root, d.file.fileName);
  if (file.startsWith('..')) file = d.file.fileName.replace(/^.*\/node_modules\//, 'node_modules/');
  return { file: file.replace(/^(official|ours)\//, ''), line, code: d.code, message };
}

export function formatFinding(f: Finding): string {
  return `${f.file}:${f.line} TS${f.code} ${f.message.split('\n')[0]}`;
}

/**
 * Every diagnostic of a program except those inside TypeScript's lib files and @types/node, which
 * both sides load identically (checking them again per program would only cost time).
 */
export function diagnose(rootNames: readonly string[], options: ts.CompilerOptions, host: ts.CompilerHost, root: string): Finding[] {
  const program = ts.createProgram({ rootNames, options, host });
  const all: ts.Diagnostic[] = [...program.getOptionsDiagnostics(), ...program.getGlobalDiagnostics()];
  for (const sf of program.getSourceFiles()) {
    if (program.isSourceFileDefaultLibrary(sf) || /[\\/]node_modules[\\/]@types[\\/]node[\\/]/.test(sf.fileName)) continue;
    all.push(...program.getSyntacticDiagnostics(sf), ...program.getSemanticDiagnostics(sf));
  }
  return all.map((d) => finding(d, root));
}

/** True when dist/ is older than some file under src/ (or absent), i.e. `npm run build` is due. */
export function distIsStale(): boolean {
  let built: number;
  try {
    built = Math.min(
      ...['dist/index.d.ts', 'dist/contract/index.d.ts', 'dist/testing/index.d.ts'].map((f) => statSync(path.join(REPO, f)).mtimeMs),
    );
  } catch {
    return true;
  }
  const newest = (dir: string): number =>
    readdirSync(dir, { withFileTypes: true }).reduce((max, e) => {
      const p = path.join(dir, e.name);
      return Math.max(max, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
    }, 0);
  return (
    Math.max(newest(path.join(REPO, 'src')), ...['package.json', 'tsup.config.ts'].map((f) => statSync(path.join(REPO, f)).mtimeMs)) > built
  );
}

/**
 * The bare module specifiers that the declaration file `entry` and every declaration file it
 * reaches through relative imports name (imports, re-exports, `import()` types, references).
 */
export function externalImports(entry: string): Set<string> {
  const found = new Set<string>();
  const seen = new Set<string>();
  const visit = (file: string): void => {
    if (seen.has(file)) return;
    seen.add(file);
    const info = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
    for (const ref of [...info.importedFiles, ...info.typeReferenceDirectives, ...info.libReferenceDirectives]) {
      const name = ref.fileName;
      if (!name.startsWith('.')) {
        found.add(name);
        continue;
      }
      const base = path.resolve(path.dirname(file), name);
      const target = [base, base.replace(/\.m?js$/, '.d.ts'), base.replace(/\.mjs$/, '.d.mts'), `${base}.d.ts`].find((f) => {
        try {
          return statSync(f).isFile();
        } catch {
          return false;
        }
      });
      if (target === undefined) throw new Error(`${file} imports ${name}, which is not in dist/`);
      visit(target);
    }
  };
  visit(entry);
  return found;
}

/** Node's built-in modules, with and without `node:`. */
export function isNodeBuiltin(name: string): boolean {
  return name.startsWith('node:') || builtinModules.includes(name);
}

/**
 * Every exported name of an official module and, for classes, interfaces, enums and namespaces,
 * every member (`Name.member` for instance/interface members, `Name.static member` for a class's
 * static side, `Name.Inner` for namespace exports), listed for both sides from one program.
 */
export function surface(checker: ts.TypeChecker, moduleSymbol: ts.Symbol): Map<string, ts.Symbol> {
  const out = new Map<string, ts.Symbol>();
  const resolve = (s: ts.Symbol): ts.Symbol => (s.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(s) : s);
  const members = (prefix: string, symbol: ts.Symbol, depth: number): void => {
    const s = resolve(symbol);
    if (s.flags & (ts.SymbolFlags.Class | ts.SymbolFlags.Interface | ts.SymbolFlags.TypeAlias)) {
      const type = checker.getDeclaredTypeOfSymbol(s);
      for (const p of checker.getPropertiesOfType(type)) out.set(`${prefix}.${p.name}`, p);
      // A template-literal index signature (`grpc.${string}`) accepts every member it matches.
      for (const info of checker.getIndexInfosOfType(type)) out.set(`${prefix}[${checker.typeToString(info.keyType)}]`, s);
    }
    if (s.flags & (ts.SymbolFlags.Class | ts.SymbolFlags.Variable)) {
      for (const p of checker.getPropertiesOfType(checker.getTypeOfSymbol(s))) {
        if (p.name !== 'prototype') out.set(`${prefix} static ${p.name}`, p);
      }
    }
    if (depth === 0 && s.flags & (ts.SymbolFlags.Namespace | ts.SymbolFlags.Enum)) {
      for (const e of checker.getExportsOfModule(s)) {
        out.set(`${prefix}.${e.name}`, e);
        members(`${prefix}.${e.name}`, e, depth + 1);
      }
    }
  };
  for (const e of checker.getExportsOfModule(moduleSymbol)) {
    out.set(e.name, e);
    members(e.name, e, 0);
  }
  return out;
}

/** The names in the official module's surface that ours lacks. */
export function missingFromOurs(dir: string, official: string, ours: string): string[] {
  const file = path.join(dir, `surface-${official.replace(/\W/g, '_')}.ts`);
  writeFileSync(file, `import * as a from '${official}';\nimport * as b from '${ours}';\nexport { a, b };\n`);
  const program = ts.createProgram({
    rootNames: [file],
    options: { ...BASE_OPTIONS, module: ts.ModuleKind.CommonJS, moduleResolution: ts.ModuleResolutionKind.Node10, skipLibCheck: true },
    host: sharedHost(),
  });
  const checker = program.getTypeChecker();
  const sf = program.getSourceFile(file)!;
  const moduleOf = (spec: string): ts.Symbol => {
    const decl = sf.statements.find(
      (s): s is ts.ImportDeclaration => ts.isImportDeclaration(s) && (s.moduleSpecifier as ts.StringLiteral).text === spec,
    )!;
    const symbol = checker.getSymbolAtLocation(decl.moduleSpecifier);
    if (!symbol) throw new Error(`cannot resolve ${spec}`);
    return symbol;
  };
  const theirs = surface(checker, moduleOf(official));
  const mine = surface(checker, moduleOf(ours));
  const patterns = [...mine.keys()].flatMap((k) => {
    const m = /^(.*)\[(.*)\]$/.exec(k);
    if (!m) return [];
    const alternatives = m[2]!.split(' | ').map((t) =>
      t
        .replace(/^`|`$/g, '')
        .replace(/[.*+?^()|[\]\\]/g, '\\$&')
        .replace(/\$\\\{string\\\}|\$\{string\}/g, '.*'),
    );
    return [new RegExp(`^${m[1]!.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\.(${alternatives.join('|')})$`)];
  });
  return [...theirs.keys()].filter((name) => !mine.has(name) && !patterns.some((re) => re.test(name))).sort();
}
