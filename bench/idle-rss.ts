/**
 * Idle RSS of ours under different node flags (issue 16): for each flag set, `--runs` fresh chaincode
 * processes (READY, then 1 s idle), VmRSS median, next to a bare node; and start-up (wall time to READY,
 * and the CPU time the process used until READY, the steadier figure on a busy machine). Quicker than a full bench run
 * when only idle memory is of interest:
 *
 *   npx tsx bench/idle-rss.ts [--runs 5] [--node <path>] [--shim ours] [--idle 1000] -- '' '--max-semi-space-size=1' ...
 */
import { buildChaincodes, ensureDist, type ShimKind } from './lib/build';
import { bareNodeIdleMemory, IDLE_MS, launchChaincode } from './lib/chaincode-process';
import { cpuMicros, memoryKiB, type MemoryKiB } from './lib/proc-stats';
import { startPeer } from './lib/peer';
import { median } from './lib/stats';

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const sep = argv.indexOf('--');
  const opts = sep < 0 ? argv : argv.slice(0, sep);
  const flagSets = sep < 0 ? [''] : argv.slice(sep + 1);
  const get = (name: string): string | undefined => {
    const i = opts.indexOf(name);
    return i < 0 ? undefined : opts[i + 1];
  };
  const runs = Number(get('--runs') ?? 5);
  const node = get('--node');
  const shim = (get('--shim') ?? 'ours') as ShimKind;
  // V8's memory reducer shrinks an idle heap after about 8 s: --idle 12000 shows the settled figure.
  const idleMs = Number(get('--idle') ?? IDLE_MS);
  if (shim === 'ours') ensureDist((l) => console.error(l));
  const files = await buildChaincodes();
  const peer = await startPeer('mock');
  const rss = new Map<string, MemoryKiB[]>([['bare node', []], ...flagSets.map((f): [string, MemoryKiB[]] => [f, []])]);
  const startup = new Map<string, number[]>(flagSets.map((f): [string, number[]] => [f, []]));
  // CPU the process used up to READY: less disturbed than wall time when the machine is busy.
  const startCpu = new Map<string, number[]>(flagSets.map((f): [string, number[]] => [f, []]));
  try {
    for (let r = 0; r < runs; r++) {
      rss.get('bare node')!.push(await bareNodeIdleMemory(node, idleMs));
      for (const flags of flagSets) {
        const proc = await launchChaincode(peer, {
          file: files[shim],
          name: `idle-${r}-${flagSets.indexOf(flags)}`,
          logLevel: 'warning',
          nodeArgs: flags.split(' ').filter(Boolean),
          ...(node === undefined ? {} : { node }),
        });
        startCpu.get(flags)!.push(cpuMicros(proc.pid) / 1000);
        await new Promise((res) => setTimeout(res, idleMs));
        rss.get(flags)!.push(memoryKiB(proc.pid));
        startup.get(flags)!.push(proc.startupMs);
        await proc.stop();
      }
    }
  } finally {
    await peer.stop();
  }
  console.log(`${shim}, idle VmRSS after READY + ${idleMs} ms, median of ${runs}${node ? ` (node ${node})` : ''}`);
  for (const [flags, values] of rss) {
    const s = startup.get(flags);
    const mib = (f: (m: MemoryKiB) => number): string => (median(values.map(f)) / 1024).toFixed(1);
    console.log(
      `${(flags || '(no flags)').padEnd(48)} ${mib((m) => m.rss).padStart(6)} MiB (anon ${mib((m) => m.anon)}, file ${mib((m) => m.file)})  [${values.map((v) => (v.rss / 1024).toFixed(1)).join(' ')}]` +
        (s
          ? `  start->READY ${median(s).toFixed(0)} ms, CPU to READY ${median(startCpu.get(flags)!).toFixed(0)} ms [${startCpu
              .get(flags)!
              .map((v) => v.toFixed(0))
              .join(' ')}]`
          : ''),
    );
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
