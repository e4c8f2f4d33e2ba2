/**
 * A fake transaction for stub tests: a real Transaction (write batch, iterators, event, closed
 * flag) whose talk-backs never reach a stream: it records every call (type + payload) and
 * answers from a per-type script, so a test can assert exactly which messages the stub sends.
 */
import { create, fromBinary, toBinary, type DescMessage, type MessageShape } from '@bufbuild/protobuf';
import { KVSchema, KeyModificationSchema } from '../../src/gen/ledger/queryresult/kv_query_result_pb';
import { ChaincodeInputSchema } from '../../src/gen/peer/chaincode_pb';
import {
  ChaincodeMessageSchema,
  ChaincodeMessage_Type,
  QueryResponseMetadataSchema,
  QueryResponseSchema,
} from '../../src/gen/peer/chaincode_shim_pb';
import { ShimError } from '../../src/errors';
import type { PeerCapabilities } from '../../src/connection-options';
import { createStub } from '../../src/stub';
import { Transaction } from '../../src/transaction';

/** One recorded call. */
export interface RecordedCall {
  type: ChaincodeMessage_Type;
  /** The type's name, e.g. 'GET_STATE', for readable assertions. */
  name: string;
  payload: Uint8Array;
}

/** How the fake answers one call: RESPONSE bytes, a rejection, or a function of the call. */
export type Answer = Uint8Array | Error | ((call: RecordedCall) => Uint8Array | Promise<Uint8Array>);

/** A peer that supports neither write batches nor multi-key reads (Fabric before 3.1). */
export const OLD_PEER: PeerCapabilities = {
  useWriteBatch: false,
  maxSizeWriteBatch: 0,
  useGetMultipleKeys: false,
  maxSizeGetMultipleKeys: 0,
};

/** Records calls; answers from scripts queued with {@link FakeTalkBack.answer}, else with empty bytes. */
export class FakeTalkBack extends Transaction {
  readonly calls: RecordedCall[] = [];
  private readonly scripts = new Map<ChaincodeMessage_Type, Answer[]>();

  constructor(opts: { channelId?: string; txId?: string; capabilities?: Partial<PeerCapabilities> } = {}) {
    const noStream = (): void => {
      throw new Error('FakeTalkBack answers every call itself');
    };
    super(noStream, opts.channelId ?? 'mychannel', opts.txId ?? 'tx1', { ...OLD_PEER, ...opts.capabilities });
  }

  /** Queues answers for calls of `type`, used in order; the last one repeats when the queue would run dry. */
  answer(type: ChaincodeMessage_Type, ...answers: Answer[]): this {
    this.scripts.set(type, [...(this.scripts.get(type) ?? []), ...answers]);
    return this;
  }

  override async call(type: ChaincodeMessage_Type, payload: Uint8Array): Promise<Uint8Array> {
    const call: RecordedCall = { type, name: ChaincodeMessage_Type[type] ?? String(type), payload };
    this.calls.push(call);
    const queue = this.scripts.get(type);
    const answer = queue && queue.length > 1 ? queue.shift() : queue?.[0];
    if (answer === undefined) return new Uint8Array(0);
    if (answer instanceof Error) throw answer;
    if (typeof answer === 'function') return answer(call);
    return answer;
  }

  /** Names of the calls made so far, in order. */
  names(): string[] {
    return this.calls.map((c) => c.name);
  }

  /** Decodes the payload of call `index` with `schema`. */
  decoded<D extends DescMessage>(index: number, schema: D): MessageShape<D> {
    const call = this.calls[index];
    if (!call) throw new Error(`no call #${index}; calls: ${this.names().join(', ')}`);
    return fromBinary(schema, call.payload);
  }
}

/** A peer ERROR as the handler reports it to the stub. */
export function peerError(message: string): ShimError {
  return new ShimError('PEER_ERROR', message);
}

/** Encodes a QueryResponse page of KV results. */
export function kvPage(opts: {
  kvs: { key: string; value: string; namespace?: string }[];
  id?: string;
  hasMore?: boolean;
  metadata?: { fetchedRecordsCount: number; bookmark: string };
}): Uint8Array {
  return toBinary(
    QueryResponseSchema,
    create(QueryResponseSchema, {
      id: opts.id ?? 'q1',
      hasMore: opts.hasMore ?? false,
      results: opts.kvs.map((kv) => ({
        resultBytes: toBinary(KVSchema, create(KVSchema, { namespace: kv.namespace ?? 'mycc', key: kv.key, value: Buffer.from(kv.value) })),
      })),
      metadata: opts.metadata
        ? toBinary(QueryResponseMetadataSchema, create(QueryResponseMetadataSchema, opts.metadata))
        : new Uint8Array(0),
    }),
  );
}

/** Encodes a QueryResponse page of history entries. */
export function historyPage(opts: {
  entries: { txId: string; value: string; seconds: number; nanos?: number; isDelete?: boolean }[];
  id?: string;
  hasMore?: boolean;
}): Uint8Array {
  return toBinary(
    QueryResponseSchema,
    create(QueryResponseSchema, {
      id: opts.id ?? 'h1',
      hasMore: opts.hasMore ?? false,
      results: opts.entries.map((e) => ({
        resultBytes: toBinary(
          KeyModificationSchema,
          create(KeyModificationSchema, {
            txId: e.txId,
            value: Buffer.from(e.value),
            timestamp: { seconds: BigInt(e.seconds), nanos: e.nanos ?? 0 },
            isDelete: e.isDelete ?? false,
          }),
        ),
      })),
    }),
  );
}

/** A TRANSACTION message with `args`, for {@link createStub}. */
export function transactionMessage(args: (string | Uint8Array)[], decorations: Record<string, Uint8Array> = {}) {
  return create(ChaincodeMessageSchema, {
    type: ChaincodeMessage_Type.TRANSACTION,
    txid: 'tx1',
    channelId: 'mychannel',
    payload: toBinary(
      ChaincodeInputSchema,
      create(ChaincodeInputSchema, { args: args.map((a) => (typeof a === 'string' ? Buffer.from(a) : a)), decorations }),
    ),
  });
}

/** A stub over a fresh FakeTalkBack; `scope` is that transaction (finish() as before COMPLETED). */
export function fakeTransaction(opts: { args?: (string | Uint8Array)[]; capabilities?: Partial<PeerCapabilities>; mspId?: string } = {}) {
  const talkBack = new FakeTalkBack({ capabilities: opts.capabilities ?? {} });
  const stub = createStub(talkBack, transactionMessage(opts.args ?? ['fn']), { mspId: opts.mspId ?? 'Org1MSP' });
  return { talkBack, scope: talkBack, stub };
}
