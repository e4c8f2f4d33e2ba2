import { ChaincodeMessage_Type as T, QueryStateCloseSchema, QueryStateNextSchema } from '../src/gen/peer/chaincode_shim_pb';
import { Iterators, StateQueryIterator, HistoryQueryIterator } from '../src/iterators';
import { fakeTransaction, historyPage, kvPage, peerError } from './support/fake-talk-back';

function threePages() {
  const t = fakeTransaction();
  t.talkBack.answer(
    T.GET_STATE_BY_RANGE,
    kvPage({
      id: 'q7',
      hasMore: true,
      kvs: [
        { key: 'a', value: '1' },
        { key: 'b', value: '2' },
      ],
    }),
  );
  t.talkBack.answer(
    T.QUERY_STATE_NEXT,
    kvPage({ id: 'q7', hasMore: true, kvs: [] }), // an empty page with has_more: keep asking
    kvPage({ id: 'q7', hasMore: false, kvs: [{ key: 'c', value: '3' }] }),
  );
  return t;
}

describe('StateQueryIterator', () => {
  it('pages through QUERY_STATE_NEXT while has_more, with fabric-shim next() results', async () => {
    const { stub, talkBack } = threePages();
    const it = await stub.getStateByRange('a', 'z');
    const seen: string[] = [];
    for (let r = await it.next(); !r.done; r = await it.next()) seen.push(`${r.value.key}=${r.value.value.toString()}`);
    expect(seen).toEqual(['a=1', 'b=2', 'c=3']);
    expect(talkBack.names()).toEqual(['GET_STATE_BY_RANGE', 'QUERY_STATE_NEXT', 'QUERY_STATE_NEXT']);
    expect(talkBack.decoded(1, QueryStateNextSchema).id).toBe('q7');
    await it.close();
    expect(talkBack.decoded(3, QueryStateCloseSchema).id).toBe('q7');
  });

  it('concurrent next() calls are served in order and fetch each page once', async () => {
    const { stub, talkBack } = threePages();
    const it = await stub.getStateByRange('a', 'z');
    const results = await Promise.all([it.next(), it.next(), it.next(), it.next()]);
    expect(results.map((r) => (r.done ? 'done' : r.value.key))).toEqual(['a', 'b', 'c', 'done']);
    expect(talkBack.names()).toEqual(['GET_STATE_BY_RANGE', 'QUERY_STATE_NEXT', 'QUERY_STATE_NEXT']);
  });

  it('close() sends QUERY_STATE_CLOSE once, however often called; next() is then done', async () => {
    const { stub, talkBack } = threePages();
    const it = await stub.getStateByRange('a', 'z');
    await Promise.all([it.close(), it.close()]);
    await it.close();
    expect(talkBack.names().filter((n) => n === 'QUERY_STATE_CLOSE')).toHaveLength(1);
    expect(await it.next()).toEqual({ value: undefined, done: true });
  });

  it('for await over the iterator yields every value and closes at the end', async () => {
    const { stub, talkBack } = threePages();
    const keys: string[] = [];
    for await (const kv of await stub.getStateByRange('a', 'z')) keys.push(kv.key);
    expect(keys).toEqual(['a', 'b', 'c']);
    expect(talkBack.names().at(-1)).toBe('QUERY_STATE_CLOSE');
  });

  it('for await directly over the query promise works too (fabric-shim style)', async () => {
    const { stub, talkBack } = threePages();
    const keys: string[] = [];
    for await (const kv of stub.getStateByRange('a', 'z')) keys.push(kv.key);
    expect(keys).toEqual(['a', 'b', 'c']);
    expect(talkBack.names()).toEqual(['GET_STATE_BY_RANGE', 'QUERY_STATE_NEXT', 'QUERY_STATE_NEXT', 'QUERY_STATE_CLOSE']);
  });

  it('break out of for await closes the iterator without fetching more pages', async () => {
    const { stub, talkBack } = threePages();
    for await (const kv of stub.getStateByRangeWithPagination('a', 'z', 10)) {
      expect(kv.key).toBe('a');
      break;
    }
    expect(talkBack.names()).toEqual(['GET_STATE_BY_RANGE', 'QUERY_STATE_CLOSE']);
  });

  it('await using closes the iterator at the end of the block', async () => {
    const { stub, talkBack } = threePages();
    {
      await using it = await stub.getStateByRange('a', 'z');
      expect((await it.next()).value?.key).toBe('a');
    }
    expect(talkBack.names()).toEqual(['GET_STATE_BY_RANGE', 'QUERY_STATE_CLOSE']);
  });

  it('the scope closes iterators the chaincode left open, and not those already closed', async () => {
    const { stub, scope, talkBack } = fakeTransaction();
    talkBack.answer(T.GET_STATE_BY_RANGE, kvPage({ id: 'left-open', kvs: [] }), kvPage({ id: 'closed', kvs: [] }));
    talkBack.answer(T.GET_HISTORY_FOR_KEY, historyPage({ id: 'hist', entries: [] }));
    await stub.getStateByRange('a', 'b');
    await (await stub.getStateByRange('c', 'd')).close();
    await stub.getHistoryForKey('k');
    await scope.finish();
    const closes = talkBack.calls
      .map((c, i) => (c.name === 'QUERY_STATE_CLOSE' ? talkBack.decoded(i, QueryStateCloseSchema).id : undefined))
      .filter(Boolean);
    expect(closes.sort()).toEqual(['closed', 'hist', 'left-open']);
  });

  it('a failing QUERY_STATE_NEXT rejects next()', async () => {
    const { stub, talkBack } = fakeTransaction();
    talkBack.answer(T.GET_STATE_BY_RANGE, kvPage({ id: 'q', hasMore: true, kvs: [] }));
    talkBack.answer(T.QUERY_STATE_NEXT, peerError('query iterator not found'));
    const it = await stub.getStateByRange('a', 'b');
    await expect(it.next()).rejects.toMatchObject({ code: 'PEER_ERROR', message: 'query iterator not found' });
  });

  it('a rejected query rejects for await as well', async () => {
    const { stub, talkBack } = fakeTransaction();
    talkBack.answer(T.GET_QUERY_RESULT, peerError('bad selector'));
    const consume = async () => {
      for await (const kv of stub.getQueryResult('{')) void kv;
    };
    await expect(consume()).rejects.toMatchObject({ code: 'PEER_ERROR', message: 'bad selector' });
  });
});

describe('HistoryQueryIterator', () => {
  it('decodes KeyModification entries as fabric-shim (timestamp as numbers, deletes flagged)', async () => {
    const { stub, talkBack } = fakeTransaction();
    talkBack.answer(
      T.GET_HISTORY_FOR_KEY,
      historyPage({
        entries: [
          { txId: 't3', value: '', seconds: 300, nanos: 5, isDelete: true },
          { txId: 't2', value: 'v2', seconds: 200 },
        ],
      }),
    );
    const entries = [];
    for await (const e of stub.getHistoryForKey('k')) entries.push(e);
    expect(entries).toEqual([
      { txId: 't3', value: Buffer.alloc(0), timestamp: { seconds: 300, nanos: 5 }, isDelete: true },
      { txId: 't2', value: Buffer.from('v2'), timestamp: { seconds: 200, nanos: 0 }, isDelete: false },
    ]);
  });
});

describe('Iterators export', () => {
  it("holds the iterator classes under fabric-shim's names", async () => {
    expect(Iterators.StateQueryIterator).toBe(StateQueryIterator);
    expect(Iterators.HistoryQueryIterator).toBe(HistoryQueryIterator);
    const { stub } = fakeTransaction();
    expect(await stub.getStateByRange('a', 'b')).toBeInstanceOf(Iterators.StateQueryIterator);
    expect(await stub.getHistoryForKey('k')).toBeInstanceOf(Iterators.HistoryQueryIterator);
  });
});
