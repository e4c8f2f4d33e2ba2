/**
 * ChaincodeStub over the wire, part 2: range, composite-key, rich and history queries, with
 * and without pagination, through a chaincode launched in-process on the mock peer. The peer
 * hands out 100 results per QueryResponse, so results beyond 100 need QUERY_STATE_NEXT, and
 * every query must end with QUERY_STATE_CLOSE (or the peer's last page).
 */
import type { ChaincodeStub } from '../src/stub';
import type { KV } from '../src/iterators';
import { MockPeer } from '../src/testing/mock-peer';
import type { MockChaincode } from '../src/testing/mock-chaincode';
import { Probe, count, drain } from './support/stub-wire-probe';

let peer: MockPeer;
let cc: MockChaincode;
const probe = new Probe();
const pad = (i: number) => String(i).padStart(3, '0');
const keysOf = (kvs: KV[]) => kvs.map((kv) => kv.key);

beforeAll(async () => {
  peer = await MockPeer.start({ txTimeoutMs: 10_000 });
  cc = await peer.launch('probe', probe);
  for (let i = 0; i < 250; i++) peer.ledger.put('probe', `r${pad(i)}`, `v${i}`);
  for (let i = 0; i < 120; i++) peer.ledger.put('probe', `doc${pad(i)}`, { type: i % 2 ? 'car' : 'bike', size: i });
  // Composite keys: 130 blue and 3 red assets, plus a second object type.
  await probe.run(cc, async (stub) => {
    for (let i = 0; i < 130; i++) await stub.putState(stub.createCompositeKey('color~name', ['blue', `b${pad(i)}`]), 'B');
    for (const n of ['r1', 'r2', 'r3']) await stub.putState(stub.createCompositeKey('color~name', ['red', n]), 'R');
    await stub.putState(stub.createCompositeKey('owner', ['alice']), 'O');
  });
});

afterAll(async () => {
  await peer.stop();
});

/** Walks every page of a paginated query, returning the keys of each page and its metadata. */
async function pages(stub: ChaincodeStub, open: (bookmark: string) => ReturnType<ChaincodeStub['getStateByRangeWithPagination']>) {
  const out: { keys: string[]; count: number; bookmark: string }[] = [];
  let bookmark = '';
  do {
    const { iterator, metadata } = await open(bookmark);
    out.push({ keys: keysOf(await drain(iterator)), count: metadata.fetchedRecordsCount, bookmark: metadata.bookmark });
    bookmark = metadata.bookmark;
  } while (bookmark !== '' && out.length < 20);
  return out;
}

describe('getStateByRange', () => {
  it('returns more than 100 results in key order, fetching pages with QUERY_STATE_NEXT', async () => {
    const { value, sent } = await probe.run(cc, async (stub) => {
      const all: KV[] = [];
      for await (const kv of stub.getStateByRange('r', 'r~')) all.push(kv);
      return all;
    });
    expect(keysOf(value)).toEqual(Array.from({ length: 250 }, (_, i) => `r${pad(i)}`));
    expect(value[249]).toEqual({ key: 'r249', value: Buffer.from('v249') });
    expect(Object.keys(value[249]!)).toEqual(['key', 'value']); // fabric-shim's own keys: no namespace
    expect(count(sent, 'GET_STATE_BY_RANGE')).toBe(1);
    expect(count(sent, 'QUERY_STATE_NEXT')).toBe(2);
    expect(count(sent, 'QUERY_STATE_CLOSE')).toBe(1);
  });

  it('honours bounds, skips composite keys for an empty start, and closes a query left open', async () => {
    const { value, sent } = await probe.run(cc, async (stub) => {
      const bounded = await drain(await stub.getStateByRange('r010', 'r020'));
      const first = await (await stub.getStateByRange('', '')).next();
      return { bounded: keysOf(bounded), first: first.value?.key };
    });
    expect(value.bounded).toEqual(Array.from({ length: 10 }, (_, i) => `r${pad(i + 10)}`));
    // '' starts at 0x01, past the composite key namespace (fabric-shim), so the first key is a simple one.
    expect(value.first).toBe('doc000');
    // The second iterator was never closed by the chaincode: the shim closes it before COMPLETED.
    expect(sent.slice(-2)).toEqual(['QUERY_STATE_CLOSE', 'COMPLETED']);
  });

  it('pages with a bookmark, fetchedRecordsCount, and pages larger than 100', async () => {
    const { value } = await probe.run(cc, (stub) => pages(stub, (b) => stub.getStateByRangeWithPagination('r', 'r~', 100, b)));
    expect(value.map((p) => [p.count, p.keys.length, p.bookmark])).toEqual([
      [100, 100, 'r100'],
      [100, 100, 'r200'],
      [50, 50, ''],
    ]);
    expect(value.flatMap((p) => p.keys)).toEqual(Array.from({ length: 250 }, (_, i) => `r${pad(i)}`));
    const big = await probe.run(cc, async (stub) => {
      const { iterator, metadata } = await stub.getStateByRangeWithPagination('r', 'r~', 150);
      return { keys: keysOf(await drain(iterator)), metadata };
    });
    expect(big.value.keys).toHaveLength(150);
    expect(big.value.metadata).toEqual({ fetchedRecordsCount: 150, bookmark: 'r150' });
    expect(count(big.sent, 'QUERY_STATE_NEXT')).toBe(1);
  });

  it('refuses composite keys as bounds and bad page sizes', async () => {
    const { value, sent } = await probe.run(cc, async (stub) => {
      const codes: string[] = [];
      const composite = stub.createCompositeKey('color~name', ['blue']);
      for (const q of [() => stub.getStateByRange(composite, ''), () => stub.getStateByRangeWithPagination('a', 'b', 1.5)]) {
        await q().then(
          () => codes.push('resolved'),
          (e: { code: string }) => codes.push(e.code),
        );
      }
      return codes;
    });
    expect(value).toEqual(['INVALID_ARGUMENT', 'INVALID_ARGUMENT']);
    expect(sent).toEqual(['COMPLETED']);
  });
});

describe('composite keys', () => {
  it('finds keys by partial composite key and splits them', async () => {
    const { value } = await probe.run(cc, async (stub) => {
      const red = await drain(await stub.getStateByPartialCompositeKey('color~name', ['red']));
      const blue = await drain(await stub.getStateByPartialCompositeKey('color~name', ['blue']));
      return { red: red.map((kv) => stub.splitCompositeKey(kv.key)), blue: blue.length, redValue: red[0]?.value };
    });
    expect(value.red).toEqual(['r1', 'r2', 'r3'].map((n) => ({ objectType: 'color~name', attributes: ['red', n] })));
    expect(value.redValue).toEqual(Buffer.from('R'));
    expect(value.blue).toBe(130);
  });

  it('pages a partial composite key query', async () => {
    const { value } = await probe.run(cc, (stub) =>
      pages(stub, (b) => stub.getStateByPartialCompositeKeyWithPagination('color~name', ['blue'], 60, b)),
    );
    expect(value.map((p) => p.count)).toEqual([60, 60, 10]);
    expect(value.at(-1)?.bookmark).toBe('');
    expect(new Set(value.flatMap((p) => p.keys)).size).toBe(130);
  });

  it('getAllStatesCompositeKeyWithPagination returns every composite key and no simple key', async () => {
    const { value } = await probe.run(cc, async (stub) => {
      const all = await pages(stub, (b) => stub.getAllStatesCompositeKeyWithPagination(100, b));
      return all.flatMap((p) => p.keys).map((k) => stub.splitCompositeKey(k).objectType);
    });
    expect(value).toHaveLength(134);
    expect(new Set(value)).toEqual(new Set(['color~name', 'owner']));
  });
});

describe('rich queries', () => {
  const query = JSON.stringify({ selector: { type: 'car', size: { $gte: 10 } } });

  it('returns the matching documents, more than 100 when there are', async () => {
    const { value, sent } = await probe.run(cc, async (stub) => {
      const cars = await drain(await stub.getQueryResult(query));
      const all = await drain(await stub.getQueryResult(JSON.stringify({ selector: { size: { $gte: 0 } } })));
      return { cars: keysOf(cars), all: all.length };
    });
    expect(value.cars).toEqual(
      Array.from({ length: 120 }, (_, i) => i)
        .filter((i) => i % 2 && i >= 10)
        .map((i) => `doc${pad(i)}`),
    );
    expect(value.all).toBe(120);
    expect(count(sent, 'GET_QUERY_RESULT')).toBe(2);
    expect(count(sent, 'QUERY_STATE_NEXT')).toBe(1);
  });

  it('pages a rich query with the opaque bookmark', async () => {
    const { value } = await probe.run(cc, (stub) => pages(stub, (b) => stub.getQueryResultWithPagination(query, 20, b)));
    expect(value.map((p) => p.count)).toEqual([20, 20, 15]);
    expect(value.flatMap((p) => p.keys)).toHaveLength(55);
    expect(value.at(-1)?.bookmark).toBe('');
  });

  it('sends an empty or bad query to the peer, as fabric-shim, and reports its refusal', async () => {
    const { value } = await probe.run(cc, async (stub) => {
      const out: string[] = [];
      for (const q of ['', '{not json'])
        await stub.getQueryResult(q).then(
          () => out.push('resolved'),
          (e: { code: string }) => out.push(e.code),
        );
      return out;
    });
    expect(value).toEqual(['PEER_ERROR', 'PEER_ERROR']);
  });
});

describe('getHistoryForKey', () => {
  it('lists every committed change newest first, a delete as isDelete with an empty value', async () => {
    const t1 = new Date('2024-01-01T00:00:01Z');
    const first = await probe.run(cc, (stub) => stub.putState('h', 'one'), ['w'], { timestamp: t1 });
    const second = await probe.run(cc, (stub) => stub.putState('h', 'two'));
    const deleted = await probe.run(cc, (stub) => stub.deleteState('h'));
    const { value } = await probe.run(cc, async (stub) => {
      const out = [];
      for await (const m of stub.getHistoryForKey('h')) out.push(m);
      return out;
    });
    expect(value.map((m) => [m.txId, m.value.toString(), m.isDelete])).toEqual([
      [deleted.result.txId, '', true],
      [second.result.txId, 'two', false],
      [first.result.txId, 'one', false],
    ]);
    expect(value[2]?.timestamp).toEqual({ seconds: t1.getTime() / 1000, nanos: 0 });
  });

  it('sends an empty key to the peer, as fabric-shim (the history of "" is empty)', async () => {
    const { value } = await probe.run(cc, async (stub) => (await stub.getHistoryForKey('')).next());
    expect(value).toEqual({ done: true });
  });
});
