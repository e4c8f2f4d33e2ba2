/**
 * The mock peer driven by the OFFICIAL fabric-shim in a child process: a shim no one here wrote
 * must get what a real peer would give it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { MockPeer } from '../src/testing/mock-peer';
import type { MockChaincode } from '../src/testing/mock-chaincode';
import { stopChildren } from './support/children';

let peer: MockPeer;
let child: ChildProcess;
let cc: MockChaincode;
let stderr = '';

function startOfficial(name: string): ChildProcess {
  const proc = spawn(
    process.execPath,
    [path.join(__dirname, 'support', 'official-chaincode.js'), '--peer.address', peer.address, '--chaincode-id-name', `${name}:1`],
    {
      env: { ...process.env, CORE_PEER_LOCALMSPID: 'Org1MSP', CORE_CHAINCODE_LOGGING_LEVEL: 'warning' },
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  proc.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  return proc;
}

beforeAll(async () => {
  peer = await MockPeer.start({ txTimeoutMs: 10_000 });
  const registered = peer.waitForChaincode('official', { collections: ['c1'] });
  child = startOfficial('official');
  cc = await registered;
});

afterAll(async () => {
  await peer.stop();
  await stopChildren(child);
});

const text = (b: Uint8Array) => Buffer.from(b).toString('utf8');
const parsed = (res: { payload: Uint8Array }) => JSON.parse(text(res.payload));

test('handshake: the official shim registers and sees READY', () => {
  expect(cc.chaincodeId).toBe('official:1');
  expect(cc.name).toBe('official');
  expect(cc.wire.slice(0, 3).map((w) => `${w.direction} ${w.type}`)).toEqual(['received REGISTER', 'sent REGISTERED', 'sent READY']);
});

test('init commits and invoke gets its payload', async () => {
  const res = await cc.init(['init', 'x']);
  expect(res).toMatchObject({ outcome: 'COMPLETED', status: 200, committed: true });
  expect(text(res.payload)).toBe('init done');
  expect(peer.ledger.getString('official', 'initialised')).toBe('init,x');
  await cc.invoke(['put', 'k1', 'v1']);
  expect(text((await cc.invoke(['get', 'k1'])).payload)).toBe('v1');
});

test('no read-your-writes, and a 500 response or throw commits nothing', async () => {
  await cc.invoke(['put', 'ryw', 'old']);
  expect(text((await cc.invoke(['putThenGet', 'ryw', 'new'])).payload)).toBe('read:old');
  expect(peer.ledger.getString('official', 'ryw')).toBe('new');
  const failed = await cc.invoke(['fail', 'nope']);
  expect(failed).toMatchObject({ outcome: 'COMPLETED', status: 500, message: 'failed on purpose', committed: false });
  expect(peer.ledger.get('official', 'nope')).toBeUndefined();
});

test('proposal: creator, txid and channel reach the official stub', async () => {
  const res = await cc.invoke(['whoami'], { identity: peer.identity('Org2MSP', { role: 'auditor' }) });
  expect(parsed(res)).toEqual({ mspid: 'Org2MSP', txId: res.txId, channel: 'mychannel', hasCert: true });
  expect(res.txId).toMatch(/^[0-9a-f]{64}$/);
  const tr = await cc.invoke(['transient', 'price'], { transient: { price: '10' } });
  expect(text(tr.payload)).toBe('10');
});

test('range queries page through 250 keys via QUERY_STATE_NEXT', async () => {
  for (let i = 0; i < 250; i++) peer.ledger.put('official', `r${String(i).padStart(3, '0')}`, `v${i}`);
  const before = cc.wire.filter((w) => w.type === 'QUERY_STATE_NEXT').length;
  const keys = parsed(await cc.invoke(['range', 'r000', 'r999']));
  expect(keys).toHaveLength(250);
  expect(keys[0]).toBe('r000');
  expect(keys[249]).toBe('r249');
  expect(cc.wire.filter((w) => w.type === 'QUERY_STATE_NEXT' && w.direction === 'received').length - before).toBe(2);
  expect(parsed(await cc.invoke(['rangePage', 'r000', 'r999', '3', '']))).toEqual({
    keys: ['r000', 'r001', 'r002'],
    count: 3,
    bookmark: 'r003',
  });
  expect(parsed(await cc.invoke(['rangePage', 'r000', 'r999', '3', 'r248']))).toEqual({ keys: ['r248', 'r249'], count: 2, bookmark: '' });
});

test('composite keys, rich queries and history', async () => {
  await cc.invoke(['composite', 'blue', 'a1', '{"colour":"blue","size":5}']);
  await cc.invoke(['composite', 'red', 'a2', '{"colour":"red","size":7}']);
  expect(parsed(await cc.invoke(['byPartial', 'blue']))).toEqual([['blue', 'a1']]);
  await cc.invoke(['put', 'doc1', JSON.stringify({ type: 'car', size: 3 })]);
  await cc.invoke(['put', 'doc2', JSON.stringify({ type: 'car', size: 9 })]);
  expect(parsed(await cc.invoke(['query', JSON.stringify({ selector: { type: 'car', size: { $gt: 4 } } })]))).toEqual(['doc2']);
  await cc.invoke(['put', 'h', 'one']);
  const second = await cc.invoke(['put', 'h', 'two']);
  const deleted = await cc.invoke(['del', 'h']);
  const history = parsed(await cc.invoke(['history', 'h']));
  expect(history.map((h: { value: string; isDelete: boolean }) => [h.value, h.isDelete])).toEqual([
    ['', true],
    ['two', false],
    ['one', false],
  ]);
  expect(history[0].txId).toBe(deleted.txId);
  expect(history[1].txId).toBe(second.txId);
});

test('private data, hash, purge, unknown collection', async () => {
  await cc.invoke(['putPrivate', 'c1', 'p1'], { transient: { value: 'secret' } });
  expect(peer.ledger.getPrivate('official', 'c1', 'p1')?.toString()).toBe('secret');
  expect(text((await cc.invoke(['getPrivate', 'c1', 'p1'])).payload)).toBe('secret');
  expect(text((await cc.invoke(['privateHash', 'c1', 'p1'])).payload)).toBe(
    peer.ledger.getPrivateDataHash('official', 'c1', 'p1')!.toString('hex'),
  );
  await cc.invoke(['purge', 'c1', 'p1']);
  expect(peer.ledger.getPrivate('official', 'c1', 'p1')).toBeUndefined();
  const bad = await cc.invoke(['putPrivate', 'nosuch', 'p1'], { transient: { value: 'x' } });
  expect(bad).toMatchObject({ status: 500, committed: false });
  expect(bad.message).toContain('collection mychannel/official/nosuch could not be found');
});

test('state metadata and events', async () => {
  await cc.invoke(['put', 'm', 'v']);
  await cc.invoke(['setPolicy', 'm', 'policy-bytes']);
  expect(peer.ledger.getMetadata('official', 'm')).toEqual({ VALIDATION_PARAMETER: Buffer.from('policy-bytes') });
  expect(text((await cc.invoke(['getPolicy', 'm'])).payload)).toBe('policy-bytes');
  const ev = await cc.invoke(['event', 'Created', 'payload-1']);
  expect(ev.events).toEqual([{ chaincodeId: 'official', txId: ev.txId, eventName: 'Created', payload: Buffer.from('payload-1') }]);
});

test('cc2cc on the same channel joins the transaction; another channel does not write', async () => {
  const other = startOfficial('callee');
  try {
    await peer.waitForChaincode('callee');
    const res = await cc.invoke(['call', 'callee', '', 'put', 'fromCallee', 'yes']);
    expect(parsed(res)).toEqual({ status: 200, payload: '' });
    expect(peer.ledger.getString('callee', 'fromCallee')).toBe('yes');
    const failing = await cc.invoke(['call', 'callee', '', 'fail', 'x']);
    expect(parsed(failing)).toEqual({ status: 500, payload: '' });
    await cc.invoke(['call', 'callee', 'otherchannel', 'put', 'elsewhere', 'no']);
    expect(peer.ledger.get('callee', 'elsewhere', { channel: 'otherchannel' })).toBeUndefined();
    expect(peer.ledger.get('callee', 'elsewhere')).toBeUndefined();
  } finally {
    await stopChildren(other);
  }
});

test('fault injection: ERROR on the nth GET_STATE reaches the chaincode', async () => {
  cc.faults.errorOn('GET_STATE', { nth: 1, message: 'disk on fire' });
  const res = await cc.invoke(['catch', 'k1']);
  expect(text(res.payload)).toContain('disk on fire');
  const again = await cc.invoke(['catch', 'k1']);
  expect(text(again.payload)).toBe('ok');
  cc.faults.clear();
});

test('a transaction that never completes rejects with TIMEOUT', async () => {
  cc.faults.drop('GET_STATE');
  await expect(cc.invoke(['get', 'k1'], { timeoutMs: 300 })).rejects.toMatchObject({ code: 'TIMEOUT' });
  cc.faults.clear();
  expect(stderr).not.toMatch(/FATAL/);
});
