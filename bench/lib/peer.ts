/**
 * The peer side of the benchmark, behind one small interface so the load code does not
 * depend on which peer runs: the project's mock peer (default: `src/testing`, the real
 * protocol with simulation and commit), or `minimal-peer.ts` (answers the talk-backs from
 * a Map; the cheapest peer possible, to see shim costs with the least peer noise).
 */
import type { PeerCapabilities } from '../../src/connection-options';

/** One registered chaincode the bench can invoke. */
export interface BenchChaincode {
  /** Runs one transaction; rejects unless the chaincode answered status 200. */
  invoke(args: readonly string[]): Promise<void>;
}

/** A peer the chaincode processes dial. */
export interface BenchPeer {
  /** host:port the chaincode processes dial (loopback). */
  readonly address: string;
  /** Resolves when the chaincode `name` has registered and been sent READY. */
  waitForChaincode(name: string): Promise<BenchChaincode>;
  stop(): Promise<void>;
}

/** Which peer implementation runs the benchmark. */
export type PeerKind = 'mock' | 'minimal';

/** A Fabric 3.1 peer's READY: write batching and multi-key reads on, 1000 each. */
export const CAPABILITIES: PeerCapabilities = {
  useWriteBatch: true,
  maxSizeWriteBatch: 1000,
  useGetMultipleKeys: true,
  maxSizeGetMultipleKeys: 1000,
};

/** Starts the chosen peer on 127.0.0.1 with an ephemeral port. */
export async function startPeer(kind: PeerKind): Promise<BenchPeer> {
  if (kind === 'minimal') {
    const { startMinimalPeer } = await import('./minimal-peer');
    return startMinimalPeer(CAPABILITIES);
  }
  const { startMockPeer } = await import('./mock-peer');
  return startMockPeer(CAPABILITIES);
}
