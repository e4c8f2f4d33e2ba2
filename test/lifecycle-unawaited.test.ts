/**
 * Issue 12, defect 1: a missing `await`. Calls a chaincode starts and does not await are sent and
 * answered before COMPLETED, in issue order (and so are calls their continuations start); the
 * first of them to fail fails the transaction; a call made after the transaction ended rejects
 * TRANSACTION_CLOSED naming the txid and the call; and no promise the shim hands out becomes an
 * unhandled rejection (which would end the chaincode process). Driven over gRPC on loopback
 * against the mock peer, asserting on what crosses the wire and what the ledger commits.
 */
import { KeyEndorsementPolicy } from '../src/endorsement-policy';
import type { ShimError } from '../src/errors';
import type { StateQueryIterator } from '../src/iterators';
import { createLogger } from '../src/logger';
import { ChaincodeStub, TALK_BACK_METHOD_NAMES } from '../src/stub';
import { MockPeer } from '../src/testing/mock-peer';
import type { MockChaincode } from '../src/testing/mock-chaincode';
import { Probe } from './support/stub-wire-probe';

const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => void unhandled.push(reason);

let peer: MockPeer;
let cc: MockChaincode;
const probe = new Probe();
const NS = 'lifecycle';

beforeAll(async () => {
  process.on('unhandledRejection', onUnhandled);
  peer = await MockPeer.start({ txTimeoutMs: 10_000, logger: createLogger('peer', { level: 'critical' }) });
  cc = await peer.launch(NS, probe, { collections: ['c1'] });
});
afterAll(async () => {
  await peer.stop();
  process.off('unhandledRejection', onUnhandled);
});
beforeEach(() => {
  cc.faults.clear();
});
afterEach(async () => {
  // A rejection nobody handles is reported after the microtasks of its turn: give it one.
  await new Promise((r) => setImmediate(r));
  expect(unhandled).toEqual([]);
});

const str = (key: string) => peer.ledger.getString(NS, key);

describe('calls left behind when Invoke returns', () => {
  test('un-awaited writes of every kind are sent and answered in issue order before COMPLETED, and all commit', async () => {
    peer.ledger.put(NS, 'old', 'x');
    peer.ledger.put(NS, 'guarded', 'x');
    for (const k of ['r1', 'r2', 'r3']) peer.ledger.put(NS, k, k);
    const ep = new KeyEndorsementPolicy();
    ep.addOrgs('MEMBER', 'Org2MSP');
    const { result, sent } = await probe.run(cc, async (stub) => {
      const it = await stub.getStateByRange('r1', 'r9');
      for (let i = 0; i < 10; i++) void stub.putState(`k${i}`, `v${i}`);
      void stub.deleteState('old');
      void stub.setStateValidationParameter('guarded', ep.getPolicy());
      void stub.putPrivateData('c1', 'secret', 's');
      void it.close();
      // Returned without awaiting any of them.
    });
    expect(sent).toEqual([
      'GET_STATE_BY_RANGE',
      ...Array<string>(10).fill('PUT_STATE'),
      'DEL_STATE',
      'PUT_STATE_METADATA',
      'PUT_STATE',
      'QUERY_STATE_CLOSE',
      'COMPLETED',
    ]);
    expect(result).toMatchObject({ outcome: 'COMPLETED', status: 200, committed: true });
    for (let i = 0; i < 10; i++) expect(str(`k${i}`)).toBe(`v${i}`);
    expect(str('old')).toBeUndefined();
    expect(peer.ledger.getMetadata(NS, 'guarded').VALIDATION_PARAMETER).toEqual(Buffer.from(ep.getPolicy()));
    expect(peer.ledger.getPrivate(NS, 'c1', 'secret')?.toString()).toBe('s');
  });

  test('calls started by the continuations of un-awaited calls are drained too, however deep the chain', async () => {
    peer.ledger.put(NS, 'a', 'from-a');
    const { result, sent } = await probe.run(cc, (stub) => {
      void stub
        .getState('a')
        .then((v) => stub.putState('b', v))
        .then(() => stub.putState('c', 'after-b'));
      const helper = async (): Promise<void> => {
        const inner = async () => stub.getState('a');
        const v = await (async () => inner())();
        await stub.putState('d', `${v.toString()}+d`);
        await stub.deleteState('a');
      };
      void helper();
    });
    expect(result).toMatchObject({ outcome: 'COMPLETED', committed: true });
    expect(sent.at(-1)).toBe('COMPLETED');
    expect(sent.filter((t) => t === 'PUT_STATE')).toHaveLength(3);
    expect([str('b'), str('c'), str('d'), str('a')]).toEqual(['from-a', 'after-b', 'from-a+d', undefined]);
  });

  test('write batch left open: un-awaited puts, including ones chained on a read, go out in one WRITE_BATCH_STATE', async () => {
    peer.ledger.put(NS, 'seed', 'S');
    const { result, sent } = await probe.run(cc, (stub) => {
      stub.startWriteBatch();
      void stub.putState('w1', '1');
      void stub.getState('seed').then((v) => stub.putState('w2', v));
      void stub.deleteState('seed');
      // No finishWriteBatch, no await.
    });
    expect(sent).toEqual(['GET_STATE', 'WRITE_BATCH_STATE', 'COMPLETED']);
    expect(result.committed).toBe(true);
    expect([str('w1'), str('w2'), str('seed')]).toEqual(['1', 'S', undefined]);
  });

  test('a call left behind that fails ends the transaction in ERROR with its message; the rest is not sent, nothing commits', async () => {
    cc.faults.errorOn('PUT_STATE', { nth: 2, message: 'PUT_STATE refused by the peer' });
    const seen: unknown[] = [];
    const { result, sent } = await probe.run(cc, (stub) => {
      for (const k of ['f1', 'f2', 'f3']) stub.putState(k, 'v').catch((e: unknown) => void seen.push((e as ShimError).code));
      void stub.putState('f4', 'v'); // its rejection is handled by the shim
    });
    expect(result).toMatchObject({ outcome: 'ERROR', message: 'PUT_STATE refused by the peer', committed: false });
    expect(sent).toEqual(['PUT_STATE', 'PUT_STATE', 'ERROR']);
    expect(seen).toEqual(['PEER_ERROR', 'TRANSACTION_CLOSED']);
    expect(str('f1')).toBeUndefined();
    // The chaincode still serves.
    expect((await probe.run(cc, (stub) => stub.putState('after', 'ok'))).result.committed).toBe(true);
  });

  test('a flush of the open write batch that fails ends the transaction in ERROR', async () => {
    cc.faults.errorOn('WRITE_BATCH_STATE', { message: 'batch refused' });
    const { result, sent } = await probe.run(cc, (stub) => {
      stub.startWriteBatch();
      void stub.putState('b1', 'v');
    });
    expect(result).toMatchObject({ outcome: 'ERROR', message: 'batch refused', committed: false });
    expect(sent).toEqual(['WRITE_BATCH_STATE', 'ERROR']);
  });

  test('an iterator close left behind that fails ends the transaction in ERROR', async () => {
    peer.ledger.put(NS, 'r1', 'v');
    cc.faults.errorOn('QUERY_STATE_CLOSE', { message: 'close refused' });
    const { result } = await probe.run(cc, async (stub) => {
      const it = await stub.getStateByRange('r', 's');
      void it.close();
    });
    expect(result).toMatchObject({ outcome: 'ERROR', message: 'close refused' });
  });

  test('a failure the chaincode awaited and caught is its own business: the transaction commits', async () => {
    cc.faults.errorOn('PUT_STATE', { nth: 1, message: 'first put refused' });
    const { result, value } = await probe.run(cc, async (stub) => {
      try {
        await stub.putState('caught', 'v');
        return 'not refused';
      } catch (e) {
        void stub.putState('fallback', 'v'); // and a write left behind after it
        return (e as Error).message;
      }
    });
    expect(value).toBe('first put refused');
    expect(result).toMatchObject({ outcome: 'COMPLETED', committed: true });
    expect([str('caught'), str('fallback')]).toEqual([undefined, 'v']);
  });

  test('Invoke throws with calls queued: ERROR at once, the queued calls reject TRANSACTION_CLOSED, nothing is unhandled', async () => {
    const left: Promise<unknown>[] = [];
    await expect(
      probe.run(cc, (stub) => {
        left.push(stub.getState('slow'), stub.putState('never', 'v'));
        throw new Error('gave up');
      }),
    ).rejects.toThrow('gave up');
    const [slow, never] = await Promise.allSettled(left);
    expect(slow).toMatchObject({ status: 'rejected', reason: { code: 'TRANSACTION_CLOSED', requestType: 'GET_STATE' } });
    expect(never).toMatchObject({ status: 'rejected', reason: { code: 'TRANSACTION_CLOSED', requestType: 'PUT_STATE' } });
    expect(str('never')).toBeUndefined();
    // The late answer to GET_STATE is dropped, not taken for the next transaction's.
    peer.ledger.put(NS, 'next', 'N');
    expect((await probe.run(cc, async (stub) => (await stub.getState('next')).toString())).value).toBe('N');
  });
});

describe('calls after the transaction ended', () => {
  test('reject TRANSACTION_CLOSED naming the txid, the method and the message; nothing is sent and nothing is unhandled', async () => {
    let kept: ChaincodeStub | undefined;
    let keptIt: StateQueryIterator | undefined;
    peer.ledger.put(NS, 'r1', 'v');
    const { result } = await probe.run(cc, async (stub) => {
      kept = stub;
      keptIt = await stub.getStateByRange('r', 's');
    });
    const before = cc.wire.length;
    const stub = kept!;
    // As from a setTimeout after Invoke returned: nobody awaits these.
    const late = stub.putState('late', 'v');
    void stub.getQueryResult('{}');
    void stub.invokeChaincode('other', ['x']);
    void keptIt!.next();
    void keptIt!.close();
    await expect(late).rejects.toMatchObject({ code: 'TRANSACTION_CLOSED', txId: result.txId, requestType: 'PUT_STATE' });
    await expect(late).rejects.toThrow(
      new RegExp(`transaction ${result.txId} has completed; putState\\(\\) called after it ended, PUT_STATE not sent`),
    );
    const rows: unknown[] = [];
    await expect(
      (async () => {
        for await (const kv of stub.getStateByRange('a', 'b')) rows.push(kv);
      })(),
    ).rejects.toMatchObject({ code: 'TRANSACTION_CLOSED' });
    expect(rows).toEqual([]);
    await new Promise((r) => setImmediate(r));
    expect(cc.wire.length).toBe(before);
    expect(str('late')).toBeUndefined();
  });

  test('every promise-returning stub method is covered: it rejects TRANSACTION_CLOSED with its message type and is never unhandled', async () => {
    let kept: ChaincodeStub | undefined;
    await probe.run(cc, (stub) => void (kept = stub));
    const proto = ChaincodeStub.prototype as unknown as Record<string, (...a: unknown[]) => unknown>;
    // The stub's private helpers (TypeScript-private, so present at run time): chaincode never calls them.
    const internal = new Set(['constructor', 'ensureOpen', 'guarded', 'stateQuery', 'pagedQuery', 'privateQuery']);
    const promising = Object.getOwnPropertyNames(ChaincodeStub.prototype).filter((name) => {
      if (internal.has(name) || typeof proto[name] !== 'function') return false;
      try {
        const out = proto[name]!.call(kept, 'a', 'b', 'c', 'd');
        if (out instanceof Promise) out.catch(() => undefined);
        return out instanceof Promise;
      } catch {
        return false; // a synchronous method
      }
    });
    // A new async method must be added to the stub's TALK_BACK_METHODS, or a dropped promise could end the process.
    expect(promising.sort()).toEqual([...TALK_BACK_METHOD_NAMES].sort());
    for (const name of TALK_BACK_METHOD_NAMES) {
      const p = proto[name]!.call(kept, 'k', ['x']) as Promise<unknown>;
      await expect(p).rejects.toMatchObject({ code: 'TRANSACTION_CLOSED', requestType: expect.stringMatching(/^[A-Z_]+$/) });
    }
  });
});
