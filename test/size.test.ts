/**
 * Reliability, case 5: size. State values up to 50 MiB go to the peer and come back (Fabric's
 * 100 MiB message limit, where grpc-js alone would stop at 4 MiB). Past the configured limit the
 * chaincode gets a clear error naming the limit rather than a hang.
 */
import { createHash, randomBytes } from 'node:crypto';
import { connect, type ChaincodeConnection } from '../src/shim';
import { createLogger } from '../src/logger';
import { error, success, type ChaincodeResponse } from '../src/response';
import type { ChaincodeStub } from '../src/stub';
import { MockPeer } from '../src/testing/mock-peer';

const MiB = 1024 * 1024;
const quiet = createLogger('size', { level: 'critical' });

/** A value of `size` bytes that is not all one byte (a compressing transport could hide a bug). */
const PATTERN = randomBytes(65_521); // a prime length, so the pattern never lines up with frames
const valueOf = (size: number): Buffer => Buffer.alloc(size, PATTERN);
const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

const seen: unknown[] = [];
const chaincode = {
  Init: async (): Promise<ChaincodeResponse> => success(),
  async Invoke(stub: ChaincodeStub): Promise<ChaincodeResponse> {
    const [fcn = '', key = '', size = '0'] = stub.getStringArgs();
    try {
      if (fcn === 'make') return success(valueOf(Number(size)));
      if (fcn === 'put') {
        await stub.putState(key, valueOf(Number(size)));
        return success();
      }
      return success(await stub.getState(key)); // the value comes back in COMPLETED too
    } catch (e) {
      seen.push(e);
      return error((e as Error).message);
    }
  },
};

let peer: MockPeer;
const conns: ChaincodeConnection[] = [];
beforeAll(async () => {
  peer = await MockPeer.start({ logger: quiet, capabilities: false });
});
afterAll(async () => {
  for (const c of conns) c.close();
  await peer.stop();
});

async function launch(name: string, grpc?: Record<string, number>) {
  const registered = peer.waitForChaincode(name);
  const conn = connect(chaincode, { peerAddress: peer.address, chaincodeId: `${name}:1`, logger: quiet, ...(grpc ? { grpc } : {}) });
  conns.push(conn);
  return { cc: await registered, conn };
}

test('a 50 MiB value goes out in PUT_STATE and comes back in the GET_STATE answer and in COMPLETED', async () => {
  const { cc } = await launch('big');
  const size = 50 * MiB;
  const put = await cc.invoke(['put', 'k', String(size)]);
  expect(put).toMatchObject({ status: 200, committed: true });
  const stored = peer.ledger.get('big', 'k')!;
  expect(stored.length).toBe(size);
  expect(sha(stored)).toBe(sha(valueOf(size)));
  const got = await cc.invoke(['get', 'k']);
  expect(got.status).toBe(200);
  expect(got.payload.length).toBe(size);
  expect(sha(got.payload)).toBe(sha(stored));
}, 60_000);

test('a message above the send limit fails only that call (grpc-js alone would cancel the stream) and the chaincode goes on', async () => {
  const { cc, conn } = await launch('small', { maxSendMessageLength: MiB, maxReceiveMessageLength: MiB });
  const res = await cc.invoke(['put', 'k', String(2 * MiB)]);
  expect(res).toMatchObject({ outcome: 'COMPLETED', status: 500, committed: false });
  expect(res.message).toMatch(
    /cannot send PUT_STATE: message of \d+ bytes is larger than the send limit of 1048576 bytes \(grpc.max_send_message_length\)/,
  );
  expect(seen.pop()).toMatchObject({ code: 'INVALID_ARGUMENT', requestType: 'PUT_STATE' });
  // A response too large to send: the peer gets ERROR at once, not a 30 s wait.
  const tooBig = await cc.invoke(['make', 'k', String(2 * MiB)]);
  expect(tooBig).toMatchObject({
    outcome: 'ERROR',
    message: expect.stringMatching(/Invoke\(\) response not sent: .*larger than the send limit/),
  });
  // The same connection still serves.
  expect(await cc.invoke(['put', 'k', '1024'])).toMatchObject({ status: 200, committed: true });
  expect(conn.handler.inFlight).toBe(0);
});

test('a message above the receive limit ends the stream with a clear error naming the limit, not a hang', async () => {
  const { cc, conn } = await launch('tight', { maxReceiveMessageLength: MiB });
  peer.ledger.put('tight', 'huge', valueOf(2 * MiB));
  await expect(cc.invoke(['get', 'huge'])).rejects.toMatchObject({ code: 'STREAM_CLOSED' });
  const err = seen.pop() as Error;
  expect(err).toMatchObject({ code: 'STREAM_CLOSED', requestType: 'GET_STATE' });
  expect(err.message).toMatch(/RESOURCE_EXHAUSTED/);
  expect(err.message).toMatch(/1048576/);
  await expect(conn.closed).rejects.toMatchObject({ code: 'STREAM_CLOSED' });
});
