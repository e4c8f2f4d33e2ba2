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
}

/** Usage text printed by --help. */
export const USAGE = `npm run bench -- [--duration 5] [--warmup 1] [--runs 5] [--peer mock|minimal]
                 [--shims ours,fabric-shim,baseline] [--no-footprint] [--profile] [--soak 100000]`;

const ALL_SHIMS: ShimKind[] = ['ours', 'fabric-shim', 'baseline'];

function positive(name: string, text: string | undefined): number {
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name} needs a positive number, got ${String(text)}`);
  return value;
}

/** Parses argv (without node and script). */
export function parseOptions(argv: readonly string[]): BenchOptions {
  const opts: BenchOptions = { duration: 5, warmup: 1, runs: 5, peer: 'mock', shims: [...ALL_SHIMS], footprint: true, profile: false, soak: 0 };
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
