/**
 * Interleaved A/B of `ours` builds: the same bench chaincode run on two (or more) built
 * packages, in fresh processes alternating A, B, A, B... against one peer, so machine drift
 * hits both alike. Used to tell a real CPU regression from noise:
 *
 *   npx tsx bench/ab.ts --dist /tmp/old/dist --rounds 3 --cells 'kv n=10 x1|kv n=100 x64' [--peer minimal]
 *
 * `--dist <dir>` (repeatable) adds a build to compare with this repository's dist/ ("new").
 * `--args '<node flags>'` (repeatable) adds this repository's build run with those node flags, e.g.
 * `--args '--max-semi-space-size=2'`: a flag's effect on tx/s, CPU/tx and peak RSS, against no flags.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { BUILD_DIR, ensureDist, ROOT } from './lib/build';
import { launchChaincode } from './lib/chaincode-process';
import { runCell, type CellSpec } from './lib/load';
import { startPeer, type PeerKind } from './lib/peer';
import { median } from './lib/stats';

interface Args {
  dists: string[];
  flagSets: string[];
  rounds: number;
  cells: RegExp;
  peer: PeerKind;
  duration: number;
  warmup: number;
}

function parse(argv: string[]): Args {
  const a: Args = { dists: [], flagSets: [], rounds: 3, cells: /kv n=10 x1$/, peer: 'mock', duration: 3, warmup: 1 };
  for (let i = 0; i < argv.length; i++) {
    const v = argv[i + 1] ?? '';
    switch (argv[i]) {
      case '--dist':
        a.dists.push(resolve(v));
        i++;
        break;
      case '--args':
        a.flagSets.push(v);
        i++;
        break;
      case '--rounds':
        a.rounds = Number(v);
        i++;
        break;
      case '--cells':
        a.cells = new RegExp(v);
        i++;
        break;
      case '--peer':
        a.peer = v as PeerKind;
        i++;
        break;
      case '--duration':
        a.duration = Number(v);
        i++;
        break;
      case '--warmup':
        a.warmup = Number(v);
        i++;
        break;
      default:
        throw new Error(`unknown option ${argv[i]}`);
    }
  }
  return a;
}

const ALL: CellSpec[] = [
  ...[0, 1, 10, 100].flatMap((n) => [1, 64].map((k): CellSpec => ({ label: `kv n=${n} x${k}`, fcn: 'benchKV', n, inFlight: k }))),
  { label: 'batch 1000 puts x1', fcn: 'benchBatch', n: 1000, inFlight: 1 },
];

/** Bundles bench/chaincodes/ours.ts with 'fabric-shim-ts' pointing at `dist`. */
async function variant(name: string, dist: string): Promise<string> {
  const outfile = join(BUILD_DIR, `ab-${name}.js`);
  await build({
    entryPoints: [join(ROOT, 'bench', 'chaincodes', 'ours.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node18',
    external: ['fabric-shim-ts'],
    logLevel: 'warning',
  });
  const code = readFileSync(outfile, 'utf8').replace(/require\("fabric-shim-ts"\)/g, `require(${JSON.stringify(join(dist, 'index.js'))})`);
  writeFileSync(outfile, code);
  return outfile;
}

async function main(): Promise<void> {
  const args = parse(process.argv.slice(2));
  ensureDist((l) => console.error(l));
  const newFile = await variant('new', join(ROOT, 'dist'));
  const variants: [string, string, string[]][] = [['new', newFile, []]];
  for (const [i, d] of args.dists.entries()) variants.unshift([`old${i || ''}`, await variant(`old${i || ''}`, d), []]);
  for (const flags of args.flagSets) variants.push([flags, newFile, flags.split(' ').filter(Boolean)]);
  const cells = ALL.filter((c) => args.cells.test(c.label));
  const peer = await startPeer(args.peer);
  const cpu = new Map<string, number[]>();
  const tps = new Map<string, number[]>();
  const peak = new Map<string, number[]>();
  try {
    for (let r = 0; r < args.rounds; r++) {
      for (const [name, file, nodeArgs] of r % 2 ? [...variants].reverse() : variants) {
        const proc = await launchChaincode(peer, {
          file,
          name: `ab-${variants.findIndex((v) => v[0] === name)}-${r}`,
          logLevel: 'warning',
          nodeArgs,
        });
        try {
          for (const cell of cells) {
            const res = await runCell(
              proc.chaincode,
              proc.pid,
              cell,
              { warmupMs: args.warmup * 1000, durationMs: args.duration * 1000 },
              `ab${r}-`,
            );
            const key = `${cell.label}|${name}`;
            (cpu.get(key) ?? cpu.set(key, []).get(key)!).push(res.cpuMicrosPerTx);
            (tps.get(key) ?? tps.set(key, []).get(key)!).push(res.txPerSec);
            (peak.get(key) ?? peak.set(key, []).get(key)!).push(res.peakRssKiB / 1024);
            console.error(
              `round ${r} ${name.padEnd(5)} ${cell.label.padEnd(14)} ${res.txPerSec.toFixed(0).padStart(6)} tx/s ${res.cpuMicrosPerTx.toFixed(0).padStart(7)} us/tx ${(res.peakRssKiB / 1024).toFixed(1)} MiB`,
            );
          }
        } finally {
          await proc.stop();
        }
      }
    }
  } finally {
    await peer.stop();
  }
  console.log(`peer ${args.peer}, ${args.rounds} rounds, ${args.warmup}+${args.duration} s per cell`);
  for (const cell of cells) {
    for (const [name] of variants) {
      const c = cpu.get(`${cell.label}|${name}`) ?? [];
      const t = tps.get(`${cell.label}|${name}`) ?? [];
      const p = peak.get(`${cell.label}|${name}`) ?? [];
      console.log(
        `${cell.label.padEnd(14)} ${name.padEnd(5)} CPU us/tx median ${median(c).toFixed(0).padStart(6)} [${c.map((x) => x.toFixed(0)).join(' ')}]  tx/s median ${median(t).toFixed(0)} [${t.map((x) => x.toFixed(0)).join(' ')}]  peak RSS MiB median ${median(p).toFixed(1)} [${p.map((x) => x.toFixed(1)).join(' ')}]`,
      );
    }
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
