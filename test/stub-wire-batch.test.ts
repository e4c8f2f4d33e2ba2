/**
 * ChaincodeStub over the wire, part 4: the Fabric 3.1 additions. With a peer that advertises
 * write batching and multi-key reads in READY, the shim must send WRITE_BATCH_STATE and
 * GET_STATE_MULTIPLE in chunks of the advertised maxima; with an older peer (empty READY) it
 * must fall back to plain PUT_STATE / DEL_STATE / GET_STATE, which that peer understands.
 */
import { KeyEndorsementPolicy } from '../src/endorsement-policy';
import { MockPeer } from '../src/testing/mock-peer';
import type { MockChaincode } from '../src/testing/mock-chaincode';
import { Probe, count } from './support/stub-wire-probe';

let newPeer: MockPeer;
let oldPeer: MockPeer;
let cc: MockChaincode;
let oldCc: MockChaincode;
const probe = new Probe();
const oldProbe = new Probe();

beforeAll(async () => {
  newPeer = await MockPeer.start({ txTimeoutMs: 10_000, capabilities: { maxSizeWriteBatch: 4, maxSizeGetMultipleKeys: 3 } });
  oldPeer = await MockPeer.start({ txTimeoutMs: 10_000, capabilities: false });
  cc = await newPeer.launch('probe', probe, { collections: ['c1'] });
  oldCc = await oldPeer.launch('probe', oldProbe, { collections: ['c1'] });
  for (const peer of [newPeer, oldPeer]) {
    for (let i = 0; i < 7; i++) peer.ledger.put('probe', `m${i}`, `v${i}`);
    peer.ledger.put('probe', 'secret', 'p', { collection: 'c1' });
  }
});

afterAll(async () => {
  await Promise.all([newPeer.stop(), oldPeer.stop()]);
});

describe('getMultipleStates / getMultiplePrivateData', () => {
  const keys = ['m0', 'missing', 'm2', 'm3', 'm4', 'm5', 'm6'];
  const expected = ['v0', '', 'v2', 'v3', 'v4', 'v5', 'v6'];

  it('with peer capability: one GET_STATE_MULTIPLE per chunk of the advertised maximum', async () => {
    const { value, sent } = await probe.run(cc, async (stub) => ({
      states: await stub.getMultipleStates(...keys),
      priv: await stub.getMultiplePrivateData('c1', 'secret', 'nope'),
    }));
    expect(value.states.map(String)).toEqual(expected);
    expect(value.states.every((b) => Buffer.isBuffer(b))).toBe(true);
    expect(value.priv.map(String)).toEqual(['p', '']);
    expect(sent).toEqual(['GET_STATE_MULTIPLE', 'GET_STATE_MULTIPLE', 'GET_STATE_MULTIPLE', 'GET_STATE_MULTIPLE', 'COMPLETED']);
  });

  it("takes the keys as one array, as fabric-shim 2.5.9's getMultipleStates(keys: string[])", async () => {
    for (const [p, c] of [
      [probe, cc],
      [oldProbe, oldCc],
    ] as const) {
      const { value } = await p.run(c, async (stub) => ({
        states: await stub.getMultipleStates(keys),
        priv: await stub.getMultiplePrivateData('c1', ['secret', 'nope']),
        empty: await stub.getMultipleStates([]),
      }));
      expect(value.states.map(String)).toEqual(expected);
      expect(value.priv.map(String)).toEqual(['p', '']);
      expect(value.empty).toEqual([]);
    }
  });

  it('without peer capability: one GET_STATE per key', async () => {
    const { value, sent } = await oldProbe.run(oldCc, async (stub) => ({
      states: await stub.getMultipleStates(...keys),
      priv: await stub.getMultiplePrivateData('c1', 'secret', 'nope'),
    }));
    expect(value.states.map(String)).toEqual(expected);
    expect(value.priv.map(String)).toEqual(['p', '']);
    expect(sent).toEqual([...Array(9).fill('GET_STATE'), 'COMPLETED']);
  });
});

describe('write batches', () => {
  /** Eight writes of every kind, the policy on a key written in the same batch. */
  async function writeEverything(stub: import('../src/stub').ChaincodeStub, tag: string): Promise<void> {
    const ep = new KeyEndorsementPolicy();
    ep.addOrgs('MEMBER', 'Org1MSP');
    await stub.putState(`${tag}-a`, 'A');
    await stub.putState(`${tag}-b`, Buffer.from('B'));
    await stub.putState(`${tag}-a`, 'A2'); // last write per key wins
    await stub.deleteState('m6');
    await stub.putPrivateData('c1', `${tag}-p`, 'P');
    await stub.deletePrivateData('c1', 'secret');
    await stub.setStateValidationParameter('m0', ep.getPolicy());
    await stub.putState(`${tag}-c`, 'C');
  }

  it('startWriteBatch/finishWriteBatch send WRITE_BATCH_STATE chunks of the advertised maximum', async () => {
    const { sent, result } = await probe.run(cc, async (stub) => {
      stub.startWriteBatch();
      await writeEverything(stub, 'x');
      await stub.finishWriteBatch();
    });
    expect(result.committed).toBe(true);
    // 7 records after de-duplication (x-a twice), at most 4 per message.
    expect(sent).toEqual(['WRITE_BATCH_STATE', 'WRITE_BATCH_STATE', 'COMPLETED']);
    expect(newPeer.ledger.getString('probe', 'x-a')).toBe('A2');
    expect(newPeer.ledger.getString('probe', 'x-b')).toBe('B');
    expect(newPeer.ledger.getString('probe', 'x-c')).toBe('C');
    expect(newPeer.ledger.get('probe', 'm6')).toBeUndefined();
    expect(newPeer.ledger.getPrivate('probe', 'c1', 'x-p')?.toString()).toBe('P');
    expect(newPeer.ledger.getPrivate('probe', 'c1', 'secret')).toBeUndefined();
    expect(new KeyEndorsementPolicy(newPeer.ledger.getMetadata('probe', 'm0').VALIDATION_PARAMETER).listOrgs()).toEqual(['Org1MSP']);
  });

  it('a write recorded in a batch resolves as a sent one does: an empty Buffer, as fabric-shim', async () => {
    const describe = (v: unknown) => [Buffer.isBuffer(v), JSON.stringify(v)];
    const expected = [true, '{"type":"Buffer","data":[]}'];
    for (const [p, c, batching] of [
      [probe, cc, true],
      [oldProbe, oldCc, false],
    ] as const) {
      const { value, sent } = await p.run(c, async (stub) => {
        stub.startWriteBatch();
        const out = [
          await stub.putState('ret-a', 'A'),
          await stub.deleteState('ret-b'),
          await stub.putPrivateData('c1', 'ret-p', 'P'),
          await stub.deletePrivateData('c1', 'ret-q'),
          await stub.purgePrivateData('c1', 'ret-r'),
          await stub.setStateValidationParameter('ret-a', Uint8Array.from([1])),
          await stub.setPrivateDataValidationParameter('c1', 'ret-p', Uint8Array.from([1])),
        ];
        await stub.finishWriteBatch();
        return out.map(describe);
      });
      expect(value).toEqual(Array(7).fill(expected));
      expect(sent[0]).toBe(batching ? 'WRITE_BATCH_STATE' : 'PUT_STATE');
    }
  });

  it('a batch left open is flushed before COMPLETED, and reads still go out at once', async () => {
    const { value, sent } = await probe.run(cc, async (stub) => {
      stub.startWriteBatch();
      await stub.putState('auto', 'flushed');
      return (await stub.getState('m1')).toString();
    });
    expect(value).toBe('v1');
    expect(sent).toEqual(['GET_STATE', 'WRITE_BATCH_STATE', 'COMPLETED']);
    expect(newPeer.ledger.getString('probe', 'auto')).toBe('flushed');
  });

  it('writes before startWriteBatch go out one by one; a batch without writes sends nothing', async () => {
    const { sent } = await probe.run(cc, async (stub) => {
      await stub.putState('early', '1');
      stub.startWriteBatch();
      await stub.finishWriteBatch();
      await stub.putState('late', '2'); // batch finished: plain message again
    });
    expect(sent).toEqual(['PUT_STATE', 'PUT_STATE', 'COMPLETED']);
    expect([newPeer.ledger.getString('probe', 'early'), newPeer.ledger.getString('probe', 'late')]).toEqual(['1', '2']);
  });

  it('a batch the peer refuses fails the transaction and commits nothing', async () => {
    await expect(
      probe.run(cc, async (stub) => {
        stub.startWriteBatch();
        await stub.putState('refused-1', 'x');
        await stub.putPrivateData('nosuch', 'refused-2', 'y');
        await stub.finishWriteBatch();
      }),
    ).rejects.toMatchObject({ code: 'PEER_ERROR', requestType: 'WRITE_BATCH_STATE' });
    expect(newPeer.ledger.get('probe', 'refused-1')).toBeUndefined();
  });

  it('a refused automatic flush turns a successful Invoke into ERROR, not COMPLETED', async () => {
    const { result, sent } = await probe.run(cc, async (stub) => {
      stub.startWriteBatch();
      await stub.putState('refused-3', 'x');
      await stub.putPrivateData('nosuch', 'refused-4', 'y');
    });
    expect(result).toMatchObject({ outcome: 'ERROR', committed: false });
    expect(result.message).toContain('collection mychannel/probe/nosuch could not be found');
    expect(sent).toEqual(['WRITE_BATCH_STATE', 'ERROR']);
    expect(newPeer.ledger.get('probe', 'refused-3')).toBeUndefined();
  });

  it('with an older peer (capabilities: false) the same code sends plain messages', async () => {
    const { sent, result } = await oldProbe.run(oldCc, async (stub) => {
      stub.startWriteBatch();
      await writeEverything(stub, 'x');
      await stub.finishWriteBatch();
    });
    expect(result.committed).toBe(true);
    expect(count(sent, 'WRITE_BATCH_STATE')).toBe(0);
    expect(sent).toEqual([
      'PUT_STATE',
      'PUT_STATE',
      'PUT_STATE',
      'DEL_STATE',
      'PUT_STATE',
      'DEL_STATE',
      'PUT_STATE_METADATA',
      'PUT_STATE',
      'COMPLETED',
    ]);
    expect(oldPeer.ledger.getString('probe', 'x-a')).toBe('A2');
    expect(oldPeer.ledger.get('probe', 'm6')).toBeUndefined();
    expect(oldPeer.ledger.getPrivate('probe', 'c1', 'x-p')?.toString()).toBe('P');
    expect(new KeyEndorsementPolicy(oldPeer.ledger.getMetadata('probe', 'm0').VALIDATION_PARAMETER).listOrgs()).toEqual(['Org1MSP']);
  });
});
