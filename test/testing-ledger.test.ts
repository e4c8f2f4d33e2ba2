import { fromBinary } from '@bufbuild/protobuf';
import { timestampDate } from '@bufbuild/protobuf/wkt';
import { KVSchema, KeyModificationSchema } from '../src/gen/ledger/queryresult/kv_query_result_pb';
import { QueryCursor, rangeQuery, richQuery, historyQuery, QUERY_BATCH_SIZE, type QueryScope } from '../src/testing/queries';
import { TxSimulation } from '../src/testing/simulation';
import { compareKeys, WorldState } from '../src/testing/world-state';

const text = (b: Uint8Array | undefined) => (b === undefined ? undefined : Buffer.from(b).toString('utf8'));
const keysOf = (records: Uint8Array[]) => records.map((r) => fromBinary(KVSchema, r).key);

describe('WorldState and TxSimulation', () => {
  test('reads see committed state only, writes apply atomically on commit', () => {
    const ledger = new WorldState('ch1');
    ledger.put('cc', 'a', 'old');
    const sim = new TxSimulation(ledger, 'ch1', 'tx1');
    sim.putState('cc', '', 'a', Buffer.from('new'));
    sim.putState('cc', '', 'b', Buffer.from('b1'));
    expect(text(sim.getState('cc', '', 'a'))).toBe('old');
    expect(sim.getState('cc', '', 'b')).toBeUndefined();
    expect(ledger.getString('cc', 'a')).toBe('old');
    sim.commit(new Date(1000));
    expect(ledger.getString('cc', 'a')).toBe('new');
    expect(ledger.getString('cc', 'b')).toBe('b1');
    expect(ledger.getVersion('cc', 'a')).toEqual(ledger.getVersion('cc', 'b'));
    expect(() => sim.putState('cc', '', 'c', Buffer.from('x'))).toThrow(/already finished/);
  });

  test('discard leaves the ledger untouched', () => {
    const ledger = new WorldState('ch1');
    const sim = new TxSimulation(ledger, 'ch1', 'tx1');
    sim.putState('cc', '', 'a', Buffer.from('v'));
    sim.discard();
    expect(ledger.get('cc', 'a')).toBeUndefined();
    expect(ledger.blockHeight('ch1')).toBe(0);
  });

  test('history is newest first, deletes are isDelete with an empty value; private data has no history', () => {
    const ledger = new WorldState('ch1');
    const t1 = new TxSimulation(ledger, 'ch1', 'tx1');
    t1.putState('cc', '', 'k', Buffer.from('v1'));
    t1.putState('cc', 'c1', 'p', Buffer.from('secret'));
    t1.commit(new Date(1000));
    const t2 = new TxSimulation(ledger, 'ch1', 'tx2');
    t2.delState('cc', '', 'k');
    t2.commit(new Date(2000));
    expect(ledger.getHistory('cc', 'k')).toEqual([
      { txId: 'tx2', timestamp: new Date(2000), value: new Uint8Array(0), isDelete: true },
      { txId: 'tx1', timestamp: new Date(1000), value: Buffer.from('v1'), isDelete: false },
    ]);
    expect(ledger.getHistory('cc', 'p')).toEqual([]);
    expect(text(ledger.getPrivate('cc', 'c1', 'p'))).toBe('secret');
    expect(ledger.get('cc', 'p')).toBeUndefined();
    expect(ledger.getPrivateDataHash('cc', 'c1', 'p')?.toString('hex')).toBe(
      '2bb80d537b1da3e38bd30361aa855686bde0eacd7162fef6a25fe97bf527a25b',
    );
  });

  test('metadata survives value updates, is dropped for a missing key and with a delete', () => {
    const ledger = new WorldState('ch1');
    const t1 = new TxSimulation(ledger, 'ch1', 't1');
    t1.putState('cc', '', 'k', Buffer.from('v'));
    t1.putMetadata('cc', '', 'k', 'VALIDATION_PARAMETER', Buffer.from('policy'));
    t1.putMetadata('cc', '', 'ghost', 'VALIDATION_PARAMETER', Buffer.from('policy'));
    t1.commit(new Date());
    const t2 = new TxSimulation(ledger, 'ch1', 't2');
    t2.putState('cc', '', 'k', Buffer.from('v2'));
    t2.commit(new Date());
    expect(ledger.getMetadata('cc', 'k')).toEqual({ VALIDATION_PARAMETER: Buffer.from('policy') });
    expect(ledger.getMetadata('cc', 'ghost')).toEqual({});
    const t3 = new TxSimulation(ledger, 'ch1', 't3');
    t3.delState('cc', '', 'k');
    t3.commit(new Date());
    const t4 = new TxSimulation(ledger, 'ch1', 't4');
    t4.putState('cc', '', 'k', Buffer.from('v3'));
    t4.commit(new Date());
    expect(ledger.getMetadata('cc', 'k')).toEqual({});
  });

  test('channels and namespaces are separate', () => {
    const ledger = new WorldState('ch1');
    ledger.put('cc', 'k', 'one');
    ledger.put('cc', 'k', 'two', { channel: 'ch2' });
    ledger.put('other', 'k', { n: 3 });
    expect(ledger.getString('cc', 'k')).toBe('one');
    expect(ledger.getString('cc', 'k', { channel: 'ch2' })).toBe('two');
    expect(ledger.getJSON('other', 'k')).toEqual({ n: 3 });
  });

  test('keys sort by UTF-8 bytes, so U+10FFFF sorts after U+FFFF', () => {
    expect(compareKeys('\u{10FFFF}', '\uFFFF')).toBeGreaterThan(0);
    expect('\u{10FFFF}' < '\uFFFF').toBe(true); // what a naive sort would do
  });
});

describe('queries', () => {
  const ledger = new WorldState('ch1');
  for (let i = 0; i < 250; i++) ledger.put('cc', `k${String(i).padStart(3, '0')}`, { n: i, colour: i % 2 ? 'red' : 'blue' });
  ledger.put('cc', 'raw', 'not json');
  ledger.put('cc', '\u0000asset\u0000a\u0000', 'composite');
  const scope: QueryScope = { ledger, channelId: 'ch1', namespace: 'cc', collection: '' };

  test('range is [start, end) in key order; empty end is open', () => {
    expect(keysOf(rangeQuery(scope, 'k010', 'k013').records)).toEqual(['k010', 'k011', 'k012']);
    const all = keysOf(rangeQuery(scope, 'k248', '').records);
    expect(all).toEqual(['k248', 'k249', 'raw']);
    expect(keysOf(rangeQuery(scope, '\u0000asset\u0000', '\u0000asset\u0000\u{10FFFF}').records)).toEqual(['\u0000asset\u0000a\u0000']);
  });

  test('pagination: bookmark is the next key, "" on the last page', () => {
    const p1 = rangeQuery(scope, 'k000', 'k005', { pageSize: 2, bookmark: '' });
    expect(keysOf(p1.records)).toEqual(['k000', 'k001']);
    expect(p1.page).toEqual({ fetchedRecordsCount: 2, bookmark: 'k002' });
    const p3 = rangeQuery(scope, 'k000', 'k005', { pageSize: 2, bookmark: 'k004' });
    expect(keysOf(p3.records)).toEqual(['k004']);
    expect(p3.page).toEqual({ fetchedRecordsCount: 1, bookmark: '' });
  });

  test('cursor hands out batches of 100 with has_more', () => {
    const cursor = new QueryCursor('it1', rangeQuery(scope, '', ''));
    const sizes: [number, boolean][] = [];
    for (;;) {
      const b = cursor.next();
      sizes.push([b.records.length, b.hasMore]);
      if (!b.hasMore) break;
    }
    expect(QUERY_BATCH_SIZE).toBe(100);
    expect(sizes).toEqual([
      [100, true],
      [100, true],
      [52, false],
    ]);
    expect(cursor.exhausted).toBe(true);
  });

  test('rich query: selector, sort, limit, non-JSON skipped, bookmarks', () => {
    const red = richQuery(scope, JSON.stringify({ selector: { colour: 'red', n: { $lt: 10 } }, sort: [{ n: 'desc' }] }));
    expect(keysOf(red.records)).toEqual(['k009', 'k007', 'k005', 'k003', 'k001']);
    const limited = richQuery(scope, JSON.stringify({ selector: { n: { $gte: 0 } }, limit: 3 }));
    expect(keysOf(limited.records)).toEqual(['k000', 'k001', 'k002']);
    const byId = richQuery(scope, JSON.stringify({ selector: { _id: 'k100' } }));
    expect(keysOf(byId.records)).toEqual(['k100']);
    const q = JSON.stringify({ selector: { n: { $lt: 5 } } });
    const p1 = richQuery(scope, q, { pageSize: 3, bookmark: '' });
    expect(keysOf(p1.records)).toEqual(['k000', 'k001', 'k002']);
    expect(p1.page?.bookmark).not.toBe('');
    const p2 = richQuery(scope, q, { pageSize: 3, bookmark: p1.page!.bookmark });
    expect(keysOf(p2.records)).toEqual(['k003', 'k004']);
    expect(p2.page).toEqual({ fetchedRecordsCount: 2, bookmark: '' });
    expect(() => richQuery(scope, 'nope')).toThrow(/invalid query/);
    expect(() => richQuery(scope, '{"sort":[]}')).toThrow(/selector/);
  });

  test('history query encodes KeyModification newest first', () => {
    const l = new WorldState('ch1');
    l.put('cc', 'k', 'a');
    l.put('cc', 'k', 'b');
    const mods = historyQuery(l, 'ch1', 'cc', 'k').records.map((r) => fromBinary(KeyModificationSchema, r));
    expect(mods.map((m) => Buffer.from(m.value).toString())).toEqual(['b', 'a']);
    expect(mods.map((m) => m.txId)).toEqual(['seed-2', 'seed-1']);
    expect(timestampDate(mods[0]!.timestamp!)).toBeInstanceOf(Date);
  });
});
