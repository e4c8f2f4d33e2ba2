/**
 * The default bench peer: the project's MockPeer (src/testing), which runs the real protocol
 * with a signed proposal per transaction, simulation and commit to its in-memory ledger.
 */
import { MockPeer, type MockChaincode } from '../../src/testing';
import type { PeerCapabilities } from '../../src/connection-options';
import type { BenchChaincode, BenchPeer } from './peer';

function adapt(cc: MockChaincode): BenchChaincode {
  return {
    async invoke(args) {
      const result = await cc.invoke(args);
      if (result.status !== 200) throw new Error(`${result.outcome} ${result.status}: ${result.message}`);
    },
  };
}

/** Starts a MockPeer on 127.0.0.1:0 advertising `capabilities`. */
export async function startMockPeer(capabilities: PeerCapabilities): Promise<BenchPeer> {
  // No wire log: it would grow with every message of a long run.
  const peer = await MockPeer.start({ capabilities, recordWire: false });
  return {
    address: peer.address,
    waitForChaincode: async (name) => adapt(await peer.waitForChaincode(name)),
    stop: () => peer.stop(),
  };
}
