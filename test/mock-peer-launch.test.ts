/**
 * The mock peer with fabric-shim-ts launched in-process over real gRPC, and the same scenario
 * run on the official fabric-shim (child process) and on ours: both must see the same results.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { error, success } from '../src/response';
import { MockPeer } from '../src/testing/mock-peer';
import type { InvokeOptions, InvokeResult, MockChaincode } from '../src/testing/mock-chaincode';
import type { ChaincodeInterface } from '../src/chaincode';
import { ClientIdentity } from '../src/client-identity';
import { stopChildren } from './support/children';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { createScenarioChaincode } = require('./support/official-chaincode-impl') as {
  createScenarioChaincode(shim: unknown): ChaincodeInterface;
};
const ours = () => createScenarioChaincode({ success, error });

/** Starts a write batch, writes two keys and reads two with getMultipleStates. */
const batching: ChaincodeInterface = {
  Init: () => success(),
  async Invoke(stub) {
    const s = stub as unknown as {
      startWriteBatch(): void;
      putState(k: string, v: Buffer): Promise<void>;
      getMultipleStates(...k: string[]): Promise<Buffer[]>;
    };
    s.startWriteBatch();
    await s.putState('b1', Buffer.from('1'));
    await s.putState('b2', Buffer.from('2'));
    const values = await s.getMultipleStates('k-missing', 'seeded');
    return success(Buffer.from(values.map((v) => v.toString()).join('|')));
  },
};

type Step = [string[], InvokeOptions?];
const SCENARIO: Step[] = [
  [['put', 'k1', 'v1']],
  [['get', 'k1']],
  [['putThenGet', 'k1', 'v2']],
  [['fail', 'k9']],
  [['composite', 'blue', 'a1', '{"colour":"blue","size":5}']],
  [['composite', 'red', 'a2', '{"colour":"red","size":7}']],
  [['byPartial', 'blue']],
  [['put', 'doc1', '{"type":"car","size":3}']],
  [['put', 'doc2', '{"type":"car","size":9}']],
  [['query', '{"selector":{"type":"car","size":{"$gt":4}}}']],
  [['range', '', '']],
  [['rangePage', 'doc', 'z', '1', '']],
  [['del', 'doc1']],
  [['history', 'k1']],
  [['history', 'doc1']],
  [['putPrivate', 'c1', 'p1'], { transient: { value: 'secret' } }],
  [['getPrivate', 'c1', 'p1']],
  [['privateHash', 'c1', 'p1']],
  [['purge', 'c1', 'p1']],
  [['getPrivate', 'c1', 'p1']],
  [['setPolicy', 'k1', 'policy']],
  [['setPolicy', 'nokey', 'policy']],
  [['getPolicy', 'k1']],
  [['event', 'Created', 'payload']],
  [['call', 'callee', '', 'put', 'x', 'y']],
  [['call', 'callee', '', 'fail', 'z']],
  [['whoami']],
  [['transient', 'price'], { transient: { price: '10' } }],
];

function normalise(res: InvokeResult): unknown {
  const scrub = (s: string) =>
    s
      .split(res.txId)
      .join('<TX>')
      .replace(/[0-9a-f]{64}/g, '<HEX>');
  return {
    outcome: res.outcome,
    status: res.status,
    message: res.message,
    committed: res.committed,
    payload: scrub(res.payload.toString('utf8')),
    events: res.events.map((e) => ({ ...e, txId: scrub(e.txId), payload: e.payload.toString() })),
  };
}

async function runScenario(peer: MockPeer, cc: MockChaincode): Promise<unknown> {
  const results: unknown[] = [normalise(await cc.init(['init', 'x']))];
  for (const [args, opts] of SCENARIO) results.push([args[0], normalise(await cc.invoke(args, opts))]);
  const ledger = Object.fromEntries(peer.ledger.keys('scenario').map((k) => [k, peer.ledger.getString('scenario', k)]));
  const metadata = peer.ledger.getMetadata('scenario', 'k1');
  return { results, ledger, metadata, callee: peer.ledger.keys('callee') };
}

describe('same scenario on the official fabric-shim and on fabric-shim-ts', () => {
  const children: ChildProcess[] = [];
  const peers: MockPeer[] = [];

  afterAll(async () => {
    await Promise.all(peers.map((p) => p.stop()));
    await stopChildren(...children);
  });

  function official(peer: MockPeer, name: string): void {
    children.push(
      spawn(
        process.execPath,
        [path.join(__dirname, 'support', 'official-chaincode.js'), '--peer.address', peer.address, '--chaincode-id-name', `${name}:1`],
        {
          env: { ...process.env, CORE_PEER_LOCALMSPID: 'Org1MSP', CORE_CHAINCODE_LOGGING_LEVEL: 'warning' },
          stdio: 'ignore',
        },
      ),
    );
  }

  test('both shims get equal results and leave equal ledgers', async () => {
    const p1 = await MockPeer.start({ txTimeoutMs: 10_000 });
    peers.push(p1);
    const ready1 = Promise.all([p1.waitForChaincode('scenario', { collections: ['c1'] }), p1.waitForChaincode('callee')]);
    official(p1, 'scenario');
    official(p1, 'callee');
    const [officialCc] = await ready1;
    const expected = await runScenario(p1, officialCc);

    const p2 = await MockPeer.start({ txTimeoutMs: 10_000 });
    peers.push(p2);
    await p2.launch('callee', ours());
    const oursCc = await p2.launch('scenario', ours(), { collections: ['c1'] });
    const actual = await runScenario(p2, oursCc);

    expect(actual).toEqual(expected);
    // Sanity: the scenario did real work.
    expect((expected as { ledger: Record<string, string> }).ledger.k1).toBe('v2');
  });
});

describe('fabric-shim-ts launched in-process', () => {
  let peer: MockPeer;
  let cc: MockChaincode;

  beforeAll(async () => {
    peer = await MockPeer.start({ txTimeoutMs: 10_000 });
    cc = await peer.launch('assets', ours(), { collections: ['c1'] });
  });
  afterAll(() => peer.stop());

  test('a write batch of more than one write crosses as one WRITE_BATCH_STATE', async () => {
    peer.ledger.put('batcher', 'seeded', 'yes');
    const batcher = await peer.launch('batcher', batching);
    const res = await batcher.invoke(['go']);
    expect(res.payload.toString()).toBe('|yes');
    expect(peer.ledger.getString('batcher', 'b2')).toBe('2');
    const received = batcher.wire.filter((w) => w.direction === 'received').map((w) => w.type);
    expect(received).toContain('GET_STATE_MULTIPLE');
    expect(received).toContain('WRITE_BATCH_STATE');
    expect(received).not.toContain('PUT_STATE');
  });

  test('peer.identity() puts the MSP and attributes into the creator the chaincode sees', async () => {
    const whoami = await peer.launch('whoami', {
      Init: () => success(),
      Invoke: (stub) => {
        const id = new ClientIdentity(stub as never);
        return success(Buffer.from(`${id.getMSPID()}/${id.getAttributeValue('role')}`));
      },
    });
    const auditor = peer.identity('Org2MSP', { role: 'auditor' });
    expect(peer.identity('Org2MSP', { role: 'auditor' })).toBe(auditor);
    expect((await whoami.invoke(['x'], { identity: auditor })).payload.toString()).toBe('Org2MSP/auditor');
    expect((await whoami.invoke(['x'])).payload.toString()).toBe('Org1MSP/null');
  });

  test("calling a chaincode that is not launched fails the caller with the peer's reason", async () => {
    const res = await cc.invoke(['call', 'nosuch', '', 'get', 'k']);
    expect(res.status).toBe(500);
    expect(res.committed).toBe(false);
    expect(res.message).toContain('chaincode nosuch is not launched');
  });

  test('the shim splits a write batch to the advertised maximum', async () => {
    const small = await MockPeer.start({ capabilities: { maxSizeWriteBatch: 1 } });
    try {
      const big = await small.launch('big', {
        Init: () => success(),
        async Invoke(stub) {
          const s = stub as unknown as { startWriteBatch(): void; putState(k: string, v: Buffer): Promise<void> };
          s.startWriteBatch();
          for (const k of ['a', 'b', 'c']) await s.putState(k, Buffer.from(k));
          return success();
        },
      });
      const res = await big.invoke(['go']);
      expect(res.committed).toBe(true);
      expect(big.wire.filter((w) => w.direction === 'received' && w.type === 'WRITE_BATCH_STATE')).toHaveLength(3);
      expect(small.ledger.keys('big')).toEqual(['a', 'b', 'c']);
    } finally {
      await small.stop();
    }
  });

  test('KEEPALIVE can be sent and the chaincode keeps working', async () => {
    cc.sendKeepalive();
    expect((await cc.invoke(['put', 'ka', '1'])).status).toBe(200);
    expect(cc.wire.some((w) => w.direction === 'sent' && w.type === 'KEEPALIVE')).toBe(true);
  });

  test('malformed RESPONSE to a query fails the transaction without committing', async () => {
    cc.faults.malformed('GET_STATE_BY_RANGE', { nth: 1 });
    const res = await cc.invoke(['range', '', '']);
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.committed).toBe(false);
    cc.faults.clear();
    expect((await cc.invoke(['range', 'ka', 'kb'])).payload.toString()).toBe('["ka"]');
  });

  test('delayed responses still arrive, in order', async () => {
    cc.faults.delay('GET_STATE', 50);
    expect((await cc.invoke(['get', 'ka'])).payload.toString()).toBe('1');
    cc.faults.clear();
  });

  test('responses for concurrent transactions delivered out of order reach the right transaction', async () => {
    await cc.invoke(['put', 'o1', 'one']);
    await cc.invoke(['put', 'o2', 'two']);
    cc.faults.reorder(2);
    const [a, b] = await Promise.all([cc.invoke(['get', 'o1']), cc.invoke(['get', 'o2'])]);
    expect([a.payload.toString(), b.payload.toString()]).toEqual(['one', 'two']);
    // The two GET_STATEs may reach the peer in either order (each invoke signs its proposal
    // first); whichever came first is answered second.
    const asked = cc.wire
      .filter((w) => w.direction === 'received' && w.type === 'GET_STATE')
      .slice(-2)
      .map((w) => w.txId);
    const answers = cc.wire
      .filter((w) => w.direction === 'sent' && w.type === 'RESPONSE')
      .slice(-2)
      .map((w) => w.txId);
    expect([...asked].sort()).toEqual([a.txId, b.txId].sort());
    expect(answers).toEqual([asked[1], asked[0]]);
  });

  test('a duplicate TRANSACTION does not run the transaction twice', async () => {
    const res = await cc.invoke(['put', 'dup', 'once'], { duplicate: true });
    expect(res.txId).toMatch(/^[0-9a-f]{64}$/);
    expect(cc.wire.filter((w) => w.direction === 'sent' && w.type === 'TRANSACTION' && w.txId === res.txId)).toHaveLength(2);
    // The chaincode ran once: one PUT_STATE for that txid, whatever the shim answered to the copy.
    expect(cc.wire.filter((w) => w.direction === 'received' && w.type === 'PUT_STATE' && w.txId === res.txId)).toHaveLength(1);
  });
});

describe('stream faults and protocol errors', () => {
  let peer: MockPeer;
  beforeEach(async () => {
    peer = await MockPeer.start({ txTimeoutMs: 5_000 });
  });
  afterEach(() => peer.stop());

  test('closing the stream mid-transaction rejects the invoke with STREAM_CLOSED and commits nothing', async () => {
    const cc = await peer.launch('closer', ours());
    cc.faults.closeStreamOn('PUT_STATE');
    await expect(cc.invoke(['put', 'k', 'v'])).rejects.toMatchObject({ code: 'STREAM_CLOSED' });
    expect(peer.ledger.get('closer', 'k')).toBeUndefined();
    expect(peer.chaincode('closer')).toBeUndefined();
  });

  test('an unknown message type from the peer does not break the next transaction', async () => {
    const cc = await peer.launch('unknown', ours());
    cc.session.sendRaw({ type: 99 as never, txid: 'nope', channelId: 'mychannel' });
    const res = await cc.invoke(['put', 'k', 'v']).catch((e: Error) => e);
    // Either the shim ignores/answers it, or it drops the stream: never a silent hang.
    if (res instanceof Error) expect(res).toMatchObject({ code: 'STREAM_CLOSED' });
    else expect(res.status).toBe(200);
  });

  test('a 3.0 peer sends an empty READY and the shim falls back to PUT_STATE and GET_STATE', async () => {
    const old = await MockPeer.start({ capabilities: false });
    try {
      old.ledger.put('old', 'seeded', 'yes');
      const cc = await old.launch('old', batching);
      const res = await cc.invoke(['go']);
      expect(res.payload.toString()).toBe('|yes');
      const received = cc.wire.filter((w) => w.direction === 'received').map((w) => w.type);
      expect(received).not.toContain('WRITE_BATCH_STATE');
      expect(received).not.toContain('GET_STATE_MULTIPLE');
      expect(received.filter((t) => t === 'PUT_STATE')).toHaveLength(2);
      expect(old.ledger.getString('old', 'b2')).toBe('2');
    } finally {
      await old.stop();
    }
  });

  test('recordWire: false keeps no message log (long runs), and transactions still work', async () => {
    const quiet = await MockPeer.start({ recordWire: false });
    try {
      const cc = await quiet.launch('quiet', batching);
      const res = await cc.invoke(['go']);
      expect(res.status).toBe(200);
      expect(cc.wire).toHaveLength(0);
    } finally {
      await quiet.stop();
    }
  });
});
