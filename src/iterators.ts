/**
 * State and history query iterators, with fabric-shim's `next()` -> `{ value, done }` and
 * `close()`, plus `for await` and `await using` (Symbol.asyncDispose).
 *
 * A query answer holds one page of results; when the peer says `has_more`, `next()` asks
 * for the following page with QUERY_STATE_NEXT. `close()` sends QUERY_STATE_CLOSE exactly
 * once; iterators the chaincode leaves open are closed by the transaction scope before
 * COMPLETED, so the peer never keeps a query context alive for nothing.
 */
import { fromBinary } from '@bufbuild/protobuf';
import { KeyModificationSchema } from './gen/ledger/queryresult/kv_query_result_pb';
import { decodeKV } from './codec/state';
import { ChaincodeMessage_Type, type QueryResponse } from './gen/peer/chaincode_shim_pb';
import type { TalkBack } from './talk-back';
import type { Long64 } from './proposal';
import {
  asBuffer,
  decodeNothing,
  decodeQueryResponse,
  encodeQueryStateClose,
  encodeQueryStateNext,
  roundTrip,
  type QueryResponseMetadata,
} from './requests';

/** One state entry from a range or rich query. */
export interface KV {
  namespace: string;
  key: string;
  value: Buffer;
}

/**
 * The time of a history entry, as fabric-shim returns it (protobuf Timestamp as plain numbers).
 * fabric-shim's typings say `seconds: Long`; the union keeps `typeof s === 'number' ? s : s.low`
 * and `Number(s)` compiling while flagging an unguarded `.low`/`.toNumber()`, which fails at run
 * time on both shims (README: intended differences).
 */
export interface HistoryTimestamp {
  seconds: number | Long64;
  nanos: number;
}

/** One entry of a key's history (newest first from the peer). A delete has an empty value. */
export interface KeyModification {
  txId: string;
  value: Buffer;
  timestamp: HistoryTimestamp;
  isDelete: boolean;
}

/**
 * What `next()` resolves to, as fabric-shim-api's `Iterators.NextResult`: `value` is typed `T`
 * although it is undefined once `done` is true; typed as fabric-shim's so code written against
 * it (`const kv: KV = res.value` after a `done` check on another variable) compiles.
 */
export interface NextResult<T> {
  value: T;
  done: boolean;
}

/** The end of the results (`value` undefined, as fabric-shim's). */
function exhausted<T>(): NextResult<T> {
  return { value: undefined as never, done: true };
}

/** A paginated query's answer: the iterator for this page and the peer's pagination metadata. */
export interface StateQueryResponse<I> {
  iterator: I;
  metadata: QueryResponseMetadata;
}

export type { QueryResponseMetadata } from './requests';

/** Anything the transaction scope closes when the chaincode returns. */
export interface Closeable {
  close(): Promise<void>;
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
   * @internal created by the stub; chaincode never constructs an iterator.
   * @param talkBack the transaction's channel to the peer
   * @param response the peer's first answer to the query
   * @param openIterators the scope's set of iterators to close at the end (this adds and removes itself)
   */
  constructor(
    private readonly talkBack: TalkBack,
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
      if (this.closing) return exhausted();
      const item = this.response.results[this.index];
      if (item) {
        this.index++;
        return { value: this.decodeResult(item.resultBytes), done: false };
      }
      if (!this.response.hasMore) return exhausted();
      // A page may be empty while has_more is set: keep asking until results or the end.
      this.response = await roundTrip(
        this.talkBack,
        ChaincodeMessage_Type.QUERY_STATE_NEXT,
        encodeQueryStateNext(this.response.id),
        decodeQueryResponse,
      );
      this.index = 0;
    }
  }

  /** Tells the peer to release the query (QUERY_STATE_CLOSE); later calls do nothing. */
  close(): Promise<void> {
    if (!this.closing) {
      this.openIterators?.delete(this);
      this.closing = roundTrip(
        this.talkBack,
        ChaincodeMessage_Type.QUERY_STATE_CLOSE,
        encodeQueryStateClose(this.response.id),
        decodeNothing,
      );
    }
    return this.closing;
  }

  /** `for await (const kv of iterator)`: closes the iterator at the end or on `break`. */
  [Symbol.asyncIterator](): AsyncIterator<T, undefined> {
    return {
      next: async () => {
        const r = await this.next();
        if (!r.done) return { value: r.value, done: false };
        await this.close();
        return { value: undefined, done: true };
      },
      return: async () => {
        await this.close();
        return { value: undefined, done: true };
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
    return { namespace: kv.namespace, key: kv.key, value: asBuffer(kv.value) };
  }
}

/** Iterator over {@link KeyModification} results (getHistoryForKey). */
export class HistoryQueryIterator extends CommonIterator<KeyModification> {
  protected decodeResult(bytes: Uint8Array): KeyModification {
    const km = fromBinary(KeyModificationSchema, bytes);
    return {
      txId: km.txId,
      value: asBuffer(km.value),
      timestamp: { seconds: Number(km.timestamp?.seconds ?? 0n), nanos: km.timestamp?.nanos ?? 0 },
      isDelete: km.isDelete,
    };
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
        return { value: undefined, done: true };
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
