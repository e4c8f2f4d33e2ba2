/**
 * Installed footprint: `npm pack` of this package installed into an empty temp folder,
 * against `fabric-shim` + `fabric-contract-api` (what a fabric-shim contract depends on),
 * as `du -sk node_modules` and a package count. Needs the npm registry; when it cannot be
 * reached the figure is skipped with a message rather than failing the benchmark.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './build';

/** One measured install. */
export interface FootprintInstall {
  label: string;
  kib: number;
  packages: number;
  /** The five largest top-level entries of node_modules (a scope counts as one), to see what weighs. */
  largest: { name: string; kib: number }[];
}

/** Both installs, ours first. */
export interface FootprintResult {
  installs: FootprintInstall[];
}

const NPM_TIMEOUT_MS = 180_000;

function npm(args: string[], cwd: string, timeout = NPM_TIMEOUT_MS): string {
  return execFileSync('npm', args, { cwd, encoding: 'utf8', timeout, stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Counts installed packages: every node_modules/<name> and node_modules/@scope/<name>, nested too. */
export function countPackages(nodeModules: string): number {
  if (!existsSync(nodeModules)) return 0;
  let count = 0;
  for (const entry of readdirSync(nodeModules, { withFileTypes: true })) {
    if (!entry.isDirectory() || entry.name.startsWith('.')) continue;
    const dirs = entry.name.startsWith('@')
      ? readdirSync(join(nodeModules, entry.name), { withFileTypes: true })
          .filter((e) => e.isDirectory())
          .map((e) => join(nodeModules, entry.name, e.name))
      : [join(nodeModules, entry.name)];
    for (const dir of dirs) {
      if (existsSync(join(dir, 'package.json'))) count++;
      count += countPackages(join(dir, 'node_modules'));
    }
  }
  return count;
}

function install(label: string, specs: string[], work: string): FootprintInstall {
  const dir = join(work, label.replace(/[^a-z0-9]+/gi, '-'));
  execFileSync('mkdir', ['-p', dir]);
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'footprint-probe', version: '1.0.0', private: true }));
  // --omit=dev: a chaincode image installs production dependencies only.
  npm(['install', '--omit=dev', '--no-audit', '--no-fund', '--prefer-offline', ...specs], dir);
  const nodeModules = join(dir, 'node_modules');
  const kib = Number(execFileSync('du', ['-sk', nodeModules], { encoding: 'utf8' }).split('\t')[0]);
  const entries = readdirSync(nodeModules).filter((e) => !e.startsWith('.'));
  const sizes = execFileSync('du', ['-sk', ...entries], { cwd: nodeModules, encoding: 'utf8' })
    .trim()
    .split('\n')
    .map((line) => {
      const [size, name] = line.split('\t');
      return { name: name ?? '', kib: Number(size) };
    })
    .sort((a, b) => b.kib - a.kib)
    .slice(0, 5);
  return { label, kib, packages: countPackages(nodeModules), largest: sizes };
}

function installedVersion(name: string): string {
  // The same versions the benchmark runs against (devDependencies in node_modules).
  return (JSON.parse(readFileSync(join(ROOT, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
}

/** Measures both installs, or returns why it was skipped. */
export function measureFootprint(log: (line: string) => void): FootprintResult | { skipped: string } {
  try {
    npm(['ping'], ROOT, 15_000);
  } catch {
    const skipped = 'npm registry unreachable (npm ping failed)';
    log(`footprint: ${skipped}; skipping`);
    return { skipped };
  }
  if (!existsSync(join(ROOT, 'dist', 'index.js'))) return { skipped: 'dist/ missing: run npm run build' };
  const work = mkdtempSync(join(tmpdir(), 'fabric-shim-ts-footprint-'));
  try {
    log('footprint: npm pack + npm install (this takes a while)');
    const tarball = npm(['pack', '--pack-destination', work, '--silent'], ROOT).trim().split('\n').pop()!;
    const ours = install('fabric-shim-ts', [join(work, tarball)], work);
    const theirs = install(
      'fabric-shim + fabric-contract-api',
      [`fabric-shim@${installedVersion('fabric-shim')}`, `fabric-contract-api@${installedVersion('fabric-contract-api')}`],
      work,
    );
    return { installs: [ours, theirs] };
  } catch (err) {
    const skipped = `npm install failed: ${(err as Error).message.split('\n')[0] ?? ''}`;
    log(`footprint: ${skipped}`);
    return { skipped };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

if (require.main === module) {
  const result = measureFootprint((line) => console.error(line));
  console.log(JSON.stringify(result, null, 2));
}
