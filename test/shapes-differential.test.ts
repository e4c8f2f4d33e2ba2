/**
 * Differential test of what a chaincode can observe (issue 12, defects 2, 3 and 6): the probe
 * chaincode of test/support/shapes-chaincode-impl.js runs on the OFFICIAL fabric-shim (child
 * process) and on fabric-shim-ts (in process) against one mock peer, with the same proposals
 * (same creator, same timestamp) and the same committed ledger. Every probe serialises the
 * objects it gets (own keys in order, typeof, constructor names, JSON.stringify, resolved values,
 * error texts); the two outputs must be equal. In a consortium where one organisation keeps
 * fabric-shim, any difference here is an endorsement mismatch.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import * as ours from '../src/index';
import { MockPeer } from '../src/testing/mock-peer';
import type { InvokeOptions, MockChaincode } from '../src/testing/mock-chaincode';
import type { ChaincodeInterface } from '../src/chaincode';
import { stopChildren } from './support/children';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { createShapesChaincode, createCallee } = require('./support/shapes-chaincode-impl') as {
  createShapesChaincode(shim: unknown): ChaincodeInterface;
  createCallee(shim: unknown): ChaincodeInterface;
};

const OFFICIAL = 'official';
const OURS = 'ours';
const TIMESTAMP = new Date('2024-01-02T03:04:05.678Z');

let peer: MockPeer;
let child: ChildProcess;
let childOutput = '';
const ccs: Record<string, MockChaincode> = {};

beforeAll(async () => {
  peer = await MockPeer.start({ txTimeoutMs: 20_000 });
  const registered = peer.waitForChaincode(OFFICIAL, { collections: ['c1'] });
  child = spawn(
    process.execPath,
    [path.join(__dirname, 'support', 'official-shapes.js'), '--peer.address', peer.address, '--chaincode-id-name', `${OFFICIAL}:1`],
    {
      env: {
        ...process.env,
        CORE_PEER_LOCALMSPID: 'Org1MSP',
        CORE_CHAINCODE_LOGGING_LEVEL: 'warning',
        CORE_CHAINCODE_LOGGING_SHIM: 'warning',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  for (const out of [child.stdout!, child.stderr!]) out.on('data', (d: Buffer) => (childOutput += d.toString()));
  ccs[OURS] = await peer.launch(OURS, createShapesChaincode(ours), { collections: ['c1'] });
  await peer.launch('callee', createCallee(ours));
  ccs[OFFICIAL] = await registered;
  // The same committed history on both namespaces, with fixed txids and timestamps.
  for (const ns of [OFFICIAL, OURS]) {
    const write = (key: string, value: string | undefined) => ({
      writes: [{ namespace: ns, collection: '', key, value: value === undefined ? undefined : Buffer.from(value) }],
      metadata: [],
    });
    peer.ledger.commit('mychannel', write('h', 'one'), 'tx-h1', new Date('2023-05-06T07:08:09.123Z'));
    peer.ledger.commit('mychannel', write('h', 'two'), 'tx-h2', new Date('2023-05-06T07:08:10.000Z'));
    peer.ledger.commit('mychannel', write('h', undefined), 'tx-h3', new Date('2023-05-06T07:08:11.456Z'));
  }
  for (const name of [OFFICIAL, OURS]) {
    expect((await ccs[name]!.invoke(['seed'])).status).toBe(200);
    expect((await ccs[name]!.invoke(['writes'])).committed).toBe(true);
  }
}, 60_000);

afterAll(async () => {
  await peer.stop();
  await stopChildren(child);
});

/** Runs one probe on both shims; returns [official, ours] as parsed JSON (or the failure). */
async function probe(fcn: string, opts: InvokeOptions = {}): Promise<[unknown, unknown]> {
  const out: unknown[] = [];
  for (const name of [OFFICIAL, OURS]) {
    const res = await ccs[name]!.invoke([fcn], { timestamp: TIMESTAMP, ...opts });
    out.push(
      res.status === 200 ? JSON.parse(res.payload.toString('utf8')) : { status: res.status, message: res.message, outcome: res.outcome },
    );
  }
  return [out[0], out[1]];
}

async function same(fcn: string, opts: InvokeOptions = {}): Promise<unknown> {
  const [official, mine] = await probe(fcn, opts);
  expect(mine).toEqual(official);
  return official;
}

/**
 * Like {@link same}, for a probe with a known, intended difference: `pick` takes the differing
 * part out of each output (asserted separately); the rest must be equal.
 */
async function sameExcept(fcn: string, pick: (out: Record<string, unknown>) => unknown): Promise<[unknown, unknown]> {
  const [official, mine] = (await probe(fcn)) as [Record<string, unknown>, Record<string, unknown>];
  const apart: [unknown, unknown] = [pick(official), pick(mine)];
  expect(mine).toEqual(official);
  return apart;
}

describe('what a chaincode observes is the same on both shims', () => {
  test('resolved values of writes (defect 2)', async () => {
    // Re-run on a fresh transaction: the write results themselves.
    const official = await same('writes');
    expect(official).toMatchObject({ putState: { value: 'Buffer[]', json: '{"type":"Buffer","data":[]}' } });
  });

  test('resolved values of reads and endorsement policies', async () => {
    await same('reads');
  });

  test('range query results, KVs, iterator close', async () => {
    const closed = await sameExcept('range', (out) => {
      const type = out['closedType'];
      delete out['closedType'];
      return type;
    });
    // Intended difference: fabric-shim resolves close() with its internal google-protobuf message.
    expect(closed).toEqual(['object', 'undefined']);
  });

  test('partial composite key queries and split keys', async () => {
    await same('partial');
  });

  test('rich query results', async () => {
    await same('query');
  });

  test('paginated queries: {iterator, metadata}', async () => {
    await same('paged');
  });

  test('private data queries', async () => {
    await same('privateQueries');
  });

  test('history records and their timestamps', async () => {
    await same('history');
    await same('history2');
  });

  test('getTxTimestamp and getDateTimestamp', async () => {
    await same('timestamp');
  });

  test('ClientIdentity fields', async () => {
    await same('identity', { identity: peer.identity('Org1MSP', { role: 'auditor' }) });
  });

  test('getCreator', async () => {
    await same('creator');
  });

  test('getSignedProposal', async () => {
    const messages = await sameExcept('proposal', (out) => {
      const m = out['messages'];
      delete out['messages'];
      return m;
    });
    // Intended difference: fabric-shim hands out google-protobuf message objects (minified
    // internals, getters such as getChannelId()) for these three; ours are plain objects with the
    // fields its typings declare.
    expect(messages).toEqual([
      { channelHeader: '', creator: '', payload: '' },
      { channelHeader: 'Object', creator: 'Object', payload: 'Object' },
    ]);
  });

  test('arguments, transient map, function and parameters', async () => {
    await same('args', { transient: { price: '10' } });
  });

  test('invokeChaincode responses', async () => {
    await same('invoke');
  });

  test('empty keys are sent to the peer (defect 6)', async () => {
    await same('emptyKeys');
    for (const fcn of ['emptyPut', 'emptyDelete', 'emptyPolicy', 'emptyPrivatePut']) await same(fcn);
  });

  test('argument checks and their texts', async () => {
    await same('checks');
  });
});

test('the official chaincode process stayed up', () => {
  expect(child.exitCode).toBeNull();
  expect(childOutput).not.toMatch(/unhandled/i);
});
