/**
 * The cheapest peer that speaks the chaincode protocol: REGISTERED + READY (with the
 * Fabric 3.1 capabilities), GET_STATE/PUT_STATE/WRITE_BATCH_STATE against one Map, and a
 * TRANSACTION per invoke with no signed proposal (fabric-shim and ours both accept that, as
 * in Fabric's own dev-mode tests). Used with `--peer minimal` to measure shim cost with as
 * little peer work as possible in the bench process.
 */
import { create, fromBinary, toBinary } from '@bufbuild/protobuf';
import {
  ChaincodeMessageSchema,
  ChaincodeMessage_Type as Type,
  GetStateSchema,
  PutStateSchema,
  WriteBatchStateSchema,
  type ChaincodeMessage,
} from '../../src/gen/peer/chaincode_shim_pb';
import { ChaincodeAdditionalParamsSchema, ChaincodeIDSchema, ChaincodeInputSchema } from '../../src/gen/peer/chaincode_pb';
import { ResponseSchema } from '../../src/gen/peer/proposal_response_pb';
import { serveStreams, type PeerStream } from '../../src/stream';
import type { PeerCapabilities } from '../../src/connection-options';
import type { BenchChaincode, BenchPeer } from './peer';

const CHANNEL = 'benchchannel';
const encoder = new TextEncoder();

class Connection implements BenchChaincode {
  private readonly pending = new Map<string, { resolve(): void; reject(e: Error): void }>();
  private nextTx = 0;

  constructor(
    private readonly stream: PeerStream,
    private readonly state: Map<string, Uint8Array>,
  ) {}

  invoke(args: readonly string[]): Promise<void> {
    const txid = `tx${this.nextTx++}`;
    const payload = toBinary(ChaincodeInputSchema, create(ChaincodeInputSchema, { args: args.map((a) => encoder.encode(a)) }));
    return new Promise((resolve, reject) => {
      this.pending.set(txid, { resolve, reject });
      this.stream.send(create(ChaincodeMessageSchema, { type: Type.TRANSACTION, txid, channelId: CHANNEL, payload }));
    });
  }

  onMessage(msg: ChaincodeMessage): void {
    const reply = (payload: Uint8Array = new Uint8Array(0)): void =>
      this.stream.send(create(ChaincodeMessageSchema, { type: Type.RESPONSE, txid: msg.txid, channelId: msg.channelId, payload }));
    switch (msg.type) {
      case Type.GET_STATE:
        reply(this.state.get(fromBinary(GetStateSchema, msg.payload).key));
        return;
      case Type.PUT_STATE: {
        const put = fromBinary(PutStateSchema, msg.payload);
        this.state.set(put.key, put.value);
        reply();
        return;
      }
      case Type.WRITE_BATCH_STATE:
        for (const rec of fromBinary(WriteBatchStateSchema, msg.payload).rec) this.state.set(rec.key, rec.value);
        reply();
        return;
      case Type.COMPLETED:
      case Type.ERROR: {
        const waiter = this.pending.get(msg.txid);
        this.pending.delete(msg.txid);
        if (!waiter) return;
        const response = msg.type === Type.COMPLETED ? fromBinary(ResponseSchema, msg.payload) : undefined;
        if (response?.status === 200) waiter.resolve();
        else waiter.reject(new Error(response?.message ?? Buffer.from(msg.payload).toString()));
        return;
      }
      default:
        this.stream.send(
          create(ChaincodeMessageSchema, {
            type: Type.ERROR,
            txid: msg.txid,
            channelId: msg.channelId,
            payload: encoder.encode(`minimal peer: ${Type[msg.type]} not supported`),
          }),
        );
    }
  }

  fail(error: Error): void {
    for (const waiter of this.pending.values()) waiter.reject(error);
    this.pending.clear();
  }
}

/** Starts the minimal peer on 127.0.0.1:0. */
export async function startMinimalPeer(capabilities: PeerCapabilities): Promise<BenchPeer> {
  const waiters = new Map<string, (cc: BenchChaincode) => void>();
  const state = new Map<string, Uint8Array>();
  const ready = toBinary(ChaincodeAdditionalParamsSchema, create(ChaincodeAdditionalParamsSchema, capabilities));
  const server = await serveStreams(
    'ChaincodeSupport',
    (stream) => {
      let connection: Connection | undefined;
      stream.listen({
        onMessage(msg) {
          if (connection) return connection.onMessage(msg);
          if (msg.type !== Type.REGISTER) return stream.destroy(new Error('expected REGISTER'));
          const { name } = fromBinary(ChaincodeIDSchema, msg.payload);
          connection = new Connection(stream, state);
          stream.send(create(ChaincodeMessageSchema, { type: Type.REGISTERED }));
          stream.send(create(ChaincodeMessageSchema, { type: Type.READY, payload: ready }));
          waiters.get(name)?.(connection);
          waiters.delete(name);
        },
        onEnd(error) {
          connection?.fail(error ?? new Error('stream ended'));
        },
      });
    },
    { address: '127.0.0.1:0' },
  );
  return {
    address: server.address,
    waitForChaincode: (name) => new Promise((resolve) => waiters.set(name, resolve)),
    stop: () => server.stop(0),
  };
}
