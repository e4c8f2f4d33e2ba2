'use strict';
/**
 * A probe chaincode written against fabric-shim's public API only: each function serialises
 * what the chaincode can observe of the objects the shim hands it (own keys in order, typeof,
 * constructor names, JSON.stringify, resolved values, error texts). It runs on the OFFICIAL
 * fabric-shim (child process, official-shapes.js) and on fabric-shim-ts (in-process) against one
 * mock peer; test/shapes-differential.test.ts requires the two outputs to be equal.
 */

/** A deterministic description of `v`: what `JSON.stringify`, `Object.keys` and `typeof` reveal. */
function describe(v, depth = 0) {
  if (v === null) return null;
  if (v === undefined) return '<undefined>';
  const t = typeof v;
  if (t === 'string' || t === 'boolean') return v;
  if (t === 'number' || t === 'bigint' || t === 'symbol') return `${t}:${String(v)}`;
  if (t === 'function') return `function:${v.name}`;
  const proto = Object.getPrototypeOf(v);
  const ctor = proto === null ? 'null-proto' : typeof v.constructor === 'function' ? v.constructor.name : `<${typeof v.constructor}>`;
  if (ArrayBuffer.isView(v)) return `${ctor}[${Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('hex')}]`;
  if (v instanceof Map) return { ctor, entries: [...v].map(([k, x]) => [k, describe(x, depth + 1)]) };
  const keys = Object.keys(v);
  if (depth >= 5) return `${ctor}{${keys.join(',')}}`;
  const out = { ctor, keys };
  for (const k of keys) out[`.${k}`] = describe(v[k], depth + 1);
  return out;
}

/** The same, for objects holding random bytes (signatures, nonces): lengths and contents left out. */
function shape(v, depth = 0) {
  if (v === null || v === undefined || typeof v !== 'object') return typeof v;
  const ctor = typeof v.constructor === 'function' ? v.constructor.name : 'null-proto';
  if (ArrayBuffer.isView(v)) return ctor;
  if (v instanceof Map) return { ctor, entries: [...v].map(([k, x]) => [k, shape(x, depth + 1)]) };
  const keys = Object.keys(v);
  if (depth >= 4) return `${ctor}{${keys.join(',')}}`;
  const out = { ctor, keys };
  for (const k of keys) out[`.${k}`] = shape(v[k], depth + 1);
  return out;
}

function json(v) {
  try {
    return JSON.stringify(v);
  } catch (e) {
    return `throws ${e.constructor.name}`;
  }
}

/** Outcome of a call: its resolved value described, or the error's text. */
async function outcome(fn) {
  try {
    const v = await fn();
    return { value: describe(v), json: json(v) };
  } catch (e) {
    return { error: e instanceof Error ? e.message : `non-Error ${String(e)}` };
  }
}

async function drain(iterator) {
  const results = [];
  for (;;) {
    const r = await iterator.next();
    results.push({ keys: Object.keys(r), json: json(r), value: describe(r.value), done: r.done });
    if (r.done) break;
  }
  return results;
}

/** @param shim the shim module (fabric-shim or fabric-shim-ts): success, error, ClientIdentity. */
function createShapesChaincode(shim) {
  const probes = {
    async seed(stub) {
      await stub.putState('k1', Buffer.from('v1'));
      await stub.putState('k2', Buffer.from('{"a":1}'));
      await stub.putState(stub.createCompositeKey('owner', ['tom', 'm1']), Buffer.from('c1'));
      await stub.putPrivateData('c1', 'p1', Buffer.from('secret'));
      return 'seeded';
    },
    async writes(stub) {
      return {
        putState: await outcome(() => stub.putState('w1', Buffer.from('x'))),
        putStateString: await outcome(() => stub.putState('w2', 'text')),
        deleteState: await outcome(() => stub.deleteState('k2')),
        putPrivateData: await outcome(() => stub.putPrivateData('c1', 'p2', Buffer.from('y'))),
        deletePrivateData: await outcome(() => stub.deletePrivateData('c1', 'p2')),
        purgePrivateData: await outcome(() => stub.purgePrivateData('c1', 'p3')),
        setStateValidationParameter: await outcome(() => stub.setStateValidationParameter('k1', Buffer.from('policy'))),
        setPrivateDataValidationParameter: await outcome(() => stub.setPrivateDataValidationParameter('c1', 'p1', Buffer.from('pp'))),
      };
    },
    async reads(stub) {
      return {
        getState: await outcome(() => stub.getState('k1')),
        getStateMissing: await outcome(() => stub.getState('nope')),
        getPrivateData: await outcome(() => stub.getPrivateData('c1', 'p1')),
        getPrivateDataHash: await outcome(() => stub.getPrivateDataHash('c1', 'p1')),
        getStateValidationParameter: await outcome(() => stub.getStateValidationParameter('k1')),
        getStateValidationParameterNone: await outcome(() => stub.getStateValidationParameter('nope')),
        getPrivateDataValidationParameter: await outcome(() => stub.getPrivateDataValidationParameter('c1', 'p1')),
        getPrivateDataValidationParameterNone: await outcome(() => stub.getPrivateDataValidationParameter('c1', 'nope')),
      };
    },
    async range(stub) {
      const iterator = await stub.getStateByRange('', '');
      const proto = Object.getPrototypeOf(iterator);
      const results = await drain(iterator);
      const closed = await outcome(() => iterator.close());
      const first = (await (await stub.getStateByRange('k1', 'k2')).next()).value;
      return {
        iteratorCtor: iterator.constructor.name,
        iteratorMethods: ['next', 'close'].map((m) => typeof proto[m]),
        results,
        // fabric-shim resolves close() with its internal google-protobuf QueryResponse (whose JSON
        // is that library's minified internals); ours with undefined: reported, compared apart.
        closedType: closed.error ?? typeof (closed.json === undefined ? undefined : JSON.parse(closed.json)),
        namespace: typeof first.namespace,
        seenJson: json({ ns: first.namespace, key: first.key }),
      };
    },
    async partial(stub) {
      const iterator = await stub.getStateByPartialCompositeKey('owner', ['tom']);
      const results = await drain(iterator);
      await iterator.close();
      const split = stub.splitCompositeKey(stub.createCompositeKey('owner', ['tom', 'm1']));
      return { results, split: describe(split), splitSimple: describe(stub.splitCompositeKey('plain')) };
    },
    async query(stub) {
      const iterator = await stub.getQueryResult('{"selector":{"a":1}}');
      const results = await drain(iterator);
      await iterator.close();
      return results;
    },
    async paged(stub) {
      const res = await stub.getStateByRangeWithPagination('', '', 1, '');
      const keys = Object.keys(res);
      const metadata = describe(res.metadata);
      const results = await drain(res.iterator);
      await res.iterator.close();
      const q = await stub.getQueryResultWithPagination('{"selector":{"a":1}}', 5, '');
      await q.iterator.close();
      const p = await stub.getStateByPartialCompositeKeyWithPagination('owner', [], 5, '');
      await p.iterator.close();
      return {
        keys,
        metadata,
        metadataJson: json(res.metadata),
        results,
        query: [Object.keys(q), json(q.metadata)],
        partial: [Object.keys(p), json(p.metadata)],
      };
    },
    async privateQueries(stub) {
      const out = {};
      for (const [name, call] of [
        ['getPrivateDataByRange', () => stub.getPrivateDataByRange('c1', '', '')],
        ['getPrivateDataByPartialCompositeKey', () => stub.getPrivateDataByPartialCompositeKey('c1', 'owner', [])],
        ['getPrivateDataQueryResult', () => stub.getPrivateDataQueryResult('c1', '{"selector":{}}')],
      ]) {
        const res = await call();
        const iterator = res.iterator || res;
        out[name] = { keys: Object.keys(res), json: json(Object.keys(res)), results: await drain(iterator) };
        await iterator.close();
      }
      const forAwait = [];
      for await (const kv of stub.getPrivateDataByRange('c1', '', '')) forAwait.push(describe(kv));
      out.forAwait = forAwait;
      return out;
    },
    async history(stub) {
      const iterator = await stub.getHistoryForKey('h');
      const results = await drain(iterator);
      await iterator.close();
      const ts = results[0].value['.timestamp'];
      return { results: results.map((r) => ({ ...r, value: r.value && { ...r.value, '.txId': typeof r.value['.txId'] } })), ts };
    },
    async history2(stub) {
      const iterator = await stub.getHistoryForKey('h');
      const first = (await iterator.next()).value;
      await iterator.close();
      const ts = first.timestamp;
      return {
        json: json({ ...first, txId: 'tx' }),
        keys: Object.keys(first),
        seconds: typeof ts.seconds,
        ts: json(ts),
        tsKeys: Object.keys(ts),
      };
    },
    async timestamp(stub) {
      const ts = stub.getTxTimestamp();
      const s = ts.seconds;
      return {
        ts: describe(ts),
        json: json(ts),
        keys: Object.keys(ts),
        secondsCtor: s.constructor.name,
        isLong: s.__isLong__ === true,
        secondsString: String(s),
        template: `${s}`,
        plusOne: s + 1,
        times: s * 1000,
        toNumber: s.toNumber(),
        low: s.low,
        high: s.high,
        unsigned: s.unsigned,
        date: stub.getDateTimestamp().toISOString(),
        dateCtor: stub.getDateTimestamp().constructor.name,
        same: stub.getTxTimestamp() === ts,
      };
    },
    async identity(stub) {
      const cid = new shim.ClientIdentity(stub);
      const keys = Object.keys(cid);
      const fields = {};
      for (const k of keys) fields[k] = k === 'stub' ? typeof cid[k] : describe(cid[k]);
      return {
        keys,
        fields,
        stubIsStub: cid.stub === stub,
        id: cid.id === cid.getID(),
        mspId: cid.mspId,
        attrs: json(cid.attrs),
        role: cid.getAttributeValue('role'),
        missing: cid.getAttributeValue('nope'),
        assert: cid.assertAttributeValue('role', 'auditor'),
        idBytesSame: cid.idBytes === cid.getIDBytes(),
      };
    },
    async creator(stub) {
      const c = stub.getCreator();
      return { keys: Object.keys(c), shape: shape(c), mspid: c.mspid, same: stub.getCreator() === c };
    },
    async proposal(stub) {
      // The plain-object levels of fabric-shim's decoded proposal; its channelHeader, creator and
      // payload are google-protobuf messages (compared apart, see the test).
      const sp = stub.getSignedProposal();
      const header = sp.proposal.header;
      const sh = header.signatureHeader;
      return {
        keys: Object.keys(sp),
        signature: shape(sp.signature),
        proposalKeys: Object.keys(sp.proposal),
        headerKeys: Object.keys(header),
        signatureHeaderKeys: Object.keys(sh),
        nonce: shape(sh.nonce),
        creatorU8: shape(sh.creator_u8),
        creatorBytesSame: Buffer.from(sh.creator_u8).length > 0,
        messages: {
          channelHeader: shape(header.channelHeader).ctor,
          creator: shape(sh.creator).ctor,
          payload: shape(sp.proposal.payload).ctor,
        },
      };
    },
    async args(stub) {
      return {
        args: describe(stub.getArgs()),
        stringArgs: describe(stub.getStringArgs()),
        bufferArgs: describe(stub.getBufferArgs()),
        fp: describe(stub.getFunctionAndParameters()),
        fpJson: json(stub.getFunctionAndParameters()),
        transient: describe(stub.getTransient()),
        txId: typeof stub.getTxID(),
        channel: stub.getChannelID(),
        binding: typeof stub.getBinding(),
      };
    },
    async invoke(stub) {
      return {
        ok: await outcome(() => stub.invokeChaincode('callee', ['echo', 'hi'], '')),
        failing: await outcome(() => stub.invokeChaincode('callee', ['fail'], '')),
      };
    },
    async emptyKeys(stub) {
      return {
        getState: await outcome(() => stub.getState('')),
        getPrivateData: await outcome(() => stub.getPrivateData('c1', '')),
        getPrivateDataHash: await outcome(() => stub.getPrivateDataHash('c1', '')),
        getStateValidationParameter: await outcome(() => stub.getStateValidationParameter('')),
        history: await outcome(async () => (await stub.getHistoryForKey('')).next()),
      };
    },
    async emptyPut(stub) {
      return { putState: await outcome(() => stub.putState('', Buffer.from('x'))) };
    },
    async emptyDelete(stub) {
      return { deleteState: await outcome(() => stub.deleteState('')) };
    },
    async emptyPolicy(stub) {
      return { set: await outcome(() => stub.setStateValidationParameter('', Buffer.from('p'))) };
    },
    async emptyPrivatePut(stub) {
      return { putPrivateData: await outcome(() => stub.putPrivateData('c1', '', Buffer.from('x'))) };
    },
    async checks(stub) {
      return {
        putPrivateEmptyValue: await outcome(() => stub.putPrivateData('c1', 'k', '')),
        putPrivateNoCollection: await outcome(() => stub.putPrivateData('', 'k', 'v')),
        getPrivateNoCollection: await outcome(() => stub.getPrivateData('', 'k')),
        rangeNul: await outcome(() => stub.getStateByRange('\u0000x', '')),
        compositeBadType: await outcome(() => stub.createCompositeKey('', [])),
        compositeBadAttr: await outcome(() => stub.createCompositeKey('t', [''])),
        compositeNoArray: await outcome(() => stub.createCompositeKey('t', 'a')),
        event: await outcome(() => stub.setEvent('', Buffer.from('x'))),
        privateRangeArity: await outcome(() => stub.getPrivateDataByRange('c1', '')),
      };
    },
  };

  return {
    async Init() {
      return shim.success();
    },
    async Invoke(stub) {
      const { fcn } = stub.getFunctionAndParameters();
      const probe = probes[fcn];
      if (!probe) return shim.error(`unknown probe ${fcn}`);
      try {
        return shim.success(Buffer.from(JSON.stringify(await probe(stub))));
      } catch (e) {
        return shim.error(`probe ${fcn} threw: ${e instanceof Error ? e.stack : String(e)}`);
      }
    },
  };
}

/** The chaincode that `invoke` calls: echoes its argument or fails. */
function createCallee(shim) {
  return {
    async Init() {
      return shim.success();
    },
    async Invoke(stub) {
      const [fcn, arg] = stub.getStringArgs();
      return fcn === 'echo' ? shim.success(Buffer.from(`echo:${arg}`)) : shim.error('callee failed');
    },
  };
}

module.exports = { createShapesChaincode, createCallee };
