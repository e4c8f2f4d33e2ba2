/**
 * `npm run bench`: starts a peer in this process and, one after another, one chaincode
 * process per shim (ours from dist/, the official fabric-shim, a raw grpc-js baseline),
 * drives the benchmark cells against each, prints the tables and writes
 * bench/results/<timestamp>.json. See bench/README.md for what each figure means.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, release } from 'node:os';
import { join } from 'node:path';
import { buildChaincodes, ensureDist, ROOT, type ShimKind } from './lib/build';
import { bareNodeIdleRssKiB, IDLE_MS, launchChaincode } from './lib/chaincode-process';
import { measureFootprint } from './lib/footprint';
import { moduleCosts } from './lib/module-cost';
import { cpuMicros, memoryKiB } from './lib/proc-stats';
import { runCell, runSoak, type CellResult, type CellSpec, type LoadTiming } from './lib/load';
import { parseOptions, USAGE, type BenchOptions } from './lib/options';
import { startPeer, type BenchPeer } from './lib/peer';
import { LABEL_SOAK, renderReport, type BenchReport, type ShimResults } from './lib/report';
import { requireTime } from './lib/require-time';
import { telemetryOffCostNs } from './lib/telemetry-cost';

/** The grid: n x (getState + putState) with 1 or 64 transactions in flight, then write-heavy. */
const CELLS: CellSpec[] = [
  ...[0, 1, 10, 100].flatMap((n) =>
    [1, 64].map((inFlight): CellSpec => ({ label: `kv n=${n} x${inFlight}`, fcn: 'benchKV', n, inFlight })),
  ),
  { label: 'batch 1000 puts x1', fcn: 'benchBatch', n: 1000, inFlight: 1 },
];
/** The logging row repeats this cell in a process logging at info. */
const LOGGING_CELL: CellSpec = { label: 'kv n=1 x64 @info', fcn: 'benchKV', n: 1, inFlight: 64 };
const LOGGING_BASE = 'kv n=1 x64';
/** The soak run (--soak): memory over many transactions of this cell, in its own process. */
const SOAK_CELL: CellSpec = { label: LABEL_SOAK, fcn: 'benchKV', n: 1, inFlight: 64 };
/** Level for every other cell: quiet, so the grid measures the shim and not the logger. */
const QUIET_LEVEL = 'warning';

/** What each shim's process loads, for the require figure. */
const REQUIRES: Record<ShimKind, string[]> = {
  ours: [join(ROOT, 'dist', 'index.js')],
  'fabric-shim': ['fabric-shim'],
  baseline: ['@grpc/grpc-js', '@bufbuild/protobuf'],
};

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** The node binary and flags a shim's chaincode processes run with (--node, --ours-node-args). */
function nodeFor(kind: ShimKind, opts: BenchOptions): { node?: string; nodeArgs: string[] } {
  const nodeArgs = kind === 'ours' ? opts.oursNodeArgs : [];
  return opts.node === undefined ? { nodeArgs } : { node: opts.node, nodeArgs };
}

const log = (line: string): void => {
  process.stderr.write(`${line}\n`);
};

async function measureShim(
  peer: BenchPeer,
  kind: ShimKind,
  file: string,
  timing: LoadTiming,
  results: ShimResults,
  opts: BenchOptions,
): Promise<void> {
  const { profile } = opts;
  const node = nodeFor(kind, opts);
  const profArgs = profile
    ? ['--cpu-prof', `--cpu-prof-dir=${join(ROOT, 'bench', 'results', 'profiles')}`, `--cpu-prof-name=${kind}.cpuprofile`]
    : [];
  const main = await launchChaincode(peer, {
    file,
    name: `bench-${kind}`,
    logLevel: QUIET_LEVEL,
    ...node,
    nodeArgs: [...node.nodeArgs, ...profArgs],
  });
  const cellFilter = opts.cells === undefined ? undefined : new RegExp(opts.cells);
  try {
    for (const cell of CELLS.filter((c) => cellFilter?.test(c.label) ?? true)) {
      const r = await runCell(main.chaincode, main.pid, cell, timing, `${kind}-`);
      results.cells.push(r);
      // Warm-up and tail transactions count too: the process ran them all.
      results.totalTransactions += Math.round((r.txPerSec * (timing.warmupMs + timing.durationMs)) / 1000);
      results.rssAfterCellKiB.push(r.rssKiB);
      log(
        `  ${kind.padEnd(11)} ${cell.label.padEnd(20)} ${r.txPerSec.toFixed(0).padStart(7)} tx/s  ${r.cpuMicrosPerTx.toFixed(0).padStart(6)} us/tx${r.errors ? `  ${r.errors} ERRORS: ${r.firstError}` : ''}`,
      );
    }
  } finally {
    await main.stop();
  }
  // The logging comparison: the same cell in fresh processes, quiet then info, --log-pairs times,
  // so machine drift between the grid and this row does not pass for logging cost, and the spread
  // of the pairs shows the noise band. The pair with the median tx/s loss is the @info row.
  results.loggingPairs = [];
  for (let pair = 0; pair < opts.logPairs; pair++) {
    const both: CellResult[] = [];
    for (const level of [QUIET_LEVEL, 'info']) {
      const proc = await launchChaincode(peer, { file, name: `bench-${kind}-${level}-${pair}`, logLevel: level, ...node });
      try {
        const r = await runCell(proc.chaincode, proc.pid, LOGGING_CELL, timing, `${kind}-${level}-${pair}-`);
        both.push(level === 'info' ? r : { ...r, label: `${LOGGING_BASE} @${QUIET_LEVEL}` });
        log(
          `  ${kind.padEnd(11)} ${(level === 'info' ? LOGGING_CELL.label : `${LOGGING_BASE} @${level}`).padEnd(20)} ${r.txPerSec.toFixed(0).padStart(7)} tx/s  ${r.cpuMicrosPerTx.toFixed(0).padStart(6)} us/tx (pair ${pair + 1})`,
        );
      } finally {
        await proc.stop();
      }
    }
    results.loggingPairs.push({ quiet: both[0]!, info: both[1]! });
  }
  const byLoss = [...results.loggingPairs].sort((a, b) => a.info.txPerSec / a.quiet.txPerSec - b.info.txPerSec / b.quiet.txPerSec);
  const mid = byLoss[Math.floor((byLoss.length - 1) / 2)];
  if (mid) {
    results.logging = mid.info;
    results.loggingQuiet = mid.quiet;
  }
  // OpenTelemetry with an SDK registered (ours only: the other shims have none), against the
  // quiet process just measured; the no-SDK cost is measured in-process by telemetryOffCostNs.
  if (kind === 'ours') {
    const preload = ['--require', join(ROOT, 'bench', 'chaincodes', 'otel-sdk.js')];
    const proc = await launchChaincode(peer, {
      file,
      name: `bench-${kind}-otel`,
      logLevel: QUIET_LEVEL,
      ...node,
      nodeArgs: [...node.nodeArgs, ...preload],
    });
    try {
      results.otel = {
        ...(await runCell(proc.chaincode, proc.pid, LOGGING_CELL, timing, `${kind}-otel-`)),
        label: `${LOGGING_BASE} +otel sdk`,
      };
      log(`  ${kind.padEnd(11)} ${results.otel.label.padEnd(20)} ${results.otel.txPerSec.toFixed(0).padStart(7)} tx/s`);
    } finally {
      await proc.stop();
    }
  }
  if (opts.soak > 0) {
    const soak = await launchChaincode(peer, { file, name: `bench-${kind}-soak`, logLevel: QUIET_LEVEL, ...node });
    try {
      results.soak = await runSoak(soak.chaincode, soak.pid, SOAK_CELL, opts.soak, `${kind}-soak-`);
      log(`  ${kind.padEnd(11)} soak ${opts.soak} tx: RSS ${results.soak.rssKiB.map(([, k]) => Math.round(k / 1024)).join(' ')} MiB`);
    } finally {
      await soak.stop();
    }
  }
}

async function main(opts: BenchOptions): Promise<void> {
  const started = Date.now();
  if (opts.shims.includes('ours')) ensureDist(log);
  const files = await buildChaincodes();
  const timing: LoadTiming = { warmupMs: opts.warmup * 1000, durationMs: opts.duration * 1000 };
  const report: BenchReport = {
    date: new Date().toISOString(),
    machine: {
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model ?? 'unknown',
      node: process.version,
      platform: process.platform,
      kernel: release(),
      ...(opts.node === undefined ? {} : { chaincodeNode: execFileSync(opts.node, ['--version'], { encoding: 'utf8' }).trim() }),
    },
    options: opts,
    shims: {},
  };
  for (const kind of opts.shims) {
    report.shims[kind] = {
      cells: [],
      startupMs: [],
      startupCpuMs: [],
      idleRssKiB: [],
      require: [],
      totalTransactions: 0,
      rssAfterCellKiB: [],
    };
  }
  report.bareNodeIdleRssKiB = [];

  // Fresh processes, shims interleaved so drift in machine load hits them alike.
  log(`require time, start-up and idle RSS (${opts.runs} fresh processes each)`);
  const peer = await startPeer(opts.peer);
  try {
    for (let run = 0; run < opts.runs; run++) {
      report.bareNodeIdleRssKiB.push(await bareNodeIdleRssKiB(opts.node));
      for (const kind of opts.shims) {
        report.shims[kind]!.require.push(requireTime(REQUIRES[kind], opts.node));
        const proc = await launchChaincode(peer, {
          file: files[kind],
          name: `start-${kind}-${run}`,
          logLevel: QUIET_LEVEL,
          ...nodeFor(kind, opts),
        });
        report.shims[kind]!.startupMs.push(proc.startupMs);
        report.shims[kind]!.startupCpuMs.push(cpuMicros(proc.pid) / 1000);
        // Idle: READY, then nothing for IDLE_MS (a chaincode waiting for its first transaction).
        await sleep(IDLE_MS);
        report.shims[kind]!.idleRssKiB.push(memoryKiB(proc.pid).rss);
        await proc.stop();
      }
    }
    for (const kind of opts.shims) {
      log(`${kind}: ${CELLS.length + 1} cells x (${opts.warmup} s warm-up + ${opts.duration} s)`);
      await measureShim(peer, kind, files[kind], timing, report.shims[kind]!, opts);
    }
  } finally {
    await peer.stop();
  }

  if (opts.shims.includes('ours')) {
    report.telemetryOffNsPerTx = await telemetryOffCostNs();
    if (opts.moduleCost) report.moduleCost = moduleCosts(3);
  }
  if (opts.footprint) report.footprint = measureFootprint(log);
  else report.footprint = { skipped: '--no-footprint' };

  const dir = join(ROOT, 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${report.date.replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);

  console.log(
    `\nfabric-shim-ts benchmark, ${report.machine.cpus} x ${report.machine.cpuModel}, node ${report.machine.node}` +
      `${opts.node === undefined ? '' : ` (chaincodes: ${report.machine.chaincodeNode ?? opts.node})`}` +
      `${opts.oursNodeArgs.length > 0 ? ` (ours with ${opts.oursNodeArgs.join(' ')})` : ''}, ` +
      `peer: ${opts.peer}, ${opts.warmup} s warm-up + ${opts.duration} s per cell\n`,
  );
  console.log(renderReport(report));
  console.log(`\nresults: ${file} (${((Date.now() - started) / 1000).toFixed(0)} s)`);
}

let options: BenchOptions;
try {
  const argv = process.argv.slice(2);
  if (argv.includes('--help')) {
    console.log(USAGE);
    process.exit(0);
  }
  options = parseOptions(argv);
} catch (err) {
  console.error((err as Error).message);
  process.exit(2);
}
main(options).catch((err: unknown) => {
  console.error(err instanceof Error ? (err.stack ?? err.message) : err);
  process.exitCode = 1;
});
