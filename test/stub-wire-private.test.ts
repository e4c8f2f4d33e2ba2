/**
 * ChaincodeStub over the wire, part 3: private data (get/put/delete/purge/hash, range, partial
 * composite key, rich query, validation parameters) through a chaincode launched in-process on
 * the mock peer, checked against the peer's committed private data store.
 */
import { createHash } from 'node:crypto';
import { KeyEndorsementPolicy } from '../src/endorsement-policy';
import { MockPeer } from '../src/testing/mock-peer';
import type { MockChaincode } from '../src/testing/mock-chaincode';
import { Probe, drain } from './support/stub-wire-probe';

let peer: MockPeer;
let cc: MockChaincode;
const probe = new Probe();
const codeOf = (p: Promise<unknown>) =>
  p.then(
    () => 'resolved',
    (e: { code: string }) => e.code,
  );

beforeAll(async () => {
  peer = await MockPeer.start({ txTimeoutMs: 10_000 });
  cc = await peer.launch('probe', probe, { collections: ['c1', 'c2'] });
});

afterAll(async () => {
  await peer.stop();
});

it('writes from the transient map, reads committed values only, and hashes', async () => {
  const { value, sent } = await probe.run(
    cc,
    async (stub) => {
      const secret = stub.getTransient().get('secret')!;
      await stub.putPrivateData('c1', 'p1', secret);
      await stub.putPrivateData('c2', 'p1', 'other collection');
      return { own: await stub.getPrivateData('c1', 'p1'), hash: await stub.getPrivateDataHash('c1', 'p1') };
    },
    ['w'],
    { transient: { secret: 'swordfish' } },
  );
  expect(value.own).toEqual(Buffer.alloc(0)); // not committed yet: no read-your-writes
  expect(value.hash).toEqual(Buffer.alloc(0));
  expect(sent).toEqual(['PUT_STATE', 'PUT_STATE', 'GET_STATE', 'GET_PRIVATE_DATA_HASH', 'COMPLETED']);
  expect(peer.ledger.getPrivate('probe', 'c1', 'p1')?.toString()).toBe('swordfish');
  expect(peer.ledger.getPrivate('probe', 'c2', 'p1')?.toString()).toBe('other collection');
  expect(peer.ledger.get('probe', 'p1')).toBeUndefined(); // never in public state

  const read = await probe.run(cc, async (stub) => ({
    value: await stub.getPrivateData('c1', 'p1'),
    hash: await stub.getPrivateDataHash('c1', 'p1'),
  }));
  expect(read.value.value).toEqual(Buffer.from('swordfish'));
  expect(read.value.hash).toEqual(createHash('sha256').update('swordfish').digest());
});

it('deletes and purges private keys', async () => {
  peer.ledger.put('probe', 'gone', 'x', { collection: 'c1' });
  peer.ledger.put('probe', 'purged', 'y', { collection: 'c1' });
  const { sent } = await probe.run(cc, async (stub) => {
    await stub.deletePrivateData('c1', 'gone');
    await stub.purgePrivateData('c1', 'purged');
  });
  expect(sent).toEqual(['DEL_STATE', 'PURGE_PRIVATE_DATA', 'COMPLETED']);
  expect(peer.ledger.getPrivate('probe', 'c1', 'gone')).toBeUndefined();
  expect(peer.ledger.getPrivate('probe', 'c1', 'purged')).toBeUndefined();
});

it('queries a collection by range, partial composite key and rich query', async () => {
  for (let i = 0; i < 120; i++) peer.ledger.put('probe', `k${String(i).padStart(3, '0')}`, { n: i }, { collection: 'c2' });
  await probe.run(cc, async (stub) => {
    for (const [colour, name] of [
      ['blue', 'a'],
      ['blue', 'b'],
      ['red', 'c'],
    ] as const) {
      await stub.putPrivateData('c2', stub.createCompositeKey('asset', [colour, name]), name);
    }
  });
  const { value } = await probe.run(cc, async (stub) => ({
    range: (await drain(await stub.getPrivateDataByRange('c2', 'k', 'k~'))).map((kv) => kv.key),
    partial: (await drain(await stub.getPrivateDataByPartialCompositeKey('c2', 'asset', ['blue']))).map(
      (kv) => stub.splitCompositeKey(kv.key).attributes,
    ),
    rich: (await drain(await stub.getPrivateDataQueryResult('c2', JSON.stringify({ selector: { n: { $lt: 3 } } })))).map((kv) => kv.key),
    publicRange: (await drain(await stub.getStateByRange('k', 'k~'))).length,
  }));
  expect(value.range).toHaveLength(120);
  expect(value.range[119]).toBe('k119');
  expect(value.partial).toEqual([
    ['blue', 'a'],
    ['blue', 'b'],
  ]);
  expect(value.rich).toEqual(['k000', 'k001', 'k002']);
  expect(value.publicRange).toBe(0);
});

it('sets and reads private validation parameters', async () => {
  peer.ledger.put('probe', 'guarded', 'v', { collection: 'c1' });
  const ep = new KeyEndorsementPolicy();
  ep.addOrgs('PEER', 'Org3MSP');
  await probe.run(cc, (stub) => stub.setPrivateDataValidationParameter('c1', 'guarded', ep.getPolicy()));
  expect(peer.ledger.getMetadata('probe', 'guarded', { collection: 'c1' }).VALIDATION_PARAMETER).toEqual(Buffer.from(ep.getPolicy()));
  expect(peer.ledger.getMetadata('probe', 'guarded')).toEqual({});
  const { value } = await probe.run(cc, async (stub) => ({
    set: await stub.getPrivateDataValidationParameter('c1', 'guarded'),
    unset: await stub.getPrivateDataValidationParameter('c2', 'k000'),
  }));
  expect(new KeyEndorsementPolicy(value.set).listOrgs()).toEqual(['Org3MSP']);
  expect(value.unset).toBeUndefined(); // as fabric-shim: no policy, no value
});

it('refuses bad arguments locally and an unknown collection at the peer', async () => {
  const { value, sent } = await probe.run(cc, async (stub) => [
    await codeOf(stub.getPrivateData('', 'k')),
    await codeOf(stub.putPrivateData('c1', '', 'v')),
    await codeOf(stub.putPrivateData('c1', 'k', '')), // fabric-shim refuses an empty string value
    await codeOf(stub.purgePrivateData('c1', '')),
    await codeOf(stub.getPrivateDataByRange('', 'a', 'b')),
    await codeOf(stub.getPrivateDataQueryResult('c1', 5 as unknown as string)),
  ]);
  expect(value).toEqual(Array(6).fill('INVALID_ARGUMENT'));
  expect(sent).toEqual(['COMPLETED']);
  await expect(probe.run(cc, (stub) => stub.putPrivateData('nosuch', 'k', 'v'))).rejects.toMatchObject({
    code: 'PEER_ERROR',
    message: expect.stringContaining('collection mychannel/probe/nosuch could not be found'),
  });
});
