'use strict';
/**
 * A scenario chaincode written against fabric-shim's public API only, so the same class runs on
 * the official fabric-shim (child process, official-chaincode.js) and on fabric-shim-ts
 * (in-process launch): the mock peer must give both the same results.
 */

async function drain(iterator, pick) {
  const out = [];
  for (let r = await iterator.next(); !r.done; r = await iterator.next()) out.push(pick(r.value));
  await iterator.close();
  return out;
}

const json = (shim, value) => shim.success(Buffer.from(JSON.stringify(value)));

/** @param shim an object with fabric-shim's success(payload) and error(message). */
function createScenarioChaincode(shim) {
  return {
    async Init(stub) {
      await stub.putState('initialised', Buffer.from(stub.getStringArgs().join(',')));
      return shim.success(Buffer.from('init done'));
    },
    async Invoke(stub) {
      const { fcn, params } = stub.getFunctionAndParameters();
      switch (fcn) {
        case 'put':
          await stub.putState(params[0], Buffer.from(params[1]));
          return shim.success();
        case 'get':
          return shim.success(await stub.getState(params[0]));
        case 'del':
          await stub.deleteState(params[0]);
          return shim.success();
        case 'putThenGet': {
          await stub.putState(params[0], Buffer.from(params[1]));
          const seen = await stub.getState(params[0]);
          return shim.success(Buffer.from(`read:${Buffer.from(seen).toString()}`));
        }
        case 'range':
          return json(shim, await drain(await stub.getStateByRange(params[0], params[1]), (kv) => kv.key));
        case 'rangePage': {
          const { iterator, metadata } = await stub.getStateByRangeWithPagination(params[0], params[1], Number(params[2]), params[3]);
          const keys = await drain(iterator, (kv) => kv.key);
          return json(shim, { keys, count: metadata.fetchedRecordsCount, bookmark: metadata.bookmark });
        }
        case 'query':
          return json(shim, await drain(await stub.getQueryResult(params[0]), (kv) => kv.key));
        case 'history':
          return json(
            shim,
            await drain(await stub.getHistoryForKey(params[0]), (m) => ({
              txId: m.txId,
              value: Buffer.from(m.value).toString(),
              isDelete: m.isDelete,
            })),
          );
        case 'composite': {
          const key = stub.createCompositeKey('asset', [params[0], params[1]]);
          await stub.putState(key, Buffer.from(params[2]));
          return shim.success(Buffer.from(key));
        }
        case 'byPartial':
          return json(
            shim,
            await drain(await stub.getStateByPartialCompositeKey('asset', params), (kv) => stub.splitCompositeKey(kv.key).attributes),
          );
        case 'putPrivate':
          try {
            await stub.putPrivateData(params[0], params[1], stub.getTransient().get('value'));
          } catch (e) {
            // Answer instead of throwing: the official shim never answers a thrown Invoke.
            return shim.error(`putPrivateData: ${e.message || e}`);
          }
          return shim.success();
        case 'getPrivate':
          return shim.success(await stub.getPrivateData(params[0], params[1]));
        case 'privateHash':
          return shim.success(Buffer.from(Buffer.from(await stub.getPrivateDataHash(params[0], params[1])).toString('hex')));
        case 'purge':
          await stub.purgePrivateData(params[0], params[1]);
          return shim.success();
        case 'setPolicy':
          await stub.setStateValidationParameter(params[0], Buffer.from(params[1]));
          return shim.success();
        case 'getPolicy':
          return shim.success(await stub.getStateValidationParameter(params[0]));
        case 'event':
          stub.setEvent(params[0], Buffer.from(params[1]));
          return shim.success();
        case 'call': {
          const res = await stub.invokeChaincode(params[0], params.slice(2), params[1]);
          return json(shim, { status: res.status, payload: Buffer.from(res.payload).toString() });
        }
        case 'fail':
          await stub.putState(params[0], Buffer.from('should not commit'));
          return shim.error('failed on purpose');
        case 'whoami': {
          const creator = stub.getCreator();
          return json(shim, {
            mspid: creator.mspid,
            txId: stub.getTxID(),
            channel: stub.getChannelID(),
            hasCert: Buffer.from(creator.idBytes).toString().includes('BEGIN CERTIFICATE'),
          });
        }
        case 'transient':
          return shim.success(stub.getTransient().get(params[0]));
        case 'catch': {
          try {
            await stub.getState(params[0]);
            return shim.success(Buffer.from('ok'));
          } catch (e) {
            return shim.success(Buffer.from(`caught:${e.message || e}`));
          }
        }
        default:
          return shim.error(`unknown function ${fcn}`);
      }
    },
  };
}

module.exports = { createScenarioChaincode };
