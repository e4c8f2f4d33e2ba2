/**
 * ChaincodeStub: the API a chaincode calls, fabric-shim 2.5's names and shapes. It validates
 * arguments and delegates every peer exchange to `requests.ts` over the TalkBack.
 */
import { fromBinary } from '@bufbuild/protobuf';
import type { ChaincodeEvent } from './gen/peer/chaincode_event_pb';
import { ChaincodeInputSchema } from './gen/peer/chaincode_pb';
import { ChaincodeMessage_Type, type ChaincodeMessage } from './gen/peer/chaincode_shim_pb';
import { ShimError, invalidArgument } from './errors';
import type { Logger } from './logger';
import type { TalkBack, TransactionScope } from './talk-back';
import * as rq from './requests';

/** Per-transaction options the handler passes to {@link createTransaction}. */
export interface TransactionOptions {
  /** CORE_PEER_LOCALMSPID, returned by `getMspID()`. */
  mspId: string;
  logger?: Logger;
}

/** A value as fabric-shim accepts it: bytes (Buffer is a Uint8Array) or a string (UTF-8). */
export type StateValue = Uint8Array | string;

function toBytes(value: StateValue): Uint8Array {
  return typeof value === 'string' ? Buffer.from(value, 'utf8') : value;
}

function requireKey(key: unknown): asserts key is string {
  if (typeof key !== 'string' || key.length === 0) throw invalidArgument('key must be a non-empty string');
}

/** The stub handed to Init/Invoke for one transaction. */
export class ChaincodeStub {
  private closed = false;
  private readonly bufferArgs: Buffer[];
  private readonly args: string[];

  /** @internal built by {@link createTransaction}. */
  constructor(
    private readonly talkBack: TalkBack,
    args: readonly Uint8Array[],
    private readonly options: TransactionOptions,
  ) {
    this.bufferArgs = args.map(rq.asBuffer);
    this.args = this.bufferArgs.map((a) => a.toString('utf8'));
  }

  /** The arguments as strings (same as {@link getStringArgs}). */
  getArgs(): string[] { return this.args; }
  /** The arguments as strings. */
  getStringArgs(): string[] { return this.args; }
  /** The arguments as Buffers. */
  getBufferArgs(): Buffer[] { return this.bufferArgs; }
  /** The first argument as the function name, the rest as parameters. */
  getFunctionAndParameters(): { fcn: string; params: string[] } {
    const [fcn = '', ...params] = this.args;
    return { fcn, params };
  }
  /** The transaction id. */
  getTxID(): string { return this.talkBack.txId; }
  /** The channel id. */
  getChannelID(): string { return this.talkBack.channelId; }
  /** The MSP id of the peer that runs this chaincode (CORE_PEER_LOCALMSPID). */
  getMspID(): string {
    if (!this.options.mspId) throw new ShimError('CONFIG', 'CORE_PEER_LOCALMSPID is unset in chaincode process');
    return this.options.mspId;
  }

  /** Reads `key` from the world state; empty Buffer when absent. */
  async getState(key: string): Promise<Buffer> {
    this.ensureOpen();
    requireKey(key);
    return rq.roundTrip(this.talkBack, ChaincodeMessage_Type.GET_STATE, rq.encodeGetState(key, ''), rq.decodeValue);
  }
  /** Writes `value` at `key`. */
  async putState(key: string, value: StateValue): Promise<void> {
    this.ensureOpen();
    requireKey(key);
    return rq.roundTrip(this.talkBack, ChaincodeMessage_Type.PUT_STATE, rq.encodePutState(key, toBytes(value), ''), rq.decodeNothing);
  }
  /** Deletes `key`. */
  async deleteState(key: string): Promise<void> {
    this.ensureOpen();
    requireKey(key);
    return rq.roundTrip(this.talkBack, ChaincodeMessage_Type.DEL_STATE, rq.encodeDelState(key, ''), rq.decodeNothing);
  }

  /** @internal */
  markClosed(): void { this.closed = true; }
  private ensureOpen(): void {
    if (this.closed) {
      throw new ShimError('TRANSACTION_CLOSED', 'The transaction has completed; the stub can no longer be used', {
        txId: this.talkBack.txId,
        channelId: this.talkBack.channelId,
      });
    }
  }
}

/** Builds the stub for one INIT/TRANSACTION message. Throws ShimError('PROTOCOL') if the payload is malformed. */
export function createTransaction(
  talkBack: TalkBack,
  message: ChaincodeMessage,
  options: TransactionOptions,
): TransactionScope<ChaincodeStub> {
  let input;
  try {
    input = fromBinary(ChaincodeInputSchema, message.payload);
  } catch (cause) {
    throw new ShimError('PROTOCOL', 'Cannot decode ChaincodeInput', { txId: message.txid, channelId: message.channelId, cause });
  }
  const stub = new ChaincodeStub(talkBack, input.args, options);
  const event: ChaincodeEvent | undefined = undefined;
  return {
    stub,
    finish: async () => {},
    event: () => event,
    close: () => stub.markClosed(),
  };
}
