'use strict';
// Plain shim in the high-throughput habit: each update is a new row under
// name~op~value~txID, so concurrent updates never conflict; get sums the rows, prune collapses
// them into one. Exercises txId-derived keys and partial composite key scans.
const { Shim } = require('fabric-shim');

async function rows(stub, name) {
  const iterator = await stub.getStateByPartialCompositeKey('varName~op~value~txID', [name]);
  const out = [];
  try {
    for (let r = await iterator.next(); !r.done; r = await iterator.next()) {
      const { attributes } = stub.splitCompositeKey(r.value.key);
      out.push({ key: r.value.key, op: attributes[1], value: parseFloat(attributes[2]) });
    }
  } finally {
    await iterator.close();
  }
  return out;
}

class Deltas {
  async Init() {
    return Shim.success();
  }

  async Invoke(stub) {
    const { fcn, params } = stub.getFunctionAndParameters();
    if (fcn === 'update') {
      const [name, value, op] = params;
      if (op !== '+' && op !== '-') return Shim.error(`Operator ${op} is unrecognized`);
      if (Number.isNaN(parseFloat(value))) return Shim.error('Could not convert delta to a number');
      const key = stub.createCompositeKey('varName~op~value~txID', [name, op, value, stub.getTxID()]);
      await stub.putState(key, Buffer.from([0]));
      return Shim.success(Buffer.from(`Successfully added ${op}${value} to ${name}`));
    }
    if (fcn === 'get') {
      const all = await rows(stub, params[0]);
      if (all.length === 0) return Shim.error(`No variable by the name ${params[0]} exists`);
      const total = all.reduce((sum, r) => (r.op === '+' ? sum + r.value : sum - r.value), 0);
      return Shim.success(Buffer.from(total.toString()));
    }
    if (fcn === 'prune') {
      const all = await rows(stub, params[0]);
      const total = all.reduce((sum, r) => (r.op === '+' ? sum + r.value : sum - r.value), 0);
      for (const r of all) await stub.deleteState(r.key);
      const key = stub.createCompositeKey('varName~op~value~txID', [params[0], '+', total.toString(), stub.getTxID()]);
      await stub.putState(key, Buffer.from([0]));
      return Shim.success(Buffer.from(`pruned ${all.length} rows into ${total}`));
    }
    if (fcn === 'delete') {
      const all = await rows(stub, params[0]);
      await Promise.all(all.map((r) => stub.deleteState(r.key)));
      return Shim.success(Buffer.from(`deleted ${all.length}`));
    }
    return Shim.error(`Invalid Smart Contract function name: ${fcn}`);
  }
}

Shim.start(new Deltas());
