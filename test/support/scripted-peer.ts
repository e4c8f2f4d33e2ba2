/**
 * A tiny peer for protocol tests that need exact message order: it serves
 * protos.ChaincodeSupport/Register over real gRPC and lets the test script every message.
 */
import { create, toBinary } from '@bufbuild/protobuf';
import { ChaincodeMessageSchema, ChaincodeMessage_Type as Type, type ChaincodeMessage } from '../../src/gen/peer/chaincode_shim_pb';
import { ChaincodeAdditionalParamsSchema, ChaincodeIDSchema, ChaincodeInputSchema } from '../../src/gen/peer/chaincode_pb';
import { fromBinary } from '@bufbuild/protobuf';
import { serveStreams, type PeerStream, type StreamServer } from '../../src/stream';
import type { ShimError } from '../../src/errors';

/** One chaincode's stream, as the peer sees it. */
export class PeerConnection {
  private readonly inbox: ChaincodeMessage[] = [];
  private readonly waiters: ((m: ChaincodeMessage) => void)[] = [];
  /** Resolves when the chaincode side ends the stream (with the error, if any). */
  readonly ended: Promise<ShimError | undefined>;

  constructor(readonly stream: PeerStream) {
    let settle!: (e: ShimError | undefined) => void;
    this.ended = new Promise((r) => (settle = r));
    stream.listen({
      onMessage: (m) => {
        const w = this.waiters.shift();
        if (w) w(m);
        else this.inbox.push(m);
      },
      onEnd: (e) => settle(e),
    });
  }

  /** The next message from the chaincode. */
  next(): Promise<ChaincodeMessage> {
    const m = this.inbox.shift();
    if (m) return Promise.resolve(m);
    return new Promise((r) => this.waiters.push(r));
  }

  /** Messages received and not yet taken with next(). */
  get unread(): readonly ChaincodeMessage[] {
    return this.inbox;
  }

  send(type: Type, fields: { txid?: string; channelId?: string; payload?: Uint8Array } = {}): void {
    this.stream.send(create(ChaincodeMessageSchema, { type, txid: fields.txid ?? '', channelId: fields.channelId ?? '', payload: fields.payload ?? new Uint8Array(0) }));
  }

  /** Reads REGISTER, answers REGISTERED then READY (optionally with ChaincodeAdditionalParams); returns the registered name. */
  async handshake(params?: { registered?: Uint8Array; ready?: Uint8Array }): Promise<string> {
    const reg = await this.next();
    if (reg.type !== Type.REGISTER) throw new Error(`expected REGISTER, got ${Type[reg.type]}`);
    this.send(Type.REGISTERED, params?.registered ? { payload: params.registered } : {});
    this.send(Type.READY, params?.ready ? { payload: params.ready } : {});
    return fromBinary(ChaincodeIDSchema, reg.payload).name;
  }

  /** Sends a TRANSACTION (or INIT) with string args. */
  transaction(txid: string, args: string[], opts: { channelId?: string; type?: Type } = {}): void {
    const input = create(ChaincodeInputSchema, { args: args.map((a) => Buffer.from(a)) });
    this.send(opts.type ?? Type.TRANSACTION, { txid, channelId: opts.channelId ?? 'ch', payload: toBinary(ChaincodeInputSchema, input) });
  }
}

/** Encodes ChaincodeAdditionalParams as a 3.1 peer sends them. */
export function additionalParams(p: { useWriteBatch?: boolean; maxSizeWriteBatch?: number; useGetMultipleKeys?: boolean; maxSizeGetMultipleKeys?: number }): Uint8Array {
  return toBinary(ChaincodeAdditionalParamsSchema, create(ChaincodeAdditionalParamsSchema, p));
}

/** A listening scripted peer on 127.0.0.1 and a free port. */
export class ScriptedPeer {
  private readonly accepted: PeerConnection[] = [];
  private readonly waiting: ((c: PeerConnection) => void)[] = [];
  private server: StreamServer | undefined;

  static async start(): Promise<ScriptedPeer> {
    const peer = new ScriptedPeer();
    peer.server = await serveStreams('ChaincodeSupport', (s) => peer.onStream(s), { address: '127.0.0.1:0' });
    return peer;
  }

  get address(): string {
    if (!this.server) throw new Error('not started');
    return this.server.address;
  }

  private onStream(stream: PeerStream): void {
    const c = new PeerConnection(stream);
    const w = this.waiting.shift();
    if (w) w(c);
    else this.accepted.push(c);
  }

  /** The next chaincode connection. */
  accept(): Promise<PeerConnection> {
    const c = this.accepted.shift();
    if (c) return Promise.resolve(c);
    return new Promise((r) => this.waiting.push(r));
  }

  async stop(): Promise<void> {
    await this.server?.stop();
  }
}
