import { create, fromBinary, toBinary } from '@bufbuild/protobuf';
import { ChaincodeSpecSchema } from '../src/gen/peer/chaincode_pb';
import {
  ChaincodeMessageSchema,
  ChaincodeMessage_Type as T,
  DelStateSchema,
  GetHistoryForKeySchema,
  GetQueryResultSchema,
  GetStateByRangeSchema,
  GetStateMetadataSchema,
  GetStateSchema,
  PurgePrivateStateSchema,
  PutStateMetadataSchema,
  PutStateSchema,
  QueryMetadataSchema,
  StateMetadataResultSchema,
} from '../src/gen/peer/chaincode_shim_pb';
import { ResponseSchema } from '../src/gen/peer/proposal_response_pb';
import { createStub } from '../src/stub';
import { ShimError } from '../src/errors';
import { FakeTalkBack, fakeTransaction, kvPage, peerError, transactionMessage } from './support/fake-talk-back';

async function rejection(p: Promise<unknown>): Promise<ShimError> {
  const err = await p.then(
    () => {
      throw new Error('expected a rejection');
    },
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ShimError);
  return err as ShimError;
}

async function invalid(p: Promise<unknown>, message: string | RegExp): Promise<void> {
  const err = await rejection(p);
  expect(err.code).toBe('INVALID_ARGUMENT');
  expect(err.message).toMatch(message);
}

describe('invocation data', () => {
  it('exposes the arguments as fabric-shim does', () => {
    const { stub } = fakeTransaction({ args: ['transfer', 'a', Uint8Array.from([0xe2, 0x82, 0xac])] });
    expect(stub.getArgs()).toEqual(['transfer', 'a', '€']);
    expect(stub.getStringArgs()).toEqual(['transfer', 'a', '€']);
    expect(stub.getBufferArgs().map((b) => Buffer.isBuffer(b))).toEqual([true, true, true]);
    expect(stub.getBufferArgs()[2]).toEqual(Buffer.from('€'));
    expect(stub.getFunctionAndParameters()).toEqual({ fcn: 'transfer', params: ['a', '€'] });
    expect(stub.getTxID()).toBe('tx1');
    expect(stub.getChannelID()).toBe('mychannel');
  });

  it("gives fcn '' and no params without arguments", () => {
    expect(fakeTransaction({ args: [] }).stub.getFunctionAndParameters()).toEqual({ fcn: '', params: [] });
  });

  it('returns decorations and the local MSP id', () => {
    const stub = createStub(new FakeTalkBack(), transactionMessage(['f'], { d: Uint8Array.from([1]) }), { mspId: 'PeerOrgMSP' });
    expect([...stub.getDecorations()]).toEqual([['d', Buffer.from([1])]]);
    expect(stub.getMspID()).toBe('PeerOrgMSP');
  });

  it('throws as fabric-shim when CORE_PEER_LOCALMSPID is unset', () => {
    expect(() => fakeTransaction({ mspId: '' }).stub.getMspID()).toThrow('CORE_PEER_LOCALMSPID is unset in chaincode process');
  });

  it('refuses a malformed ChaincodeInput with PROTOCOL', () => {
    const bad = create(ChaincodeMessageSchema, { type: T.TRANSACTION, txid: 't', channelId: 'c', payload: Uint8Array.from([0x0a, 0x05]) });
    expect(() => createStub(new FakeTalkBack(), bad, { mspId: 'M' })).toThrow(expect.objectContaining({ code: 'PROTOCOL' }));
  });
});

describe('world state messages', () => {
  it('getState sends GET_STATE and returns the value as a Buffer', async () => {
    const { stub, talkBack } = fakeTransaction();
    talkBack.answer(T.GET_STATE, Buffer.from('v1'));
    const value = await stub.getState('k1');
    expect(Buffer.isBuffer(value)).toBe(true);
    expect(value.toString()).toBe('v1');
    expect(talkBack.names()).toEqual(['GET_STATE']);
    expect(talkBack.decoded(0, GetStateSchema)).toMatchObject({ key: 'k1', collection: '' });
  });

  it('putState sends PUT_STATE; strings are UTF-8', async () => {
    const { stub, talkBack } = fakeTransaction();
    await stub.putState('k', 'é');
    await stub.putState('k2', Uint8Array.from([1, 2]));
    expect(talkBack.names()).toEqual(['PUT_STATE', 'PUT_STATE']);
    expect(talkBack.decoded(0, PutStateSchema)).toMatchObject({ key: 'k', collection: '', value: new Uint8Array(Buffer.from('é')) });
    expect(talkBack.decoded(1, PutStateSchema).value).toEqual(Uint8Array.from([1, 2]));
  });

  it('deleteState sends DEL_STATE', async () => {
    const { stub, talkBack } = fakeTransaction();
    await stub.deleteState('gone');
    expect(talkBack.names()).toEqual(['DEL_STATE']);
    expect(talkBack.decoded(0, DelStateSchema)).toMatchObject({ key: 'gone', collection: '' });
  });

  it('validation parameters use the VALIDATION_PARAMETER metakey', async () => {
    const { stub, talkBack } = fakeTransaction();
    await stub.setStateValidationParameter('k', Uint8Array.from([9, 9]));
    const put = talkBack.decoded(0, PutStateMetadataSchema);
    expect(put).toMatchObject({ key: 'k', collection: '', metadata: { metakey: 'VALIDATION_PARAMETER', value: Uint8Array.from([9, 9]) } });

    talkBack.answer(
      T.GET_STATE_METADATA,
      toBinary(
        StateMetadataResultSchema,
        create(StateMetadataResultSchema, { entries: [{ metakey: 'VALIDATION_PARAMETER', value: Uint8Array.from([7]) }] }),
      ),
      toBinary(StateMetadataResultSchema, create(StateMetadataResultSchema, { entries: [] })),
    );
    // As fabric-shim: a plain Uint8Array, undefined when the key has no policy.
    const ep = await stub.getStateValidationParameter('k');
    expect([ep.constructor, [...ep]]).toEqual([Uint8Array, [7]]);
    expect(await stub.getStateValidationParameter('none')).toBeUndefined();
    expect(talkBack.decoded(1, GetStateMetadataSchema)).toMatchObject({ key: 'k', collection: '' });
  });

  it('passes the peer error through as PEER_ERROR', async () => {
    const { stub, talkBack } = fakeTransaction();
    talkBack.answer(T.PUT_STATE, peerError('boom'));
    const err = await rejection(stub.putState('k', 'v'));
    expect([err.code, err.message]).toEqual(['PEER_ERROR', 'boom']);
  });

  it('validates before sending anything, only where fabric-shim does, with its words', async () => {
    const { stub, talkBack } = fakeTransaction();
    await invalid(stub.getState(5 as unknown as string), 'key must be a valid string');
    await invalid(stub.putState('k', { a: 1 } as unknown as string), 'Failure: Cannot coerce to Uint8Array: object');
    await invalid(stub.putState('k', [1] as unknown as string), 'Failure: Cannot coerce to Uint8Array: array');
    await invalid(stub.setStateValidationParameter('k', 5 as unknown as Uint8Array), 'Failure: Cannot coerce to Uint8Array: number');
    await invalid(
      stub.getStateByRange('\u0000a', ''),
      'first character of the key [\u0000a] contains a null character which is not allowed',
    );
    await invalid(stub.getStateByRange('a', '\u0000z'), /contains a null character/);
    await invalid(stub.getStateByPartialCompositeKey('t', ['a\u0000']), /U\+0000/);
    await invalid(stub.getStateByPartialCompositeKey('', []), 'object type or attribute not a non-zero length string');
    await invalid(stub.getQueryResult(5 as unknown as string), 'query must be a string');
    await invalid(stub.getStateByRangeWithPagination('a', 'b', 1.5), 'Assertion failed');
    await invalid(stub.getStateByRangeWithPagination('a', 'b', 'ten' as unknown as number), 'Assertion failed');
    await invalid(stub.getMultipleStates('a', 5 as unknown as string), 'key must be a valid string');
    await invalid(stub.invokeChaincode('', []), /chaincodeName/);
    expect(() => stub.setEvent('', Buffer.from('x'))).toThrow('Event name must be a non-empty string');
    expect(talkBack.calls).toHaveLength(0);
  });
});

describe('range and rich queries', () => {
  it('getStateByRange substitutes 0x01 for an empty start key and sends no metadata', async () => {
    const { stub, talkBack } = fakeTransaction();
    talkBack.answer(T.GET_STATE_BY_RANGE, kvPage({ kvs: [{ key: 'a', value: '1' }] }));
    const it = await stub.getStateByRange('', 'z');
    expect(talkBack.decoded(0, GetStateByRangeSchema)).toMatchObject({
      startKey: '\u0001',
      endKey: 'z',
      collection: '',
      metadata: new Uint8Array(0),
    });
    expect(await it.next()).toEqual({ value: { key: 'a', value: Buffer.from('1') }, done: false });
    expect(await it.next()).toEqual({ value: undefined, done: true });
    await it.close();
  });

  it('paginated range sends QueryMetadata and returns fabric-shim metadata', async () => {
    const { stub, talkBack } = fakeTransaction();
    talkBack.answer(T.GET_STATE_BY_RANGE, kvPage({ kvs: [{ key: 'a', value: '1' }], metadata: { fetchedRecordsCount: 1, bookmark: 'b' } }));
    const { iterator, metadata } = await stub.getStateByRangeWithPagination('a', 'c', 1);
    expect(metadata).toEqual({ fetchedRecordsCount: 1, bookmark: 'b' });
    const sent = talkBack.decoded(0, GetStateByRangeSchema);
    expect(sent).toMatchObject({ startKey: 'a', endKey: 'c' });
    expect(fromBinary(QueryMetadataSchema, sent.metadata)).toMatchObject({ pageSize: 1, bookmark: '' });
    await iterator.close();
  });

  it('partial composite key queries span [prefix, prefix + U+10FFFF)', async () => {
    const { stub, talkBack } = fakeTransaction();
    talkBack.answer(T.GET_STATE_BY_RANGE, kvPage({ kvs: [], metadata: { fetchedRecordsCount: 0, bookmark: '' } }));
    await (await stub.getStateByPartialCompositeKey('color', ['blue'])).close();
    await (await stub.getStateByPartialCompositeKeyWithPagination('color', [], 5, 'bm')).iterator.close();
    await (await stub.getAllStatesCompositeKeyWithPagination(10)).iterator.close();
    const ranges = [0, 2, 4].map((i) => talkBack.decoded(i, GetStateByRangeSchema));
    expect(ranges.map((r) => [r.startKey, r.endKey])).toEqual([
      ['\u0000color\u0000blue\u0000', '\u0000color\u0000blue\u0000\u{10ffff}'],
      ['\u0000color\u0000', '\u0000color\u0000\u{10ffff}'],
      ['\u0000', '\u0000\u{10ffff}'],
    ]);
    expect(fromBinary(QueryMetadataSchema, ranges[1]!.metadata)).toMatchObject({ pageSize: 5, bookmark: 'bm' });
    expect(talkBack.names()).toEqual([
      'GET_STATE_BY_RANGE',
      'QUERY_STATE_CLOSE',
      'GET_STATE_BY_RANGE',
      'QUERY_STATE_CLOSE',
      'GET_STATE_BY_RANGE',
      'QUERY_STATE_CLOSE',
    ]);
  });

  it('rich queries send GET_QUERY_RESULT', async () => {
    const { stub, talkBack } = fakeTransaction();
    talkBack.answer(T.GET_QUERY_RESULT, kvPage({ kvs: [], metadata: { fetchedRecordsCount: 0, bookmark: 'nx' } }));
    await (await stub.getQueryResult('{"selector":{}}')).close();
    const paged = await stub.getQueryResultWithPagination('{"selector":{}}', 3, 'bm');
    expect(paged.metadata.bookmark).toBe('nx');
    expect(talkBack.decoded(0, GetQueryResultSchema)).toMatchObject({
      query: '{"selector":{}}',
      collection: '',
      metadata: new Uint8Array(0),
    });
    expect(talkBack.decoded(2, GetQueryResultSchema).metadata.length).toBeGreaterThan(0);
  });

  it('getHistoryForKey sends GET_HISTORY_FOR_KEY', async () => {
    const { stub, talkBack } = fakeTransaction();
    const it = await stub.getHistoryForKey('k');
    expect(talkBack.decoded(0, GetHistoryForKeySchema).key).toBe('k');
    expect(await it.next()).toEqual({ value: undefined, done: true });
  });
});

describe('private data', () => {
  it('sends the collection with every message', async () => {
    const { stub, talkBack } = fakeTransaction();
    talkBack.answer(T.GET_STATE, Buffer.from('pv'));
    talkBack.answer(T.GET_PRIVATE_DATA_HASH, Buffer.from('hash'));
    expect((await stub.getPrivateData('col', 'k')).toString()).toBe('pv');
    expect((await stub.getPrivateDataHash('col', 'k')).toString()).toBe('hash');
    await stub.putPrivateData('col', 'k', 'v');
    await stub.deletePrivateData('col', 'k');
    await stub.purgePrivateData('col', 'k');
    await stub.setPrivateDataValidationParameter('col', 'k', Uint8Array.from([1]));
    await stub.getPrivateDataValidationParameter('col', 'k');
    expect(talkBack.names()).toEqual([
      'GET_STATE',
      'GET_PRIVATE_DATA_HASH',
      'PUT_STATE',
      'DEL_STATE',
      'PURGE_PRIVATE_DATA',
      'PUT_STATE_METADATA',
      'GET_STATE_METADATA',
    ]);
    expect(talkBack.decoded(0, GetStateSchema).collection).toBe('col');
    expect(talkBack.decoded(1, GetStateSchema).collection).toBe('col');
    expect(talkBack.decoded(2, PutStateSchema)).toMatchObject({ collection: 'col', key: 'k' });
    expect(talkBack.decoded(3, DelStateSchema)).toMatchObject({ collection: 'col', key: 'k' });
    expect(talkBack.decoded(4, PurgePrivateStateSchema)).toMatchObject({ collection: 'col', key: 'k' });
    expect(talkBack.decoded(5, PutStateMetadataSchema)).toMatchObject({ collection: 'col', key: 'k' });
    expect(talkBack.decoded(6, GetStateMetadataSchema)).toMatchObject({ collection: 'col', key: 'k' });
  });

  it('private queries carry the collection; composite-key starts are not refused', async () => {
    const { stub, talkBack } = fakeTransaction();
    await (await stub.getPrivateDataByRange('col', '', 'z')).close();
    await (await stub.getPrivateDataByPartialCompositeKey('col', 'type', ['a'])).close();
    await (await stub.getPrivateDataQueryResult('col', '{}')).close();
    expect(talkBack.decoded(0, GetStateByRangeSchema)).toMatchObject({ collection: 'col', startKey: '\u0001', endKey: 'z' });
    expect(talkBack.decoded(2, GetStateByRangeSchema)).toMatchObject({ collection: 'col', startKey: '\u0000type\u0000a\u0000' });
    expect(talkBack.decoded(4, GetQueryResultSchema)).toMatchObject({ collection: 'col', query: '{}' });
  });

  it("refuses missing collections and fabric-shim's invalid values", async () => {
    const { stub, talkBack } = fakeTransaction();
    await invalid(stub.getPrivateData('', 'k'), 'collection must be a valid string');
    await invalid(stub.putPrivateData('col', 'k', ''), 'value must be valid');
    await invalid(stub.purgePrivateData('col', ''), 'key must be a valid string');
    await invalid(stub.getPrivateDataByRange('', 'a', 'b'), 'collection must be a valid string');
    await invalid(stub.getMultiplePrivateData('', 'a'), 'collection must be a valid string');
    expect(talkBack.calls).toHaveLength(0);
  });
});

describe('invokeChaincode and events', () => {
  function completed(status: number, message: string, payload: string): Uint8Array {
    const response = toBinary(ResponseSchema, create(ResponseSchema, { status, message, payload: Buffer.from(payload) }));
    return toBinary(ChaincodeMessageSchema, create(ChaincodeMessageSchema, { type: T.COMPLETED, payload: response, txid: 'tx1' }));
  }

  it('names the target cc/channel and decodes the called chaincode response', async () => {
    const { stub, talkBack } = fakeTransaction();
    talkBack.answer(T.INVOKE_CHAINCODE, completed(200, 'fine', 'result'));
    const res = await stub.invokeChaincode('other', ['get', Buffer.from('k')], 'otherchannel');
    expect(res).toEqual({ status: 200, message: 'fine', payload: Buffer.from('result') });
    const spec = talkBack.decoded(0, ChaincodeSpecSchema);
    expect(spec.chaincodeId?.name).toBe('other/otherchannel');
    expect(spec.input?.args.map((a) => Buffer.from(a).toString())).toEqual(['get', 'k']);
  });

  it('omits the channel when not given', async () => {
    const { stub, talkBack } = fakeTransaction();
    talkBack.answer(T.INVOKE_CHAINCODE, completed(500, 'nope', ''));
    expect((await stub.invokeChaincode('other', [])).status).toBe(500);
    expect(talkBack.decoded(0, ChaincodeSpecSchema).chaincodeId?.name).toBe('other');
  });

  it('turns a called chaincode ERROR into PEER_ERROR and garbage into PROTOCOL', async () => {
    const { stub, talkBack } = fakeTransaction();
    talkBack.answer(
      T.INVOKE_CHAINCODE,
      toBinary(ChaincodeMessageSchema, create(ChaincodeMessageSchema, { type: T.ERROR, payload: Buffer.from('called cc failed') })),
      Uint8Array.from([0xff, 0xff]),
    );
    const err = await rejection(stub.invokeChaincode('other', []));
    expect([err.code, err.message, err.txId, err.requestType]).toEqual(['PEER_ERROR', 'called cc failed', 'tx1', 'INVOKE_CHAINCODE']);
    expect((await rejection(stub.invokeChaincode('other', []))).code).toBe('PROTOCOL');
  });

  it('setEvent keeps the last event for COMPLETED', () => {
    const { stub, scope } = fakeTransaction();
    expect(scope.event).toBeUndefined();
    stub.setEvent('first', Buffer.from('1'));
    stub.setEvent('second', Buffer.from('2'));
    expect(scope.event).toMatchObject({ eventName: 'second', payload: new Uint8Array(Buffer.from('2')) });
  });
});

describe('after the transaction closes', () => {
  it('every peer call rejects with TRANSACTION_CLOSED and nothing is sent', async () => {
    const { stub, scope, talkBack } = fakeTransaction();
    scope.retire();
    for (const p of [
      stub.getState('k'),
      stub.putState('k', 'v'),
      stub.getPrivateData('c', 'k'),
      stub.getStateByRange('a', 'b'),
      stub.getHistoryForKey('k'),
      stub.invokeChaincode('cc', []),
      stub.getMultipleStates('a'),
    ]) {
      expect((await rejection(p)).code).toBe('TRANSACTION_CLOSED');
    }
    expect(() => stub.setEvent('e', Buffer.from(''))).toThrow(expect.objectContaining({ code: 'TRANSACTION_CLOSED' }));
    expect(talkBack.calls).toHaveLength(0);
    // Pure helpers still work.
    expect(stub.getArgs()).toEqual(['fn']);
    expect(stub.createCompositeKey('a', ['b'])).toBe('\u0000a\u0000b\u0000');
  });
});
