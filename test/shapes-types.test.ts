/**
 * Compile-time checks (run by `tsc --noEmit`, which covers test/) that the types of the values
 * changed for issue 12 (write results, KV, history records, timestamps, NextResult, private
 * query results, getMultipleStates' array form) accept code written against fabric-shim's
 * typings: our stub must be usable where fabric-shim-api's ChaincodeStub is expected, and a class
 * written to fabric-shim's method signatures must still implement ours.
 */
import type { ChaincodeStub as OfficialStub, Iterators, Timestamp as OfficialTimestamp } from 'fabric-shim-api';
import type { ChaincodeStub } from '../src/stub';
import type { KeyModification, KV, NextResult } from '../src/iterators';
import { Long } from '../src/long';
import OfficialLong from 'long';

/** The methods whose types changed here, where fabric-shim-api's are expected (a helper library typed against fabric-shim). */
type Changed =
  | 'getState'
  | 'putState'
  | 'deleteState'
  | 'setStateValidationParameter'
  | 'getStateValidationParameter'
  | 'getStateByRange'
  | 'getStateByRangeWithPagination'
  | 'getStateByPartialCompositeKey'
  | 'getStateByPartialCompositeKeyWithPagination'
  | 'getQueryResult'
  | 'getQueryResultWithPagination'
  | 'getHistoryForKey'
  | 'getTxTimestamp'
  | 'getCreator'
  | 'getSignedProposal'
  | 'getPrivateData'
  | 'getPrivateDataHash'
  | 'putPrivateData'
  | 'deletePrivateData'
  | 'purgePrivateData'
  | 'setPrivateDataValidationParameter'
  | 'getPrivateDataValidationParameter'
  | 'getPrivateDataByRange'
  | 'getPrivateDataByPartialCompositeKey'
  | 'getPrivateDataQueryResult';
export function asOfficial(stub: ChaincodeStub): Pick<OfficialStub, Changed> {
  return stub;
}

/** The write methods keep fabric-shim's `Promise<void>`: an implementation written to it fits ours. */
export class WritesAsOfficial implements Pick<
  ChaincodeStub,
  | 'putState'
  | 'deleteState'
  | 'putPrivateData'
  | 'deletePrivateData'
  | 'purgePrivateData'
  | 'setStateValidationParameter'
  | 'setPrivateDataValidationParameter'
> {
  async putState(): Promise<void> {
    /* fabric-shim's signature */
  }
  async deleteState(): Promise<void> {
    /* fabric-shim's signature */
  }
  async putPrivateData(): Promise<void> {
    /* fabric-shim's signature */
  }
  async deletePrivateData(): Promise<void> {
    /* fabric-shim's signature */
  }
  async purgePrivateData(): Promise<void> {
    /* fabric-shim's signature */
  }
  async setStateValidationParameter(): Promise<void> {
    /* fabric-shim's signature */
  }
  async setPrivateDataValidationParameter(): Promise<void> {
    /* fabric-shim's signature */
  }
}

/** Code written for fabric-shim's history and KV types compiles against ours. */
export async function historyAsOfficial(stub: ChaincodeStub): Promise<number[]> {
  const out: number[] = [];
  const it = await stub.getHistoryForKey('k');
  for (let r: NextResult<KeyModification> = await it.next(); !r.done; r = await it.next()) {
    const ts = r.value.timestamp;
    // The common pattern in TypeScript chaincode (issue 12, defect 4), and the Long-only one.
    out.push(typeof ts.seconds === 'number' ? ts.seconds : ts.seconds.low, ts.seconds.toNumber());
    const asOfficial: Iterators.KeyModification = r.value;
    const official: OfficialTimestamp = asOfficial.timestamp;
    out.push(official.nanos);
  }
  const kvs = await stub.getStateByRange('', '');
  const first: Iterators.NextResult<Iterators.KV> = await kvs.next();
  const kv: KV = first.value;
  out.push(kv.value.length, kv.namespace.length);
  const priv: Iterators.StateQueryIterator = await stub.getPrivateDataByRange('c', '', '');
  await priv.close();
  const values: Buffer[] = [...(await stub.getMultipleStates(['a', 'b'])), ...(await stub.getMultipleStates('a', 'b'))];
  const pvalues: Buffer[] = [...(await stub.getMultiplePrivateData('c', ['a'])), ...(await stub.getMultiplePrivateData('c', 'a'))];
  out.push(values.length + pvalues.length);
  const seconds: Long = stub.getTxTimestamp().seconds;
  out.push(seconds.toNumber());
  return out;
}

test('our Long is recognised by the long package and behaves as its Long', () => {
  const ours = Long.fromNumber(1704164645, true);
  const theirs = OfficialLong.fromNumber(1704164645, true);
  expect(OfficialLong.isLong(ours)).toBe(true);
  expect(JSON.stringify(ours)).toBe(JSON.stringify(theirs));
  expect(Object.keys(ours)).toEqual(Object.keys(theirs));
  expect(ours.constructor.name).toBe(theirs.constructor.name);
  expect(String(ours)).toBe(String(theirs));
  expect(`${ours as unknown as string}`.length).toBe(10);
  // No valueOf: `+` concatenates the decimal string, as with long's Long.
  expect((ours as unknown as string) + 1).toBe((theirs as unknown as string) + 1);
  const values = [0, 1, -1, 2 ** 31, -(2 ** 31), 2 ** 32 + 5, 2 ** 53 - 1, -(2 ** 53) + 1, 1e19, -1e19];
  for (const unsigned of [false, true]) {
    for (const a of values) {
      const la = Long.fromNumber(a, unsigned);
      const ta = OfficialLong.fromNumber(a, unsigned);
      expect([la.low, la.high, la.unsigned, la.toString(), la.toString(16), la.toNumber()]).toEqual([
        ta.low,
        ta.high,
        ta.unsigned,
        ta.toString(),
        ta.toString(16),
        ta.toNumber(),
      ]);
      for (const b of [3, -7, 2 ** 33]) {
        const lb = Long.fromNumber(b, unsigned);
        const tb = OfficialLong.fromNumber(b, unsigned);
        for (const op of ['add', 'subtract', 'multiply', 'divide', 'modulo', 'and', 'or', 'xor'] as const) {
          const run = (f: () => { low: number; high: number; unsigned: boolean }) => {
            try {
              const r = f();
              return [r.low, r.high, r.unsigned];
            } catch (e) {
              return (e as Error).message;
            }
          };
          expect([op, run(() => la[op](lb))]).toEqual([op, run(() => ta[op](tb))]);
        }
        expect(la.compare(lb)).toBe(ta.compare(tb));
        expect(la.equals(lb)).toBe(ta.equals(tb));
      }
      for (const n of [0, 1, 13, 32, 63, 64]) {
        for (const op of ['shiftLeft', 'shiftRight', 'shiftRightUnsigned', 'rotateLeft', 'rotateRight'] as const) {
          const r = la[op](n);
          const t = ta[op](n);
          expect([op, n, r.low, r.high]).toEqual([op, n, t.low, t.high]);
        }
      }
      expect(la.toBytesLE()).toEqual(ta.toBytesLE());
      expect(Long.fromBytesBE(la.toBytesBE(), unsigned).toString()).toBe(ta.toString());
      expect(Long.fromString(ta.toString(), unsigned).toString()).toBe(ta.toString());
      expect([la.countLeadingZeros(), la.countTrailingZeros(), la.getNumBitsAbs(), la.isSafeInteger()]).toEqual([
        ta.countLeadingZeros(),
        ta.countTrailingZeros(),
        ta.getNumBitsAbs(),
        ta.isSafeInteger(),
      ]);
    }
  }
});
