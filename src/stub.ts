/**
 * ChaincodeStub: the API a chaincode calls, with fabric-shim 2.5's names, argument order
 * and return shapes, plus the Fabric 3.1 additions of the Go shim (multi-key reads, write
 * batches, getAllStatesCompositeKeyWithPagination). The stub validates arguments before
 * anything goes on the wire and leaves every encoding and round trip to `requests.ts`.
 */
import { create, fromBinary } from '@bufbuild/protobuf';
import { ChaincodeEventSchema, type ChaincodeEvent } from './gen/peer/chaincode_event_pb';
import { ChaincodeInputSchema, type ChaincodeInput } from './gen/peer/chaincode_pb';
import { ChaincodeMessage_Type as T, type ChaincodeMessage } from './gen/peer/chaincode_shim_pb';
import * as ck from './composite-key';
import { ShimError, invalidArgument } from './errors';
import {
  HistoryQueryIterator,
  StateQueryIterator,
  queryPromise,
  type Closeable,
  type KeyModification,
  type KV,
  type QueryPromise,
  type StateQueryResponse,
} from './iterators';
import type { Logger } from './logger';
import { ProposalView, type DecodedSignedProposal, type SerializedIdentity, type Timestamp } from './proposal';
import * as rq from './requests';
import { RESPONSE_CODE } from './response';
import type { TalkBack, TransactionScope } from './talk-back';

/** Per-transaction options the handler passes to {@link createTransaction}. */
export interface TransactionOptions {
  /** CORE_PEER_LOCALMSPID, returned by `getMspID()`; empty when unset. */
  mspId: string;
  logger?: Logger;
}

/** A value as fabric-shim accepts it: bytes (a Buffer is a Uint8Array) or a string, sent as UTF-8. */
export type StateValue = Uint8Array | string;

/** The metakey under which Fabric stores a key-level endorsement policy (peer.MetaDataKeys). */
export const VALIDATION_PARAMETER = 'VALIDATION_PARAMETER';

const PUBLIC = '';

function toBytes(value: StateValue): Uint8Array {
  return typeof value === 'string' ? Buffer.from(value, 'utf8') : value;
}

function isBytes(value: unknown): value is StateValue {
  return typeof value === 'string' || value instanceof Uint8Array;
}

// fabric-shim's messages for the checks it has; the same style for the ones it lacks.
function requireKey(key: unknown): asserts key is string {
  if (typeof key !== 'string' || key.length === 0) throw invalidArgument('key must be a valid string');
}
function requireCollection(collection: unknown): asserts collection is string {
  if (typeof collection !== 'string' || collection.length === 0) throw invalidArgument('collection must be a valid string');
}
function requireValue(value: unknown): asserts value is StateValue {
  if (!isBytes(value)) throw invalidArgument('value must be valid');
}
function requirePaging(pageSize: unknown, bookmark: unknown): void {
  if (typeof pageSize !== 'number' || !Number.isInteger(pageSize) || pageSize < 0 || pageSize > 0x7fffffff) {
    throw invalidArgument('pageSize must be a non-negative 32-bit integer');
  }
  if (typeof bookmark !== 'string') throw invalidArgument('bookmark must be a string');
}
function requireQuery(query: unknown): asserts query is string {
  if (typeof query !== 'string' || query.length === 0) throw invalidArgument('query must be a non-empty string');
}

/** Mutable per-transaction state shared by the stub and its scope. @internal */
interface TxState {
  closed: boolean;
  batch: rq.WriteBatch | undefined;
  event: ChaincodeEvent | undefined;
  readonly openIterators: Set<Closeable>;
}

/** What {@link createTransaction} hands the stub. @internal */
export interface StubInit {
  talkBack: TalkBack;
  input: ChaincodeInput;
  proposal: ProposalView;
  options: TransactionOptions;
  state: TxState;
}

/** The stub handed to Init/Invoke for one transaction (fabric-shim's `ChaincodeStub`). */
export class ChaincodeStub {
  /** fabric-shim's status codes, also reachable as `ChaincodeStub.RESPONSE_CODE`. */
  static readonly RESPONSE_CODE = RESPONSE_CODE;

  private readonly talkBack: TalkBack;
  private readonly input: ChaincodeInput;
  private readonly proposal: ProposalView;
  private readonly mspId: string;
  private readonly log: Logger | undefined;
  private readonly tx: TxState;
  private bufferArgs: Buffer[] | undefined;
  private stringArgs: string[] | undefined;

  /** @internal built by {@link createTransaction}; chaincode never constructs a stub. */
  constructor(init: StubInit) {
    this.talkBack = init.talkBack;
    this.input = init.input;
    this.proposal = init.proposal;
    this.mspId = init.options.mspId;
    this.log = init.options.logger;
    this.tx = init.state;
  }

  // ------------------------------------------------------------ invocation

  /** The arguments as strings (same as {@link getStringArgs}). */
  getArgs(): string[] { return this.getStringArgs(); }
  /** The arguments decoded as UTF-8 strings. */
  getStringArgs(): string[] {
    return (this.stringArgs ??= this.getBufferArgs().map((a) => a.toString('utf8')));
  }
  /** The arguments as Buffers. */
  getBufferArgs(): Buffer[] {
    return (this.bufferArgs ??= this.input.args.map(rq.asBuffer));
  }
  /** The first argument as the function name, the rest as parameters (`fcn` is '' without arguments). */
  getFunctionAndParameters(): { fcn: string; params: string[] } {
    const [fcn = '', ...params] = this.getStringArgs();
    return { fcn, params };
  }
  /** The transaction id. */
  getTxID(): string { return this.talkBack.txId; }
  /** The channel id. */
  getChannelID(): string { return this.talkBack.channelId; }
  /** Decorations added by peer-side decorators to the ChaincodeInput (Go shim's GetDecorations). */
  getDecorations(): Map<string, Buffer> {
    return new Map(Object.entries(this.input.decorations).map(([k, v]) => [k, rq.asBuffer(v)]));
  }
  /** The MSP id of the peer running this chaincode (CORE_PEER_LOCALMSPID); throws when unset, as fabric-shim. */
  getMspID(): string {
    if (!this.mspId) throw new ShimError('CONFIG', 'CORE_PEER_LOCALMSPID is unset in chaincode process');
    return this.mspId;
  }

  // ------------------------------------------------------------ proposal (decoded on first use)

  /** The submitter's identity: MSP id and certificate bytes. */
  getCreator(): SerializedIdentity { return this.proposal.creator(); }
  /** The transient map of the proposal (never written to the ledger). */
  getTransient(): Map<string, Buffer> { return this.proposal.transient(); }
  /** The decoded signed proposal. */
  getSignedProposal(): DecodedSignedProposal { return this.proposal.signed(); }
  /** The client's timestamp from the proposal's channel header. */
  getTxTimestamp(): Timestamp { return this.proposal.timestamp(); }
  /** The client's timestamp as a Date (millisecond precision). */
  getDateTimestamp(): Date {
    const ts = this.proposal.timestamp();
    return new Date(ts.seconds.toNumber() * 1000 + Math.floor(ts.nanos / 1e6));
  }
  /** Hex SHA-256 binding of nonce, creator and epoch (Fabric's proposal binding). */
  getBinding(): string { return this.proposal.binding(); }

  // ------------------------------------------------------------ world state

  /** Reads `key`; an empty Buffer when it has no value. Reads never see this transaction's own writes. */
  async getState(key: string): Promise<Buffer> {
    this.ensureOpen();
    requireKey(key);
    return rq.roundTrip(this.talkBack, T.GET_STATE, rq.encodeGetState(key, PUBLIC), rq.decodeValue);
  }
  /** Writes `value` at `key` (a string is sent as UTF-8). */
  async putState(key: string, value: StateValue): Promise<void> {
    this.ensureOpen();
    requireKey(key);
    requireValue(value);
    return this.put(PUBLIC, key, toBytes(value));
  }
  /** Deletes `key`. */
  async deleteState(key: string): Promise<void> {
    this.ensureOpen();
    requireKey(key);
    return this.del(PUBLIC, key);
  }
  /** Sets the key-level endorsement policy of `key` (bytes from KeyEndorsementPolicy.getPolicy()). */
  async setStateValidationParameter(key: string, ep: Uint8Array): Promise<void> {
    this.ensureOpen();
    requireKey(key);
    if (!(ep instanceof Uint8Array)) throw invalidArgument('ep must be a Uint8Array');
    return this.putMetadata(PUBLIC, key, ep);
  }
  /**
   * The key-level endorsement policy of `key`; an empty Buffer when it has none (fabric-shim
   * declares `Uint8Array` and the Go shim returns nil, whose length is 0 too).
   */
  async getStateValidationParameter(key: string): Promise<Buffer> {
    this.ensureOpen();
    requireKey(key);
    return this.getMetadata(PUBLIC, key);
  }

  /**
   * Reads several keys: one GET_STATE_MULTIPLE per chunk of the peer's maximum when the peer
   * supports it (Fabric 3.1+), else one GET_STATE per key. Values come back in key order.
   */
  async getMultipleStates(...keys: string[]): Promise<Buffer[]> {
    this.ensureOpen();
    keys.forEach(requireKey);
    return this.getMultiple(PUBLIC, keys);
  }

  /** Range query over simple keys [startKey, endKey); '' means unbounded on either side. */
  getStateByRange(startKey: string, endKey: string): QueryPromise<StateQueryIterator, KV> {
    return this.stateQuery(async () => {
      const [start, end] = this.simpleRange(startKey, endKey);
      return (await this.openRange(PUBLIC, start, end)).iterator;
    });
  }
  /** One page of a range query; pass the returned bookmark to get the next page. */
  getStateByRangeWithPagination(startKey: string, endKey: string, pageSize: number, bookmark = ''): QueryPromise<StateQueryResponse<StateQueryIterator>, KV> {
    return this.pagedQuery(async () => {
      const [start, end] = this.simpleRange(startKey, endKey);
      requirePaging(pageSize, bookmark);
      return this.openRange(PUBLIC, start, end, rq.encodeQueryMetadata(pageSize, bookmark));
    });
  }
  /** All composite keys that extend the partial key (objectType, ...attributes). */
  getStateByPartialCompositeKey(objectType: string, attributes: string[]): QueryPromise<StateQueryIterator, KV> {
    return this.stateQuery(async () => {
      const [start, end] = ck.partialCompositeKeyRange(objectType, attributes);
      return (await this.openRange(PUBLIC, start, end)).iterator;
    });
  }
  /** One page of {@link getStateByPartialCompositeKey}. */
  getStateByPartialCompositeKeyWithPagination(objectType: string, attributes: string[], pageSize: number, bookmark = ''): QueryPromise<StateQueryResponse<StateQueryIterator>, KV> {
    return this.pagedQuery(async () => {
      const [start, end] = ck.partialCompositeKeyRange(objectType, attributes);
      requirePaging(pageSize, bookmark);
      return this.openRange(PUBLIC, start, end, rq.encodeQueryMetadata(pageSize, bookmark));
    });
  }
  /** One page over every composite key of the namespace (Go shim's GetAllStatesCompositeKeyWithPagination). */
  getAllStatesCompositeKeyWithPagination(pageSize: number, bookmark = ''): QueryPromise<StateQueryResponse<StateQueryIterator>, KV> {
    return this.pagedQuery(async () => {
      requirePaging(pageSize, bookmark);
      const start = ck.COMPOSITE_KEY_NAMESPACE;
      return this.openRange(PUBLIC, start, start + ck.MAX_UNICODE_RUNE_VALUE, rq.encodeQueryMetadata(pageSize, bookmark));
    });
  }
  /** Rich query in the state database's syntax (CouchDB JSON selector). */
  getQueryResult(query: string): QueryPromise<StateQueryIterator, KV> {
    return this.stateQuery(async () => {
      requireQuery(query);
      return (await this.openQuery(PUBLIC, query)).iterator;
    });
  }
  /** One page of a rich query. */
  getQueryResultWithPagination(query: string, pageSize: number, bookmark = ''): QueryPromise<StateQueryResponse<StateQueryIterator>, KV> {
    return this.pagedQuery(async () => {
      requireQuery(query);
      requirePaging(pageSize, bookmark);
      return this.openQuery(PUBLIC, query, rq.encodeQueryMetadata(pageSize, bookmark));
    });
  }
  /** Every committed change of `key`, newest first; a delete has `isDelete: true`. */
  getHistoryForKey(key: string): QueryPromise<HistoryQueryIterator, KeyModification> {
    const run = async (): Promise<HistoryQueryIterator> => {
      this.ensureOpen();
      requireKey(key);
      const response = await rq.roundTrip(this.talkBack, T.GET_HISTORY_FOR_KEY, rq.encodeGetHistoryForKey(key), rq.decodeQueryResponse);
      return new HistoryQueryIterator(this.talkBack, response, this.tx.openIterators);
    };
    return queryPromise(run(), (it) => it);
  }

  // ------------------------------------------------------------ write batching (Fabric 3.1+)

  /**
   * From now on, collect writes locally and send them as WRITE_BATCH_STATE messages at
   * {@link finishWriteBatch} (or automatically before the transaction completes). Does
   * nothing when the peer does not support batching: writes then go out one by one.
   */
  startWriteBatch(): void {
    this.ensureOpen();
    if (this.talkBack.capabilities.useWriteBatch) this.tx.batch ??= new rq.WriteBatch();
  }
  /** Sends the collected writes, in chunks of the peer's maximum; a no-op without a batch. */
  async finishWriteBatch(): Promise<void> {
    this.ensureOpen();
    await flushBatch(this.talkBack, this.tx);
  }

  // ------------------------------------------------------------ other chaincode, events, keys

  /**
   * Calls another chaincode (`channel` given: on that channel) and resolves with its
   * response. Writes of a call on the same channel join this transaction.
   */
  async invokeChaincode(chaincodeName: string, args: StateValue[], channel?: string): Promise<rq.InvokeResponse> {
    this.ensureOpen();
    if (typeof chaincodeName !== 'string' || chaincodeName.length === 0) throw invalidArgument('chaincodeName must be a non-empty string');
    if (!Array.isArray(args) || !args.every(isBytes)) throw invalidArgument('args must be an array of strings or Uint8Arrays');
    // fabric-shim builds "name/channel" and the peer's ParseName splits it again.
    const name = channel ? `${chaincodeName}/${channel}` : chaincodeName;
    return rq.roundTrip(this.talkBack, T.INVOKE_CHAINCODE, rq.encodeInvokeChaincode(name, args.map(toBytes)), rq.decodeInvokeResponse);
  }
  /** Sets the event sent with COMPLETED; a later call replaces it. */
  setEvent(name: string, payload: StateValue): void {
    this.ensureOpen();
    if (typeof name !== 'string' || name === '') throw invalidArgument('Event name must be a non-empty string');
    this.tx.event = create(ChaincodeEventSchema, { eventName: name, payload: isBytes(payload) ? toBytes(payload) : new Uint8Array(0) });
  }
  /** Builds a composite key (Fabric's encoding). */
  createCompositeKey(objectType: string, attributes: string[]): string {
    return ck.createCompositeKey(objectType, attributes);
  }
  /** Splits a composite key; `objectType` is null for a simple key. */
  splitCompositeKey(compositeKey: string): ck.SplitCompositeKey {
    return ck.splitCompositeKey(compositeKey);
  }

  // ------------------------------------------------------------ private data

  /** Reads `key` from a private data collection (committed value only). */
  async getPrivateData(collection: string, key: string): Promise<Buffer> {
    this.ensureOpen();
    requireCollection(collection);
    requireKey(key);
    return rq.roundTrip(this.talkBack, T.GET_STATE, rq.encodeGetState(key, collection), rq.decodeValue);
  }
  /** The hash of a private value; works on peers that hold only hashes of the collection. */
  async getPrivateDataHash(collection: string, key: string): Promise<Buffer> {
    this.ensureOpen();
    requireCollection(collection);
    requireKey(key);
    return rq.roundTrip(this.talkBack, T.GET_PRIVATE_DATA_HASH, rq.encodeGetState(key, collection), rq.decodeValue);
  }
  /** Reads several private keys (see {@link getMultipleStates}). */
  async getMultiplePrivateData(collection: string, ...keys: string[]): Promise<Buffer[]> {
    this.ensureOpen();
    requireCollection(collection);
    keys.forEach(requireKey);
    return this.getMultiple(collection, keys);
  }
  /** Writes a private value. As in fabric-shim, an empty string value is refused. */
  async putPrivateData(collection: string, key: string, value: StateValue): Promise<void> {
    this.ensureOpen();
    requireCollection(collection);
    requireKey(key);
    if (value === '') throw invalidArgument('value must be valid');
    requireValue(value);
    return this.put(collection, key, toBytes(value));
  }
  /** Deletes a private key. */
  async deletePrivateData(collection: string, key: string): Promise<void> {
    this.ensureOpen();
    requireCollection(collection);
    requireKey(key);
    return this.del(collection, key);
  }
  /** Deletes a private key and, after commit, purges its history from the private data store. */
  async purgePrivateData(collection: string, key: string): Promise<void> {
    this.ensureOpen();
    requireCollection(collection);
    requireKey(key);
    if (this.tx.batch) return this.tx.batch.purgeState(collection, key);
    return rq.roundTrip(this.talkBack, T.PURGE_PRIVATE_DATA, rq.encodePurgePrivateData(key, collection), rq.decodeNothing);
  }
  /** Sets the key-level endorsement policy of a private key. */
  async setPrivateDataValidationParameter(collection: string, key: string, ep: Uint8Array): Promise<void> {
    this.ensureOpen();
    requireCollection(collection);
    requireKey(key);
    if (!(ep instanceof Uint8Array)) throw invalidArgument('ep must be a Uint8Array');
    return this.putMetadata(collection, key, ep);
  }
  /** The key-level endorsement policy of a private key; an empty Buffer when it has none. */
  async getPrivateDataValidationParameter(collection: string, key: string): Promise<Buffer> {
    this.ensureOpen();
    requireCollection(collection);
    requireKey(key);
    return this.getMetadata(collection, key);
  }
  /** Range query over a private collection. */
  getPrivateDataByRange(collection: string, startKey: string, endKey: string): QueryPromise<StateQueryIterator, KV> {
    return this.stateQuery(async () => {
      requireCollection(collection);
      const [start, end] = this.simpleRange(startKey, endKey);
      return (await this.openRange(collection, start, end)).iterator;
    });
  }
  /** Partial composite key query over a private collection. */
  getPrivateDataByPartialCompositeKey(collection: string, objectType: string, attributes: string[]): QueryPromise<StateQueryIterator, KV> {
    return this.stateQuery(async () => {
      requireCollection(collection);
      const [start, end] = ck.partialCompositeKeyRange(objectType, attributes);
      return (await this.openRange(collection, start, end)).iterator;
    });
  }
  /** Rich query over a private collection. */
  getPrivateDataQueryResult(collection: string, query: string): QueryPromise<StateQueryIterator, KV> {
    return this.stateQuery(async () => {
      requireCollection(collection);
      requireQuery(query);
      return (await this.openQuery(collection, query)).iterator;
    });
  }

  // ------------------------------------------------------------ internals

  private ensureOpen(): void {
    if (this.tx.closed) {
      throw new ShimError('TRANSACTION_CLOSED', 'The transaction has completed; its stub can no longer be used', {
        txId: this.talkBack.txId,
        channelId: this.talkBack.channelId,
      });
    }
  }

  private async put(collection: string, key: string, value: Uint8Array): Promise<void> {
    if (this.log?.enabled('debug')) this.log.debug('put', { txId: this.talkBack.txId, key, collection, size: value.length });
    if (this.tx.batch) return this.tx.batch.putState(collection, key, value);
    return rq.roundTrip(this.talkBack, T.PUT_STATE, rq.encodePutState(key, value, collection), rq.decodeNothing);
  }

  private async del(collection: string, key: string): Promise<void> {
    if (this.tx.batch) return this.tx.batch.delState(collection, key);
    return rq.roundTrip(this.talkBack, T.DEL_STATE, rq.encodeDelState(key, collection), rq.decodeNothing);
  }

  private async putMetadata(collection: string, key: string, ep: Uint8Array): Promise<void> {
    if (this.tx.batch) return this.tx.batch.putMetadata(collection, key, VALIDATION_PARAMETER, ep);
    return rq.roundTrip(this.talkBack, T.PUT_STATE_METADATA, rq.encodePutStateMetadata(key, collection, VALIDATION_PARAMETER, ep), rq.decodeNothing);
  }

  private async getMetadata(collection: string, key: string): Promise<Buffer> {
    const md = await rq.roundTrip(this.talkBack, T.GET_STATE_METADATA, rq.encodeGetStateMetadata(key, collection), rq.decodeStateMetadata);
    return md[VALIDATION_PARAMETER] ?? Buffer.alloc(0);
  }

  private async getMultiple(collection: string, keys: string[]): Promise<Buffer[]> {
    const caps = this.talkBack.capabilities;
    const out: Buffer[] = [];
    if (!caps.useGetMultipleKeys) {
      // Older peer: one GET_STATE per key, as the Go shim falls back.
      for (const key of keys) out.push(await rq.roundTrip(this.talkBack, T.GET_STATE, rq.encodeGetState(key, collection), rq.decodeValue));
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

  /** fabric-shim: '' start becomes 0x01 (skips the composite key namespace); both ends must be simple keys. */
  private simpleRange(startKey: string, endKey: string): [string, string] {
    if (startKey !== undefined && typeof startKey !== 'string') throw invalidArgument('startKey must be a string');
    if (endKey !== undefined && typeof endKey !== 'string') throw invalidArgument('endKey must be a string');
    const start = startKey || ck.EMPTY_KEY_SUBSTITUTE;
    const end = endKey ?? '';
    ck.validateSimpleKeys(start, end);
    return [start, end];
  }

  private openRange(collection: string, start: string, end: string, metadata?: Uint8Array): Promise<StateQueryResponse<StateQueryIterator>> {
    return this.openStateQuery(T.GET_STATE_BY_RANGE, rq.encodeGetStateByRange(start, end, collection, metadata));
  }

  private openQuery(collection: string, query: string, metadata?: Uint8Array): Promise<StateQueryResponse<StateQueryIterator>> {
    return this.openStateQuery(T.GET_QUERY_RESULT, rq.encodeGetQueryResult(query, collection, metadata));
  }

  private async openStateQuery(type: T, payload: Uint8Array): Promise<StateQueryResponse<StateQueryIterator>> {
    const { response, metadata } = await rq.roundTrip(this.talkBack, type, payload, (bytes) => {
      const response = rq.decodeQueryResponse(bytes);
      return { response, metadata: rq.decodeQueryResponseMetadata(response.metadata) };
    });
    return { iterator: new StateQueryIterator(this.talkBack, response, this.tx.openIterators), metadata };
  }

  private stateQuery(run: () => Promise<StateQueryIterator>): QueryPromise<StateQueryIterator, KV> {
    return queryPromise(this.guarded(run), (it) => it);
  }

  private pagedQuery(run: () => Promise<StateQueryResponse<StateQueryIterator>>): QueryPromise<StateQueryResponse<StateQueryIterator>, KV> {
    return queryPromise(this.guarded(run), (r) => r.iterator);
  }

  /** Runs `run` after the open check, so every failure is a rejection (these methods cannot be async). */
  private async guarded<R>(run: () => Promise<R>): Promise<R> {
    this.ensureOpen();
    return run();
  }
}

async function flushBatch(talkBack: TalkBack, tx: TxState): Promise<void> {
  const batch = tx.batch;
  if (!batch) return;
  // Cleared first: a failed flush must not be sent again by the scope's automatic flush.
  tx.batch = undefined;
  await rq.sendWriteBatch(talkBack, batch.records(), talkBack.capabilities.maxSizeWriteBatch);
}

/**
 * Builds the stub for one INIT/TRANSACTION message. Throws ShimError('PROTOCOL') if the
 * ChaincodeInput payload is malformed; the proposal is decoded later, when first asked for.
 */
export function createTransaction(talkBack: TalkBack, message: ChaincodeMessage, options: TransactionOptions): TransactionScope<ChaincodeStub> {
  let input: ChaincodeInput;
  try {
    input = fromBinary(ChaincodeInputSchema, message.payload);
  } catch (cause) {
    throw new ShimError('PROTOCOL', `Cannot decode the ChaincodeInput of ${T[message.type] ?? message.type}: ${String(cause)}`, {
      txId: message.txid,
      channelId: message.channelId,
      cause,
    });
  }
  const state: TxState = { closed: false, batch: undefined, event: undefined, openIterators: new Set() };
  const stub = new ChaincodeStub({ talkBack, input, proposal: new ProposalView(message.proposal), options, state });
  return {
    stub,
    finish: async () => {
      // As the Go shim: a pending batch is flushed before COMPLETED. Then close what the
      // chaincode left open. Both always run; the first failure is reported.
      const results = await Promise.allSettled([
        flushBatch(talkBack, state),
        ...[...state.openIterators].map((it) => it.close()),
      ]);
      const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failed) throw failed.reason;
    },
    event: () => state.event,
    close: () => {
      state.closed = true;
    },
  };
}
