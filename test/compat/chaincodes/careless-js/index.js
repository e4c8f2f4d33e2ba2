'use strict';
// Plain shim with the mistakes that pass every test on a single peer: writes without await,
// iterators that are never closed or closed without await.
const shim = require('fabric-shim');

class Careless {
  async Init() {
    return shim.success();
  }

  async Invoke(stub) {
    const { fcn, params } = stub.getFunctionAndParameters();
    switch (fcn) {
      case 'seed':
        for (const key of params) await stub.putState(key, Buffer.from(`seeded ${key}`));
        return shim.success();
      case 'neverClosed': {
        const iterator = await stub.getStateByRange(params[0], params[1]);
        const first = await iterator.next();
        return shim.success(Buffer.from(first.done ? '' : first.value.key));
      }
      case 'forgetAwaitPuts':
        stub.putState('u1', Buffer.from('first'));
        stub.putState('u2', Buffer.from('second'));
        stub.putState('u3', Buffer.from('third'));
        return shim.success(Buffer.from('queued'));
      case 'forgetAwaitDelete':
        stub.deleteState('keep');
        stub.putState('u4', Buffer.from('after delete'));
        return shim.success();
      case 'closeNoAwait': {
        const iterator = await stub.getStateByRange('', '');
        const keys = [];
        for (let r = await iterator.next(); !r.done; r = await iterator.next()) keys.push(r.value.key);
        iterator.close();
        return shim.success(Buffer.from(keys.join(',')));
      }
      case 'read':
        return shim.success(await stub.getState(params[0]));
      default:
        return shim.error(`unknown ${fcn}`);
    }
  }
}

shim.start(new Careless());
