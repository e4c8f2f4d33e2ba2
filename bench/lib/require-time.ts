/**
 * Time to `require` a shim package in a fresh `node` process (what every chaincode pays at
 * start-up before it can even dial the peer), and how many modules that loads.
 */
import { execFileSync } from 'node:child_process';
import { ROOT } from './build';

/** One fresh-process measurement. */
export interface RequireTiming {
  ms: number;
  modules: number;
}

const PROBE = `
const mods = JSON.parse(process.env.BENCH_REQUIRE);
const t = process.hrtime.bigint();
for (const m of mods) require(m);
const ms = Number(process.hrtime.bigint() - t) / 1e6;
process.stdout.write(JSON.stringify({ ms, modules: Object.keys(require.cache).length }));
`;

/** Requires `modules` (resolved from the repository root) in a new node process. */
export function requireTime(modules: readonly string[], node: string = process.execPath): RequireTiming {
  const resolved = modules.map((m) => require.resolve(m, { paths: [ROOT] }));
  const out = execFileSync(node, ['-e', PROBE], {
    cwd: ROOT,
    env: { ...process.env, BENCH_REQUIRE: JSON.stringify(resolved) },
    encoding: 'utf8',
  });
  return JSON.parse(out) as RequireTiming;
}
