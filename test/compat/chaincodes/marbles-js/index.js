'use strict';
// Plain shim in the marbles02 habit: Invoke dispatches on this[fcn], every handler gets
// (stub, args, thisClass), JSON documents with a docType, a composite-key index whose value is
// a single NUL byte, helper functions that drain iterators (some forget to close them).
const shim = require('fabric-shim');

async function collect(iterator, isHistory) {
  const all = [];
  for (;;) {
    const res = await iterator.next();
    if (res.value && res.value.value.toString()) {
      const row = {};
      if (isHistory) {
        row.TxId = res.value.txId;
        row.Timestamp = res.value.timestamp;
        row.IsDelete = res.value.isDelete;
        try {
          row.Value = JSON.parse(res.value.value.toString('utf8'));
        } catch (err) {
          row.Value = res.value.value.toString('utf8');
        }
      } else {
        row.Key = res.value.key;
        row.Record = JSON.parse(res.value.value.toString('utf8'));
      }
      all.push(row);
    }
    if (res.done) {
      await iterator.close();
      return all;
    }
  }
}

class Marbles {
  async Init() {
    return shim.success();
  }

  async Invoke(stub) {
    const { fcn, params } = stub.getFunctionAndParameters();
    const method = this[fcn];
    if (!method) {
      return shim.error(`no function of name: ${fcn} found`);
    }
    try {
      const payload = await method(stub, params, this);
      return shim.success(payload);
    } catch (err) {
      return shim.error(err.message);
    }
  }

  async initMarble(stub, args) {
    if (args.length !== 4) throw new Error('Incorrect number of arguments. Expecting 4');
    const [name, color, sizeText, owner] = args;
    const size = parseInt(sizeText);
    if (typeof size !== 'number' || Number.isNaN(size)) throw new Error('3rd argument must be a numeric string');
    const existing = await stub.getState(name);
    if (existing.toString()) throw new Error(`This marble already exists: ${name}`);
    const marble = { docType: 'marble', name, color: color.toLowerCase(), size, owner: owner.toLowerCase() };
    await stub.putState(name, Buffer.from(JSON.stringify(marble)));
    const indexKey = stub.createCompositeKey('color~name', [marble.color, marble.name]);
    await stub.putState(indexKey, Buffer.from('\u0000'));
  }

  async readMarble(stub, args) {
    const bytes = await stub.getState(args[0]);
    if (!bytes.toString()) throw new Error(`Marble does not exist: ${args[0]}`);
    return bytes;
  }

  async delete(stub, args, thisClass) {
    const bytes = await stub.getState(args[0]);
    if (!bytes.toString()) throw new Error('marble does not exist');
    const marble = JSON.parse(bytes.toString());
    await stub.deleteState(args[0]);
    await stub.deleteState(stub.createCompositeKey('color~name', [marble.color, marble.name]));
  }

  async transferMarble(stub, args) {
    const bytes = await stub.getState(args[0]);
    if (!bytes.toString()) throw new Error('marble does not exist');
    const marble = JSON.parse(bytes.toString());
    marble.owner = args[1].toLowerCase();
    await stub.putState(args[0], Buffer.from(JSON.stringify(marble)));
  }

  async transferMarblesBasedOnColor(stub, args, thisClass) {
    const [color, newOwner] = args;
    const iterator = await stub.getStateByPartialCompositeKey('color~name', [color]);
    const moved = [];
    let res = await iterator.next();
    while (!res.done) {
      const { attributes } = stub.splitCompositeKey(res.value.key);
      await thisClass.transferMarble(stub, [attributes[1], newOwner]);
      moved.push(attributes[1]);
      res = await iterator.next();
    }
    // Never closed: the peer closes it when the transaction ends.
    return Buffer.from(JSON.stringify(moved));
  }

  async getMarblesByRange(stub, args) {
    const iterator = await stub.getStateByRange(args[0], args[1]);
    return Buffer.from(JSON.stringify(await collect(iterator, false)));
  }

  async getMarblesByRangeWithPagination(stub, args) {
    const { iterator, metadata } = await stub.getStateByRangeWithPagination(args[0], args[1], parseInt(args[2]), args[3]);
    const results = await collect(iterator, false);
    // The whole metadata object, serialised as the shim hands it over.
    return Buffer.from(JSON.stringify({ results, metadata }));
  }

  async queryMarblesByOwner(stub, args) {
    const query = { selector: { docType: 'marble', owner: args[0].toLowerCase() } };
    const iterator = await stub.getQueryResult(JSON.stringify(query));
    return Buffer.from(JSON.stringify(await collect(iterator, false)));
  }

  async queryMarblesWithPagination(stub, args) {
    const { iterator, metadata } = await stub.getQueryResultWithPagination(args[0], parseInt(args[1]), args[2]);
    const results = await collect(iterator, false);
    return Buffer.from(
      JSON.stringify({ results, ResponseMetadata: { RecordsCount: metadata.fetchedRecordsCount, Bookmark: metadata.bookmark } }),
    );
  }

  async getHistoryForMarble(stub, args) {
    const iterator = await stub.getHistoryForKey(args[0]);
    return Buffer.from(JSON.stringify(await collect(iterator, true)));
  }

  // The whole history record, serialised as the shim hands it over.
  async rawHistory(stub, args) {
    const out = [];
    for await (const record of stub.getHistoryForKey(args[0])) out.push(record);
    return Buffer.from(JSON.stringify(out));
  }

  // Whole KV objects, serialised as the shim hands them over.
  async rawRange(stub, args) {
    const out = [];
    for await (const kv of stub.getStateByRange(args[0], args[1])) out.push(kv);
    return Buffer.from(JSON.stringify(out));
  }
}

shim.start(new Marbles());
