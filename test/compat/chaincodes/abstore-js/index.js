'use strict';
// Plain shim, the chaincode_example02 / abstore habits: a class with Init and Invoke, methods
// looked up by name, values stored as decimal strings, errors passed to shim.error as Error
// objects, one Init that throws instead of answering.
const shim = require('fabric-shim');

class Ledger2Accounts {
  async Init(stub) {
    const { params } = stub.getFunctionAndParameters();
    if (params.length === 1 && params[0] === 'boom') {
      throw new Error('Init refused: boom');
    }
    if (params.length !== 4) {
      return shim.error('Incorrect number of arguments. Expecting 4');
    }
    const [a, aVal, b, bVal] = params;
    if (Number.isNaN(parseInt(aVal)) || Number.isNaN(parseInt(bVal))) {
      return shim.error('Expecting integer value for asset holding');
    }
    await stub.putState(a, Buffer.from(aVal));
    await stub.putState(b, Buffer.from(bVal));
    return shim.success();
  }

  async Invoke(stub) {
    const ret = stub.getFunctionAndParameters();
    const method = this[ret.fcn];
    if (!method) {
      return shim.error(new Error(`Received unknown function ${ret.fcn} invocation`));
    }
    try {
      const payload = await method.call(this, stub, ret.params);
      return shim.success(payload);
    } catch (err) {
      // As in the samples: the Error object itself goes to shim.error.
      return shim.error(err);
    }
  }

  async move(stub, args) {
    if (args.length !== 3) throw new Error('Incorrect number of arguments. Expecting 3');
    const [from, to] = args;
    const amount = parseInt(args[2]);
    if (Number.isNaN(amount)) throw new Error('Expecting integer value for amount to be transferred');
    const fromBytes = await stub.getState(from);
    if (!fromBytes || fromBytes.length === 0) throw new Error(`Failed to get state of asset holder ${from}`);
    const toBytes = await stub.getState(to);
    if (!toBytes || toBytes.length === 0) throw new Error(`Failed to get state of asset holder ${to}`);
    const fromVal = parseInt(fromBytes.toString()) - amount;
    const toVal = parseInt(toBytes.toString()) + amount;
    await stub.putState(from, Buffer.from(fromVal.toString()));
    await stub.putState(to, Buffer.from(toVal.toString()));
    stub.setEvent('moved', Buffer.from(JSON.stringify({ from, to, amount })));
  }

  async query(stub, args) {
    if (args.length !== 1) throw new Error('Incorrect number of arguments. Expecting name of the person to query');
    const bytes = await stub.getState(args[0]);
    if (!bytes || bytes.toString().length === 0) {
      throw new Error(JSON.stringify({ Error: `Nil amount for ${args[0]}` }));
    }
    return bytes;
  }

  async delete(stub, args) {
    if (args.length !== 1) throw new Error('Incorrect number of arguments. Expecting 1');
    await stub.deleteState(args[0]);
  }

  // Returns a plain string to shim.success (not a Buffer): a habit of quick ports.
  async describe(stub, args) {
    return `account ${args[0]}`;
  }
}

shim.start(new Ledger2Accounts());
