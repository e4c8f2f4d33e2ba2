import { create, fromBinary, toBinary } from '@bufbuild/protobuf';
import {
  ChaincodeMessage_Type as T,
  GetStateMultipleResultSchema,
  GetStateMultipleSchema,
  GetStateSchema,
  WriteBatchStateSchema,
  WriteRecord_Type,
} from '../src/gen/peer/chaincode_shim_pb';
import type { ShimError } from '../src/errors';
import { fakeTransaction, kvPage, peerError, type RecordedCall } from './support/fake-talk-back';

const NEW_PEER = { useWriteBatch: true, maxSizeWriteBatch: 3, useGetMultipleKeys: true, maxSizeGetMultipleKeys: 2 };

/** Answers GET_STATE_MULTIPLE with "v:<key>" for each requested key ('' for keys named missing*). */
function echoValues(call: RecordedCall): Uint8Array {
  const { keys } = fromBinary(GetStateMultipleSchema, call.payload);
  const values = keys.map((k) => (k.startsWith('missing') ? new Uint8Array(0) : Buffer.from(`v:${k}`)));
  return toBinary(GetStateMultipleResultSchema, create(GetStateMultipleResultSchema, { values }));
}

describe('getMultipleStates / getMultiplePrivateData', () => {
  it('sends one GET_STATE_MULTIPLE per chunk of the advertised maximum, values in key order', async () => {
    const { stub, talkBack } = fakeTransaction({ capabilities: NEW_PEER });
    talkBack.answer(T.GET_STATE_MULTIPLE, echoValues);
    const values = await stub.getMultipleStates('a', 'missing1', 'c', 'd', 'e');
    expect(values.map((v) => v.toString())).toEqual(['v:a', '', 'v:c', 'v:d', 'v:e']);
    expect(values.every((v) => Buffer.isBuffer(v))).toBe(true);
    expect(talkBack.names()).toEqual(['GET_STATE_MULTIPLE', 'GET_STATE_MULTIPLE', 'GET_STATE_MULTIPLE']);
    expect([0, 1, 2].map((i) => talkBack.decoded(i, GetStateMultipleSchema).keys)).toEqual([['a', 'missing1'], ['c', 'd'], ['e']]);
  });

  it('carries the collection for private data', async () => {
    const { stub, talkBack } = fakeTransaction({ capabilities: NEW_PEER });
    talkBack.answer(T.GET_STATE_MULTIPLE, echoValues);
    expect((await stub.getMultiplePrivateData('col', 'x')).map(String)).toEqual(['v:x']);
    expect(talkBack.decoded(0, GetStateMultipleSchema)).toMatchObject({ keys: ['x'], collection: 'col' });
  });

  it('falls back to one GET_STATE per key with an older peer', async () => {
    const { stub, talkBack } = fakeTransaction();
    talkBack.answer(T.GET_STATE, (call) => Buffer.from(`one:${fromBinary(GetStateSchema, call.payload).key}`));
    expect((await stub.getMultiplePrivateData('col', 'a', 'b')).map(String)).toEqual(['one:a', 'one:b']);
    expect(talkBack.names()).toEqual(['GET_STATE', 'GET_STATE']);
    expect(talkBack.decoded(1, GetStateSchema)).toMatchObject({ key: 'b', collection: 'col' });
  });

  it('sends nothing for no keys', async () => {
    const { stub, talkBack } = fakeTransaction({ capabilities: NEW_PEER });
    expect(await stub.getMultipleStates()).toEqual([]);
    expect(talkBack.calls).toHaveLength(0);
  });

  it('refuses an answer with the wrong number of values as PROTOCOL', async () => {
    const { stub, talkBack } = fakeTransaction({ capabilities: NEW_PEER });
    talkBack.answer(T.GET_STATE_MULTIPLE, toBinary(GetStateMultipleResultSchema, create(GetStateMultipleResultSchema, { values: [] })));
    await expect(stub.getMultipleStates('a')).rejects.toMatchObject({ code: 'PROTOCOL', requestType: 'GET_STATE_MULTIPLE' });
  });
});

describe('write batches', () => {
  it('collects writes and sends WRITE_BATCH_STATE chunks at finishWriteBatch', async () => {
    const { stub, talkBack } = fakeTransaction({ capabilities: NEW_PEER });
    stub.startWriteBatch();
    await stub.putState('a', '1');
    await stub.deleteState('b');
    await stub.putPrivateData('col', 'a', 'p');
    await stub.purgePrivateData('col', 'z');
    await stub.setStateValidationParameter('a', Uint8Array.from([5]));
    expect(talkBack.calls).toHaveLength(0); // nothing on the wire yet
    await stub.finishWriteBatch();
    expect(talkBack.names()).toEqual(['WRITE_BATCH_STATE', 'WRITE_BATCH_STATE']);
    const recs = [0, 1].flatMap((i) => talkBack.decoded(i, WriteBatchStateSchema).rec);
    expect(talkBack.decoded(0, WriteBatchStateSchema).rec).toHaveLength(3);
    expect(recs.map((r) => [r.type, r.collection, r.key])).toEqual([
      [WriteRecord_Type.PUT_STATE, '', 'a'],
      [WriteRecord_Type.DEL_STATE, '', 'b'],
      [WriteRecord_Type.PUT_STATE, 'col', 'a'],
      [WriteRecord_Type.PURGE_PRIVATE_DATA, 'col', 'z'],
      [WriteRecord_Type.PUT_STATE_METADATA, '', 'a'],
    ]);
    expect(Buffer.from(recs[0]!.value).toString()).toBe('1');
    expect(recs[4]!.metadata).toMatchObject({ metakey: 'VALIDATION_PARAMETER', value: Uint8Array.from([5]) });
  });

  it('keeps only the last data write per key, as the Go shim', async () => {
    const { stub, talkBack } = fakeTransaction({ capabilities: NEW_PEER });
    stub.startWriteBatch();
    await stub.putState('k', 'first');
    await stub.putState('k', 'second');
    await stub.deleteState('gone');
    await stub.putState('gone', 'back');
    await stub.finishWriteBatch();
    const recs = talkBack.decoded(0, WriteBatchStateSchema).rec;
    expect(recs.map((r) => [r.key, Buffer.from(r.value).toString(), r.type])).toEqual([
      ['k', 'second', WriteRecord_Type.PUT_STATE],
      ['gone', 'back', WriteRecord_Type.PUT_STATE],
    ]);
  });

  it('reads still go to the peer directly while a batch is open', async () => {
    const { stub, talkBack } = fakeTransaction({ capabilities: NEW_PEER });
    stub.startWriteBatch();
    await stub.putState('a', '1');
    await stub.getState('a');
    expect(talkBack.names()).toEqual(['GET_STATE']);
  });

  it('is flushed automatically by finish() before COMPLETED', async () => {
    const { stub, scope, talkBack } = fakeTransaction({ capabilities: NEW_PEER });
    stub.startWriteBatch();
    await stub.putState('a', '1');
    await scope.finish();
    expect(talkBack.names()).toEqual(['WRITE_BATCH_STATE']);
    await scope.finish(); // nothing left to send
    expect(talkBack.calls).toHaveLength(1);
  });

  it('finish() reports a failed flush (and still closes open iterators)', async () => {
    const { stub, scope, talkBack } = fakeTransaction({ capabilities: NEW_PEER });
    talkBack.answer(T.GET_STATE_BY_RANGE, kvPage({ kvs: [{ key: 'a', value: '1' }], id: 'it-1' }));
    talkBack.answer(T.WRITE_BATCH_STATE, peerError('batch refused'));
    await stub.getStateByRange('a', 'b');
    stub.startWriteBatch();
    await stub.putState('a', '1');
    await expect(scope.finish()).rejects.toMatchObject({ code: 'PEER_ERROR', message: 'batch refused' } satisfies Partial<ShimError>);
    expect(talkBack.names()).toEqual(['GET_STATE_BY_RANGE', 'WRITE_BATCH_STATE', 'QUERY_STATE_CLOSE']);
  });

  it('an empty batch sends nothing; finish without start is a no-op', async () => {
    const { stub, talkBack } = fakeTransaction({ capabilities: NEW_PEER });
    await stub.finishWriteBatch();
    stub.startWriteBatch();
    await stub.finishWriteBatch();
    expect(talkBack.calls).toHaveLength(0);
  });

  it('with an older peer, startWriteBatch does nothing and writes go out one by one', async () => {
    const { stub, scope, talkBack } = fakeTransaction();
    stub.startWriteBatch();
    await stub.putState('a', '1');
    await stub.deletePrivateData('col', 'b');
    await stub.setPrivateDataValidationParameter('col', 'b', Uint8Array.from([1]));
    await stub.finishWriteBatch();
    await scope.finish();
    expect(talkBack.names()).toEqual(['PUT_STATE', 'DEL_STATE', 'PUT_STATE_METADATA']);
  });
});
