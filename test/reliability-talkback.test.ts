/**
 * Reliability, case 1 over the mock peer's fault injection: an ERROR from the peer to any
 * talk-back surfaces in the chaincode as a rejected promise carrying the peer's message, and a
 * malformed answer to any talk-back whose answer is decoded rejects with PROTOCOL. Either way
 * only that transaction is affected: a transaction running next to it completes and commits.
 */
import { connect, type ChaincodeConnection } from '../src/shim';
import { ShimError } from '../src/errors';
import { createLogger, setLogSink } from '../src/logger';
import { error, success, type ChaincodeResponse } from '../src/response';
import type { ChaincodeStub } from '../src/stub';
import { MockPeer } from '../src/testing/mock-peer';
import type { MockChaincode } from '../src/testing/mock-chaincode';
import type { MessageTypeName } from '../src/testing/faults';
import { KeyEndorsementPolicy } from '../src/endorsement-policy';

const ORG1_ONLY = ((): Uint8Array => {
  const ep = new KeyEndorsementPolicy();
  ep.addOrgs('MEMBER', 'Org1MSP');
  return ep.getPolicy();
})();

setLogSink({ write: () => undefined });
const log = createLogger('reliability-talkback', { level: 'debug' });

/** One stub operation per talk-back message type it puts on the wire. */
const OPS: Record<string, (stub: ChaincodeStub) => Promise<unknown>> = {
  GET_STATE: (s) => s.getState('k1'),
  GET_STATE_MULTIPLE: (s) => s.getMultipleStates('k1', 'k2'),
  GET_PRIVATE_DATA_HASH: (s) => s.getPrivateDataHash('col', 'k1'),
  PUT_STATE: (s) => s.putState('k1', 'v'),
  DEL_STATE: (s) => s.deleteState('k1'),
  PURGE_PRIVATE_DATA: (s) => s.purgePrivateData('col', 'k1'),
  WRITE_BATCH_STATE: async (s) => {
    s.startWriteBatch();
    await s.putState('k1', 'v');
    await s.finishWriteBatch();
  },
  GET_STATE_METADATA: (s) => s.getStateValidationParameter('k1'),
  // A policy this peer (Org1) satisfies: later writes to k1 must still pass validation.
  PUT_STATE_METADATA: (s) => s.setStateValidationParameter('k1', ORG1_ONLY),
  GET_STATE_BY_RANGE: async (s) => (await s.getStateByRange('k', 'l')).close(),
  GET_QUERY_RESULT: async (s) => (await s.getQueryResult('{"selector":{}}')).close(),
  GET_HISTORY_FOR_KEY: async (s) => (await s.getHistoryForKey('k1')).close(),
  // The mock peer hands out 100 results per answer: the 101st needs QUERY_STATE_NEXT.
  QUERY_STATE_NEXT: async (s) => {
    let n = 0;
    for await (const _ of s.getStateByRange('r', 's')) n++;
    return n;
  },
  QUERY_STATE_CLOSE: async (s) => (await s.getStateByRange('k', 'l')).close(),
  INVOKE_CHAINCODE: (s) => s.invokeChaincode('other', ['ping']),
};

/** The talk-backs whose RESPONSE payload is decoded (the others carry raw bytes or nothing). */
const DECODED = [
  'GET_STATE_MULTIPLE',
  'GET_STATE_METADATA',
  'GET_STATE_BY_RANGE',
  'GET_QUERY_RESULT',
  'GET_HISTORY_FOR_KEY',
  'QUERY_STATE_NEXT',
  'INVOKE_CHAINCODE',
];

const chaincode = {
  Init: async (): Promise<ChaincodeResponse> => success(),
  async Invoke(stub: ChaincodeStub): Promise<ChaincodeResponse> {
    const [op = ''] = stub.getStringArgs();
    const run = OPS[op];
    if (!run) return error(`no op ${op}`);
    try {
      await run(stub);
      return success(Buffer.from(`did ${op}`));
    } catch (e) {
      // Hand the rejection back to the test through the response: code and the exact message.
      return error(JSON.stringify({ code: (e as ShimError).code, message: (e as Error).message, name: (e as Error).name }));
    }
  },
};
const other = { Init: async () => success(), Invoke: async () => success(Buffer.from('pong')) };

let peer: MockPeer;
let conn: ChaincodeConnection;
let otherConn: ChaincodeConnection;
let cc: MockChaincode;

beforeAll(async () => {
  peer = await MockPeer.start({ logger: log });
  peer.define('rel', { collections: ['col'] });
  for (let i = 0; i < 120; i++) peer.ledger.put('rel', `r${String(i).padStart(3, '0')}`, `v${i}`);
  peer.ledger.put('rel', 'k1', 'one');
  const registered = peer.waitForChaincode('rel');
  conn = connect(chaincode, { peerAddress: peer.address, chaincodeId: 'rel:1', logger: log });
  cc = await registered;
  const otherRegistered = peer.waitForChaincode('other');
  otherConn = connect(other, { peerAddress: peer.address, chaincodeId: 'other:1', logger: log });
  await otherRegistered;
});
afterAll(async () => {
  conn.close();
  otherConn.close();
  await peer.stop();
});
afterEach(() => cc.faults.clear());

test('every operation works without faults (so each fault below is what makes it fail)', async () => {
  for (const op of Object.keys(OPS)) {
    const res = await cc.invoke([op]);
    expect({ op, status: res.status, payload: res.payload.toString() }).toEqual({ op, status: 200, payload: `did ${op}` });
  }
});

test.each(Object.keys(OPS))(
  "an ERROR from the peer to %s rejects the chaincode's call with the peer's message; a neighbour commits",
  async (op) => {
    const message = `peer refuses ${op} for reasons of its own`;
    cc.faults.errorOn(op as MessageTypeName, { message });
    const neighbour = op === 'PUT_STATE' ? 'DEL_STATE' : 'PUT_STATE';
    const [faulted, bystander] = await Promise.all([cc.invoke([op]), cc.invoke([neighbour])]);
    expect(faulted.status).toBe(500);
    // As fabric-shim's plain Error: name 'Error' (the code is there, not enumerable).
    expect(JSON.parse(faulted.message)).toEqual({ code: 'PEER_ERROR', message, name: 'Error' });
    expect(bystander).toMatchObject({ outcome: 'COMPLETED', status: 200, committed: true });
    expect(conn.handler.inFlight).toBe(0);
  },
);

test.each(DECODED)('a malformed answer to %s rejects with PROTOCOL naming the request; a neighbour commits', async (op) => {
  cc.faults.malformed(op as MessageTypeName);
  const [faulted, bystander] = await Promise.all([cc.invoke([op]), cc.invoke(['PUT_STATE'])]);
  expect(faulted.status).toBe(500);
  const seen = JSON.parse(faulted.message) as { code: string; message: string };
  expect(seen.code).toBe('PROTOCOL');
  expect(seen.message).toContain(`answer to ${op}`);
  expect(bystander).toMatchObject({ status: 200, committed: true });
  expect(conn.handler.inFlight).toBe(0);
});
