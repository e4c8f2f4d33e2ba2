/**
 * The floor: a chaincode written directly on @grpc/grpc-js and the generated protobuf-es
 * messages, used plainly (`create` / `toBinary` / `fromBinary`), with no shim logic: no
 * validation, no logging, no queueing beyond one pending reply per transaction. It shows
 * what any Node shim must pay for gRPC and protobuf on this machine.
 *
 * REGISTER, wait READY, answer each TRANSACTION by doing its talk-backs sequentially and
 * sending COMPLETED. Bundled by run.ts into bench/.build/baseline.js (packages external).
 */
import * as grpc from '@grpc/grpc-js';
import { create, fromBinary, toBinary } from '@bufbuild/protobuf';
import {
  ChaincodeMessageSchema,
  ChaincodeMessage_Type as Type,
  GetStateSchema,
  PutStateSchema,
  WriteBatchStateSchema,
  WriteRecordSchema,
  WriteRecord_Type,
  type ChaincodeMessage,
  type WriteRecord,
} from '../../src/gen/peer/chaincode_shim_pb';
import { ChaincodeAdditionalParamsSchema, ChaincodeIDSchema, ChaincodeInputSchema } from '../../src/gen/peer/chaincode_pb';
import { ResponseSchema } from '../../src/gen/peer/proposal_response_pb';
import { exitOnSigterm, runBench, type BenchStub } from './bench-logic';

exitOnSigterm();
function setting(flag: string, env: string): string {
  const i = process.argv.indexOf(flag);
  const value = i >= 0 ? process.argv[i + 1] : process.env[env];
  if (!value) throw new Error(`missing ${flag} / ${env}`);
  return value;
}

const address = setting('--peer.address', 'CORE_PEER_ADDRESS');
const name = setting('--chaincode-id-name', 'CORE_CHAINCODE_ID_NAME');
const MiB100 = 100 * 1024 * 1024;
const client = new grpc.Client(address, grpc.credentials.createInsecure(), {
  'grpc.max_send_message_length': MiB100,
  'grpc.max_receive_message_length': MiB100,
});
const call = client.makeBidiStreamRequest<ChaincodeMessage, ChaincodeMessage>(
  '/protos.ChaincodeSupport/Register',
  (msg) => Buffer.from(toBinary(ChaincodeMessageSchema, msg)),
  (bytes) => fromBinary(ChaincodeMessageSchema, bytes),
);

/** One waiting reply per transaction (talk-backs are sequential), keyed by channel + txid. */
const pending = new Map<string, { resolve(m: ChaincodeMessage): void }>();
let useWriteBatch = false;

function roundTrip(channelId: string, txid: string, type: Type, payload: Uint8Array): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    pending.set(channelId + txid, {
      resolve(reply) {
        if (reply.type === Type.RESPONSE) resolve(reply.payload);
        else reject(new Error(`peer answered ${Type[reply.type]}: ${Buffer.from(reply.payload).toString()}`));
      },
    });
    call.write(create(ChaincodeMessageSchema, { type, payload, txid, channelId }));
  });
}

function rawStub(msg: ChaincodeMessage): BenchStub {
  const { channelId, txid } = msg;
  const input = fromBinary(ChaincodeInputSchema, msg.payload);
  const args = input.args.map((a) => Buffer.from(a).toString());
  let batch: WriteRecord[] | undefined;
  const stub: BenchStub = {
    getFunctionAndParameters: () => ({ fcn: args[0] ?? '', params: args.slice(1) }),
    getState: (key) => roundTrip(channelId, txid, Type.GET_STATE, toBinary(GetStateSchema, create(GetStateSchema, { key }))),
    async putState(key, value) {
      if (batch) {
        batch.push(create(WriteRecordSchema, { key, value, type: WriteRecord_Type.PUT_STATE }));
        return;
      }
      await roundTrip(channelId, txid, Type.PUT_STATE, toBinary(PutStateSchema, create(PutStateSchema, { key, value })));
    },
  };
  if (useWriteBatch) {
    // The floor of the batched protocol: the puts travel in one WRITE_BATCH_STATE.
    stub.startWriteBatch = () => {
      batch = [];
    };
    stub.finishWriteBatch = async () => {
      const rec = batch ?? [];
      batch = undefined;
      const payload = toBinary(WriteBatchStateSchema, create(WriteBatchStateSchema, { rec }));
      await roundTrip(channelId, txid, Type.WRITE_BATCH_STATE, payload);
    };
  }
  return stub;
}

async function transaction(msg: ChaincodeMessage): Promise<void> {
  let response;
  try {
    const failure = await runBench(rawStub(msg));
    response = create(ResponseSchema, failure === undefined ? { status: 200 } : { status: 500, message: failure });
  } catch (err) {
    response = create(ResponseSchema, { status: 500, message: String(err) });
  }
  call.write(
    create(ChaincodeMessageSchema, {
      type: Type.COMPLETED,
      payload: toBinary(ResponseSchema, response),
      txid: msg.txid,
      channelId: msg.channelId,
    }),
  );
}

call.on('data', (msg: ChaincodeMessage) => {
  switch (msg.type) {
    case Type.TRANSACTION:
    case Type.INIT:
      void transaction(msg);
      return;
    case Type.RESPONSE:
    case Type.ERROR: {
      const key = msg.channelId + msg.txid;
      const waiter = pending.get(key);
      pending.delete(key);
      waiter?.resolve(msg);
      return;
    }
    case Type.READY:
      if (msg.payload.length > 0) useWriteBatch = fromBinary(ChaincodeAdditionalParamsSchema, msg.payload).useWriteBatch;
      return;
    case Type.KEEPALIVE:
      call.write(msg);
      return;
    default:
      return; // REGISTERED: nothing to do
  }
});
// The process must end when the stream does, so the peer (here: the bench) sees it go.
call.on('error', (err) => {
  console.error('stream error', err);
  process.exit(1);
});
call.on('end', () => process.exit(0));

call.write(
  create(ChaincodeMessageSchema, {
    type: Type.REGISTER,
    payload: toBinary(ChaincodeIDSchema, create(ChaincodeIDSchema, { name })),
  }),
);
