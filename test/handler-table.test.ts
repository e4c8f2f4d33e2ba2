/**
 * The handler's protocol as a table: handler state (created / established / ready) x inbound
 * message type -> what the chaincode side sends back and where the handler goes. The real
 * ChaincodeHandler runs over the in-memory stream of `fabric-shim-ts/testing`, so only the
 * public surface is used (the handler's constructor and run(), the stream seam).
 *
 * The behaviour pinned here is the handler's as it is (after the Go shim's handler.go): KEEPALIVE
 * is echoed in every state; REGISTERED, READY, INIT/TRANSACTION are taken in their one state and
 * refused elsewhere (an ERROR naming the state when the message names a transaction, else only a
 * log line); RESPONSE/ERROR settle a waiting talk-back call or are dropped; an ERROR before READY
 * is the peer refusing the registration.
 */
import { create, fromBinary, toBinary } from '@bufbuild/protobuf';
import { ChaincodeInputSchema, ChaincodeAdditionalParamsSchema } from '../src/gen/peer/chaincode_pb';
import { ChaincodeMessage_Type as Type, GetStateSchema, type ChaincodeMessage } from '../src/gen/peer/chaincode_shim_pb';
import { ResponseSchema } from '../src/gen/peer/proposal_response_pb';
import { ChaincodeHandler, ShimError, createLogger, error, success, type ChaincodeResponse, type ChaincodeStub } from '../src';
import { MALFORMED_PAYLOAD, MemoryStream } from '../src/testing';

const quiet = createLogger('handler-table', { level: 'critical' });
const CC = 'table:1';
const CH = 'ch';

const chaincode = {
  Init: async (): Promise<ChaincodeResponse> => success(Buffer.from('init-ok')),
  async Invoke(stub: ChaincodeStub): Promise<ChaincodeResponse> {
    const [fcn = ''] = stub.getStringArgs();
    if (fcn !== 'read') return success(Buffer.from('invoke-ok'));
    // Holds the transaction on one talk-back call, so a table row can answer it.
    try {
      return success(await stub.getState('k'));
    } catch (err) {
      return error(`read failed: ${(err as Error).message}`);
    }
  },
};

const input = (...args: string[]): Uint8Array =>
  toBinary(ChaincodeInputSchema, create(ChaincodeInputSchema, { args: args.map((a) => Buffer.from(a)) }));
const text = (bytes: Uint8Array): string => Buffer.from(bytes).toString('utf8');
/**
 * A row waits for the messages it expects (on the stream's send events); one that never comes
 * fails the row after this long rather than after jest's 30 s.
 */
const MESSAGE_WAIT_MS = 5_000;
/** One turn of the event loop: whatever the handler does in reaction to a message has been done. */
const settled = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

type Phase = 'created' | 'established' | 'ready';

interface Running {
  stream: MemoryStream;
  handler: ChaincodeHandler;
  /** How run() has settled so far. */
  outcome: () => 'pending' | 'resolved' | ShimError;
}

/** A handler brought to `phase` by the peer's own handshake; what it sent on the way is cleared. */
function handlerIn(phase: Phase, readyPayload?: Uint8Array): Running {
  const stream = new MemoryStream();
  const handler = new ChaincodeHandler(chaincode, stream, { chaincodeId: CC, logger: quiet });
  let outcome: 'pending' | 'resolved' | ShimError = 'pending';
  handler.run().then(
    () => {
      outcome = 'resolved';
    },
    (err: unknown) => {
      outcome = err as ShimError;
    },
  );
  expect(stream.sent.map((m) => Type[m.type])).toEqual(['REGISTER']);
  if (phase !== 'created') stream.deliver({ type: Type.REGISTERED });
  if (phase === 'ready') stream.deliver(readyPayload === undefined ? { type: Type.READY } : { type: Type.READY, payload: readyPayload });
  expect(handler.phase).toBe(phase);
  stream.sent.length = 0;
  return { stream, handler, outcome: () => outcome };
}

/** What one sent message looks like in a row: its type, txid, and (part of) its payload. */
interface Sent {
  type: keyof typeof Type;
  txid: string;
  /** The payload as text, or a pattern it matches; a Response's status and payload for COMPLETED. */
  payload?: string | RegExp | { status: number; payload?: string; message?: string | RegExp };
}

function view(m: ChaincodeMessage, like: Sent | undefined): Sent {
  const seen: Sent = { type: Type[m.type] as keyof typeof Type, txid: m.txid };
  if (like?.payload === undefined) return seen;
  if (m.type === Type.COMPLETED) {
    const r = fromBinary(ResponseSchema, m.payload);
    seen.payload = { status: r.status, payload: text(r.payload), message: r.message };
  } else {
    seen.payload = text(m.payload);
  }
  return seen;
}

/** Waits (on the stream's send events) for `count` messages after the first `from`, then one more turn for any extra. */
async function sentFrom(stream: MemoryStream, from: number, count: number): Promise<ChaincodeMessage[]> {
  while (stream.sent.length < from + count) await stream.nextSent();
  await settled();
  return stream.sent.slice(from);
}

async function expectSent(stream: MemoryStream, from: number, expected: readonly Sent[]): Promise<void> {
  const got = await sentFrom(stream, from, expected.length);
  expect(got.map((m, i) => view(m, expected[i]))).toEqual(
    expected.map((e) => {
      const p = e.payload;
      if (p instanceof RegExp) return { ...e, payload: expect.stringMatching(p) };
      if (p !== undefined && typeof p !== 'string') {
        return {
          ...e,
          payload: {
            status: p.status,
            payload: p.payload ?? '',
            message: p.message instanceof RegExp ? expect.stringMatching(p.message) : (p.message ?? ''),
          },
        };
      }
      return e;
    }),
  );
}

/** The ERROR text a state answers a message it cannot take with (handler.refuse). */
const refused = (type: string, state: Phase, size = 0, txid = 'tx1'): Sent => ({
  type: 'ERROR',
  txid,
  payload: `[${CH}-${txid}] chaincode handler cannot handle message (${type}) with payload size (${size}) while in state: ${state}`,
});

interface Row {
  /** The inbound message: type, plus txid/payload when it names a transaction. */
  msg: { type: number; txid?: string; payload?: Uint8Array };
  /** What goes back, per state. */
  sends: Record<Phase, readonly Sent[]>;
  /** Where the handler is afterwards, per state (unchanged when omitted). */
  next?: Partial<Record<Phase, 'created' | 'established' | 'ready' | 'closed'>>;
}

const keepalive = { type: 'KEEPALIVE', txid: '' } as const;
const none: readonly Sent[] = [];

/** The table. Every row runs in each of the three states. */
const rows: Record<string, Row> = {
  KEEPALIVE: {
    msg: { type: Type.KEEPALIVE },
    sends: { created: [keepalive], established: [keepalive], ready: [keepalive] },
  },
  REGISTERED: {
    msg: { type: Type.REGISTERED },
    sends: { created: none, established: none, ready: none },
    next: { created: 'established' },
  },
  'REGISTERED naming a transaction': {
    msg: { type: Type.REGISTERED, txid: 'tx1' },
    sends: { created: none, established: [refused('REGISTERED', 'established')], ready: [refused('REGISTERED', 'ready')] },
    next: { created: 'established' },
  },
  'REGISTERED with an undecodable payload': {
    msg: { type: Type.REGISTERED, payload: MALFORMED_PAYLOAD },
    sends: { created: none, established: none, ready: none },
    next: { created: 'established' },
  },
  READY: {
    msg: { type: Type.READY, txid: 'tx1' },
    sends: { created: [refused('READY', 'created')], established: none, ready: [refused('READY', 'ready')] },
    next: { established: 'ready' },
  },
  'READY with an undecodable payload': {
    msg: { type: Type.READY, payload: MALFORMED_PAYLOAD },
    sends: { created: none, established: none, ready: none },
    next: { established: 'ready' },
  },
  INIT: {
    msg: { type: Type.INIT, txid: 'tx1', payload: input('init') },
    sends: {
      created: [refused('INIT', 'created', input('init').length)],
      established: [refused('INIT', 'established', input('init').length)],
      ready: [{ type: 'COMPLETED', txid: 'tx1', payload: { status: 200, payload: 'init-ok' } }],
    },
  },
  TRANSACTION: {
    msg: { type: Type.TRANSACTION, txid: 'tx1', payload: input('go') },
    sends: {
      created: [refused('TRANSACTION', 'created', input('go').length)],
      established: [refused('TRANSACTION', 'established', input('go').length)],
      ready: [{ type: 'COMPLETED', txid: 'tx1', payload: { status: 200, payload: 'invoke-ok' } }],
    },
  },
  'TRANSACTION with an undecodable ChaincodeInput': {
    msg: { type: Type.TRANSACTION, txid: 'tx1', payload: MALFORMED_PAYLOAD },
    sends: {
      created: [refused('TRANSACTION', 'created', MALFORMED_PAYLOAD.length)],
      established: [refused('TRANSACTION', 'established', MALFORMED_PAYLOAD.length)],
      ready: [{ type: 'ERROR', txid: 'tx1', payload: /^Cannot decode the ChaincodeInput of TRANSACTION: / }],
    },
  },
  'TRANSACTION without a txid': {
    msg: { type: Type.TRANSACTION, payload: input('go') },
    // Refused with a log line only (nothing to name in an ERROR); once ready it runs like any other.
    sends: { created: none, established: none, ready: [{ type: 'COMPLETED', txid: '', payload: { status: 200, payload: 'invoke-ok' } }] },
  },
  'RESPONSE for nothing waiting': {
    msg: { type: Type.RESPONSE, txid: 'tx1', payload: Buffer.from('v') },
    sends: { created: none, established: none, ready: none },
  },
  ERROR: {
    msg: { type: Type.ERROR, txid: 'tx1', payload: Buffer.from('no such chaincode') },
    // Before READY: the peer refusing the registration (run() rejects, the stream is ended).
    // Once ready: an answer to nothing waiting, dropped.
    sends: { created: none, established: none, ready: none },
    next: { created: 'closed', established: 'closed' },
  },
  'COMPLETED (never sent by a peer)': {
    msg: { type: Type.COMPLETED, txid: 'tx1' },
    sends: {
      created: [refused('COMPLETED', 'created')],
      established: [refused('COMPLETED', 'established')],
      ready: [refused('COMPLETED', 'ready')],
    },
  },
  'GET_STATE (a chaincode-side request)': {
    msg: { type: Type.GET_STATE, txid: 'tx1', payload: Buffer.from('k') },
    sends: {
      created: [refused('GET_STATE', 'created', 1)],
      established: [refused('GET_STATE', 'established', 1)],
      ready: [refused('GET_STATE', 'ready', 1)],
    },
  },
  "REGISTER (the chaincode's own first message)": {
    msg: { type: Type.REGISTER, txid: 'tx1' },
    sends: {
      created: [refused('REGISTER', 'created')],
      established: [refused('REGISTER', 'established')],
      ready: [refused('REGISTER', 'ready')],
    },
  },
  'an unknown type (99)': {
    msg: { type: 99, txid: 'tx1', payload: MALFORMED_PAYLOAD },
    sends: { created: [refused('99', 'created', 3)], established: [refused('99', 'established', 3)], ready: [refused('99', 'ready', 3)] },
  },
  'an unknown type without a txid': {
    msg: { type: 99 },
    sends: { created: none, established: none, ready: none },
  },
};

const cases = Object.entries(rows).flatMap(([name, row]) =>
  (['created', 'established', 'ready'] as const).map((state) => [state, name, row] as const),
);

describe('state x inbound message type', () => {
  test.each(cases)(
    '%s, %s',
    async (state, _name, row) => {
      const { stream, handler, outcome } = handlerIn(state);
      stream.deliver({ ...row.msg, channelId: CH });
      await expectSent(stream, 0, row.sends[state]);
      const next = row.next?.[state] ?? state;
      expect(handler.phase).toBe(next);
      if (next === 'closed') {
        // Only an ERROR before READY closes: the registration was refused.
        expect(outcome()).toBeInstanceOf(ShimError);
        expect(outcome()).toMatchObject({ code: 'PEER_ERROR', message: `peer memory refused chaincode ${CC}: no such chaincode` });
        expect(stream.closed).toBe('end');
        await expect(handler.ready).rejects.toMatchObject({ code: 'PEER_ERROR' });
      } else {
        expect(outcome()).toBe('pending');
        expect(stream.closed).toBeUndefined();
      }
      handler.close();
    },
    MESSAGE_WAIT_MS,
  );
});

describe('READY: what the peer announces', () => {
  const params = (
    p: Partial<{ useWriteBatch: boolean; maxSizeWriteBatch: number; useGetMultipleKeys: boolean; maxSizeGetMultipleKeys: number }>,
  ): Uint8Array => toBinary(ChaincodeAdditionalParamsSchema, create(ChaincodeAdditionalParamsSchema, p));
  const off = { useWriteBatch: false, maxSizeWriteBatch: 0, useGetMultipleKeys: false, maxSizeGetMultipleKeys: 0 };

  test.each([
    [
      'a 3.1 peer (ChaincodeAdditionalParams)',
      params({ useWriteBatch: true, maxSizeWriteBatch: 1000, useGetMultipleKeys: true, maxSizeGetMultipleKeys: 1000 }),
      { useWriteBatch: true, maxSizeWriteBatch: 1000, useGetMultipleKeys: true, maxSizeGetMultipleKeys: 1000 },
    ],
    ['a 3.0 peer (empty READY)', undefined, off],
    ['an undecodable payload (plain protocol)', MALFORMED_PAYLOAD, off],
  ] as const)('%s', async (_name, payload, capabilities) => {
    const { handler } = handlerIn('ready', payload);
    await expect(handler.ready).resolves.toBeUndefined();
    expect(handler.capabilities).toEqual(capabilities);
    handler.close();
  });
});

describe('ready, one transaction waiting on its GET_STATE', () => {
  /** A handler with tx1 sent GET_STATE("k") and waiting for the answer. */
  async function waiting(): Promise<Running> {
    const running = handlerIn('ready');
    const { stream } = running;
    const asked = stream.nextSent();
    stream.deliver({ type: Type.TRANSACTION, txid: 'tx1', channelId: CH, payload: input('read') });
    const get = await asked;
    expect({ type: Type[get.type], txid: get.txid, key: fromBinary(GetStateSchema, get.payload).key }).toEqual({
      type: 'GET_STATE',
      txid: 'tx1',
      key: 'k',
    });
    expect(running.handler.inFlight).toBe(2); // the transaction and its call
    return running;
  }

  const rowsWaiting: readonly [string, { type: number; txid: string; payload?: Uint8Array }, readonly Sent[], number][] = [
    [
      'RESPONSE answers the call',
      { type: Type.RESPONSE, txid: 'tx1', payload: Buffer.from('v1') },
      [{ type: 'COMPLETED', txid: 'tx1', payload: { status: 200, payload: 'v1' } }],
      0,
    ],
    [
      'ERROR fails the call (the chaincode sees PEER_ERROR)',
      { type: Type.ERROR, txid: 'tx1', payload: Buffer.from('ledger down') },
      [{ type: 'COMPLETED', txid: 'tx1', payload: { status: 500, message: 'read failed: ledger down' } }],
      0,
    ],
    ['RESPONSE for another txid is dropped', { type: Type.RESPONSE, txid: 'tx2', payload: Buffer.from('v1') }, none, 2],
    [
      'RESPONSE on another channel is dropped (a txid is unique per channel)',
      { type: Type.RESPONSE, txid: 'tx1', payload: Buffer.from('v1') },
      none,
      2,
    ],
    [
      'TRANSACTION with the same txid is refused',
      { type: Type.TRANSACTION, txid: 'tx1', payload: input('go') },
      [{ type: 'ERROR', txid: 'tx1', payload: `transaction tx1 on channel ${CH} is already being executed` }],
      2,
    ],
    ['KEEPALIVE is echoed', { type: Type.KEEPALIVE, txid: '' }, [keepalive], 2],
  ];

  test.each(rowsWaiting)(
    '%s',
    async (name, msg, sends, inFlight) => {
      const { stream, handler, outcome } = await waiting();
      const from = stream.sent.length;
      stream.deliver({ ...msg, channelId: name.includes('another channel') ? 'other' : CH });
      await expectSent(stream, from, sends);
      expect(handler.inFlight).toBe(inFlight);
      expect(handler.phase).toBe('ready');
      expect(outcome()).toBe('pending');
      handler.close();
    },
    MESSAGE_WAIT_MS,
  );
});

describe('the peer ends the stream', () => {
  test.each([
    ['created', 'rejects'],
    ['established', 'rejects'],
    ['ready', 'resolves'],
  ] as const)('in %s: run() %s', async (state, how) => {
    const { stream, handler, outcome } = handlerIn(state);
    stream.endFromPeer();
    await settled();
    expect(handler.phase).toBe('closed');
    if (how === 'resolves') {
      expect(outcome()).toBe('resolved');
    } else {
      expect(outcome()).toMatchObject({
        code: 'STREAM_CLOSED',
        message: `chaincode ${CC}: peer memory ended the stream before READY (state ${state})`,
      });
    }
  });

  test('a failed stream rejects run() and fails the call waiting', async () => {
    const { stream, handler, outcome } = handlerIn('ready');
    const asked = stream.nextSent();
    stream.deliver({ type: Type.TRANSACTION, txid: 'tx1', channelId: CH, payload: input('read') });
    await asked;
    stream.endFromPeer(new ShimError('STREAM_CLOSED', 'connection reset'));
    await settled();
    expect(handler.phase).toBe('closed');
    expect(outcome()).toMatchObject({ code: 'STREAM_CLOSED', message: `chaincode ${CC}: connection reset` });
    expect(handler.inFlight).toBe(0);
    // Nothing more can go out: the transaction's answer is lost with the stream.
    expect(stream.sent.map((m) => Type[m.type])).toEqual(['GET_STATE']);
  });
});
