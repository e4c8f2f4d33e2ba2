import { create, fromBinary } from '@bufbuild/protobuf';
import { ChaincodeMessage_Type as Type, GetStateSchema, type ChaincodeMessage } from '../src/gen/peer/chaincode_shim_pb';
import { ResponseSchema } from '../src/gen/peer/proposal_response_pb';
import { ChaincodeHandler } from '../src/handler';
import { dialChaincodeSupport } from '../src/stream';
import { ShimError } from '../src/errors';
import { shimLogger } from '../src/logger';
import { success, error, type ChaincodeResponse } from '../src/response';
import type { ChaincodeStub } from '../src/stub';
import { ScriptedPeer, PeerConnection, additionalParams } from './support/scripted-peer';
import { gate, type Gate } from './support/sync';

const quiet = shimLogger('handler-test');
quiet.level = 'critical';

/** Errors the chaincode saw, so tests can assert on what the stub's calls rejected with. */
const seen: unknown[] = [];
const gates = new Map<string, Gate>();

const chaincode = {
  async Init(): Promise<ChaincodeResponse> {
    return success(Buffer.from('init-ok'));
  },
  async Invoke(stub: ChaincodeStub): Promise<ChaincodeResponse> {
    const { fcn, params } = stub.getFunctionAndParameters();
    switch (fcn) {
      case 'echo':
        return success(Buffer.from(params.join(',')));
      case 'get': {
        try {
          return success(await stub.getState(params[0] ?? ''));
        } catch (e) {
          seen.push(e);
          return error((e as Error).message);
        }
      }
      case 'multi': {
        const values = await Promise.all(params.map((k) => stub.getState(k)));
        return success(Buffer.from(values.map((v) => v.toString()).join(',')));
      }
      case 'wait': {
        await gates.get(params[0] ?? '')?.wait;
        return success(Buffer.from(`waited ${params[0]}`));
      }
      case 'throw':
        throw new Error('boom');
      case 'reject':
        return Promise.reject(new Error('rejected!'));
      case 'none':
        return undefined as unknown as ChaincodeResponse;
      case 'status404':
        return { status: 404, message: 'nope' };
      // fabric-shim's google-protobuf reads a string payload as base64: 'dGV4dA==' is 'text'.
      case 'stringPayload':
        return { status: 200, payload: 'dGV4dA==' as unknown as Uint8Array };
      default:
        return error(`unknown ${fcn}`);
    }
  },
};

function decodeResponse(msg: ChaincodeMessage) {
  expect(Type[msg.type]).toBe('COMPLETED');
  return fromBinary(ResponseSchema, msg.payload);
}
const text = (b: Uint8Array) => Buffer.from(b).toString();

/** Sends a KEEPALIVE and returns everything the chaincode sent before its echo (the stream is ordered). */
async function drainUntilEcho(pc: PeerConnection, marker: string): Promise<ChaincodeMessage[]> {
  pc.send(Type.KEEPALIVE, { txid: marker });
  const before: ChaincodeMessage[] = [];
  for (;;) {
    const m = await pc.next();
    if (m.type === Type.KEEPALIVE && m.txid === marker) return before;
    before.push(m);
  }
}

describe('ChaincodeHandler over gRPC', () => {
  let peer: ScriptedPeer;
  const handlers: ChaincodeHandler[] = [];

  beforeEach(async () => {
    seen.length = 0;
    gates.clear();
    peer = await ScriptedPeer.start();
  });
  afterEach(async () => {
    for (const h of handlers.splice(0)) h.close();
    await peer.stop();
  });

  async function connect(cc: object = chaincode) {
    const handler = new ChaincodeHandler(cc as typeof chaincode, dialChaincodeSupport(peer.address), {
      chaincodeId: 'mycc:1.0',
      mspId: 'Org1MSP',
      logger: quiet,
    });
    handlers.push(handler);
    const run = handler.run();
    run.catch(() => undefined);
    const pc = await peer.accept();
    return { handler, run, pc };
  }

  test('handshake with a 3.0 peer: REGISTER carries the name, no capabilities', async () => {
    const { handler, pc } = await connect();
    expect(await pc.handshake()).toBe('mycc:1.0');
    await handler.ready;
    expect(handler.capabilities).toEqual({
      useWriteBatch: false,
      maxSizeWriteBatch: 0,
      useGetMultipleKeys: false,
      maxSizeGetMultipleKeys: 0,
    });
    expect(handler.inFlight).toBe(0);
  });

  test('handshake with a 3.1 peer: ChaincodeAdditionalParams on READY are read', async () => {
    const { handler, pc } = await connect();
    await pc.handshake({
      ready: additionalParams({ useWriteBatch: true, maxSizeWriteBatch: 1000, useGetMultipleKeys: true, maxSizeGetMultipleKeys: 500 }),
    });
    await handler.ready;
    expect(handler.capabilities).toEqual({
      useWriteBatch: true,
      maxSizeWriteBatch: 1000,
      useGetMultipleKeys: true,
      maxSizeGetMultipleKeys: 500,
    });
  });

  test('params on REGISTERED are kept when READY is empty; garbage params are ignored', async () => {
    const a = await connect();
    await a.pc.handshake({ registered: additionalParams({ useGetMultipleKeys: true, maxSizeGetMultipleKeys: 7 }) });
    await a.handler.ready;
    expect(a.handler.capabilities.useGetMultipleKeys).toBe(true);
    expect(a.handler.capabilities.maxSizeGetMultipleKeys).toBe(7);

    const b = await connect();
    await b.pc.handshake({ ready: Uint8Array.from([0xff, 0xff, 0xff]) });
    await b.handler.ready;
    expect(b.handler.capabilities.useWriteBatch).toBe(false);
  });

  test('KEEPALIVE is echoed before registration and when ready', async () => {
    const { handler, pc } = await connect();
    expect((await pc.next()).type).toBe(Type.REGISTER);
    pc.send(Type.KEEPALIVE, { txid: 'k1' });
    const echo1 = await pc.next();
    expect([Type[echo1.type], echo1.txid]).toEqual(['KEEPALIVE', 'k1']);
    pc.send(Type.REGISTERED);
    pc.send(Type.READY);
    await handler.ready;
    expect(await drainUntilEcho(pc, 'k2')).toEqual([]);
  });

  test('INIT and TRANSACTION complete with the encoded Response; status >= 400 is still COMPLETED', async () => {
    const { handler, pc } = await connect();
    await pc.handshake();
    await handler.ready;
    pc.transaction('tx-init', ['init'], { type: Type.INIT });
    let m = await pc.next();
    expect([m.txid, m.channelId]).toEqual(['tx-init', 'ch']);
    expect(text(decodeResponse(m).payload)).toBe('init-ok');

    pc.transaction('tx1', ['echo', 'a', 'b']);
    m = await pc.next();
    const r = decodeResponse(m);
    expect([m.txid, r.status, text(r.payload)]).toEqual(['tx1', 200, 'a,b']);

    pc.transaction('tx2', ['status404']);
    const r404 = decodeResponse(await pc.next());
    expect([r404.status, r404.message]).toEqual([404, 'nope']);

    pc.transaction('tx3', ['stringPayload']);
    expect(text(decodeResponse(await pc.next()).payload)).toBe('text');
    expect(handler.inFlight).toBe(0);
  });

  test("a throw and a rejection answer ERROR at once; a non-response is COMPLETED 500 with fabric-shim's text", async () => {
    const { handler, pc } = await connect();
    await pc.handshake();
    await handler.ready;
    for (const [txid, fcn, expected] of [
      ['t1', 'throw', 'boom'],
      ['t2', 'reject', 'rejected!'],
    ] as const) {
      pc.transaction(txid, [fcn]);
      const m = await pc.next();
      expect([Type[m.type], m.txid, m.channelId]).toEqual(['ERROR', txid, 'ch']);
      expect(text(m.payload)).toContain(expected);
    }
    pc.transaction('t3-none', ['none']);
    const m = await pc.next();
    expect([Type[m.type], m.txid]).toEqual(['COMPLETED', 't3-none']);
    const r = decodeResponse(m);
    expect([r.status, r.message]).toEqual([500, '[ch-t3-none] Calling chaincode Invoke() has not called success or error.']);
    expect(handler.inFlight).toBe(0);
  });

  test('transactions run concurrently: a waiting one does not hold up another', async () => {
    const { handler, pc } = await connect();
    await pc.handshake();
    await handler.ready;
    gates.set('g', gate());
    pc.transaction('slow', ['wait', 'g']);
    pc.transaction('fast', ['echo', 'x']);
    const first = await pc.next();
    expect(first.txid).toBe('fast');
    expect(handler.inFlight).toBe(1);
    gates.get('g')!.open();
    const second = await pc.next();
    expect([second.txid, text(decodeResponse(second).payload)]).toEqual(['slow', 'waited g']);
  });

  test('calls of one transaction in Promise.all go one at a time; answers are routed back by txid', async () => {
    const { handler, pc } = await connect();
    await pc.handshake();
    await handler.ready;
    pc.transaction('m1', ['multi', 'k1', 'k2', 'k3']);
    pc.transaction('m2', ['get', 'solo'], { channelId: 'other' });
    const asked: string[] = [];
    const firstTwo = [await pc.next(), await pc.next()];
    // one GET_STATE from each transaction, nothing more until answered
    expect(firstTwo.map((m) => `${m.channelId}/${m.txid}/${Type[m.type]}`).sort()).toEqual(['ch/m1/GET_STATE', 'other/m2/GET_STATE']);
    expect(await drainUntilEcho(pc, 'barrier1')).toEqual([]);
    expect(handler.inFlight).toBe(2 + 3 + 1);

    let m1Msg = firstTwo.find((m) => m.txid === 'm1')!;
    const m2Msg = firstTwo.find((m) => m.txid === 'm2')!;
    pc.send(Type.RESPONSE, { txid: 'm2', channelId: 'other', payload: Buffer.from('v-solo') });
    const m2Done = await pc.next();
    expect([m2Done.txid, text(decodeResponse(m2Done).payload)]).toEqual(['m2', 'v-solo']);
    expect(fromBinary(GetStateSchema, m2Msg.payload).key).toBe('solo');

    for (let i = 1; i <= 3; i++) {
      const key = fromBinary(GetStateSchema, m1Msg.payload).key;
      asked.push(key);
      pc.send(Type.RESPONSE, { txid: 'm1', channelId: 'ch', payload: Buffer.from(`v-${key}`) });
      m1Msg = await pc.next();
      if (i < 3) {
        expect([Type[m1Msg.type], m1Msg.txid]).toEqual(['GET_STATE', 'm1']);
        expect(await drainUntilEcho(pc, `b${i}`)).toEqual([]);
      }
    }
    expect(asked).toEqual(['k1', 'k2', 'k3']);
    expect(text(decodeResponse(m1Msg).payload)).toBe('v-k1,v-k2,v-k3');
    expect(handler.inFlight).toBe(0);
  });

  test('an ERROR from the peer rejects the waiting call with PEER_ERROR', async () => {
    const { handler, pc } = await connect();
    await pc.handshake();
    await handler.ready;
    pc.transaction('e1', ['get', 'k']);
    expect((await pc.next()).type).toBe(Type.GET_STATE);
    pc.send(Type.ERROR, { txid: 'e1', channelId: 'ch', payload: Buffer.from('access denied') });
    const r = decodeResponse(await pc.next());
    expect([r.status, r.message]).toEqual([500, 'access denied']);
    expect(seen[0]).toBeInstanceOf(ShimError);
    expect((seen[0] as ShimError).code).toBe('PEER_ERROR');
    expect((seen[0] as ShimError).requestType).toBe('GET_STATE');
    expect((seen[0] as ShimError).txId).toBe('e1');
  });

  test('a second TRANSACTION for a txid in flight gets ERROR; the first one continues; another channel is no duplicate', async () => {
    const { handler, pc } = await connect();
    await pc.handshake();
    await handler.ready;
    gates.set('d', gate());
    pc.transaction('dup', ['wait', 'd']);
    pc.transaction('dup', ['echo', 'second']);
    const refused = await pc.next();
    expect([Type[refused.type], refused.txid]).toEqual(['ERROR', 'dup']);
    expect(text(refused.payload)).toContain('already being executed');
    pc.transaction('dup', ['echo', 'elsewhere'], { channelId: 'ch2' });
    const other = await pc.next();
    expect([other.channelId, text(decodeResponse(other).payload)]).toEqual(['ch2', 'elsewhere']);
    gates.get('d')!.open();
    const done = await pc.next();
    expect([done.txid, text(decodeResponse(done).payload)]).toEqual(['dup', 'waited d']);
  });

  test('unknown or out-of-place messages: ERROR for their txid, nothing without one; stray answers are dropped', async () => {
    const { handler, pc } = await connect();
    expect((await pc.next()).type).toBe(Type.REGISTER);
    // TRANSACTION before READY is refused
    pc.transaction('early', ['echo']);
    const early = await pc.next();
    expect([Type[early.type], early.txid]).toEqual(['ERROR', 'early']);
    expect(text(early.payload)).toContain('state: created');
    pc.send(Type.REGISTERED);
    pc.send(Type.READY);
    await handler.ready;

    pc.send(Type.GET_STATE, { txid: 'weird', channelId: 'ch' });
    const weird = await pc.next();
    expect([Type[weird.type], weird.txid, weird.channelId]).toEqual(['ERROR', 'weird', 'ch']);
    pc.send(99 as Type);
    pc.send(Type.REGISTERED);
    pc.send(Type.RESPONSE, { txid: 'nobody', channelId: 'ch', payload: Buffer.from('x') });
    pc.send(Type.ERROR, { txid: 'nobody', channelId: 'ch' });
    expect(await drainUntilEcho(pc, 'after-strays')).toEqual([]);
    // still serving
    pc.transaction('ok', ['echo', 'alive']);
    expect(text(decodeResponse(await pc.next()).payload)).toBe('alive');
  });

  test('a malformed TRANSACTION payload answers ERROR and the handler keeps going', async () => {
    const { handler, pc } = await connect();
    await pc.handshake();
    await handler.ready;
    pc.send(Type.TRANSACTION, { txid: 'bad', channelId: 'ch', payload: Uint8Array.from([0x0a, 0xff]) });
    const m = await pc.next();
    expect([Type[m.type], m.txid]).toEqual(['ERROR', 'bad']);
    expect(handler.inFlight).toBe(0);
    pc.transaction('good', ['echo', 'y']);
    expect(text(decodeResponse(await pc.next()).payload)).toBe('y');
  });

  test('a dropped stream rejects pending calls with STREAM_CLOSED and run() rejects', async () => {
    const { handler, pc, run } = await connect();
    await pc.handshake();
    await handler.ready;
    pc.transaction('lost', ['get', 'k']);
    expect((await pc.next()).type).toBe(Type.GET_STATE);
    expect(handler.inFlight).toBe(2);
    pc.stream.destroy(new Error('peer crashed'));
    const err = await run.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ShimError);
    expect((err as ShimError).code).toBe('STREAM_CLOSED');
    expect((err as ShimError).message).toContain('mycc:1.0');
    expect((err as ShimError).message).toContain('peer crashed');
    await new Promise((r) => setImmediate(r));
    expect(seen).toHaveLength(1);
    expect((seen[0] as ShimError).code).toBe('STREAM_CLOSED');
    expect((seen[0] as ShimError).txId).toBe('lost');
  });

  test('the peer refusing registration rejects run() and ready with PEER_ERROR', async () => {
    const { handler, pc, run } = await connect();
    expect((await pc.next()).type).toBe(Type.REGISTER);
    pc.send(Type.ERROR, { payload: Buffer.from('duplicate chaincode') });
    await expect(run).rejects.toMatchObject({ code: 'PEER_ERROR', message: expect.stringContaining('duplicate chaincode') });
    await expect(handler.ready).rejects.toBeInstanceOf(ShimError);
  });

  test('a clean end before READY rejects; after READY resolves; close() resolves run', async () => {
    const a = await connect();
    expect((await a.pc.next()).type).toBe(Type.REGISTER);
    a.pc.stream.end();
    await expect(a.run).rejects.toMatchObject({ code: 'STREAM_CLOSED', message: expect.stringContaining('before READY') });

    const b = await connect();
    await b.pc.handshake();
    await b.handler.ready;
    b.pc.stream.end();
    await expect(b.run).resolves.toBeUndefined();

    const c = await connect();
    await c.pc.handshake();
    await c.handler.ready;
    c.handler.close();
    await expect(c.run).resolves.toBeUndefined();
    await expect(c.pc.ended).resolves.toBeUndefined();
  });

  test('run() may only be called once', async () => {
    const { handler } = await connect();
    await expect(handler.run()).rejects.toThrow('only be called once');
  });
});

test('GetState payload is what the stub encodes (sanity for the scripted peer)', () => {
  expect(fromBinary(GetStateSchema, new Uint8Array(0)).key).toBe('');
  expect(create(GetStateSchema, { key: 'a' }).key).toBe('a');
});
