import { create, toBinary } from '@bufbuild/protobuf';
import {
  ChaincodeMessage_Type as T,
  QueryResponseMetadataSchema,
  StateMetadataResultSchema,
  WriteBatchStateSchema,
} from '../src/gen/peer/chaincode_shim_pb';
import { ShimError } from '../src/errors';
import * as codec from '../src/codec/state';
import * as rq from '../src/requests';
import { WriteBatch } from '../src/requests';
import { FakeTalkBack, peerError } from './support/fake-talk-back';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { peer } = require('@hyperledger/fabric-protos');

const text = (b: Uint8Array | string) => Buffer.from(b as Uint8Array).toString();

describe('encoders read back by the official fabric-protos', () => {
  it('GET_STATE / GET_STATE_MULTIPLE / GET_STATE_METADATA', () => {
    const gs = peer.GetState.deserializeBinary(codec.encodeKeyCollection('k', 'col'));
    expect([gs.getKey(), gs.getCollection()]).toEqual(['k', 'col']);
    const gm = peer.GetStateMultiple.deserializeBinary(rq.encodeGetStateMultiple(['a', 'b'], ''));
    expect(gm.getKeysList()).toEqual(['a', 'b']);
    const md = peer.GetStateMetadata.deserializeBinary(codec.encodeKeyCollection('k', 'c'));
    expect([md.getKey(), md.getCollection()]).toEqual(['k', 'c']);
  });

  it('PUT_STATE / DEL_STATE / PURGE_PRIVATE_DATA / PUT_STATE_METADATA', () => {
    const ps = peer.PutState.deserializeBinary(codec.encodePutState('k', Buffer.from('v'), 'c'));
    expect([ps.getKey(), text(ps.getValue_asU8()), ps.getCollection()]).toEqual(['k', 'v', 'c']);
    const ds = peer.DelState.deserializeBinary(codec.encodeKeyCollection('k', 'c'));
    expect([ds.getKey(), ds.getCollection()]).toEqual(['k', 'c']);
    // The peer decodes PURGE_PRIVATE_DATA as DelState: same fields, same numbers.
    const pp = peer.DelState.deserializeBinary(codec.encodeKeyCollection('k', 'c'));
    expect([pp.getKey(), pp.getCollection()]).toEqual(['k', 'c']);
    const pm = peer.PutStateMetadata.deserializeBinary(rq.encodePutStateMetadata('k', 'c', 'VALIDATION_PARAMETER', Uint8Array.from([1])));
    expect([pm.getKey(), pm.getCollection(), pm.getMetadata().getMetakey(), [...pm.getMetadata().getValue_asU8()]]).toEqual([
      'k',
      'c',
      'VALIDATION_PARAMETER',
      [1],
    ]);
  });

  it('queries, paging and history', () => {
    const range = peer.GetStateByRange.deserializeBinary(rq.encodeGetStateByRange('a', 'b', 'c', rq.encodeQueryMetadata(10, 'bm')));
    expect([range.getStartkey(), range.getEndkey(), range.getCollection()]).toEqual(['a', 'b', 'c']);
    const qm = peer.QueryMetadata.deserializeBinary(range.getMetadata_asU8());
    expect([qm.getPagesize(), qm.getBookmark()]).toEqual([10, 'bm']);
    const q = peer.GetQueryResult.deserializeBinary(rq.encodeGetQueryResult('{}', 'c'));
    expect([q.getQuery(), q.getCollection(), q.getMetadata_asU8().length]).toEqual(['{}', 'c', 0]);
    expect(peer.GetHistoryForKey.deserializeBinary(codec.encodeSingleString('h')).getKey()).toBe('h');
    expect(peer.QueryStateNext.deserializeBinary(codec.encodeSingleString('id1')).getId()).toBe('id1');
    expect(peer.QueryStateClose.deserializeBinary(codec.encodeSingleString('id2')).getId()).toBe('id2');
  });

  it('INVOKE_CHAINCODE and WRITE_BATCH_STATE', () => {
    const spec = peer.ChaincodeSpec.deserializeBinary(rq.encodeInvokeChaincode('cc/ch', [Buffer.from('f'), Buffer.from('x')]));
    expect(spec.getChaincodeId().getName()).toBe('cc/ch');
    expect(spec.getInput().getArgsList_asU8().map(text)).toEqual(['f', 'x']);

    const batch = new WriteBatch();
    batch.putState('', 'k', Buffer.from('v'));
    batch.putMetadata('', 'k', 'VALIDATION_PARAMETER', Uint8Array.from([2]));
    batch.delState('c', 'd');
    const wb = peer.WriteBatchState.deserializeBinary(rq.encodeWriteBatch(batch.records()));
    expect(
      wb
        .getRecList()
        .map((r: { getKey(): string; getType(): number; getCollection(): string }) => [r.getKey(), r.getType(), r.getCollection()]),
    ).toEqual([
      ['k', peer.WriteRecord.Type.PUT_STATE, ''],
      ['k', peer.WriteRecord.Type.PUT_STATE_METADATA, ''],
      ['d', peer.WriteRecord.Type.DEL_STATE, 'c'],
    ]);
  });
});

describe('decoders', () => {
  it('decode state metadata and pagination metadata', () => {
    const md = toBinary(
      StateMetadataResultSchema,
      create(StateMetadataResultSchema, { entries: [{ metakey: 'A', value: Uint8Array.from([1]) }] }),
    );
    expect(rq.decodeStateMetadata(md)).toEqual({ A: Buffer.from([1]) });
    const qm = toBinary(QueryResponseMetadataSchema, create(QueryResponseMetadataSchema, { fetchedRecordsCount: 4, bookmark: 'x' }));
    expect(rq.decodeQueryResponseMetadata(qm)).toEqual({ fetchedRecordsCount: 4, bookmark: 'x' });
    expect(rq.decodeQueryResponseMetadata(new Uint8Array(0))).toEqual({ fetchedRecordsCount: 0, bookmark: '' });
  });

  it('asBuffer shares memory rather than copying', () => {
    const bytes = Uint8Array.from([1, 2, 3]).subarray(1);
    const buf = rq.asBuffer(bytes);
    expect(Buffer.isBuffer(buf)).toBe(true);
    bytes[0] = 9;
    expect([...buf]).toEqual([9, 3]);
  });
});

describe('the one round trip (every request goes through it)', () => {
  it('wraps an undecodable answer as PROTOCOL naming the request and transaction', async () => {
    const tb = new FakeTalkBack({ txId: 'tx9', channelId: 'ch' }).answer(T.GET_QUERY_RESULT, Uint8Array.from([0xff]));
    const err = await rq.getQueryResult(tb, '', '{}').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ShimError);
    expect(err).toMatchObject({ code: 'PROTOCOL', requestType: 'GET_QUERY_RESULT', txId: 'tx9', channelId: 'ch' });
  });

  it('passes TalkBack rejections through untouched', async () => {
    const refused = peerError('nope');
    const tb = new FakeTalkBack().answer(T.GET_STATE, refused);
    await expect(rq.getState(tb, '', 'k')).rejects.toBe(refused);
  });
});

describe('writeBatchState', () => {
  it('chunks by the maximum; a maximum below 1 sends one record per message (Go shim)', async () => {
    const batch = new WriteBatch();
    for (const k of ['a', 'b', 'c', 'd', 'e']) batch.putState('', k, Buffer.from(k));
    const sizes = async (max: number) => {
      const tb = new FakeTalkBack();
      await rq.writeBatchState(tb, batch.records(), max);
      return tb.calls.map((_, i) => tb.decoded(i, WriteBatchStateSchema).rec.length);
    };
    expect(await sizes(2)).toEqual([2, 2, 1]);
    expect(await sizes(1000)).toEqual([5]);
    expect(await sizes(0)).toEqual([1, 1, 1, 1, 1]);
  });

  it('stops at the first failed chunk', async () => {
    const batch = new WriteBatch();
    for (const k of ['a', 'b', 'c']) batch.delState('', k);
    const tb = new FakeTalkBack().answer(T.WRITE_BATCH_STATE, peerError('full'));
    await expect(rq.writeBatchState(tb, batch.records(), 1)).rejects.toMatchObject({ message: 'full' });
    expect(tb.calls).toHaveLength(1);
  });
});
