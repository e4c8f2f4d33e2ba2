/**
 * Read-only marble queries: key ranges, the colour index (partial composite keys), rich
 * (Mango) queries, each with a paginated form, and a marble's history.
 */
import type { ChaincodeStub, Iterators } from 'fabric-shim-ts';
import { COLOR_INDEX, parseMarble, type Marble } from './marble';

/** One page of results plus what the peer says about it (bookmark is "" on the last page). */
export interface Page<T> {
  records: T[];
  fetchedRecordsCount: number;
  bookmark: string;
}

/** One version of a marble, newest first. */
export interface MarbleVersion {
  txId: string;
  timestamp: string;
  isDelete: boolean;
  marble: Marble | null;
}

/** Drains a state iterator into marbles and always closes it (the peer holds a cursor open). */
async function drain(iterator: Iterators.StateQueryIterator): Promise<Marble[]> {
  const out: Marble[] = [];
  try {
    for (let r = await iterator.next(); !r.done; r = await iterator.next()) out.push(parseMarble(r.value.value));
  } finally {
    await iterator.close();
  }
  return out;
}

/** Marbles with names in [startKey, endKey); composite index keys are never included. */
export async function getMarblesByRange(stub: ChaincodeStub, startKey: string, endKey: string): Promise<Marble[]> {
  // fabric-shim's idiom: the returned promise is itself async-iterable and closes the iterator at the end.
  const out: Marble[] = [];
  for await (const kv of stub.getStateByRange(startKey, endKey)) out.push(parseMarble(kv.value));
  return out;
}

/** A page of the range; pass the returned bookmark to get the next one. */
export async function getMarblesByRangeWithPagination(
  stub: ChaincodeStub,
  startKey: string,
  endKey: string,
  pageSize: number,
  bookmark: string,
): Promise<Page<Marble>> {
  const { iterator, metadata } = await stub.getStateByRangeWithPagination(startKey, endKey, pageSize, bookmark);
  const records = await drain(iterator);
  return { records, fetchedRecordsCount: metadata.fetchedRecordsCount, bookmark: metadata.bookmark };
}

/** Names of the marbles of one colour, read from the colour~name index in name order. */
export async function getMarbleNamesByColor(stub: ChaincodeStub, color: string): Promise<string[]> {
  const names: string[] = [];
  const iterator = await stub.getStateByPartialCompositeKey(COLOR_INDEX, [color]);
  try {
    for (let r = await iterator.next(); !r.done; r = await iterator.next()) {
      const { attributes } = stub.splitCompositeKey(r.value.key);
      const name = attributes[1];
      if (name !== undefined) names.push(name);
    }
  } finally {
    await iterator.close();
  }
  return names;
}

/** A page of index keys of one colour, resolved to marble names. */
export async function getMarbleNamesByColorWithPagination(
  stub: ChaincodeStub,
  color: string,
  pageSize: number,
  bookmark: string,
): Promise<Page<string>> {
  const { iterator, metadata } = await stub.getStateByPartialCompositeKeyWithPagination(COLOR_INDEX, [color], pageSize, bookmark);
  const records: string[] = [];
  try {
    for (let r = await iterator.next(); !r.done; r = await iterator.next()) {
      records.push(stub.splitCompositeKey(r.value.key).attributes[1] ?? '');
    }
  } finally {
    await iterator.close();
  }
  return { records, fetchedRecordsCount: metadata.fetchedRecordsCount, bookmark: metadata.bookmark };
}

/** Rich query (CouchDB Mango selector); needs CouchDB on a real peer. */
export async function queryMarbles(stub: ChaincodeStub, query: string): Promise<Marble[]> {
  return drain(await stub.getQueryResult(query));
}

/** Marbles of one owner, by rich query on the JSON document. */
export async function queryMarblesByOwner(stub: ChaincodeStub, owner: string): Promise<Marble[]> {
  return queryMarbles(stub, JSON.stringify({ selector: { docType: 'marble', owner } }));
}

/** A page of a rich query. */
export async function queryMarblesWithPagination(
  stub: ChaincodeStub,
  query: string,
  pageSize: number,
  bookmark: string,
): Promise<Page<Marble>> {
  const { iterator, metadata } = await stub.getQueryResultWithPagination(query, pageSize, bookmark);
  const records = await drain(iterator);
  return { records, fetchedRecordsCount: metadata.fetchedRecordsCount, bookmark: metadata.bookmark };
}

/** Every committed version of a marble, newest first, deletes included with no value. */
export async function getHistoryForMarble(stub: ChaincodeStub, name: string): Promise<MarbleVersion[]> {
  const versions: MarbleVersion[] = [];
  const iterator = await stub.getHistoryForKey(name);
  try {
    for (let r = await iterator.next(); !r.done; r = await iterator.next()) {
      const mod = r.value;
      const millis = Number(mod.timestamp.seconds) * 1000 + Math.floor(mod.timestamp.nanos / 1e6);
      versions.push({
        txId: mod.txId,
        timestamp: new Date(millis).toISOString(),
        isDelete: mod.isDelete,
        marble: mod.isDelete ? null : parseMarble(mod.value),
      });
    }
  } finally {
    await iterator.close();
  }
  return versions;
}
