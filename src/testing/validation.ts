/**
 * The committing peer's check of a transaction's read set against the ledger as it stands when
 * the transaction's turn in its block comes (earlier valid transactions of the block already
 * applied), as Fabric's validator does: a key read at a version that has since changed is an
 * MVCC_READ_CONFLICT; a range scan that would now return other keys or versions is a
 * PHANTOM_READ_CONFLICT.
 */
import { TxValidationCode } from '../gen/peer/transaction_pb';
import { rangeEntries } from './queries';
import type { ReadSet } from './simulation';
import type { KeyVersion, WorldState } from './world-state';

const sameVersion = (a: KeyVersion | undefined, b: KeyVersion | undefined): boolean =>
  a === undefined || b === undefined ? a === b : a.blockNum === b.blockNum && a.txNum === b.txNum;

/** VALID, MVCC_READ_CONFLICT or PHANTOM_READ_CONFLICT for `readSet` on `channelId` now. */
export function validateReadSet(ledger: WorldState, channelId: string, readSet: ReadSet): TxValidationCode {
  for (const r of readSet.reads) {
    const committed = ledger.getVersion(r.namespace, r.key, { channel: channelId, collection: r.collection });
    if (!sameVersion(committed, r.version)) return TxValidationCode.MVCC_READ_CONFLICT;
  }
  for (const range of readSet.ranges) {
    const now = rangeEntries({ ledger, channelId, namespace: range.namespace, collection: range.collection }, range.startKey, range.endKey);
    if (now.length !== range.results.length) return TxValidationCode.PHANTOM_READ_CONFLICT;
    for (let i = 0; i < now.length; i++) {
      const [key, stored] = now[i] as (typeof now)[number];
      const seen = range.results[i];
      if (seen?.key !== key || !sameVersion(seen.version, stored.version)) return TxValidationCode.PHANTOM_READ_CONFLICT;
    }
  }
  return TxValidationCode.VALID;
}
