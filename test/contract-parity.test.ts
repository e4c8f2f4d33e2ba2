/**
 * The same calls on the same contract source through fabric-shim 2.5's ChaincodeFromContract and
 * through ours: routing, argument marshalling, results and error responses must agree. Where we
 * deliberately differ (stricter argument checks), contract-marshalling.test.ts covers it.
 */
import './fixtures/contract-quiet';
import * as official from './fixtures/contract-official/assets';
import { ours } from './support/contract-ours';
import { FakeStub, creatorPem } from './fixtures/contract-fake-stub';
import { chaincodeFromContracts } from '../src/contract';
import type { ChaincodeResponse } from '../src/index';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const OfficialChaincode = require('fabric-shim/lib/contract-spi/chaincodefromcontract.js') as new (...a: unknown[]) => {
  Invoke(stub: unknown): Promise<ChaincodeResponse>;
};
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { JSONSerializer } = require('fabric-contract-api') as { JSONSerializer: unknown };

const asset = { ID: 'a2', Color: 'blue', Size: 7, Insured: false, Holder: { name: 'ann', org: 'Org1' }, Tags: ['x'] };

/** Calls in order; every error text must match fabric-shim's, except where `ourMessage` says ours. */
const script: { args: string[]; ok: boolean; ourMessage?: string }[] = [
  { args: [], ok: true },
  { args: ['assets:CreateAsset', 'a1', 'red', '5', 'true'], ok: true },
  { args: ['assets:CreateAsset', 'a1', 'red', 'five', 'true'], ok: false },
  { args: ['assets:CreateAsset', 'a1', 'red', '5', 'yes'], ok: false },
  { args: ['assets:CreateAsset', 'a1', 'red', '5'], ok: false },
  { args: ['assets:ReadAsset', 'a1'], ok: true },
  { args: ['assets:ReadAsset', 'zz'], ok: false },
  { args: ['assets:AssetExists', 'a1'], ok: true },
  { args: ['assets:AssetExists', 'zz'], ok: true },
  { args: ['assets:PutAsset', JSON.stringify(asset)], ok: true },
  { args: ['assets:PutAsset', JSON.stringify({ ...asset, Size: 'big' })], ok: false },
  { args: ['assets:PutAsset', JSON.stringify({ ...asset, Holder: { name: 3 } })], ok: false },
  { args: ['assets:PutAsset', '{not json'], ok: false },
  { args: ['assets:ReadAsset', 'a2'], ok: true },
  { args: ['assets:DeleteMany', '["q1","q2","q3"]'], ok: true },
  { args: ['assets:DeleteMany', 'not json'], ok: false },
  { args: ['assets:DeleteMany', '{"a":1}'], ok: false, ourMessage: 'fromBuffer could not convert data to an array' },
  { args: ['assets:Combine', JSON.stringify(asset), JSON.stringify({ ...asset, Price: 10 })], ok: true },
  { args: ['assets:Combine', JSON.stringify(asset), JSON.stringify({ ...asset, Price: 'free' })], ok: false },
  { args: ['assets:Scale', '2.5', '4'], ok: true },
  { args: ['assets:Scale', '2', 'abc'], ok: false },
  { args: ['assets:helperNotATransaction'], ok: false },
  { args: ['assets:'], ok: false },
  { args: ['info:Echo', 'hi', 'TRUE'], ok: true },
  { args: ['Echo', 'hi', 'false'], ok: true },
  { args: [':Version'], ok: true },
  { args: ['Version'], ok: true },
  { args: ['PlainContract:Join', 'a', 'b'], ok: true },
  { args: ['PlainContract:Join', 'a', 'b', 'c'], ok: false },
  { args: ['PlainContract:Ping'], ok: true },
  { args: ['PlainContract:_hidden'], ok: false },
  { args: ['PlainContract:constructor'], ok: false },
  { args: ['nope:Foo'], ok: false },
  { args: ['org.hyperledger.fabric:GetMetadata'], ok: true },
];

describe('fabric-shim parity over a scripted sequence of calls', () => {
  let pem: string;
  const theirState = new Map<string, Buffer>();
  const myState = new Map<string, Buffer>();
  const theirs = new OfficialChaincode(
    [...official.contracts],
    { transaction: 'jsonSerializer', serializers: { jsonSerializer: JSONSerializer } },
    {},
    'asset-cc',
    '1.0.0',
  );
  const mine = chaincodeFromContracts([...ours.contracts], { title: 'asset-cc', version: '1.0.0' });

  beforeAll(async () => {
    pem = await creatorPem();
  });

  it.each(script.map((s, i) => [i, s.args.join(' ') || '(no arguments)', s] as const))('#%i %s', async (_i, _label, step) => {
    const a = await theirs.Invoke(new FakeStub(step.args, theirState, pem));
    const b = await mine.Invoke(new FakeStub(step.args, myState, pem).asStub());
    expect({ status: b.status, ok: b.status === 200 }).toEqual({ status: a.status, ok: step.ok });
    if (step.ok) {
      expect(Buffer.from(b.payload ?? new Uint8Array()).toString()).toBe(Buffer.from(a.payload ?? new Uint8Array()).toString());
    } else {
      expect(b.message).toBe(step.ourMessage ?? a.message);
    }
  });

  it('leaves the same world state', () => {
    expect([...myState.entries()].map(([k, v]) => [k, v.toString()])).toEqual([...theirState.entries()].map(([k, v]) => [k, v.toString()]));
    expect(myState.size).toBe(2);
  });
});
