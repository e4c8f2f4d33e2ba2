'use strict';
// Plain shim calling other chaincodes with invokeChaincode, the way cross-chaincode code
// does: reads the callee's answer, serialises the whole response object, caches it locally.
const shim = require('fabric-shim');

class Bridge {
  async Init() {
    return shim.success();
  }

  async Invoke(stub) {
    const { fcn, params } = stub.getFunctionAndParameters();
    try {
      switch (fcn) {
        case 'call': {
          const [target, ...args] = params;
          const response = await stub.invokeChaincode(target, args, '');
          return shim.success(
            Buffer.from(
              JSON.stringify({ status: response.status, message: response.message, payload: Buffer.from(response.payload).toString() }),
            ),
          );
        }
        case 'callRaw': {
          const [target, ...args] = params;
          const response = await stub.invokeChaincode(target, args, stub.getChannelID());
          return shim.success(Buffer.from(JSON.stringify(response)));
        }
        case 'callAndCache': {
          const [target, ...args] = params;
          const response = await stub.invokeChaincode(target, args);
          if (response.status !== 200) return shim.error(`callee answered ${response.status}: ${response.message}`);
          await stub.putState(`cache~${target}`, Buffer.from(response.payload));
          return shim.success(Buffer.from(response.payload));
        }
        case 'cached':
          return shim.success(await stub.getState(`cache~${params[0]}`));
        default:
          return shim.error(`unknown ${fcn}`);
      }
    } catch (err) {
      return shim.error(err.message || String(err));
    }
  }
}

shim.start(new Bridge());
