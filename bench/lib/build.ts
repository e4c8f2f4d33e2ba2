/**
 * Prepares what the chaincode processes run: the built package (dist/, via `npm run build`
 * when missing or older than src/) and the three chaincode entry points bundled by esbuild
 * into bench/.build/*.js. Only bench files and src/gen are bundled; every package stays
 * external so each process loads its shim from node_modules / dist like a user's would.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';

/** Repository root (bench/lib/../..). */
export const ROOT = join(__dirname, '..', '..');
/** Where the bundled chaincodes go (git-ignored). */
export const BUILD_DIR = join(ROOT, 'bench', '.build');

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    const mtime = entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs;
    if (mtime > newest) newest = mtime;
  }
  return newest;
}

/** Runs `npm run build` unless dist/index.js is newer than everything in src/. */
export function ensureDist(log: (line: string) => void): void {
  const distIndex = join(ROOT, 'dist', 'index.js');
  const srcTime = Math.max(newestMtime(join(ROOT, 'src')), statSync(join(ROOT, 'tsup.config.ts')).mtimeMs);
  if (existsSync(distIndex) && statSync(distIndex).mtimeMs >= srcTime) return;
  log('dist/ is missing or stale: npm run build');
  execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
}

/** The chaincode flavours the benchmark compares. */
export type ShimKind = 'ours' | 'fabric-shim' | 'baseline';

const ENTRIES: Record<ShimKind, string> = {
  ours: 'ours.ts',
  'fabric-shim': 'fabric-shim.js',
  baseline: 'baseline.ts',
};

/** Bundles the chaincode entry points; returns the path of each output file. */
export async function buildChaincodes(): Promise<Record<ShimKind, string>> {
  const out = {} as Record<ShimKind, string>;
  for (const [kind, entry] of Object.entries(ENTRIES) as [ShimKind, string][]) {
    const outfile = join(BUILD_DIR, `${kind}.js`);
    await build({
      entryPoints: [join(ROOT, 'bench', 'chaincodes', entry)],
      outfile,
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node18',
      // Explicit list: tsconfig `paths` would otherwise redirect 'fabric-shim-ts' to src/.
      external: ['fabric-shim-ts', 'fabric-shim', '@grpc/grpc-js', '@bufbuild/protobuf', '@bufbuild/protobuf/*'],
      logLevel: 'warning',
    });
    out[kind] = outfile;
  }
  return out;
}
