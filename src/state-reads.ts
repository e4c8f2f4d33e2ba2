/**
 * The reads of one transaction: single and multi-key reads, metadata, and the queries that
 * open an iterator (range, rich, history). Every iterator is registered with the transaction
 * so the scope can close what the chaincode leaves open before COMPLETED.
 */
import { ChaincodeMessage_Type as T } from './gen/peer/chaincode_shim_pb';
import * as ck from './composite-key';
import { invalidArgument } from './errors';
import { HistoryQueryIterator, StateQueryIterator, type Closeable, type StateQueryResponse } from './iterators';
import * as rq from './requests';
import type { TalkBack } from './talk-back';

/**
 * The bounds of a range over simple keys. As fabric-shim: an empty start becomes 0x01, which
 * skips the composite key namespace; both ends must be simple keys.
 */
export function simpleRange(startKey: string, endKey: string): [string, string] {
  if (startKey !== undefined && typeof startKey !== 'string') throw invalidArgument('startKey must be a string');
  if (endKey !== undefined && typeof endKey !== 'string') throw invalidArgument('endKey must be a string');
  const start = startKey || ck.EMPTY_KEY_SUBSTITUTE;
  const end = endKey ?? '';
  ck.validateSimpleKeys(start, end);
  return [start, end];
}

/** Reads of one transaction (arguments are already checked by the stub). */
export class StateReader {
  /** @param openIterators the transaction's set of iterators to close at the end */
  constructor(private readonly talkBack: TalkBack, private readonly openIterators: Set<Closeable>) {}

  /** GET_STATE: the committed value; empty when absent. */
  get(collection: string, key: string): Promise<Buffer> {
    return rq.roundTrip(this.talkBack, T.GET_STATE, rq.encodeGetState(key, collection), rq.decodeValue);
  }

  /** GET_PRIVATE_DATA_HASH. */
  hash(collection: string, key: string): Promise<Buffer> {
    return rq.roundTrip(this.talkBack, T.GET_PRIVATE_DATA_HASH, rq.encodeGetState(key, collection), rq.decodeValue);
  }

  /**
   * The key-level endorsement policy of a key, as fabric-shim returns it: a plain Uint8Array,
   * `undefined` when the key has none (the peer then sends no entry).
   */
  async policy(collection: string, key: string): Promise<Uint8Array | undefined> {
    const md = await rq.roundTrip(this.talkBack, T.GET_STATE_METADATA, rq.encodeGetStateMetadata(key, collection), rq.decodeStateMetadata);
    const ep = md[rq.VALIDATION_PARAMETER];
    return ep === undefined ? undefined : new Uint8Array(ep.buffer, ep.byteOffset, ep.byteLength);
  }

  /**
   * Several keys: one GET_STATE_MULTIPLE per chunk of the peer's maximum when the peer supports
   * it (Fabric 3.1+), else one GET_STATE per key, as the Go shim falls back. Values in key order.
   */
  async multiple(collection: string, keys: readonly string[]): Promise<Buffer[]> {
    const caps = this.talkBack.capabilities;
    const out: Buffer[] = [];
    if (!caps.useGetMultipleKeys) {
      for (const key of keys) out.push(await this.get(collection, key));
      return out;
    }
    const size = Math.max(1, Math.floor(caps.maxSizeGetMultipleKeys));
    for (let i = 0; i < keys.length; i += size) {
      const chunk = keys.slice(i, i + size);
      const values = await rq.roundTrip(this.talkBack, T.GET_STATE_MULTIPLE, rq.encodeGetStateMultiple(chunk, collection), (bytes) => {
        const v = rq.decodeMultipleValues(bytes);
        if (v.length !== chunk.length) throw new Error(`expected ${chunk.length} values, got ${v.length}`);
        return v;
      });
      out.push(...values);
    }
    return out;
  }

  /** GET_STATE_BY_RANGE over [start, end); `metadata` from encodeQueryMetadata when paginated. */
  range(collection: string, start: string, end: string, metadata?: Uint8Array): Promise<StateQueryResponse<StateQueryIterator>> {
    return this.openStateQuery(T.GET_STATE_BY_RANGE, rq.encodeGetStateByRange(start, end, collection, metadata));
  }

  /** GET_QUERY_RESULT (rich query). */
  query(collection: string, query: string, metadata?: Uint8Array): Promise<StateQueryResponse<StateQueryIterator>> {
    return this.openStateQuery(T.GET_QUERY_RESULT, rq.encodeGetQueryResult(query, collection, metadata));
  }

  /** GET_HISTORY_FOR_KEY. */
  async history(key: string): Promise<HistoryQueryIterator> {
    const response = await rq.roundTrip(this.talkBack, T.GET_HISTORY_FOR_KEY, rq.encodeGetHistoryForKey(key), rq.decodeQueryResponse);
    return new HistoryQueryIterator(this.talkBack, response, this.openIterators);
  }

  private async openStateQuery(type: T, payload: Uint8Array): Promise<StateQueryResponse<StateQueryIterator>> {
    const { response, metadata } = await rq.roundTrip(this.talkBack, type, payload, (bytes) => {
      const response = rq.decodeQueryResponse(bytes);
      // As fabric-shim: no metadata when the peer sent none (empty bytes), so no `metadata` key.
      return { response, metadata: response.metadata.length > 0 ? rq.decodeQueryResponseMetadata(response.metadata) : undefined };
    });
    const iterator = new StateQueryIterator(this.talkBack, response, this.openIterators);
    return (metadata === undefined ? { iterator } : { iterator, metadata }) as StateQueryResponse<StateQueryIterator>;
  }
}
