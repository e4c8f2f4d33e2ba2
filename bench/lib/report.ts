/**
 * The benchmark's result document (written as JSON) and its text rendering: one table of
 * absolute figures per cell and shim, one table of ratios ours/fabric-shim and ours/baseline.
 */
import type { ShimKind } from './build';
import type { CellResult, SoakResult } from './load';
import type { RequireTiming } from './require-time';
import type { BenchOptions } from './options';
import type { FootprintResult } from './footprint';
import { median } from './stats';
import { renderTable } from './table';

export { renderTable };
import { renderModuleCosts, type moduleCosts } from './module-cost';

/** Everything measured for one shim. */
export interface ShimResults {
  cells: CellResult[];
  /** The logging cell, run in a second process at CORE_CHAINCODE_LOGGING_LEVEL=info. */
  logging?: CellResult;
  /** The same cell in a fresh process at the quiet level, run just before the logging one. */
  loggingQuiet?: CellResult;
  /** Every (quiet, info) pair of fresh processes (--log-pairs); logging/loggingQuiet is the median pair. */
  loggingPairs?: { quiet: CellResult; info: CellResult }[];
  startupMs: number[];
  /** CPU time (utime + stime) each start-up process had used at READY: steadier than wall time on a busy machine. */
  startupCpuMs: number[];
  /** VmRSS of each start-up process after READY and IDLE_MS of idling. */
  idleRssKiB: number[];
  require: RequireTiming[];
  /** Transactions the main process ran in total (warm-up included) and its RSS after each cell. */
  totalTransactions: number;
  rssAfterCellKiB: number[];
  /** The --soak run, if any. */
  soak?: SoakResult;
  /** Ours only: the logging cell in a fresh process with an OpenTelemetry SDK registered. */
  otel?: CellResult;
}

/** The JSON written to bench/results/<timestamp>.json. */
export interface BenchReport {
  date: string;
  machine: { cpus: number; cpuModel: string; node: string; platform: string; kernel: string; chaincodeNode?: string };
  /** VmRSS of a bare `node` process kept alive by a timer, measured like idleRssKiB (one per --runs). */
  bareNodeIdleRssKiB?: number[];
  /** What each part of fabric-shim-ts adds to a fresh process (bench/lib/module-cost.ts). */
  moduleCost?: ReturnType<typeof moduleCosts>;
  options: BenchOptions;
  shims: Partial<Record<ShimKind, ShimResults>>;
  footprint?: FootprintResult | { skipped: string };
  /** Nanoseconds the telemetry + logging path adds per transaction with no SDK (in-process). */
  telemetryOffNsPerTx?: number;
}

/** The cell the soak run repeats (run.ts). */
export const LABEL_SOAK = 'kv n=1 x64';

function fmt(value: number, digits = 0): string {
  if (!Number.isFinite(value)) return '-';
  return value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

function ratio(a: number | undefined, b: number | undefined): string {
  if (a === undefined || b === undefined || !Number.isFinite(a) || !Number.isFinite(b) || b === 0) return '-';
  return `${(a / b).toFixed(2)}x`;
}

/** "median % [min..max]" of percentages, or "-". */
function spread(values: number[]): string {
  if (values.length === 0) return '-';
  const m = `${fmt(median(values), 1)} %`;
  return values.length === 1 ? m : `${m} [${fmt(Math.min(...values), 1)}..${fmt(Math.max(...values), 1)}]`;
}

function cellsOf(results: ShimResults | undefined): Map<string, CellResult> {
  const map = new Map<string, CellResult>();
  for (const c of results?.cells ?? []) map.set(c.label, c);
  if (results?.logging) map.set(results.logging.label, results.logging);
  return map;
}

/** The printed report: absolute figures, ratios, start-up/require, footprint. */
export function renderReport(report: BenchReport): string {
  const kinds = Object.keys(report.shims) as ShimKind[];
  const byKind = new Map(kinds.map((k) => [k, cellsOf(report.shims[k])]));
  const labels = [...new Set(kinds.flatMap((k) => [...byKind.get(k)!.keys()]))];
  const out: string[] = [];

  const abs: string[][] = [];
  let shown = '';
  for (const label of labels) {
    for (const kind of kinds) {
      const c = byKind.get(kind)!.get(label);
      if (!c) continue;
      abs.push([
        label === shown ? '' : (shown = label),
        kind,
        fmt(c.txPerSec),
        fmt(c.p50Ms, 2),
        fmt(c.p99Ms, 2),
        fmt(c.cpuMicrosPerTx),
        fmt(c.peakRssKiB / 1024, 1),
        c.errors > 0 ? `${c.errors} errors: ${c.firstError ?? ''}`.slice(0, 60) : '',
      ]);
    }
  }
  out.push(renderTable(['cell', 'shim', 'tx/s', 'p50 ms', 'p99 ms', 'CPU us/tx', 'peak RSS MiB', ''], abs));

  const ours = byKind.get('ours');
  const fs = byKind.get('fabric-shim');
  const base = byKind.get('baseline');
  if (ours && (fs || base)) {
    const rows = labels.map((label) => {
      const o = ours.get(label);
      const f = fs?.get(label);
      const b = base?.get(label);
      return [
        label,
        ratio(o?.txPerSec, f?.txPerSec),
        ratio(o?.txPerSec, b?.txPerSec),
        ratio(o?.cpuMicrosPerTx, f?.cpuMicrosPerTx),
        ratio(o?.cpuMicrosPerTx, b?.cpuMicrosPerTx),
        ratio(o?.p50Ms, f?.p50Ms),
        ratio(o?.peakRssKiB, f?.peakRssKiB),
      ];
    });
    out.push('', 'ratios (o = ours, f = fabric-shim, b = baseline)');
    out.push(renderTable(['cell', 'tx/s o/f', 'tx/s o/b', 'CPU o/f', 'CPU o/b', 'p50 o/f', 'RSS o/f'], rows));
  }

  const extra: string[][] = [];
  const get = (k: ShimKind): ShimResults | undefined => report.shims[k];
  const startup = (k: ShimKind): number => median(get(k)?.startupMs ?? []);
  const req = (k: ShimKind): number => median(get(k)?.require.map((r) => r.ms) ?? []);
  const startCpu = (k: ShimKind): number => median(get(k)?.startupCpuMs ?? []);
  const idle = (k: ShimKind): number => median(get(k)?.idleRssKiB ?? []);
  const bare = median(report.bareNodeIdleRssKiB ?? []);
  for (const kind of kinds) {
    const r = get(kind)!;
    const pairs = r.loggingPairs ?? (r.logging && r.loggingQuiet ? [{ quiet: r.loggingQuiet, info: r.logging }] : []);
    const loss = spread(pairs.map((p) => (1 - p.info.txPerSec / p.quiet.txPerSec) * 100));
    const cpuUp = spread(pairs.map((p) => (p.info.cpuMicrosPerTx / p.quiet.cpuMicrosPerTx - 1) * 100));
    const rss = r.rssAfterCellKiB;
    extra.push([
      kind,
      fmt(startup(kind), 1),
      fmt(startCpu(kind), 0),
      fmt(req(kind), 1),
      fmt(median(r.require.map((x) => x.modules))),
      Number.isFinite(idle(kind)) ? `${fmt(idle(kind) / 1024, 1)} (+${fmt((idle(kind) - bare) / 1024, 1)})` : '-',
      loss,
      cpuUp,
      rss.length > 0 ? `${fmt(rss[0]! / 1024, 1)} -> ${fmt(rss[rss.length - 1]! / 1024, 1)}` : '-',
      fmt(r.totalTransactions),
    ]);
  }
  if (kinds.includes('ours')) {
    extra.push([
      'ours/fabric-shim',
      ratio(startup('ours'), startup('fabric-shim')),
      ratio(startCpu('ours'), startCpu('fabric-shim')),
      ratio(req('ours'), req('fabric-shim')),
      '',
      ratio(idle('ours'), idle('fabric-shim')),
      '',
      '',
      '',
      '',
    ]);
  }
  if (Number.isFinite(bare)) extra.push(['bare node (reference)', '', '', '', '', fmt(bare / 1024, 1), '', '', '', '']);
  const nPairs = Math.max(0, ...kinds.map((k) => get(k)?.loggingPairs?.length ?? 0));
  out.push(
    '',
    `start-up, require, idle RSS (after READY + 1 s, vs bare node), logging (median [min..max] of ${nPairs} warning/info process pairs), memory over the run`,
  );
  out.push(
    renderTable(
      [
        'shim',
        'start->READY ms',
        'CPU to READY ms',
        'require ms',
        'modules',
        'idle RSS MiB',
        'info-log tx/s loss',
        'info-log CPU/tx +',
        'RSS MiB first->last cell',
        'total tx',
      ],
      extra,
    ),
  );

  const oursResults = get('ours');
  if (oursResults?.loggingQuiet && (oursResults.otel || report.telemetryOffNsPerTx !== undefined)) {
    const quiet = oursResults.loggingQuiet;
    const rows: string[][] = [];
    if (report.telemetryOffNsPerTx !== undefined) {
      const ns = report.telemetryOffNsPerTx;
      rows.push(['no SDK (in-process)', `+${fmt(ns, 0)} ns`, `${fmt((ns / 1000 / quiet.cpuMicrosPerTx) * 100, 2)} %`, '-']);
    }
    if (oursResults.otel) {
      const o = oursResults.otel;
      rows.push([
        'SDK registered',
        `+${fmt(o.cpuMicrosPerTx - quiet.cpuMicrosPerTx, 1)} us`,
        `${fmt((o.cpuMicrosPerTx / quiet.cpuMicrosPerTx - 1) * 100, 1)} %`,
        `${fmt((1 - o.txPerSec / quiet.txPerSec) * 100, 1)} %`,
      ]);
    }
    out.push('', `OpenTelemetry cost (ours, ${quiet.label}: ${fmt(quiet.cpuMicrosPerTx, 0)} us CPU/tx without it)`);
    out.push(renderTable(['telemetry', 'CPU per tx', 'CPU per tx +', 'tx/s loss'], rows));
  }

  const soaks = kinds.filter((k) => get(k)?.soak);
  if (soaks.length > 0) {
    out.push('', `soak: ${LABEL_SOAK}, VmRSS MiB after each tenth of the run`);
    out.push(
      renderTable(
        ['shim', 'transactions', 'RSS MiB at 10 % .. 100 %', 'errors'],
        soaks.map((k) => {
          const s = get(k)!.soak!;
          return [k, fmt(s.transactions), s.rssKiB.map(([, kib]) => fmt(kib / 1024, 0)).join(' '), fmt(s.errors)];
        }),
      ),
    );
  }

  if (report.moduleCost) {
    out.push('', 'memory cost per part of fabric-shim-ts (fresh node, each row on top of the rows above, median of 3)');
    out.push(renderModuleCosts(report.moduleCost));
  }

  const fp = report.footprint;
  if (fp && 'skipped' in fp) out.push('', `installed footprint: skipped (${fp.skipped})`);
  else if (fp) {
    out.push('', 'installed footprint (npm install in an empty folder)');
    out.push(
      renderTable(
        ['install', 'node_modules MiB', 'packages', 'largest (MiB)'],
        fp.installs.map((i) => [
          i.label,
          fmt(i.kib / 1024, 1),
          fmt(i.packages),
          i.largest.map((l) => `${l.name} ${fmt(l.kib / 1024, 1)}`).join(', '),
        ]),
      ),
    );
    const [a, b] = fp.installs;
    if (a && b) out.push(`ratio: size ${ratio(a.kib, b.kib)}, packages ${ratio(a.packages, b.packages)}`);
  }
  return out.join('\n');
}
