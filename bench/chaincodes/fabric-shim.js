'use strict';
/**
 * Benchmark chaincode on the official fabric-shim 2.5 (plain JavaScript, as its users write
 * it). Bundled with bench-logic by run.ts; 'fabric-shim' itself stays external.
 */
const shim = require('fabric-shim');
const { exitOnSigterm, runBench } = require('./bench-logic');

exitOnSigterm();
shim.start({
  async Init() {
    return shim.success();
  },
  async Invoke(stub) {
    const failure = await runBench(stub);
    return failure === undefined ? shim.success() : shim.error(failure);
  },
});
