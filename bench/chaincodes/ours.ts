/**
 * Benchmark chaincode on fabric-shim-ts. Bundled by run.ts into bench/.build/ours.js with
 * 'fabric-shim-ts' left external, so at run time it loads the BUILT package (dist/) through
 * the package's self-reference, under plain `node`, exactly as a user's chaincode would.
 */
import { Shim } from 'fabric-shim-ts';
import { exitOnSigterm, runBench } from './bench-logic';

exitOnSigterm();
Shim.start({
  Init: () => Shim.success(),
  async Invoke(stub) {
    const failure = await runBench(stub);
    return failure === undefined ? Shim.success() : Shim.error(failure);
  },
});
