'use strict';
// Plain shim, a switch over fcn. Each case is a habit seen in public chaincode that relies on
// what the shim returns or hands over: values of write calls, objects serialised whole,
// hand-made responses, thrown non-Errors.
const { Shim, ClientIdentity } = require('fabric-shim');

const json = (value) => Shim.success(Buffer.from(JSON.stringify(value)));

const handlers = {
  async successString() {
    return Shim.success('plain text');
  },
  async successNothing() {
    return Shim.success();
  },
  async noResponse(stub) {
    await stub.getState('x');
  },
  async handMade() {
    return { status: 200, message: 'made by hand', payload: Buffer.from('hand') };
  },
  async handMadeError() {
    return { status: 404, message: 'nothing here', payload: Buffer.from('details') };
  },
  async errorObject() {
    return Shim.error(new TypeError('not a string'));
  },
  async throwError() {
    throw new Error('thrown Error');
  },
  async throwString() {
    throw 'thrown string';
  },
  async throwObject() {
    throw { code: 42, reason: 'thrown object' };
  },
  async rejectUndefined() {
    return Promise.reject(undefined);
  },
  async writeResults(stub) {
    const put = await stub.putState('w1', Buffer.from('one'));
    const del = await stub.deleteState('w0');
    const policy = await stub.setStateValidationParameter('w1', Buffer.from('policy'));
    return json({ put, del, policy, putType: typeof put, putIsBuffer: Buffer.isBuffer(put) });
  },
  async timestamp(stub) {
    const ts = stub.getTxTimestamp();
    return json({
      ts,
      seconds: ts.seconds.toString(),
      type: typeof ts.seconds,
      nanos: ts.nanos,
      date: stub.getDateTimestamp().toISOString(),
    });
  },
  async creator(stub) {
    return json(stub.getCreator());
  },
  async creatorFields(stub) {
    const creator = stub.getCreator();
    return json({ mspid: creator.mspid, keys: Object.keys(creator), pem: Buffer.from(creator.idBytes).toString().split('\n')[0] });
  },
  async identityFields(stub) {
    const cid = new ClientIdentity(stub);
    return json({
      mspId: cid.mspId,
      id: cid.id,
      getID: cid.getID(),
      getMSPID: cid.getMSPID(),
      attrs: cid.attrs,
      role: cid.getAttributeValue('role'),
      missing: cid.getAttributeValue('nope'),
      isAuditor: cid.assertAttributeValue('role', 'auditor'),
      keys: Object.keys(cid).sort(),
    });
  },
  async identityJson(stub) {
    try {
      return json(new ClientIdentity(stub));
    } catch (err) {
      return Shim.error(`cannot serialise: ${err.message.split('\n')[0]}`);
    }
  },
  async args(stub) {
    return json({
      args: stub.getArgs(),
      strings: stub.getStringArgs(),
      buffers: stub.getBufferArgs(),
      fp: stub.getFunctionAndParameters(),
    });
  },
  async transient(stub) {
    const map = stub.getTransient();
    return json({ type: map.constructor.name, entries: [...map.entries()].map(([k, v]) => [k, Buffer.from(v).toString()]), raw: [...map] });
  },
  async proposalBits(stub) {
    return json({ channel: stub.getChannelID(), txId: stub.getTxID(), binding: stub.getBinding(), mspId: stub.getMspID() });
  },
  async emptyKey(stub) {
    try {
      const value = await stub.getState('');
      return json({ value: Buffer.from(value).toString() });
    } catch (err) {
      return Shim.error(`getState(''): ${err.message}`);
    }
  },
  async emptyKeyPut(stub) {
    try {
      await stub.putState('', Buffer.from('x'));
      return Shim.success();
    } catch (err) {
      return Shim.error(`putState(''): ${err.message}`);
    }
  },
  async compositeKeys(stub) {
    const key = stub.createCompositeKey('owner~asset', ['ann', 'a1']);
    return json({
      key,
      split: stub.splitCompositeKey(key),
      plain: stub.splitCompositeKey('plain'),
      noAttrs: stub.createCompositeKey('solo', []),
    });
  },
  async badCompositeKey(stub) {
    try {
      stub.createCompositeKey('', ['x']);
      return Shim.success(Buffer.from('accepted'));
    } catch (err) {
      return Shim.error(err.message);
    }
  },
  async iteratorResult(stub) {
    await stub.putState('it1', Buffer.from('v'));
    const iterator = await stub.getStateByRange('', '');
    const first = await iterator.next();
    const after = await iterator.next();
    await iterator.close();
    return json({ first, after });
  },
};

class Quirks {
  async Init() {
    return Shim.success(Buffer.from('ready'));
  }

  async Invoke(stub) {
    const { fcn } = stub.getFunctionAndParameters();
    const handler = handlers[fcn];
    if (!handler) return Shim.error(`unknown ${fcn}`);
    return handler(stub);
  }
}

Shim.start(new Quirks());
