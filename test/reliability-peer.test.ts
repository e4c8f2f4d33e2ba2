/**
 * Reliability, case 1: what the peer sends may be wrong. Malformed payloads of every message the
 * shim reads, unknown types, stray and wrong-kind answers, duplicates and messages before READY
 * each give a clear log line and, where a transaction is named, an ERROR for that transaction
 * only; the other transactions in flight complete. A scripted peer fixes the exact message order.
 */
import { create, toBinary } from '@bufbuild/protobuf';
import {
  ChaincodeMessageSchema,
  ChaincodeMessage_Type as Type,
  QueryResponseSchema,
  type ChaincodeMessage,
} from '../src/gen/peer/chaincode_shim_pb';
import { ResponseSchema } from '../src/gen/peer/proposal_response_pb';
import { fromBinary } from '@bufbuild/protobuf';
import { ChaincodeHandler } from '../src/handler';
import { dialChaincodeSupport } from '../src/stream';
import { ShimError } from '../src/errors';
import { createLogger, setLogSink, type LogRecord } from '../src/logger';
import { success, type ChaincodeResponse } from '../src/response';
import type { ChaincodeStub } from '../src/stub';
import { MALFORMED_PAYLOAD } from '../src/testing/faults';
import { ScriptedPeer, additionalParams, type PeerConnection } from './support/scripted-peer';

const logs: LogRecord[] = [];
setLogSink({ write: (r) => void logs.push(r) });
const log = createLogger('reliability-peer', { level: 'debug' });

const gates = new Map<string, () => void>();
const opened = (name: string) => new Promise<void>((r) => gates.set(name, r));

/** Failures the chaincode's calls rejected with, by transaction. */
const failures = new Map<string, unknown>();

const chaincode = {
  Init: async (): Promise<ChaincodeResponse> => success(Buffer.from('init')),
  async Invoke(stub: ChaincodeStub): Promise<ChaincodeResponse> {
    const { fcn, params } = stub.getFunctionAndParameters();
    try {
      switch (fcn) {
        case 'wait':
          await opened(params[0] ?? '');
          return success(Buffer.from(`waited ${params[0]}`));
        case 'get':
          return success(await stub.getState(params[0] ?? ''));
        case 'range': {
          const out: string[] = [];
          for await (const kv of stub.getStateByRange('a', 'z')) out.push(kv.key);
          return success(Buffer.from(out.join(',')));
        }
        case 'multi':
          return success(Buffer.from((await stub.getMultipleStates('a', 'b')).join(',')));
        case 'call':
          return success((await stub.invokeChaincode('other', ['x'])).payload);
        default:
          return success(Buffer.from(`echo ${fcn}`));
      }
    } catch (e) {
      failures.set(stub.getTxID(), e);
      throw e;
    }
  },
};

const text = (b: Uint8Array) => Buffer.from(b).toString();
const completedPayload = (m: ChaincodeMessage) => {
  expect(Type[m.type]).toBe('COMPLETED');
  return text(fromBinary(ResponseSchema, m.payload).payload);
};
const logged = (level: LogRecord['level'], pattern: RegExp, txid?: string) =>
  logs.some((r) => r.level === level && pattern.test(r.msg) && (txid === undefined || r.fields.txid === txid));

/** Everything the chaincode sent before the echo of a KEEPALIVE marker (the stream is ordered). */
async function drain(pc: PeerConnection, marker: string): Promise<ChaincodeMessage[]> {
  pc.send(Type.KEEPALIVE, { txid: marker });
  const out: ChaincodeMessage[] = [];
  for (;;) {
    const m = await pc.next();
    if (m.type === Type.KEEPALIVE && m.txid === marker) return out;
    out.push(m);
  }
}
const summary = (ms: ChaincodeMessage[]) => ms.map((m) => `${Type[m.type]}:${m.txid}`);

let peer: ScriptedPeer;
const handlers: ChaincodeHandler[] = [];
beforeEach(async () => {
  logs.length = 0;
  gates.clear();
  failures.clear();
  peer = await ScriptedPeer.start();
});
afterEach(async () => {
  for (const h of handlers.splice(0)) h.close();
  await peer.stop();
});

async function connect(handshake = true): Promise<{ handler: ChaincodeHandler; pc: PeerConnection; run: Promise<void> }> {
  const handler = new ChaincodeHandler(chaincode, dialChaincodeSupport(peer.address), { chaincodeId: 'rel:1', logger: log });
  handlers.push(handler);
  const run = handler.run();
  run.catch(() => undefined);
  const pc = await peer.accept();
  if (handshake) {
    await pc.handshake();
    await handler.ready;
  }
  return { handler, pc, run };
}

test('malformed INIT and TRANSACTION payloads: ERROR for that txid only, a transaction in flight completes', async () => {
  const { handler, pc } = await connect();
  pc.transaction('slow', ['wait', 'g']);
  pc.send(Type.INIT, { txid: 'bad-init', channelId: 'ch', payload: MALFORMED_PAYLOAD });
  pc.send(Type.TRANSACTION, { txid: 'bad-tx', channelId: 'ch', payload: MALFORMED_PAYLOAD });
  const refused = await drain(pc, 'm1');
  expect(summary(refused)).toEqual(['ERROR:bad-init', 'ERROR:bad-tx']);
  expect(text(refused[0]!.payload)).toMatch(/Cannot decode the ChaincodeInput of INIT/);
  expect(logged('error', /cannot build a stub/, 'bad-tx')).toBe(true);
  expect(handler.inFlight).toBe(1);
  gates.get('g')!();
  expect(completedPayload(await pc.next())).toBe('waited g');
  expect(handler.inFlight).toBe(0);
});

test('malformed REGISTERED and READY payloads: a warning, the plain protocol, and the chaincode serves', async () => {
  const { handler, pc } = await connect(false);
  expect(Type[(await pc.next()).type]).toBe('REGISTER');
  pc.send(Type.REGISTERED, { payload: MALFORMED_PAYLOAD });
  pc.send(Type.READY, { payload: MALFORMED_PAYLOAD });
  await handler.ready;
  expect(handler.capabilities).toEqual({
    useWriteBatch: false,
    maxSizeWriteBatch: 0,
    useGetMultipleKeys: false,
    maxSizeGetMultipleKeys: 0,
  });
  expect(logs.filter((r) => r.level === 'warn' && /undecodable ChaincodeAdditionalParams/.test(r.msg))).toHaveLength(2);
  pc.transaction('t', ['hello']);
  expect(completedPayload(await pc.next())).toBe('echo hello');
});

test('malformed query responses (range, next, cc2cc) reject the call with PROTOCOL and fail only that transaction', async () => {
  const { handler, pc } = await connect();
  const queryResponse = (hasMore: boolean) =>
    toBinary(QueryResponseSchema, create(QueryResponseSchema, { hasMore, id: 'it1', results: [] }));
  pc.transaction('bystander', ['wait', 'b']);
  for (const [txid, fcn, answers] of [
    ['r1', 'range', [MALFORMED_PAYLOAD]],
    ['r2', 'range', [queryResponse(true), MALFORMED_PAYLOAD]],
    ['r3', 'call', [MALFORMED_PAYLOAD]],
  ] as const) {
    pc.transaction(txid, [fcn]);
    for (const payload of answers) {
      const ask = await pc.next();
      expect(ask.txid).toBe(txid);
      pc.send(Type.RESPONSE, { txid, channelId: 'ch', payload });
    }
    const end = await pc.next();
    expect(`${Type[end.type]}:${end.txid}`).toBe(`ERROR:${txid}`);
    expect(text(end.payload)).toMatch(/Cannot decode the peer's answer to (GET_STATE_BY_RANGE|QUERY_STATE_NEXT|INVOKE_CHAINCODE)/);
    expect(failures.get(txid)).toMatchObject({ code: 'PROTOCOL', txId: txid });
  }
  expect(logged('error', /Invoke\(\) failed/, 'r2')).toBe(true);
  gates.get('b')!();
  expect(completedPayload(await pc.next())).toBe('waited b');
  expect(handler.inFlight).toBe(0);
});

test('an unknown message type: ERROR for its txid, only a log line without one; the handler keeps serving', async () => {
  const { pc } = await connect();
  pc.send(99 as Type, { txid: 'u1', channelId: 'ch', payload: Buffer.from('??') });
  pc.send(99 as Type, {});
  pc.send(Type.COMPLETED, { txid: 'u2', channelId: 'ch' }); // a chaincode-to-peer type sent the wrong way
  const out = await drain(pc, 'm');
  expect(summary(out)).toEqual(['ERROR:u1', 'ERROR:u2']);
  expect(text(out[0]!.payload)).toMatch(/cannot handle message \(99\)/);
  expect(logs.filter((r) => r.level === 'warn' && /unexpected message from peer/.test(r.msg))).toHaveLength(3);
  pc.transaction('t', ['still']);
  expect(completedPayload(await pc.next())).toBe('echo still');
});

test('RESPONSE/ERROR for a txid not waiting are logged and dropped; the waiting call gets its own answer', async () => {
  const { handler, pc } = await connect();
  pc.transaction('idle', ['wait', 'i']); // in flight but no call waiting
  pc.transaction('t', ['get', 'k']);
  const ask = await pc.next();
  expect(Type[ask.type]).toBe('GET_STATE');
  pc.send(Type.RESPONSE, { txid: 'ghost', channelId: 'ch', payload: Buffer.from('wrong') });
  pc.send(Type.ERROR, { txid: 'ghost', channelId: 'ch', payload: Buffer.from('wrong') });
  pc.send(Type.RESPONSE, { txid: 't', channelId: 'other-channel', payload: Buffer.from('wrong') });
  pc.send(Type.RESPONSE, { txid: 'idle', channelId: 'ch', payload: Buffer.from('wrong') });
  pc.send(Type.RESPONSE, { txid: 't', channelId: 'ch', payload: Buffer.from('right') });
  expect(completedPayload(await pc.next())).toBe('right');
  expect(logs.filter((r) => r.level === 'warn' && /for nothing waiting/.test(r.msg)).map((r) => r.fields.txid)).toEqual([
    'ghost',
    'ghost',
    't',
    'idle',
  ]);
  gates.get('i')!();
  expect(completedPayload(await pc.next())).toBe('waited i');
  expect(handler.inFlight).toBe(0);
});

test('a RESPONSE of the wrong kind for the call rejects PROTOCOL (no silent misread)', async () => {
  const { handler, pc } = await connect(false);
  await pc.handshake({ ready: additionalParams({ useGetMultipleKeys: true, maxSizeGetMultipleKeys: 10 }) });
  await handler.ready;
  const aResponse = toBinary(ResponseSchema, create(ResponseSchema, { status: 200, message: 'x', payload: Buffer.from('y') }));
  const aGetStateAsInvokeAnswer = toBinary(ChaincodeMessageSchema, create(ChaincodeMessageSchema, { type: Type.GET_STATE, txid: 'w3' }));
  for (const [txid, fcn, ask, payload, why] of [
    ['w1', 'range', 'GET_STATE_BY_RANGE', aResponse, /answer to GET_STATE_BY_RANGE/],
    ['w2', 'multi', 'GET_STATE_MULTIPLE', aResponse, /answer to GET_STATE_MULTIPLE/],
    ['w3', 'call', 'INVOKE_CHAINCODE', aGetStateAsInvokeAnswer, /answered GET_STATE, expected COMPLETED or ERROR/],
  ] as const) {
    pc.transaction(txid, [fcn]);
    expect(Type[(await pc.next()).type]).toBe(ask);
    pc.send(Type.RESPONSE, { txid, channelId: 'ch', payload });
    const end = await pc.next();
    expect(`${Type[end.type]}:${end.txid}`).toBe(`ERROR:${txid}`);
    expect(text(end.payload)).toMatch(why);
    expect((failures.get(txid) as ShimError).code).toBe('PROTOCOL');
  }
  expect(handler.inFlight).toBe(0);
});

test('a second INIT/TRANSACTION for a channel+txid in flight: ERROR for the duplicate, the first completes', async () => {
  const { handler, pc } = await connect();
  pc.transaction('d', ['wait', 'd']);
  pc.transaction('d', ['echo']);
  pc.transaction('d', ['echo'], { type: Type.INIT });
  pc.transaction('d', ['other-channel'], { channelId: 'ch2' });
  const out = await drain(pc, 'm');
  expect(summary(out)).toEqual(['ERROR:d', 'ERROR:d', 'COMPLETED:d']);
  expect(text(out[0]!.payload)).toMatch(/already being executed/);
  expect(out[2]!.channelId).toBe('ch2');
  expect(logs.filter((r) => /second message for a transaction in flight/.test(r.msg))).toHaveLength(2);
  gates.get('d')!();
  const done = await pc.next();
  expect(done.channelId).toBe('ch');
  expect(completedPayload(done)).toBe('waited d');
  expect(handler.inFlight).toBe(0);
});

test('messages before READY: ERROR for a named transaction, log only otherwise; READY then serves', async () => {
  const { handler, pc } = await connect(false);
  expect(Type[(await pc.next()).type]).toBe('REGISTER');
  pc.send(Type.TRANSACTION, { txid: 'early1', channelId: 'ch', payload: new Uint8Array(0) });
  pc.send(Type.READY, {}); // READY before REGISTERED
  pc.send(Type.RESPONSE, { txid: 'early-r', channelId: 'ch' });
  const created = await drain(pc, 'm1');
  expect(summary(created)).toEqual(['ERROR:early1']);
  expect(text(created[0]!.payload)).toMatch(/while in state: created/);
  pc.send(Type.REGISTERED, {});
  pc.send(Type.INIT, { txid: 'early2', channelId: 'ch', payload: new Uint8Array(0) });
  const established = await drain(pc, 'm2');
  expect(summary(established)).toEqual(['ERROR:early2']);
  expect(text(established[0]!.payload)).toMatch(/while in state: established/);
  expect(logged('warn', /unexpected message from peer/, 'early2')).toBe(true);
  pc.send(Type.READY, {});
  await handler.ready;
  pc.transaction('t', ['now']);
  expect(completedPayload(await pc.next())).toBe('echo now');
  expect(handler.inFlight).toBe(0);
});
