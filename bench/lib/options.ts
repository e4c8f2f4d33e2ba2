/** Command-line options of `npm run bench -- [options]`. */
import type { ShimKind } from './build';
import type { PeerKind } from './peer';

/** Parsed options. */
export interface BenchOptions {
  /** Measured seconds per cell. */
  duration: number;
  /** Warm-up seconds per cell (discarded). */
  warmup: number;
  /** Fresh processes per shim for the start-up and require figures (median reported). */
  runs: number;
  peer: PeerKind;
  shims: ShimKind[];
  footprint: boolean;
  /** Write a V8 CPU profile of each main chaincode process to bench/results/profiles/. */
  profile: boolean;
  /** Transactions of the soak run per shim (RSS growth); 0 = no soak run. */
  soak: number;
  /** Only the grid cells whose label matches (the logging, OpenTelemetry and soak rows always run). */
  cells?: string;
  /** Fresh-process pairs (warning, then info) per shim for the info-logging cost and its spread. */
  logPairs: number;
  /** Node binary for the chaincode processes (e.g. Node 22 for its compile cache); default: this one. */
  node?: string;
  /** Extra node flags for ours' chaincode processes only (e.g. --max-semi-space-size=2). */
  oursNodeArgs: string[];
  /** Print the per-module memory cost table (fresh processes; --no-module-cost to skip). */
  moduleCost: boolean;
}

/** Usage text printed by --help. */
export const USAGE = `npm run bench -- [--duration 5] [--warmup 1] [--runs 5] [--peer mock|minimal]
                 [--shims ours,fabric-shim,baseline] [--no-footprint] [--profile] [--soak 100000]
                 [--cells <regex>] [--log-pairs 3] [--node <path>] [--ours-node-args '<flags>']
                 [--no-module-cost]`;

const ALL_SHIMS: ShimKind[] = ['ours', 'fabric-shim', 'baseline'];

function positive(name: string, text: string | undefined): number {
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name} needs a positive number, got ${String(text)}`);
  return value;
}

/** Parses argv (without node and script). */
export function parseOptions(argv: readonly string[]): BenchOptions {
  const opts: BenchOptions = {
    duration: 5,
    warmup: 1,
    runs: 5,
    peer: 'mock',
    shims: [...ALL_SHIMS],
    footprint: true,
    profile: false,
    soak: 0,
    logPairs: 3,
    oursNodeArgs: [],
    moduleCost: true,
  };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i]!.split('=', 2) as [string, string | undefined];
    const value = (): string | undefined => inline ?? argv[++i];
    switch (flag) {
      case '--duration':
        opts.duration = positive('duration', value());
        break;
      case '--warmup':
        opts.warmup = positive('warmup', value());
        break;
      case '--runs':
        opts.runs = Math.round(positive('runs', value()));
        break;
      case '--peer': {
        const peer = value();
        if (peer !== 'mock' && peer !== 'minimal') throw new Error(`--peer is mock or minimal, got ${String(peer)}`);
        opts.peer = peer;
        break;
      }
      case '--shims': {
        const list = (value() ?? '').split(',').filter(Boolean);
        for (const s of list) if (!ALL_SHIMS.includes(s as ShimKind)) throw new Error(`unknown shim ${s}`);
        opts.shims = list as ShimKind[];
        break;
      }
      case '--soak':
        opts.soak = Math.round(positive('soak', value()));
        break;
      case '--cells':
        opts.cells = value() ?? '';
        new RegExp(opts.cells); // fails here, not after the start-up runs, when malformed
        break;
      case '--log-pairs':
        opts.logPairs = Math.round(positive('log-pairs', value()));
        break;
      case '--node': {
        const node = value();
        if (node === undefined || node === '') throw new Error('--node needs a path');
        opts.node = node;
        break;
      }
      case '--ours-node-args':
        opts.oursNodeArgs = (value() ?? '').split(' ').filter(Boolean);
        break;
      case '--no-module-cost':
        opts.moduleCost = false;
        break;
      case '--profile':
        opts.profile = true;
        break;
      case '--no-footprint':
        opts.footprint = false;
        break;
      default:
        throw new Error(`unknown option ${flag}\n${USAGE}`);
    }
  }
  return opts;
}
