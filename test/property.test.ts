/**
 * Reliability, case 6, property-based (fast-check):
 * - random sequences of peer messages, valid and corrupt, never make the handler throw or leave
 *   a rejection unhandled, never complete a transaction twice, and leave nothing held once
 *   every question has been answered;
 * - random transaction programs (get/put/del/range) give on the mock peer exactly what a plain
 *   in-memory model of Fabric's semantics gives: reads see the committed state only (no
 *   read-your-writes), ranges are [start, end) in key order, writes apply on success only.
 * (Composite keys round-tripping and refusing the delimiters: test/composite-key.test.ts.)
 */
import fc from 'fast-check';
import { create, toBinary } from '@bufbuild/protobuf';
import { ChaincodeInputSchema } from '../src/gen/peer/chaincode_pb';
import { ChaincodeMessage_Type as Type } from '../src/gen/peer/chaincode_shim_pb';
import { ChaincodeHandler } from '../src/handler';
import { connect, type ChaincodeConnection } from '../src/shim';
import { createLogger, setLogSink } from '../src/logger';
import { error, success, type ChaincodeResponse } from '../src/response';
import type { ChaincodeStub } from '../src/stub';
import { MockPeer } from '../src/testing/mock-peer';
import type { MockChaincode } from '../src/testing/mock-chaincode';
import { MemoryStream } from '../src/testing/memory-stream';

setLogSink({ write: () => undefined });
const quiet = createLogger('property', { level: 'debug' }); // debug: the logging paths run too

const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => void unhandled.push(reason);
beforeAll(() => process.on('unhandledRejection', onUnhandled));
afterAll(() => process.off('unhandledRejection', onUnhandled));

describe('random peer message sequences', () => {
  const chaincode = {
    Init: async (): Promise<ChaincodeResponse> => success(),
    async Invoke(stub: ChaincodeStub): Promise<ChaincodeResponse> {
      const [fcn = ''] = stub.getStringArgs();
      const v = await stub.getState('k');
      if (fcn === 'throw') throw new Error('thrown');
      if (fcn === 'two') await stub.putState('k', v);
      return success(v);
    },
  };
  const input = (args: string[]) => toBinary(ChaincodeInputSchema, create(ChaincodeInputSchema, { args: args.map((a) => Buffer.from(a)) }));

  type Step =
    | { kind: 'tx'; fcn: string; init: boolean }
    | { kind: 'dup'; back: number }
    | { kind: 'answer'; ok: boolean; target: number; payload: Uint8Array }
    | { kind: 'raw'; type: number; target: number; payload: Uint8Array };
  const step: fc.Arbitrary<Step> = fc.oneof(
    fc.record({ kind: fc.constant('tx' as const), fcn: fc.constantFrom('one', 'two', 'throw'), init: fc.boolean() }),
    fc.record({ kind: fc.constant('dup' as const), back: fc.nat(5) }),
    fc.record({ kind: fc.constant('answer' as const), ok: fc.boolean(), target: fc.nat(8), payload: fc.uint8Array({ maxLength: 12 }) }),
    // Anything at all: known and unknown types, garbage payloads, txids in flight or not.
    fc.record({
      kind: fc.constant('raw' as const),
      type: fc.integer({ min: 0, max: 40 }),
      target: fc.integer({ min: -1, max: 8 }),
      payload: fc.uint8Array({ maxLength: 12 }),
    }),
  );

  test('never throw, never complete a transaction twice, hold nothing once all is answered', async () => {
    await fc.assert(
      fc.asyncProperty(fc.boolean(), fc.array(step, { maxLength: 40 }), async (handshake, steps) => {
        const stream = new MemoryStream();
        const handler = new ChaincodeHandler(chaincode, stream, { chaincodeId: 'prop:1', logger: quiet });
        const run = handler.run();
        run.catch(() => undefined);
        if (handshake) {
          stream.deliver({ type: Type.REGISTERED });
          stream.deliver({ type: Type.READY });
        }
        const txids: string[] = [];
        const fresh = new Set<string>(); // well-formed, sent after READY
        const touched = new Set<string>(); // duplicated, or named by an out-of-place message
        const starts = new Map<string, number>(); // INIT/TRANSACTION messages per txid
        const started = (txid: string) => starts.set(txid, (starts.get(txid) ?? 0) + 1);
        const pick = (n: number) => (n < 0 || txids.length === 0 ? '' : txids[n % txids.length]!);
        for (const [i, s] of steps.entries()) {
          if (s.kind === 'tx') {
            const txid = `t${i}`;
            txids.push(txid);
            if (handshake) fresh.add(txid);
            started(txid);
            stream.deliver({ type: s.init ? Type.INIT : Type.TRANSACTION, txid, channelId: 'ch', payload: input([s.fcn]) });
          } else if (s.kind === 'dup') {
            const txid = txids[txids.length - 1 - (s.back % Math.max(1, txids.length))];
            if (txid === undefined) continue;
            touched.add(txid);
            started(txid);
            stream.deliver({ type: Type.TRANSACTION, txid, channelId: 'ch', payload: input(['one']) });
          } else if (s.kind === 'answer') {
            stream.deliver({ type: s.ok ? Type.RESPONSE : Type.ERROR, txid: pick(s.target), channelId: 'ch', payload: s.payload });
          } else {
            const txid = pick(s.target);
            // Any other type naming a transaction may start or refuse one: its txid then gets an ERROR by design.
            if (s.type !== Type.RESPONSE && s.type !== Type.ERROR && s.type !== Type.KEEPALIVE) touched.add(txid);
            if (s.type === Type.INIT || s.type === Type.TRANSACTION) started(txid);
            if (s.type === Type.ERROR && !handshake) continue; // before READY an ERROR is the peer refusing registration
            stream.deliver({ type: s.type, txid, channelId: 'ch', payload: s.payload });
          }
          if (i % 3 === 0) await new Promise((r) => setImmediate(r));
        }
        // Answer every question the chaincode asks until nothing is left.
        let answered = 0;
        for (let round = 0; round < 200 && handler.inFlight > 0; round++) {
          await new Promise((r) => setImmediate(r));
          for (; answered < stream.sent.length; answered++) {
            const m = stream.sent[answered]!;
            if (m.type === Type.GET_STATE || m.type === Type.PUT_STATE)
              stream.deliver({ type: Type.RESPONSE, txid: m.txid, channelId: m.channelId, payload: Buffer.from('v') });
          }
        }
        expect(handler.inFlight).toBe(0);
        const completed = new Map<string, number>();
        const terminal = new Map<string, number>();
        for (const m of stream.sent) {
          if (m.type === Type.COMPLETED) completed.set(m.txid, (completed.get(m.txid) ?? 0) + 1);
          if (m.type === Type.COMPLETED || m.type === Type.ERROR) terminal.set(m.txid, (terminal.get(m.txid) ?? 0) + 1);
        }
        // A txid sent again after its transaction ended is a new execution (as in the Go shim); one execution completes once.
        for (const [txid, n] of completed) expect({ txid, n: Math.min(n, starts.get(txid) ?? 0) }).toEqual({ txid, n });
        for (const txid of fresh) if (!touched.has(txid)) expect({ txid, n: terminal.get(txid) }).toEqual({ txid, n: 1 });
        handler.close();
        await new Promise((r) => setImmediate(r));
        expect(unhandled).toEqual([]);
      }),
      { numRuns: 150 },
    );
  });
});

describe('random transaction programs vs a model of Fabric', () => {
  type Op =
    | { op: 'get'; key: string }
    | { op: 'put'; key: string; value: string }
    | { op: 'del'; key: string }
    | { op: 'range'; start: string; end: string };
  interface Program {
    ops: Op[];
    fail: boolean;
  }

  const chaincode = {
    Init: async (): Promise<ChaincodeResponse> => success(),
    async Invoke(stub: ChaincodeStub): Promise<ChaincodeResponse> {
      const program = JSON.parse(stub.getStringArgs()[0] ?? '{}') as Program;
      const results: unknown[] = [];
      for (const o of program.ops) {
        if (o.op === 'get') results.push((await stub.getState(o.key)).toString());
        else if (o.op === 'put') results.push((await stub.putState(o.key, o.value)) as unknown);
        else if (o.op === 'del') results.push((await stub.deleteState(o.key)) as unknown);
        else {
          const kvs: string[] = [];
          for await (const kv of stub.getStateByRange(o.start, o.end)) kvs.push(`${kv.key}=${kv.value.toString()}`);
          results.push(kvs);
        }
      }
      return program.fail ? error(JSON.stringify(results)) : success(Buffer.from(JSON.stringify(results)));
    },
  };

  /** Fabric's semantics, plainly: reads see committed state; writes (last one per key wins) apply on success. */
  function model(state: Map<string, string>, p: Program): { results: unknown[]; next: Map<string, string> } {
    const writes = new Map<string, string | undefined>();
    const results = p.ops.map((o) => {
      if (o.op === 'get') return state.get(o.key) ?? '';
      // A write resolves with the peer's (empty) RESPONSE payload, as in fabric-shim.
      if (o.op === 'put') return (writes.set(o.key, o.value), { type: 'Buffer', data: [] });
      if (o.op === 'del') return (writes.set(o.key, undefined), { type: 'Buffer', data: [] });
      return [...state.keys()]
        .filter((k) => k >= (o.start === '' ? '\u0001' : o.start) && (o.end === '' || k < o.end))
        .sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)))
        .map((k) => `${k}=${state.get(k)}`);
    });
    const next = new Map(state);
    if (!p.fail) {
      for (const [k, v] of writes) {
        if (v === undefined) next.delete(k);
        else next.set(k, v);
      }
    }
    return { results, next };
  }

  const key = fc.constantFrom('a', 'b', 'ba', 'c', 'd', 'e1', 'e2');
  const bound = fc.constantFrom('', 'a', 'b', 'c', 'e', 'f');
  const op: fc.Arbitrary<Op> = fc.oneof(
    fc.record({ op: fc.constant('get' as const), key }),
    fc.record({ op: fc.constant('put' as const), key, value: fc.string({ maxLength: 6 }) }),
    fc.record({ op: fc.constant('del' as const), key }),
    fc.record({ op: fc.constant('range' as const), start: bound, end: bound }),
  );
  const program: fc.Arbitrary<Program> = fc.record({ ops: fc.array(op, { maxLength: 8 }), fail: fc.boolean() });

  let peer: MockPeer;
  let conn: ChaincodeConnection;
  let cc: MockChaincode;
  let round = 0;
  beforeAll(async () => {
    peer = await MockPeer.start({ logger: createLogger('peer', { level: 'critical' }) });
    const registered = peer.waitForChaincode('model');
    conn = connect(chaincode, { peerAddress: peer.address, chaincodeId: 'model:1', logger: quiet });
    cc = await registered;
  });
  afterAll(async () => {
    conn.close();
    await peer.stop();
  });

  test('the mock peer and the model agree on every result and on the ledger', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(program, { minLength: 1, maxLength: 5 }), async (programs) => {
        // A channel per run: every run starts from an empty ledger.
        const channel = `run${round++}`;
        let state = new Map<string, string>();
        for (const p of programs) {
          const res = await cc.invoke([JSON.stringify(p)], { channel });
          const { results, next } = model(state, p);
          expect(res.status).toBe(p.fail ? 500 : 200);
          expect(JSON.parse(p.fail ? res.message : res.payload.toString())).toEqual(results);
          state = next;
        }
        const ledger = Object.fromEntries(
          peer.ledger.sortedEntries('model', { channel }).map(([k, v]) => [k, Buffer.from(v.value).toString()]),
        );
        expect(ledger).toEqual(Object.fromEntries([...state].sort(([a], [b]) => (a < b ? -1 : 1))));
        expect(conn.handler.inFlight).toBe(0);
      }),
      { numRuns: 40 },
    );
  }, 60_000);
});
