/**
 * marbles over the mock peer: composite-key indexes, range / partial-key / rich queries with
 * pagination, history, and the bulk transfer's write batch on the wire.
 */
import { MockPeer, type MockChaincode } from 'fabric-shim-ts/testing';
import { MarblesChaincode, type Marble, type MarbleVersion, type Page } from '../src';

const CC = 'marbles';
const ck = (...parts: string[]): string => `\u0000${parts.join('\u0000')}\u0000`;
const json = <T>(payload: Uint8Array): T => JSON.parse(Buffer.from(payload).toString('utf8')) as T;

// marble01..marble07: odd ones blue and tom's, even ones red and jerry's; size = number * 10.
const MARBLES = Array.from({ length: 7 }, (_, i) => {
  const n = i + 1;
  return { name: `marble0${n}`, color: n % 2 ? 'blue' : 'red', size: n * 10, owner: n % 2 ? 'tom' : 'jerry' };
});

describe('marbles example', () => {
  let peer: MockPeer;
  let cc: MockChaincode;

  const ok = async (args: string[]) => {
    const res = await cc.invoke(args);
    if (res.status !== 200) throw new Error(`${args[0]} failed: ${res.message}`);
    return res;
  };
  const stored = (name: string) => peer.ledger.getJSON<Marble>(CC, name);
  const hasKey = (key: string) => peer.ledger.get(CC, key) !== undefined;

  beforeAll(async () => {
    peer = await MockPeer.start();
    cc = await peer.launch(CC, new MarblesChaincode());
    for (const m of MARBLES) await ok(['initMarble', m.name, m.color.toUpperCase(), String(m.size), m.owner]);
  });

  afterAll(async () => {
    await peer.stop();
  });

  test('initMarble writes the document and both index entries', () => {
    expect(stored('marble01')).toEqual({ docType: 'marble', name: 'marble01', color: 'blue', size: 10, owner: 'tom' });
    expect(hasKey(ck('color~name', 'blue', 'marble01'))).toBe(true);
    expect(hasKey(ck('owner~name', 'tom', 'marble01'))).toBe(true);
    expect(hasKey(ck('color~name', 'red', 'marble02'))).toBe(true);
  });

  test('initMarble refuses duplicates and bad input', async () => {
    const dup = await cc.invoke(['initMarble', 'marble01', 'green', '1', 'eve']);
    expect(dup.status).toBe(500);
    expect(dup.message).toBe('marble marble01 already exists');
    const bad = await cc.invoke(['initMarble', 'marble99', 'green', 'big', 'eve']);
    expect(bad.message).toContain("size) must be a positive integer, got 'big'");
    expect(stored('marble99')).toBeUndefined();
    expect((await cc.invoke(['noSuchFunction'])).message).toContain("unknown function 'noSuchFunction'");
  });

  test('range query returns documents only, in key order', async () => {
    const res = await ok(['getMarblesByRange', 'marble02', 'marble05']);
    expect(json<Marble[]>(res.payload).map((m) => m.name)).toEqual(['marble02', 'marble03', 'marble04']);
    const all = json<Marble[]>((await ok(['getMarblesByRange', '', ''])).payload);
    expect(all.map((m) => m.name)).toEqual(MARBLES.map((m) => m.name)); // no index keys
  });

  test('range pagination: the bookmark is the next key, and "" after the last page', async () => {
    const pages: Page<Marble>[] = [];
    let bookmark = '';
    do {
      const page = json<Page<Marble>>((await ok(['getMarblesByRangeWithPagination', '', '', '3', bookmark])).payload);
      pages.push(page);
      bookmark = page.bookmark;
    } while (bookmark !== '' && pages.length < 10);
    expect(pages.map((p) => p.records.map((m) => m.name))).toEqual([
      ['marble01', 'marble02', 'marble03'],
      ['marble04', 'marble05', 'marble06'],
      ['marble07'],
    ]);
    expect(pages.map((p) => p.fetchedRecordsCount)).toEqual([3, 3, 1]);
    expect(pages.map((p) => p.bookmark)).toEqual(['marble04', 'marble07', '']);
  });

  test('partial composite key query on the colour index, whole and paginated', async () => {
    expect(json<string[]>((await ok(['getMarblesByColor', 'blue'])).payload)).toEqual(['marble01', 'marble03', 'marble05', 'marble07']);
    expect(json<string[]>((await ok(['getMarblesByColor', 'green'])).payload)).toEqual([]);
    const first = json<Page<string>>((await ok(['getMarblesByColorWithPagination', 'red', '2', ''])).payload);
    expect(first.records).toEqual(['marble02', 'marble04']);
    expect(first.bookmark).not.toBe('');
    const second = json<Page<string>>((await ok(['getMarblesByColorWithPagination', 'red', '2', first.bookmark])).payload);
    expect(second.records).toEqual(['marble06']);
  });

  test('rich queries select on document fields, with pagination', async () => {
    const byOwner = json<Marble[]>((await ok(['queryMarblesByOwner', 'jerry'])).payload);
    expect(byOwner.map((m) => m.name).sort()).toEqual(['marble02', 'marble04', 'marble06']);

    const query = JSON.stringify({ selector: { docType: 'marble', size: { $gte: 30 } } });
    const big = json<Marble[]>((await ok(['queryMarbles', query])).payload);
    expect(big.map((m) => m.name).sort()).toEqual(['marble03', 'marble04', 'marble05', 'marble06', 'marble07']);

    const seen: string[] = [];
    let bookmark = '';
    for (let i = 0; i < 10; i++) {
      const page = json<Page<Marble>>((await ok(['queryMarblesWithPagination', query, '2', bookmark])).payload);
      expect(page.records.length).toBeLessThanOrEqual(2);
      seen.push(...page.records.map((m) => m.name));
      if (page.records.length < 2 || page.bookmark === '') break;
      bookmark = page.bookmark;
    }
    expect([...seen].sort()).toEqual(big.map((m) => m.name).sort());
    expect(new Set(seen).size).toBe(seen.length);
  });

  test('transferMarble moves the owner index entry', async () => {
    await ok(['transferMarble', 'marble02', 'TOM']);
    expect(stored('marble02')?.owner).toBe('tom');
    expect(hasKey(ck('owner~name', 'tom', 'marble02'))).toBe(true);
    expect(hasKey(ck('owner~name', 'jerry', 'marble02'))).toBe(false);
  });

  test('bulk transfer by colour commits through WRITE_BATCH_STATE', async () => {
    const res = await ok(['transferMarblesBasedOnColor', 'blue', 'ann']);
    expect(json<{ transferred: string[] }>(res.payload).transferred).toEqual(['marble01', 'marble03', 'marble05', 'marble07']);
    for (const name of ['marble01', 'marble03', 'marble05', 'marble07']) {
      expect(stored(name)?.owner).toBe('ann');
      expect(hasKey(ck('owner~name', 'ann', name))).toBe(true);
      expect(hasKey(ck('owner~name', 'tom', name))).toBe(false);
    }
    expect(stored('marble02')?.owner).toBe('tom'); // red marbles untouched
    const sent = cc.wire.filter((w) => w.txId === res.txId && w.direction === 'received').map((w) => w.type);
    expect(sent).toContain('WRITE_BATCH_STATE');
    expect(sent).not.toContain('PUT_STATE');
    expect(sent).not.toContain('DEL_STATE');
  });

  test('history lists versions newest first, the delete included', async () => {
    const created = await ok(['initMarble', 'hist', 'green', '5', 'tom']);
    const moved = await ok(['transferMarble', 'hist', 'jerry']);
    const deleted = await ok(['deleteMarble', 'hist']);
    expect(stored('hist')).toBeUndefined();
    expect(hasKey(ck('color~name', 'green', 'hist'))).toBe(false);
    expect(hasKey(ck('owner~name', 'jerry', 'hist'))).toBe(false);

    const history = json<MarbleVersion[]>((await ok(['getHistoryForMarble', 'hist'])).payload);
    expect(history.map((h) => h.txId)).toEqual([deleted.txId, moved.txId, created.txId]);
    expect(history.map((h) => h.isDelete)).toEqual([true, false, false]);
    expect(history[0]?.marble).toBeNull();
    expect(history[1]?.marble?.owner).toBe('jerry');
    expect(history[2]?.marble?.owner).toBe('tom');
  });
});

describe('marbles bulk transfer with a Fabric 3.0 peer (no write batching advertised)', () => {
  let peer: MockPeer;

  beforeAll(async () => {
    peer = await MockPeer.start({ capabilities: false });
  });

  afterAll(async () => {
    await peer.stop();
  });

  test('the same transaction falls back to one PUT_STATE / DEL_STATE per key', async () => {
    const cc = await peer.launch(CC, new MarblesChaincode());
    for (const name of ['a', 'b']) expect((await cc.invoke(['initMarble', name, 'blue', '1', 'tom'])).status).toBe(200);
    const res = await cc.invoke(['transferMarblesBasedOnColor', 'blue', 'ann']);
    expect(res.status).toBe(200);
    expect(peer.ledger.getJSON<Marble>(CC, 'a')?.owner).toBe('ann');
    expect(peer.ledger.getJSON<Marble>(CC, 'b')?.owner).toBe('ann');
    const sent = cc.wire.filter((w) => w.txId === res.txId && w.direction === 'received').map((w) => w.type);
    expect(sent).not.toContain('WRITE_BATCH_STATE');
    // 2 marbles x (owner index delete + document + colour index + owner index)
    expect(sent.filter((t) => t === 'PUT_STATE')).toHaveLength(6);
    expect(sent.filter((t) => t === 'DEL_STATE')).toHaveLength(2);
  });
});
