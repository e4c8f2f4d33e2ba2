/**
 * Reliability, case 2: the chaincode misbehaves. A throw, a rejection, a value that is not a
 * Response, an error status, a stub used after its transaction, an iterator left open and
 * arguments that fail validation: the peer gets a clear answer at once, nothing is committed
 * that should not be, no promise rejection goes unhandled and the handler holds nothing after.
 */
import { connect, type ChaincodeConnection } from '../src/shim';
import type { ShimError } from '../src/errors';
import { createLogger, setLogSink, type LogRecord } from '../src/logger';
import { error, success, type ChaincodeResponse } from '../src/response';
import type { ChaincodeStub } from '../src/stub';
import { MockPeer } from '../src/testing/mock-peer';
import type { MockChaincode } from '../src/testing/mock-chaincode';

const logs: LogRecord[] = [];
setLogSink({ write: (r) => void logs.push(r) });
const log = createLogger('reliability-chaincode', { level: 'info' });

const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => void unhandled.push(reason);

/** Stubs kept past their transaction, to call later. */
const kept: ChaincodeStub[] = [];
/** Calls the chaincode started and did not await. */
const leftBehind: Promise<unknown>[] = [];

const describeError = (e: unknown) => JSON.stringify({ code: (e as ShimError).code, message: (e as Error).message });

/** Each call to the stub with bad arguments, by name; none may reach the wire. */
const BAD_CALLS: Record<string, (s: ChaincodeStub) => unknown> = {
  nonStringKey: (s) => s.getState(42 as unknown as string),
  compositeKeyInSimpleRange: (s) => s.getStateByRange('\u0000obj\u0000', 'z'),
  badPageSize: (s) => s.getStateByRangeWithPagination('a', 'z', 'ten' as unknown as number),
  delimiterInAttribute: (s) => s.createCompositeKey('obj', ['a\u0000b']),
  emptyCollection: (s) => s.getPrivateData('', 'k'),
};
/** Arguments fabric-shim does not check: it sends them and the peer answers (issue 12, defect 6). */
const PEER_JUDGED: Record<string, (s: ChaincodeStub) => unknown> = {
  emptyKey: (s) => s.putState('', 'v'),
  badQuery: (s) => s.getQueryResult(undefined as unknown as string),
};

const chaincode = {
  Init: async (): Promise<ChaincodeResponse> => success(),
  async Invoke(stub: ChaincodeStub): Promise<ChaincodeResponse> {
    const [fcn = '', arg = ''] = stub.getStringArgs();
    switch (fcn) {
      case 'throw':
        await stub.putState('thrown', 'x');
        throw new Error('chaincode blew up');
      case 'throwString':
        throw 'a bare string';
      case 'reject':
        await stub.putState('rejected', 'x');
        return Promise.reject(new Error('chaincode rejected'));
      case 'undefined':
        return undefined as unknown as ChaincodeResponse;
      case 'plainObject':
        return { ok: true } as unknown as ChaincodeResponse;
      case 'stringStatus':
        return { status: '200' } as unknown as ChaincodeResponse;
      case 'fractionStatus':
        return { status: 200.5 } as unknown as ChaincodeResponse;
      case 'numberPayload':
        return { status: 200, payload: 7 } as unknown as ChaincodeResponse;
      case 'errorStatus':
        await stub.putState('error-status', 'x');
        return error('not allowed');
      case 'keep':
        kept.push(stub);
        return success();
      case 'leaveCallBehind':
        // Not awaited: the shim has the peer answer it before COMPLETED (issue 12).
        leftBehind.push(stub.getState('r000'));
        return success();
      case 'leaveCallBehindAndThrow':
        // Not awaited, then a throw: ERROR goes out at once, while the peer has yet to answer.
        leftBehind.push(stub.getState('r000'));
        throw new Error('thrown with a call in flight');
      case 'leaveOpen': {
        const it = await stub.getStateByRange('r', 's');
        if (arg === 'partly') await it.next();
        return success(); // never closed: the shim must close it
      }
      case 'bad': {
        try {
          await (BAD_CALLS[arg] ?? PEER_JUDGED[arg])!(stub);
          return success(Buffer.from('accepted'));
        } catch (e) {
          return error(describeError(e));
        }
      }
      default:
        await stub.putState('ok', arg);
        return success(Buffer.from('ok'));
    }
  },
};

let peer: MockPeer;
let conn: ChaincodeConnection;
let cc: MockChaincode;

beforeAll(async () => {
  process.on('unhandledRejection', onUnhandled);
  peer = await MockPeer.start({ logger: createLogger('peer', { level: 'critical' }) });
  for (let i = 0; i < 150; i++) peer.ledger.put('relcc', `r${String(i).padStart(3, '0')}`, `v${i}`);
  const registered = peer.waitForChaincode('relcc');
  conn = connect(chaincode, { peerAddress: peer.address, chaincodeId: 'relcc:1', logger: log });
  cc = await registered;
});
afterAll(async () => {
  conn.close();
  await peer.stop();
  process.off('unhandledRejection', onUnhandled);
});
beforeEach(() => {
  logs.length = 0;
});
afterEach(async () => {
  // Give any stray rejection a turn of the event loop to surface.
  await new Promise((r) => setImmediate(r));
  expect(unhandled).toEqual([]);
  expect(conn.handler.inFlight).toBe(0);
});

/** What the chaincode sent for one transaction, in order. */
const wireOf = (txId: string) => cc.wire.filter((w) => w.txId === txId && w.direction === 'received').map((w) => w.type);

test('a throw or a rejected promise answers ERROR with the message, writes are dropped, a log line names the txid', async () => {
  for (const [fcn, text, key] of [
    ['throw', 'chaincode blew up', 'thrown'],
    ['reject', 'chaincode rejected', 'rejected'],
    ['throwString', 'a bare string', undefined],
  ] as const) {
    const res = await cc.invoke([fcn]);
    expect(res).toMatchObject({ outcome: 'ERROR', message: text, committed: false });
    if (key) expect(peer.ledger.getString('relcc', key)).toBeUndefined();
    expect(logs.some((r) => r.level === 'error' && /Invoke\(\) failed/.test(r.msg) && r.fields.error === text)).toBe(true);
  }
  // The chaincode still serves.
  expect(await cc.invoke(['ok', 'after'])).toMatchObject({ status: 200, committed: true });
});

test("a value that is not a Response: COMPLETED 500 with fabric-shim's text, or ERROR at once where fabric-shim would leave the peer waiting", async () => {
  for (const fcn of ['undefined', 'plainObject']) {
    const res = await cc.invoke([fcn]);
    expect(res).toMatchObject({ outcome: 'COMPLETED', status: 500, committed: false });
    expect(res.message).toBe(`[mychannel-${res.txId.substring(0, 8)}] Calling chaincode Invoke() has not called success or error.`);
  }
  // google-protobuf coerces a numeric string, so fabric-shim answers 200 for it; a fraction it cannot encode.
  expect(await cc.invoke(['stringStatus'])).toMatchObject({ outcome: 'COMPLETED', status: 200 });
  expect(await cc.invoke(['fractionStatus'])).toMatchObject({
    outcome: 'ERROR',
    message: expect.stringContaining('status is not a 32-bit integer'),
  });
  const bad = await cc.invoke(['numberPayload']);
  expect(bad).toMatchObject({ outcome: 'ERROR', message: expect.stringContaining('payload is neither bytes nor a string') });
});

test('an error status is COMPLETED with that status and message; its writes are not committed', async () => {
  const res = await cc.invoke(['errorStatus']);
  expect(res).toMatchObject({ outcome: 'COMPLETED', status: 500, message: 'not allowed', committed: false });
  expect(wireOf(res.txId)).toEqual(['PUT_STATE', 'COMPLETED']);
  expect(peer.ledger.getString('relcc', 'error-status')).toBeUndefined();
});

test('a stub used after its transaction completed rejects TRANSACTION_CLOSED and sends nothing', async () => {
  const res = await cc.invoke(['keep']);
  const stub = kept.pop()!;
  const before = cc.wire.length;
  await expect(stub.getState('k')).rejects.toMatchObject({ code: 'TRANSACTION_CLOSED', txId: res.txId });
  await expect(stub.putState('k', 'v')).rejects.toMatchObject({ code: 'TRANSACTION_CLOSED' });
  await expect(stub.getStateByRange('a', 'b')).rejects.toMatchObject({ code: 'TRANSACTION_CLOSED' });
  await expect(stub.invokeChaincode('relcc', ['x'])).rejects.toMatchObject({ code: 'TRANSACTION_CLOSED' });
  expect(cc.wire.length).toBe(before);
  expect(peer.ledger.getString('relcc', 'k')).toBeUndefined();
});

test('a call still waiting when the chaincode returns is answered before COMPLETED', async () => {
  const res = await cc.invoke(['leaveCallBehind']);
  expect(res).toMatchObject({ outcome: 'COMPLETED', status: 200 });
  expect(wireOf(res.txId)).toEqual(['GET_STATE', 'COMPLETED']);
  await expect(leftBehind.pop()).resolves.toEqual(Buffer.from('v0'));
});

test('a call still waiting when the chaincode throws rejects TRANSACTION_CLOSED; the late answer is dropped', async () => {
  const res = await cc.invoke(['leaveCallBehindAndThrow']);
  expect(res).toMatchObject({ outcome: 'ERROR', message: 'thrown with a call in flight' });
  await expect(leftBehind.pop()).rejects.toMatchObject({ code: 'TRANSACTION_CLOSED', requestType: 'GET_STATE', txId: res.txId });
  // The peer's answer arrives after COMPLETED and must not be taken for anything else.
  expect(await cc.invoke(['ok', 'next'])).toMatchObject({ status: 200, payload: Buffer.from('ok') });
});

test('an iterator left open is closed by the shim: QUERY_STATE_CLOSE on the wire before COMPLETED', async () => {
  const fresh = await cc.invoke(['leaveOpen']);
  expect(fresh.status).toBe(200);
  expect(wireOf(fresh.txId)).toEqual(['GET_STATE_BY_RANGE', 'QUERY_STATE_CLOSE', 'COMPLETED']);
  const partly = await cc.invoke(['leaveOpen', 'partly']);
  expect(wireOf(partly.txId)).toEqual(['GET_STATE_BY_RANGE', 'QUERY_STATE_CLOSE', 'COMPLETED']);
});

test.each(Object.keys(BAD_CALLS))('invalid arguments (%s) reject INVALID_ARGUMENT before anything is sent', async (name) => {
  const res = await cc.invoke(['bad', name]);
  expect(res.status).toBe(500);
  const seen = JSON.parse(res.message) as { code: string; message: string };
  expect(seen.code).toBe('INVALID_ARGUMENT');
  expect(seen.message.length).toBeGreaterThan(5);
  expect(wireOf(res.txId)).toEqual(['COMPLETED']);
});

test.each(Object.keys(PEER_JUDGED))(
  'arguments fabric-shim does not check (%s) go to the peer, whose ERROR the call rejects with',
  async (name) => {
    const res = await cc.invoke(['bad', name]);
    expect(res.status).toBe(500);
    expect((JSON.parse(res.message) as { code: string }).code).toBe('PEER_ERROR');
    expect(wireOf(res.txId)).toHaveLength(2);
  },
);
