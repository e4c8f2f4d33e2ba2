/**
 * State and history query iterators, with fabric-shim's `next()` -> `{ value, done }` and
 * `close()`, plus `for await` and `await using` (Symbol.asyncDispose).
 *
 * A query answer holds one page of results; when the peer says `has_more`, `next()` asks
 * for the following page with QUERY_STATE_NEXT. `close()` sends QUERY_STATE_CLOSE exactly
 * once; iterators the chaincode leaves open are closed by the transaction (transaction.ts) before
 * COMPLETED, so the peer never keeps a query context alive for nothing.
 */
import { fromBinary } from '@bufbuild/protobuf';
import { kvQueryResultPb } from './protos';
import { decodeKV } from './codec/state';
import type { QueryResponse } from './gen/peer/chaincode_shim_pb';
import type { Timestamp } from './proposal';
import { asBuffer, queryStateClose, queryStateNext, type Exchange, type QueryResponseMetadata } from './requests';

/**
 * One state entry from a range or rich query. At runtime it is `{ key, value }` exactly, as
 * fabric-shim builds it: fabric-shim's typings declare `namespace`, but fabric-shim never sets it,
 * and any value we gave it would show in what the chaincode serialises (an endorsement mismatch
 * with an organisation still on fabric-shim). Reading it gives `undefined` on both shims.
 */
export interface KV {
  namespace: string;
  key: string;
  /** A Buffer at runtime, as in fabric-shim; typed as its typings type it, so code building KVs (test doubles) compiles. */
  value: Uint8Array;
}

/**
 * The time of a history entry. Typed as fabric-shim types it (a `Timestamp`, `seconds` a Long),
 * so code written against fabric-shim compiles unchanged; at runtime it is what fabric-shim
 * hands out, the protobuf Timestamp's `toObject()`: `{ seconds, nanos }` with `seconds` a
 * number. Code that must run on both reads it as `typeof ts.seconds === 'number' ? ts.seconds : ts.seconds.toNumber()`.
 */
export type HistoryTimestamp = Timestamp;

/**
 * One entry of a key's history (newest first from the peer). A delete has an empty value. At
 * runtime the keys come in fabric-shim's order: txId, value, isDelete, timestamp.
 */
export interface KeyModification {
  txId: string;
  /** A Buffer at runtime (empty for a delete), typed as fabric-shim's typings type it. */
  value: Uint8Array;
  isDelete: boolean;
  timestamp: HistoryTimestamp;
}

/**
 * What `next()` resolves to, typed as fabric-shim types it. At runtime a result is
 * `{ value, done: false }` and the end is `{ done: true }` with no `value` key, as fabric-shim's.
 */
export interface NextResult<T> {
  value: T;
  done: boolean;
}

/**
 * A paginated query's answer: the iterator for this page and the peer's pagination metadata.
 * As in fabric-shim, `metadata` is `{ bookmark, fetchedRecordsCount }` in that order, and absent
 * when the peer sent none (its encoding is empty when the count is 0 and the bookmark '').
 */
export interface StateQueryResponse<I> {
  iterator: I;
  metadata: QueryResponseMetadata;
}

export type { QueryResponseMetadata } from './requests';

/** Anything the transaction closes when the chaincode returns. */
export interface Closeable {
  close(): Promise<void>;
}

/**
 * The end of the results: `{ done: true }` with no `value` key, as fabric-shim's next() and its
 * for-await `return()`. A new object each time, as there: the chaincode may keep or change it.
 */
function done<R>(): R {
  return { done: true } as R;
}

function noop(): void {
  /* a handler that ignores the outcome on purpose */
}

/** Shared paging and closing logic of both iterator kinds. */
export abstract class CommonIterator<T> implements AsyncIterable<T>, AsyncDisposable {
  private response: QueryResponse;
  private index = 0;
  private closing: Promise<void> | undefined;
  private queue: Promise<void> = Promise.resolve();

  /**
   * @internal created by the transaction (transaction.ts); chaincode never constructs an iterator.
   * @param tx the transaction whose query this is
   * @param response the peer's first answer to the query
   * @param openIterators the transaction's set of iterators to close at the end (this adds and removes itself)
   */
  constructor(
    private readonly tx: Exchange,
    response: QueryResponse,
    private readonly openIterators?: Set<Closeable>,
  ) {
    this.response = response;
    openIterators?.add(this);
  }

  /** Turns one result's bytes into the value handed to the chaincode. */
  protected abstract decodeResult(bytes: Uint8Array): T;

  /**
   * The next result; fetches the next page from the peer when this one is used up. Calls
   * made without awaiting the previous one are served in order, so a page is never
   * fetched twice.
   */
  next(): Promise<NextResult<T>> {
    const result = this.queue.then(() => this.advance());
    this.queue = result.then(noop, noop);
    return result;
  }

  private async advance(): Promise<NextResult<T>> {
    for (;;) {
      if (this.closing) return done<NextResult<T>>();
      const item = this.response.results[this.index];
      if (item) {
        this.index++;
        return { value: this.decodeResult(item.resultBytes), done: false };
      }
      if (!this.response.hasMore) return done<NextResult<T>>();
      // A page may be empty while has_more is set: keep asking until results or the end.
      this.response = await queryStateNext(this.tx, this.response.id);
      this.index = 0;
    }
  }

  /** Tells the peer to release the query (QUERY_STATE_CLOSE); later calls do nothing. */
  close(): Promise<void> {
    if (!this.closing) {
      this.openIterators?.delete(this);
      this.closing = queryStateClose(this.tx, this.response.id);
      // A chaincode often calls close() without awaiting it: its failure must not end the process.
      this.closing.catch(noop);
    }
    return this.closing;
  }

  /** `for await (const kv of iterator)`: closes the iterator at the end or on `break`. */
  [Symbol.asyncIterator](): AsyncIterator<T, undefined> {
    return {
      next: async () => {
        const r = await this.next();
        if (r.done) await this.close();
        return r as IteratorResult<T, undefined>;
      },
      return: async () => {
        await this.close();
        return done<IteratorReturnResult<undefined>>();
      },
    };
  }

  /** `await using it = await stub.getStateByRange(...)` closes it at the end of the block. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}

/** Iterator over {@link KV} results (range, partial composite key and rich queries). */
export class StateQueryIterator extends CommonIterator<KV> {
  protected decodeResult(bytes: Uint8Array): KV {
    const kv = decodeKV(bytes);
    // Exactly fabric-shim's own keys: no `namespace` (see KV).
    const result: Omit<KV, 'namespace'> = { key: kv.key, value: asBuffer(kv.value) };
    return result as KV;
  }
}

/** Iterator over {@link KeyModification} results (getHistoryForKey). */
export class HistoryQueryIterator extends CommonIterator<KeyModification> {
  protected decodeResult(bytes: Uint8Array): KeyModification {
    const km = fromBinary(kvQueryResultPb().KeyModificationSchema, bytes);
    // fabric-shim's keys and order, and its timestamp: protobuf's toObject(), seconds a number.
    const timestamp = { seconds: Number(km.timestamp?.seconds ?? 0n), nanos: km.timestamp?.nanos ?? 0 };
    return { txId: km.txId, value: asBuffer(km.value), isDelete: km.isDelete, timestamp: timestamp as unknown as HistoryTimestamp };
  }
}

/**
 * What getPrivateDataByRange, getPrivateDataByPartialCompositeKey and getPrivateDataQueryResult
 * resolve to. fabric-shim resolves them to `{ iterator }` (its typings say the iterator itself),
 * so JavaScript chaincode reads `.iterator`; the one own key is that, for identical serialisation.
 * `next()`, `close()` and `for await` on the prototype serve code written to fabric-shim's typings,
 * which would fail on fabric-shim itself.
 */
export class PrivateQueryResponse implements AsyncIterable<KV>, AsyncDisposable {
  constructor(readonly iterator: StateQueryIterator) {}

  /** The iterator's next(). */
  next(): Promise<NextResult<KV>> {
    return this.iterator.next();
  }
  /** The iterator's close(). */
  close(): Promise<void> {
    return this.iterator.close();
  }
  [Symbol.asyncIterator](): AsyncIterator<KV, undefined> {
    return this.iterator[Symbol.asyncIterator]();
  }
  [Symbol.asyncDispose](): Promise<void> {
    return this.iterator.close();
  }
}

/**
 * A pending query that can be awaited for its iterator (or pagination response) or
 * iterated directly with `for await`, as fabric-shim's query methods return.
 */
export type QueryPromise<R, T> = Promise<R> & AsyncIterable<T>;

/** Makes `promise` also async-iterable over the values of the iterator it resolves to. */
export function queryPromise<R, T>(promise: Promise<R>, iteratorOf: (result: R) => CommonIterator<T>): QueryPromise<R, T> {
  const iterable = promise as QueryPromise<R, T>;
  iterable[Symbol.asyncIterator] = () => {
    let it: AsyncIterator<T, undefined> | undefined;
    return {
      next: async () => {
        it ??= iteratorOf(await promise)[Symbol.asyncIterator]();
        return it.next();
      },
      return: async () => {
        await it?.return?.();
        return done<IteratorReturnResult<undefined>>();
      },
    };
  };
  return iterable;
}

/** fabric-shim's `Iterators` export: the two iterator classes (and, as types, their values). */
export const Iterators = { StateQueryIterator, HistoryQueryIterator } as const;

// Aliases so the namespace below can name the module's types without importing itself.
type KVType = KV;
type KeyModificationType = KeyModification;
type NextResultType<T> = NextResult<T>;

/**
 * Types under fabric-shim's `Iterators` namespace names, as fabric-shim-api declares them:
 * structural (`next`/`close`), so mocks written as object literals type-check; the classes above
 * (what the stub returns) satisfy them and add `for await` and `Symbol.asyncDispose`.
 */
// eslint-disable-next-line @typescript-eslint/no-namespace
export declare namespace Iterators {
  interface CommonIterator<T> {
    close(): Promise<void>;
    next(): Promise<NextResultType<T>>;
  }
  type StateQueryIterator = CommonIterator<KVType>;
  type HistoryQueryIterator = CommonIterator<KeyModificationType>;
  type KV = KVType;
  type KeyModification = KeyModificationType;
  type NextResult<T> = NextResultType<T>;
  interface NextKeyModificationResult {
    value: KeyModificationType;
    done: boolean;
  }
}
