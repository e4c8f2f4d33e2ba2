/**
 * A transaction's public read/write set as it travels in ChaincodeAction.results
 * (rwset.TxReadWriteSet of kvrwset.KVRWSet per namespace), both ways. The endorser encodes what
 * the simulation recorded; the committer decodes what the client submitted and validates that.
 * Namespaces and keys are sorted, as the peer's rwset builder sorts them, so two simulations of
 * the same proposal give the same bytes.
 */
import { create, fromBinary, toBinary } from '@bufbuild/protobuf';
import { KVRWSetSchema, type KVRead, type Version } from '../gen/ledger/rwset/kvrwset/kv_rwset_pb';
import { TxReadWriteSetSchema, TxReadWriteSet_DataModel } from '../gen/ledger/rwset/rwset_pb';
import type { RangeRead, ReadSet, RecordedRead } from './simulation';
import { compareKeys, type KeyVersion, type KeyWrite, type MetadataWrite, type WriteSet } from './world-state';

interface NamespaceSets {
  reads: RecordedRead[];
  ranges: RangeRead[];
  writes: KeyWrite[];
  metadata: MetadataWrite[];
}

const version = (v: KeyVersion | undefined): Version | undefined =>
  v === undefined ? undefined : { $typeName: 'kvrwset.Version', blockNum: BigInt(v.blockNum), txNum: BigInt(v.txNum) };

const fromVersion = (v: Version | undefined): KeyVersion | undefined =>
  v === undefined ? undefined : { blockNum: Number(v.blockNum), txNum: Number(v.txNum) };

const byKey = <T extends { key: string }>(a: T, b: T): number => compareKeys(a.key, b.key);

/**
 * Encodes the public part of a simulation (reads, range scans, writes, metadata writes) as
 * ChaincodeAction.results. Private data stays out: a real transaction carries only its hashes,
 * and the mock peer keeps the private writes aside until commit (see gateway-service.ts).
 */
export function encodeResults(readSet: ReadSet, writeSet: WriteSet): Uint8Array {
  const namespaces = new Map<string, NamespaceSets>();
  const ns = (name: string): NamespaceSets => {
    let sets = namespaces.get(name);
    if (!sets) namespaces.set(name, (sets = { reads: [], ranges: [], writes: [], metadata: [] }));
    return sets;
  };
  for (const r of readSet.reads) if (r.collection === '') ns(r.namespace).reads.push(r);
  for (const r of readSet.ranges) if (r.collection === '') ns(r.namespace).ranges.push(r);
  for (const w of writeSet.writes) if (w.collection === '') ns(w.namespace).writes.push(w);
  for (const m of writeSet.metadata) if (m.collection === '') ns(m.namespace).metadata.push(m);

  const nsRwset = [...namespaces.keys()].sort(compareKeys).map((namespace) => {
    const sets = ns(namespace);
    const metadataByKey = new Map<string, MetadataWrite[]>();
    for (const m of sets.metadata) metadataByKey.set(m.key, [...(metadataByKey.get(m.key) ?? []), m]);
    const kv = create(KVRWSetSchema, {
      reads: [...sets.reads].sort(byKey).map((r) => ({ key: r.key, version: version(r.version) })),
      rangeQueriesInfo: sets.ranges.map((r) => ({
        startKey: r.startKey,
        endKey: r.endKey,
        itrExhausted: true,
        readsInfo: { case: 'rawReads' as const, value: { kvReads: r.results.map((x) => ({ key: x.key, version: version(x.version) })) } },
      })),
      writes: [...sets.writes]
        .sort(byKey)
        .map((w) => ({ key: w.key, isDelete: w.value === undefined, value: w.value ?? new Uint8Array(0) })),
      metadataWrites: [...metadataByKey.entries()]
        .sort(([a], [b]) => compareKeys(a, b))
        .map(([key, entries]) => ({
          key,
          entries: entries.map((e) => ({ name: e.metakey, value: e.value })),
        })),
    });
    return { namespace, rwset: toBinary(KVRWSetSchema, kv) };
  });
  return toBinary(TxReadWriteSetSchema, create(TxReadWriteSetSchema, { dataModel: TxReadWriteSet_DataModel.KV, nsRwset }));
}

/** Decodes ChaincodeAction.results into the public read and write sets. Throws on malformed bytes. */
export function decodeResults(results: Uint8Array): { readSet: ReadSet; writeSet: WriteSet } {
  const reads: RecordedRead[] = [];
  const ranges: RangeRead[] = [];
  const writes: KeyWrite[] = [];
  const metadata: MetadataWrite[] = [];
  const tx = fromBinary(TxReadWriteSetSchema, results);
  for (const { namespace, rwset } of tx.nsRwset) {
    const kv = fromBinary(KVRWSetSchema, rwset);
    const read = (r: KVRead): RecordedRead => ({ namespace, collection: '', key: r.key, version: fromVersion(r.version) });
    reads.push(...kv.reads.map(read));
    for (const q of kv.rangeQueriesInfo) {
      if (q.readsInfo.case !== 'rawReads') throw new Error(`range query [${q.startKey}, ${q.endKey}) of ${namespace} has no raw reads`);
      const results = q.readsInfo.value.kvReads.map((r) => ({ key: r.key, version: fromVersion(r.version) ?? { blockNum: 0, txNum: 0 } }));
      ranges.push({ namespace, collection: '', startKey: q.startKey, endKey: q.endKey, results });
    }
    writes.push(...kv.writes.map((w) => ({ namespace, collection: '', key: w.key, value: w.isDelete ? undefined : w.value })));
    for (const m of kv.metadataWrites) {
      for (const e of m.entries) metadata.push({ namespace, collection: '', key: m.key, metakey: e.name, value: e.value });
    }
  }
  return { readSet: { reads, ranges }, writeSet: { writes, metadata } };
}
