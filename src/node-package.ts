/**
 * Fabric `node` install packages, as `peer lifecycle chaincode package --lang node` writes them
 * (fabric internal/peer/lifecycle/chaincode/package.go, core/chaincode/platforms/node and
 * platforms/util/writer.go):
 * - an outer gzipped tar of `metadata.json` (`{"path":P,"type":"node","label":L}`, in that
 *   order) then `code.tar.gz`;
 * - `code.tar.gz`: every regular file of the project folder under `src/<relative path>`, except
 *   `META-INF/...` at the folder's root, kept as `META-INF/...` (its hidden files skipped);
 *   directories named `node_modules` or `.git` are skipped at any depth. Mode 0644, fixed times.
 *
 * We also skip other dot-folders (`.vscode`, `.idea`...: never chaincode) and the output file
 * itself. `--bundle` replaces the project's files by one esbuild bundle plus a package.json with
 * no dependencies (see {@link bundleProject}).
 *
 * The tar and gzip writer, label rules and package id are the ccaas package's (one piece of code).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, lstatSync, readFileSync, readdirSync, realpathSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { gzip, packageIdOf, ustarArchive, validateLabel, type TarFile } from './ccaas-package';
import { ShimError } from './errors';
import { loadPackage } from './optional-module';

/** Input of {@link createNodePackage}. */
export interface NodePackageOptions {
  label: string;
  /** The `path` written in metadata.json (the peer does not use it; `peer` writes its --path). */
  path: string;
  /** The files of code.tar.gz, named as they go in it (`src/...`, `META-INF/...`). */
  files: readonly TarFile[];
}

/** A built node package: its bytes, its package id and the metadata.json object written. */
export interface NodePackage {
  bytes: Uint8Array;
  packageId: string;
  metadata: { path: string; type: 'node'; label: string };
}

/** Builds the install package and its id. Pure: writes nothing to disk. */
export function createNodePackage(opts: NodePackageOptions): NodePackage {
  validateLabel(opts.label);
  if (!opts.files.some((f) => f.name === 'src/package.json')) {
    // The peer's node platform refuses a code package without it.
    throw new ShimError('CONFIG', 'no package.json at the root of the chaincode package');
  }
  const mtime = new Date(0);
  const metadata = { path: opts.path, type: 'node' as const, label: opts.label };
  const code = gzip(ustarArchive(opts.files.map((f) => ({ ...f, mode: 0o644, mtime }))));
  const bytes = gzip(
    ustarArchive([
      { name: 'metadata.json', data: new TextEncoder().encode(JSON.stringify(metadata)), mtime },
      { name: 'code.tar.gz', data: code, mtime },
    ]),
  );
  return { bytes, packageId: packageIdOf(opts.label, bytes), metadata };
}

/**
 * The files `peer lifecycle chaincode package --lang node` takes from `dir`, in its order
 * (a depth-first walk with names sorted), named as in code.tar.gz. `exclude` are absolute paths
 * left out (the output file).
 */
export function projectFiles(dir: string, exclude: readonly string[] = []): TarFile[] {
  const root = resolve(dir);
  const skip = new Set(exclude.map((f) => resolve(f)));
  const files: TarFile[] = [];
  const walk = (folder: string): void => {
    for (const name of readdirSync(folder).sort()) {
      const full = join(folder, name);
      const stat = lstatSync(full);
      if (stat.isDirectory()) {
        if (name === 'node_modules' || name.startsWith('.')) continue;
        walk(full);
        continue;
      }
      // Fabric follows symlinks to files (os.Stat); a regular file is all a tar entry here may be.
      const isFile = stat.isFile() || (stat.isSymbolicLink() && existsSync(full) && lstatSync(realpathSync(full)).isFile());
      if (!isFile || skip.has(full)) continue;
      const rel = relative(root, full).split(sep).join('/');
      let name_ = `src/${rel}`;
      if (rel.startsWith('META-INF/')) {
        if (name.startsWith('.')) continue; // the peer ignores hidden metadata files
        name_ = rel;
      }
      files.push({ name: name_, data: readFileSync(full) });
    }
  };
  walk(root);
  if (files.length === 0) throw new ShimError('CONFIG', `no source files found in '${dir}'`);
  return files;
}

interface PackageJson {
  name?: string;
  version?: string;
  main?: string;
  scripts?: Record<string, string>;
}

function readPackageJson(dir: string): PackageJson {
  const file = join(dir, 'package.json');
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as PackageJson;
  } catch (err) {
    throw new ShimError('CONFIG', `cannot read ${file}: ${(err as Error).message} (run this in the contract package's folder)`, {
      cause: err,
    });
  }
}

type Esbuild = typeof import('esbuild');

/** esbuild from the project (a devDependency there), else from beside fabric-shim-ts; a clear error if neither. */
function loadEsbuild(root: string): Esbuild {
  try {
    return createRequire(join(root, 'package.json'))('esbuild') as Esbuild;
  } catch {
    return loadPackage<Esbuild>('esbuild', 'fabric-shim-ts package node --bundle');
  }
}

/** The bundled file's name inside code.tar.gz's src/. */
export const BUNDLE_FILE = 'index.js';

/**
 * The files of a bundled code package for the project in `dir`: `src/package.json` (no
 * dependencies; `npm start` runs the bundle, as Fabric's node builder does with
 * `npm start -- --peer.address ... --chaincode-id-name ...`), `src/index.js` (the package's
 * `main` and fabric-shim-ts in one CommonJS file for Node 20), the contract metadata, and the
 * CouchDB indexes under META-INF/.
 *
 * Runs the package's `build` script first when it has one. The already compiled `main` is
 * bundled (not the TypeScript): decorator metadata is what tsc emitted.
 */
export async function bundleProject(dir: string, log: (line: string) => void = () => undefined): Promise<TarFile[]> {
  const root = resolve(dir);
  const pkg = readPackageJson(root);
  const esbuild = loadEsbuild(root);
  if (pkg.scripts?.build !== undefined) {
    log(`running the build script: ${pkg.scripts.build}`);
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
    const run = spawnSync(npm, ['run', 'build'], { cwd: root, stdio: ['ignore', 2, 2] });
    if (run.status !== 0)
      throw new ShimError('CONFIG', `the build script failed (npm run build exited ${String(run.status ?? run.signal)})`);
  }
  const projectRequire = createRequire(join(root, 'package.json'));
  let main: string;
  try {
    main = projectRequire.resolve(root);
  } catch (cause) {
    throw new ShimError('CONFIG', `cannot find the package's main (${pkg.main ?? 'index.js'}) in ${root}: is the package built?`, {
      cause,
    });
  }
  if (/\.[mc]?tsx?$/.test(main)) {
    throw new ShimError(
      'CONFIG',
      `"main" is TypeScript (${relative(root, main)}): bundle the compiled JavaScript (decorator metadata is tsc's), point "main" at it`,
    );
  }
  // The shim the package's own code uses (one copy in the bundle): its contract entry, whose
  // startModule is `fabric-shim-ts start` for a module already loaded.
  let shim: string;
  try {
    shim = projectRequire.resolve('fabric-shim-ts/contract');
  } catch (cause) {
    throw new ShimError('CONFIG', `fabric-shim-ts is not installed in ${root} (npm install fabric-shim-ts)`, { cause });
  }
  // Packages fabric-shim-ts loads only when needed (certificate parsing): found from the shim's
  // own folder, else this CLI's; bundled when found, and handed to the shim by name.
  const optional: Record<string, string> = {};
  for (const name of ['reflect-metadata', '@peculiar/x509']) {
    for (const from of [dirname(realpathSync(shim)), __dirname]) {
      try {
        optional[name] = createRequire(join(from, 'index.js')).resolve(name);
        break;
      } catch {
        // not installed there
      }
    }
  }
  const entry = [
    "'use strict';",
    '// Generated by fabric-shim-ts package node --bundle: starts the contract package with no node_modules.',
    `globalThis[Symbol.for('fabric-shim-ts.bundled-packages')] = {${Object.entries(optional)
      .map(([name, file]) => `\n  ${JSON.stringify(name)}: () => require(${JSON.stringify(file)}),`)
      .join('')}\n};`,
    `const exported = require(${JSON.stringify(main)});`,
    `require(${JSON.stringify(shim)}).startModule(exported, { modulePath: __filename });`,
    '',
  ].join('\n');
  let result: Awaited<ReturnType<Esbuild['build']>>;
  try {
    result = await esbuild.build({
      stdin: { contents: entry, resolveDir: root, sourcefile: 'fabric-shim-ts-bundle-entry.js', loader: 'js' },
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'cjs',
      keepNames: true,
      write: false,
      outfile: join(root, BUNDLE_FILE),
      logLevel: 'silent',
      legalComments: 'inline',
    });
  } catch (err) {
    throw new ShimError('CONFIG', `bundling ${relative(root, main)} failed: ${(err as Error).message}`, { cause: err });
  }
  const code = result.outputFiles?.[0];
  if (code === undefined) throw new ShimError('CONFIG', 'esbuild wrote no bundle');
  const bundledPkg = {
    name: pkg.name ?? 'chaincode',
    version: pkg.version ?? '0.0.0',
    private: true,
    description: 'bundled by fabric-shim-ts package node --bundle: no dependencies',
    main: BUNDLE_FILE,
    scripts: { start: `node ${BUNDLE_FILE}` },
  };
  const files: TarFile[] = [
    { name: 'src/package.json', data: new TextEncoder().encode(JSON.stringify(bundledPkg, null, 2) + '\n') },
    { name: `src/${BUNDLE_FILE}`, data: code.contents },
  ];
  // The contract metadata the package would read at start (META-INF/ is not under src/ in a
  // Fabric package, so it goes where the shim also looks: contract-metadata/).
  for (const from of ['META-INF/metadata.json', 'contract-metadata/metadata.json']) {
    if (existsSync(join(root, from))) {
      files.push({ name: 'src/contract-metadata/metadata.json', data: readFileSync(join(root, from)) });
      break;
    }
  }
  // CouchDB indexes: as Fabric packages them.
  if (existsSync(join(root, 'META-INF', 'statedb'))) {
    files.push(
      ...projectFiles(join(root, 'META-INF', 'statedb')).map((f) => ({ ...f, name: `META-INF/statedb/${f.name.slice('src/'.length)}` })),
    );
  }
  return files;
}
