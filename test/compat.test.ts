/**
 * Drop-in compatibility: a chaincode written for fabric-shim in its example style
 * (test/fixtures/compat/chaincode.js) runs on the official shim, and the same file with only its
 * require line changed (written to a temporary folder by this test) runs on fabric-shim-ts. Both are started the way a peer
 * starts chaincode (a process running `shim.start(...)` with fabric-chaincode-node's flags), both
 * register with one mock peer, and every transaction must give the same result and ledger state.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { MockPeer } from '../src/testing/mock-peer';
import type { InvokeOptions, InvokeResult, MockChaincode } from '../src/testing/mock-chaincode';
import { stopChildren } from './support/children';

const FIXTURES = path.join(__dirname, 'fixtures', 'compat');
const OFFICIAL_IMPORT = "const shim = require('fabric-shim');";
/** The migration a user makes: the official fixture with its import pointed at our shim, nothing else. */
function migratedChaincode(dir: string): string {
  const source = readFileSync(path.join(FIXTURES, 'chaincode.js'), 'utf8');
  if (source.split(OFFICIAL_IMPORT).length !== 2) throw new Error(`the fixture must contain exactly one ${OFFICIAL_IMPORT}`);
  const file = path.join(dir, 'chaincode-ts.js');
  writeFileSync(
    file,
    source.replace(OFFICIAL_IMPORT, `const shim = require(${JSON.stringify(path.join(__dirname, '..', 'src', 'index'))});`),
  );
  return file;
}
let tmp: string;
const OFFICIAL = 'official';
const OURS = 'ours';

let peer: MockPeer;
const children: ChildProcess[] = [];
/** stdout + stderr of each process (fabric-shim's winston logs to stdout, ours to stderr). */
const output: Record<string, string> = { [OFFICIAL]: '', [OURS]: '' };
const ccs: Record<string, MockChaincode> = {};

function launch(name: string, file: string, loader: string[]): ChildProcess {
  const child = spawn(process.execPath, [...loader, file, '--peer.address', peer.address, '--chaincode-id-name', `${name}:1.0`], {
    env: {
      ...process.env,
      CORE_PEER_LOCALMSPID: 'Org1MSP',
      CORE_CHAINCODE_LOGGING_LEVEL: 'warning',
      CORE_CHAINCODE_LOGGING_SHIM: 'warning',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  for (const out of [child.stdout!, child.stderr!]) out.on('data', (d: Buffer) => (output[name] += d.toString()));
  children.push(child);
  return child;
}

beforeAll(async () => {
  peer = await MockPeer.start({ txTimeoutMs: 20_000 });
  const registered = [peer.waitForChaincode(OFFICIAL), peer.waitForChaincode(OURS)];
  launch(OFFICIAL, path.join(FIXTURES, 'chaincode.js'), []);
  tmp = mkdtempSync(path.join(tmpdir(), 'compat-'));
  // Our shim is TypeScript source here: tsx's require hook loads it (a user would require the built package).
  launch(OURS, migratedChaincode(tmp), ['--require', require.resolve('tsx/cjs')]);
  const [official, ours] = await Promise.all(registered);
  ccs[OFFICIAL] = official!;
  ccs[OURS] = ours!;
}, 60_000);

afterAll(async () => {
  await peer.stop();
  await stopChildren(...children);
  rmSync(tmp, { recursive: true, force: true });
});

/** The parts of a result that must match between the two shims (txIds differ per run). */
function comparable(res: InvokeResult) {
  return {
    outcome: res.outcome,
    status: res.status,
    message: res.message,
    payload: res.payload.toString('utf8'),
    committed: res.committed,
    events: res.events.map((e) => ({ eventName: e.eventName, payload: e.payload.toString('utf8') })),
  };
}

/** Committed state of a namespace, key -> value (composite keys included). */
function stateOf(namespace: string): Record<string, string> {
  return Object.fromEntries(peer.ledger.keys(namespace).map((k) => [k, peer.ledger.getString(namespace, k)!]));
}

/** Runs the same transaction on both chaincodes; returns the official result after checking ours matches. */
async function both(kind: 'init' | 'invoke', args: string[], opts: InvokeOptions = {}) {
  const official = await ccs[OFFICIAL]![kind](args, opts);
  const ours = await ccs[OURS]![kind](args, opts);
  expect(comparable(ours)).toEqual(comparable(official));
  expect(stateOf(OURS)).toEqual(stateOf(OFFICIAL));
  return { official: comparable(official), txIds: [official.txId, ours.txId] as const };
}

test('Init validates its arguments and seeds the holdings', async () => {
  expect((await both('init', ['init', 'a'])).official).toMatchObject({
    status: 500,
    message: 'Incorrect number of arguments. Expecting 4',
    committed: false,
  });
  expect((await both('init', ['init', 'a', 'x', 'b', '1'])).official).toMatchObject({
    status: 500,
    message: 'Expecting integer value for asset holding',
  });
  expect((await both('init', ['init', 'a', '100', 'b', '200'])).official).toMatchObject({ status: 200, committed: true, payload: '' });
  expect(stateOf(OURS)).toEqual({ a: '100', b: '200' });
});

test('transfers, queries and deletes as in chaincode_example02', async () => {
  const moved = await both('invoke', ['invoke', 'a', 'b', '10']);
  expect(moved.official).toMatchObject({ status: 200, events: [{ eventName: 'transfer', payload: '{"from":"a","to":"b","amount":10}' }] });
  expect(stateOf(OURS)).toEqual({ a: '90', b: '210' });
  expect((await both('invoke', ['query', 'a'])).official).toMatchObject({ status: 200, payload: '{"name":"a","amount":"90"}' });
  expect((await both('invoke', ['invoke', 'a', 'b', 'lots'])).official).toMatchObject({
    status: 500,
    message: 'Expecting integer value for amount to be transferred',
  });
  await both('invoke', ['delete', 'b']);
  expect(stateOf(OURS)).toEqual({ a: '90' });
  expect((await both('invoke', ['query', 'b'])).official).toMatchObject({ status: 500, message: '{"error":"Failed to get state for b"}' });
  expect((await both('invoke', ['nosuch'])).official).toMatchObject({
    status: 500,
    message: 'Received unknown function nosuch invocation',
  });
  expect((await both('invoke', ['throws'])).official).toMatchObject({ status: 500, message: 'thrown on purpose' });
});

test('iterators: composite key index, full range, history', async () => {
  for (const [owner, name] of [
    ['tom', 'm1'],
    ['tom', 'm2'],
    ['jerry', 'm3'],
  ])
    await both('invoke', ['index', owner!, name!]);
  expect((await both('invoke', ['byOwner', 'tom'])).official.payload).toBe('["m1","m2"]');
  for (let i = 0; i < 120; i += 2)
    await both('init', ['init', `h${String(i).padStart(3, '0')}`, '0', `h${String(i + 1).padStart(3, '0')}`, '1']);
  const all = JSON.parse((await both('invoke', ['all'])).official.payload) as { Key: string }[];
  expect(all).toHaveLength(121); // 'a' and h000..h119: more than one page of 100, no composite keys
  await both('invoke', ['delete', 'h000']);
  const history = JSON.parse((await both('invoke', ['history', 'h000'])).official.payload) as unknown[];
  expect(history).toEqual([
    { value: '', isDelete: true, sameTx: false },
    { value: '0', isDelete: false, sameTx: false },
  ]);
});

test('identity, transient data and key-level endorsement', async () => {
  const identity = peer.identity('Org2MSP', { role: 'auditor' });
  const who = await both('invoke', ['whoami'], { identity, transient: { secret: 's3' } });
  expect(JSON.parse(who.official.payload)).toEqual({
    mspid: 'Org2MSP',
    role: 'auditor',
    creatorMsp: 'Org2MSP',
    channel: 'mychannel',
    txIdLength: 64,
    transient: 's3',
    when: 'number',
  });
  await both('invoke', ['endorse', 'a', 'Org1MSP', 'Org2MSP']);
  expect(peer.ledger.getMetadata(OURS, 'a')).toEqual(peer.ledger.getMetadata(OFFICIAL, 'a'));
  expect(peer.ledger.getMetadata(OURS, 'a').VALIDATION_PARAMETER?.length).toBeGreaterThan(0);
});

test('the chaincode logged its own failures through shim.newLogger, and nothing crashed', async () => {
  // Stop both processes first: 'close' fires once their output is fully read.
  await Promise.all(
    children.map((child) => {
      const closed = new Promise((r) => child.once('close', r));
      child.kill();
      return closed;
    }),
  );
  for (const name of [OURS, OFFICIAL]) {
    expect(output[name]).toContain('invoke failed: Expecting integer value for amount to be transferred');
    expect(output[name]).not.toMatch(/unhandled|TypeError|ReferenceError/i);
  }
});
