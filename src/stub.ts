/**
 * ChaincodeStub: the API a chaincode calls, with fabric-shim 2.5's names, argument order
 * and return shapes, plus the Fabric 3.1 additions of the Go shim (multi-key reads, write
 * batches, getAllStatesCompositeKeyWithPagination). The stub is the public facade: it validates
 * arguments as fabric-shim does (`stub-checks.ts`) before anything goes on the wire, then hands
 * one-shot requests to `requests.ts` and what the transaction keeps (writes and their batch,
 * iterators, the event, the closed flag) to its `Transaction` (`transaction.ts`).
 */
import { create } from '@bufbuild/protobuf';
import type { ChaincodeInput } from './gen/peer/chaincode_pb';
import type { ChaincodeMessage, ChaincodeMessage_Type } from './gen/peer/chaincode_shim_pb';
import { MessageType as T } from './codec/message-type';
import { decodeChaincodeInput } from './codec/chaincode-input';
import { chaincodeEventPb } from './protos';
import * as ck from './composite-key';
import { ShimError, invalidArgument } from './errors';
import {
  PrivateQueryResponse,
  queryPromise,
  type HistoryQueryIterator,
  type KeyModification,
  type KV,
  type QueryPromise,
  type StateQueryIterator,
  type StateQueryResponse,
} from './iterators';
import { ProposalView, type DecodedSignedProposal, type SerializedIdentity, type Timestamp } from './proposal';
import * as rq from './requests';
import { RESPONSE_CODE } from './response';
import {
  isBytes,
  requireCollection,
  requireKey,
  requirePrivateValue,
  simpleRange,
  toBytes,
  wireKey,
  wirePaging,
  wirePolicy,
  wireQuery,
  wireValue,
  type StateValue,
} from './stub-checks';
import type { Transaction } from './transaction';

export type { StateValue } from './stub-checks';
export type { InvokeResponse } from './requests';
/** The metakey under which Fabric stores a key-level endorsement policy (peer.MetaDataKeys). */
export const VALIDATION_PARAMETER = rq.VALIDATION_PARAMETER;

/**
 * The writes (putState, deleteState, the private data writes and the validation parameters)
 * resolve, as fabric-shim's do, with the payload of the peer's RESPONSE: an empty Buffer (also
 * in write-batch mode, where the write is only recorded). A contract returning
 * `ctx.stub.putState(...)` thus answers `{"type":"Buffer","data":[]}` on both shims. They are
 * typed `Promise<void>` as in fabric-shim's typings: `Promise<Buffer>` is not assignable to
 * `Promise<void>`, so any other type would break code that assigns this stub to fabric-shim-api's
 * `ChaincodeStub` interface or implements it. Read the Buffer with a cast if you need it.
 */
function peerAnswer(answer: Promise<Buffer>): Promise<void> {
  return answer as Promise<unknown> as Promise<void>;
}

/** The keys of getMultipleStates/getMultiplePrivateData: one array (fabric-shim 2.5.9) or the keys as arguments. */
function keyList(keys: string[] | [readonly string[]]): readonly string[] {
  const first = keys[0];
  return keys.length === 1 && Array.isArray(first) ? first : (keys as string[]);
}

/** The QueryMetadata bytes of a paginated query, arguments taken as fabric-shim takes them. */
function queryMetadata(pageSize: unknown, bookmark: unknown): Uint8Array {
  const paging = wirePaging(pageSize, bookmark);
  return rq.encodeQueryMetadata(paging.pageSize, paging.bookmark);
}

/** Per-transaction options the handler passes to {@link createStub}. */
export interface StubOptions {
  /** CORE_PEER_LOCALMSPID, returned by `getMspID()`; empty when unset. */
  mspId: string;
}

const PUBLIC = '';

/** What {@link createStub} hands the stub. @internal */
export interface StubInit {
  tx: Transaction;
  input: ChaincodeInput;
  proposal: ProposalView;
  options: StubOptions;
}

/** The stub handed to Init/Invoke for one transaction (fabric-shim's `ChaincodeStub`). */
export class ChaincodeStub {
  /** fabric-shim's status codes, also reachable as `ChaincodeStub.RESPONSE_CODE`. */
  static readonly RESPONSE_CODE = RESPONSE_CODE;

  private readonly tx: Transaction;
  private readonly input: ChaincodeInput;
  private readonly proposal: ProposalView;
  private readonly mspId: string;
  private bufferArgs: Buffer[] | undefined;
  private stringArgs: string[] | undefined;

  /** @internal built by {@link createStub}; chaincode never constructs a stub. */
  constructor(init: StubInit) {
    this.tx = init.tx;
    this.input = init.input;
    this.proposal = init.proposal;
    this.mspId = init.options.mspId;
  }

  // ------------------------------------------------------------ invocation

  /** The arguments as strings (same as {@link getStringArgs}). */
  getArgs(): string[] {
    return this.getStringArgs();
  }
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
  getTxID(): string {
    return this.tx.txId;
  }
  /** The channel id. */
  getChannelID(): string {
    return this.tx.channelId;
  }
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
  getCreator(): SerializedIdentity {
    return this.proposal.creator();
  }
  /** The transient map of the proposal (never written to the ledger). */
  getTransient(): Map<string, Buffer> {
    return this.proposal.transient();
  }
  /** The decoded signed proposal. */
  getSignedProposal(): DecodedSignedProposal {
    return this.proposal.signed();
  }
  /** The client's timestamp from the proposal's channel header: `{ nanos, seconds: Long }`, a new object per call as in fabric-shim. */
  getTxTimestamp(): Timestamp {
    return this.proposal.timestamp();
  }
  /** The client's timestamp as a Date (millisecond precision). */
  getDateTimestamp(): Date {
    return this.proposal.date();
  }
  /** Hex SHA-256 binding of nonce, creator and epoch (Fabric's proposal binding). */
  getBinding(): string {
    return this.proposal.binding();
  }

  // ------------------------------------------------------------ world state

  // Public state: as fabric-shim, keys are not checked ('' included): the peer answers.

  /** Reads `key`; an empty Buffer when it has no value. Reads never see this transaction's own writes. */
  async getState(key: string): Promise<Buffer> {
    this.ensureOpen();
    return rq.getState(this.tx, PUBLIC, wireKey(key));
  }
  /** Writes `value` at `key` (a string is sent as UTF-8). */
  async putState(key: string, value: StateValue): Promise<void> {
    this.ensureOpen();
    return peerAnswer(this.tx.put(PUBLIC, wireKey(key), wireValue(value)));
  }
  /** Deletes `key`. */
  async deleteState(key: string): Promise<void> {
    this.ensureOpen();
    return peerAnswer(this.tx.del(PUBLIC, wireKey(key)));
  }
  /** Sets the key-level endorsement policy of `key` (bytes from KeyEndorsementPolicy.getPolicy()). */
  async setStateValidationParameter(key: string, ep: Uint8Array): Promise<void> {
    this.ensureOpen();
    return peerAnswer(this.tx.putPolicy(PUBLIC, wireKey(key), wirePolicy(ep)));
  }
  /**
   * The key-level endorsement policy of `key`, as fabric-shim returns it: a Uint8Array, and
   * `undefined` (despite the declared type, which is fabric-shim's) when the key has none.
   */
  async getStateValidationParameter(key: string): Promise<Uint8Array> {
    this.ensureOpen();
    return (await rq.getStateMetadata(this.tx, PUBLIC, wireKey(key))) as Uint8Array;
  }

  /**
   * Reads several keys: one GET_STATE_MULTIPLE per chunk of the peer's maximum when the peer
   * supports it (Fabric 3.1+), else one GET_STATE per key. Values come back in key order.
   * Takes an array, as fabric-shim 2.5.9 (`getMultipleStates(['a', 'b'])`), or the keys as
   * arguments, as the Go shim.
   */
  async getMultipleStates(...keys: string[] | [readonly string[]]): Promise<Buffer[]> {
    this.ensureOpen();
    return this.tx.getMultiple(PUBLIC, keyList(keys).map(wireKey));
  }

  /** Range query over simple keys [startKey, endKey); '' means unbounded on either side. */
  getStateByRange(startKey: string, endKey: string): QueryPromise<StateQueryIterator, KV> {
    return this.stateQuery(async () => {
      const [start, end] = simpleRange(startKey, endKey);
      return (await this.tx.range(PUBLIC, start, end)).iterator;
    });
  }
  /** One page of a range query; pass the returned bookmark to get the next page. */
  getStateByRangeWithPagination(
    startKey: string,
    endKey: string,
    pageSize: number,
    bookmark = '',
  ): QueryPromise<StateQueryResponse<StateQueryIterator>, KV> {
    return this.pagedQuery(async () => {
      const [start, end] = simpleRange(startKey, endKey);
      return this.tx.range(PUBLIC, start, end, queryMetadata(pageSize, bookmark));
    });
  }
  /** All composite keys that extend the partial key (objectType, ...attributes). */
  getStateByPartialCompositeKey(objectType: string, attributes: string[]): QueryPromise<StateQueryIterator, KV> {
    return this.stateQuery(async () => {
      const [start, end] = ck.partialCompositeKeyRange(objectType, attributes);
      return (await this.tx.range(PUBLIC, start, end)).iterator;
    });
  }
  /** One page of {@link getStateByPartialCompositeKey}. */
  getStateByPartialCompositeKeyWithPagination(
    objectType: string,
    attributes: string[],
    pageSize: number,
    bookmark = '',
  ): QueryPromise<StateQueryResponse<StateQueryIterator>, KV> {
    return this.pagedQuery(async () => {
      const [start, end] = ck.partialCompositeKeyRange(objectType, attributes);
      return this.tx.range(PUBLIC, start, end, queryMetadata(pageSize, bookmark));
    });
  }
  /** One page over every composite key of the namespace (Go shim's GetAllStatesCompositeKeyWithPagination). */
  getAllStatesCompositeKeyWithPagination(pageSize: number, bookmark = ''): QueryPromise<StateQueryResponse<StateQueryIterator>, KV> {
    return this.pagedQuery(async () => {
      const metadata = queryMetadata(pageSize, bookmark);
      const start = ck.COMPOSITE_KEY_NAMESPACE;
      return this.tx.range(PUBLIC, start, start + ck.MAX_UNICODE_RUNE_VALUE, metadata);
    });
  }
  /** Rich query in the state database's syntax (CouchDB JSON selector). */
  getQueryResult(query: string): QueryPromise<StateQueryIterator, KV> {
    return this.stateQuery(async () => (await this.tx.query(PUBLIC, wireQuery(query))).iterator);
  }
  /** One page of a rich query. */
  getQueryResultWithPagination(query: string, pageSize: number, bookmark = ''): QueryPromise<StateQueryResponse<StateQueryIterator>, KV> {
    return this.pagedQuery(async () => this.tx.query(PUBLIC, wireQuery(query), queryMetadata(pageSize, bookmark)));
  }
  /** Every committed change of `key`, newest first; a delete has `isDelete: true`. */
  getHistoryForKey(key: string): QueryPromise<HistoryQueryIterator, KeyModification> {
    return queryPromise(
      this.guarded(async () => this.tx.history(wireKey(key))),
      (it) => it,
    );
  }

  // ------------------------------------------------------------ write batching (Fabric 3.1+)

  /**
   * From now on, collect writes locally and send them as WRITE_BATCH_STATE messages at
   * {@link finishWriteBatch} (or automatically before the transaction completes). Does
   * nothing when the peer does not support batching: writes then go out one by one.
   */
  startWriteBatch(): void {
    this.ensureOpen();
    this.tx.startBatch();
  }
  /** Sends the collected writes, in chunks of the peer's maximum; a no-op without a batch. */
  async finishWriteBatch(): Promise<void> {
    this.ensureOpen();
    await this.tx.flush();
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
    return rq.invokeChaincode(this.tx, name, args.map(toBytes));
  }
  /** Sets the event sent with COMPLETED; a later call replaces it. */
  setEvent(name: string, payload: StateValue): void {
    this.ensureOpen();
    if (typeof name !== 'string' || name === '') throw invalidArgument('Event name must be a non-empty string');
    this.tx.event = create(chaincodeEventPb().ChaincodeEventSchema, {
      eventName: name,
      payload: isBytes(payload) ? toBytes(payload) : new Uint8Array(0),
    });
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
    return rq.getState(this.tx, collection, key);
  }
  /** The hash of a private value; works on peers that hold only hashes of the collection. */
  async getPrivateDataHash(collection: string, key: string): Promise<Buffer> {
    this.ensureOpen();
    requireCollection(collection);
    requireKey(key);
    return rq.getPrivateDataHash(this.tx, collection, key);
  }
  /** Reads several private keys (see {@link getMultipleStates}). */
  async getMultiplePrivateData(collection: string, ...keys: string[] | [readonly string[]]): Promise<Buffer[]> {
    this.ensureOpen();
    requireCollection(collection);
    const list = keyList(keys);
    list.forEach(requireKey);
    return this.tx.getMultiple(collection, list);
  }
  /** Writes a private value. As in fabric-shim, an empty (falsy) value is refused. */
  async putPrivateData(collection: string, key: string, value: StateValue): Promise<void> {
    this.ensureOpen();
    requireCollection(collection);
    requireKey(key);
    return peerAnswer(this.tx.put(collection, key, requirePrivateValue(value)));
  }
  /** Deletes a private key. */
  async deletePrivateData(collection: string, key: string): Promise<void> {
    this.ensureOpen();
    requireCollection(collection);
    requireKey(key);
    return peerAnswer(this.tx.del(collection, key));
  }
  /** Deletes a private key and, after commit, purges its history from the private data store. */
  async purgePrivateData(collection: string, key: string): Promise<void> {
    this.ensureOpen();
    requireCollection(collection);
    requireKey(key);
    return peerAnswer(this.tx.purge(collection, key));
  }
  /**
   * Sets the key-level endorsement policy of a private key. As fabric-shim, nothing is checked
   * here (an empty collection names public state): the peer answers.
   */
  async setPrivateDataValidationParameter(collection: string, key: string, ep: Uint8Array): Promise<void> {
    this.ensureOpen();
    return peerAnswer(this.tx.putPolicy(wireKey(collection), wireKey(key), wirePolicy(ep)));
  }
  /** The key-level endorsement policy of a private key; `undefined` when it has none (see {@link getStateValidationParameter}). */
  async getPrivateDataValidationParameter(collection: string, key: string): Promise<Uint8Array> {
    this.ensureOpen();
    return (await rq.getStateMetadata(this.tx, wireKey(collection), wireKey(key))) as Uint8Array;
  }
  // The private queries resolve to `{ iterator }` as fabric-shim's do (see PrivateQueryResponse),
  // and refuse a call with the wrong number of arguments with its words.

  /** Range query over a private collection (the keys are not checked for the composite key namespace, as in fabric-shim). */
  getPrivateDataByRange(collection: string, startKey: string, endKey: string): QueryPromise<PrivateQueryResponse, KV> {
    const arity = arguments.length;
    return this.privateQuery(async () => {
      if (arity !== 3) throw invalidArgument('getPrivateDataByRange requires three arguments, collection, startKey and endKey');
      requireCollection(collection);
      return this.tx.range(collection, wireKey(startKey) || ck.EMPTY_KEY_SUBSTITUTE, wireKey(endKey));
    });
  }
  /** Partial composite key query over a private collection. */
  getPrivateDataByPartialCompositeKey(
    collection: string,
    objectType: string,
    attributes: string[],
  ): QueryPromise<PrivateQueryResponse, KV> {
    const arity = arguments.length;
    return this.privateQuery(async () => {
      if (arity !== 3)
        throw invalidArgument('getPrivateDataByPartialCompositeKey requires three arguments, collection, objectType and attributes');
      requireCollection(collection);
      const [start, end] = ck.partialCompositeKeyRange(objectType, attributes);
      return this.tx.range(collection, start, end);
    });
  }
  /** Rich query over a private collection. */
  getPrivateDataQueryResult(collection: string, query: string): QueryPromise<PrivateQueryResponse, KV> {
    const arity = arguments.length;
    return this.privateQuery(async () => {
      if (arity !== 2) throw invalidArgument('getPrivateDataQueryResult requires two arguments, collection and query');
      requireCollection(collection);
      return this.tx.query(collection, wireQuery(query));
    });
  }

  // ------------------------------------------------------------ internals

  private ensureOpen(): void {
    if (this.tx.closed) {
      throw new ShimError('TRANSACTION_CLOSED', 'The transaction has completed; its stub can no longer be used', {
        txId: this.tx.txId,
        channelId: this.tx.channelId,
      });
    }
  }

  private stateQuery(run: () => Promise<StateQueryIterator>): QueryPromise<StateQueryIterator, KV> {
    return queryPromise(this.guarded(run), (it) => it);
  }

  private pagedQuery(run: () => Promise<StateQueryResponse<StateQueryIterator>>): QueryPromise<StateQueryResponse<StateQueryIterator>, KV> {
    return queryPromise(this.guarded(run), (r) => r.iterator);
  }

  private privateQuery(run: () => Promise<StateQueryResponse<StateQueryIterator>>): QueryPromise<PrivateQueryResponse, KV> {
    return queryPromise(
      this.guarded(async () => new PrivateQueryResponse((await run()).iterator)),
      (r) => r.iterator,
    );
  }

  /** Runs `run` after the open check, so every failure is a rejection (these methods cannot be async). */
  private async guarded<R>(run: () => Promise<R>): Promise<R> {
    this.ensureOpen();
    return run();
  }
}

/**
 * Builds the stub of `tx` for its INIT/TRANSACTION message. Throws ShimError('PROTOCOL') if the
 * ChaincodeInput payload is malformed; the proposal is decoded later, when first asked for.
 */
export function createStub(tx: Transaction, message: ChaincodeMessage, options: StubOptions): ChaincodeStub {
  let input: ChaincodeInput;
  try {
    input = decodeChaincodeInput(message.payload);
  } catch (cause) {
    throw new ShimError('PROTOCOL', `Cannot decode the ChaincodeInput of ${T[message.type] ?? message.type}: ${String(cause)}`, {
      txId: message.txid,
      channelId: message.channelId,
      cause,
    });
  }
  return new ChaincodeStub({ tx, input, proposal: new ProposalView(message.proposal), options });
}

// ------------------------------------------------------------ promises a chaincode may drop

function noop(): void {
  /* marks a promise handled; its rejection still reaches whoever awaits it */
}

/**
 * Every stub method that returns a promise, with the message it sends. Chaincode often drops
 * such a promise (a missing `await`, issue 12); when the call then fails, Node would end the
 * whole chaincode process on the unhandled rejection. So each of these methods is wrapped once,
 * here, at load time (not in every method, so they keep reading as fabric-shim's API):
 * - its promise is marked handled (one `.catch` per call, no closure). The chaincode still sees
 *   the rejection if it awaits; a call left behind when Init/Invoke returns is drained by the
 *   transaction, which fails the transaction with its error;
 * - once the transaction has ended it rejects ShimError('TRANSACTION_CLOSED') naming the txid,
 *   the method and the message it would have sent, and sends nothing.
 */
const TALK_BACK_METHODS = {
  getState: T.GET_STATE,
  putState: T.PUT_STATE,
  deleteState: T.DEL_STATE,
  setStateValidationParameter: T.PUT_STATE_METADATA,
  getStateValidationParameter: T.GET_STATE_METADATA,
  getMultipleStates: T.GET_STATE_MULTIPLE,
  getStateByRange: T.GET_STATE_BY_RANGE,
  getStateByRangeWithPagination: T.GET_STATE_BY_RANGE,
  getStateByPartialCompositeKey: T.GET_STATE_BY_RANGE,
  getStateByPartialCompositeKeyWithPagination: T.GET_STATE_BY_RANGE,
  getAllStatesCompositeKeyWithPagination: T.GET_STATE_BY_RANGE,
  getQueryResult: T.GET_QUERY_RESULT,
  getQueryResultWithPagination: T.GET_QUERY_RESULT,
  getHistoryForKey: T.GET_HISTORY_FOR_KEY,
  finishWriteBatch: T.WRITE_BATCH_STATE,
  invokeChaincode: T.INVOKE_CHAINCODE,
  getPrivateData: T.GET_STATE,
  getPrivateDataHash: T.GET_PRIVATE_DATA_HASH,
  getMultiplePrivateData: T.GET_STATE_MULTIPLE,
  putPrivateData: T.PUT_STATE,
  deletePrivateData: T.DEL_STATE,
  purgePrivateData: T.PURGE_PRIVATE_DATA,
  setPrivateDataValidationParameter: T.PUT_STATE_METADATA,
  getPrivateDataValidationParameter: T.GET_STATE_METADATA,
  getPrivateDataByRange: T.GET_STATE_BY_RANGE,
  getPrivateDataByPartialCompositeKey: T.GET_STATE_BY_RANGE,
  getPrivateDataQueryResult: T.GET_QUERY_RESULT,
} as const satisfies Partial<Record<keyof ChaincodeStub, ChaincodeMessage_Type>>;

/** Names of the stub methods that talk to the peer (their promises are never left unhandled). @internal */
export const TALK_BACK_METHOD_NAMES: readonly string[] = Object.keys(TALK_BACK_METHODS);

/** The methods that return a QueryPromise: after the transaction they must still be `for await`-able. */
const QUERY_TYPES: ReadonlySet<ChaincodeMessage_Type> = new Set([T.GET_STATE_BY_RANGE, T.GET_QUERY_RESULT, T.GET_HISTORY_FOR_KEY]);

/** What a talk-back method of a stub whose transaction has ended returns. */
function closedCall(stub: ChaincodeStub, name: string, type: ChaincodeMessage_Type): Promise<unknown> {
  const txId = stub.getTxID();
  const requestType = T[type];
  const error = new ShimError(
    'TRANSACTION_CLOSED',
    `transaction ${txId} has completed; ${name}() called after it ended, ${requestType} not sent`,
    {
      txId,
      channelId: stub.getChannelID(),
      requestType,
    },
  );
  const rejected = Promise.reject(error);
  return QUERY_TYPES.has(type) ? queryPromise(rejected, (it: StateQueryIterator) => it) : rejected;
}

for (const [name, type] of Object.entries(TALK_BACK_METHODS)) {
  const proto = ChaincodeStub.prototype as unknown as Record<string, (this: ChaincodeStub, ...args: unknown[]) => Promise<unknown>>;
  const method = proto[name] as (this: ChaincodeStub, ...args: unknown[]) => Promise<unknown>;
  // A named function (`{ [name]() {} }`) so stack traces still show the method's name.
  const wrapped = {
    [name](this: ChaincodeStub, ...args: unknown[]): Promise<unknown> {
      // `['tx']`: the stub's private state, read by its own module.
      const promise = this['tx'].closed ? closedCall(this, name, type) : method.apply(this, args);
      promise.catch(noop);
      return promise;
    },
  }[name];
  Object.defineProperty(ChaincodeStub.prototype, name, { value: wrapped, writable: true, configurable: true, enumerable: false });
}
