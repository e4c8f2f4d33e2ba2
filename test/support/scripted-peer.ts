/**
 * The one raw peer of the tests (the mock peer in src/testing aside): it speaks ChaincodeMessages
 * over real gRPC and lets the test script every message, for protocol tests that need exact
 * message order or faults the mock peer does not make. A {@link ScriptedPeer} serves
 * protos.ChaincodeSupport/Register (chaincode dials it); {@link PeerConnection.dial} dials a
 * chaincode server's protos.Chaincode/Connect. {@link RawPeer} (test/support/raw-peer.ts) is a
 * connection that serves transactions from a map.
 */
import { create, toBinary } from '@bufbuild/protobuf';
import { ChaincodeMessageSchema, ChaincodeMessage_Type as Type, type ChaincodeMessage } from '../../src/gen/peer/chaincode_shim_pb';
import { ChaincodeAdditionalParamsSchema, ChaincodeIDSchema, ChaincodeInputSchema } from '../../src/gen/peer/chaincode_pb';
import { fromBinary } from '@bufbuild/protobuf';
import { dialChaincode, serveStreams, type PeerStream, type StreamServer, type TlsClientOptions } from '../../src/stream';
import type { ShimError } from '../../src/errors';

/** One chaincode's stream, as the peer sees it. */
export class PeerConnection {
  private readonly inbox: ChaincodeMessage[] = [];
  private readonly waiters: ((m: ChaincodeMessage) => void)[] = [];
  private handler: ((m: ChaincodeMessage) => void) | undefined;
  /** Resolves when the chaincode side ends the stream (with the error, if any). */
  readonly ended: Promise<ShimError | undefined>;

  constructor(readonly stream: PeerStream) {
    let settle!: (e: ShimError | undefined) => void;
    this.ended = new Promise((r) => (settle = r));
    stream.listen({
      onMessage: (m) => {
        if (this.handler) return this.handler(m);
        const w = this.waiters.shift();
        if (w) w(m);
        else this.inbox.push(m);
      },
      onEnd: (e) => settle(e),
    });
  }

  /** The peer side dialling a chaincode server (chaincode as a service), as a real peer does. */
  static dial(address: string, tls?: TlsClientOptions): PeerConnection {
    return new PeerConnection(dialChaincode(address, tls === undefined ? {} : { tls }));
  }

  /**
   * From now on every message goes to `handler` as it arrives (messages not yet taken with next()
   * first), instead of waiting for next(): for a peer that answers by rule rather than by script.
   */
  serve(handler: (m: ChaincodeMessage) => void): void {
    this.handler = handler;
    for (const m of this.inbox.splice(0)) handler(m);
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
    this.stream.send(
      create(ChaincodeMessageSchema, {
        type,
        txid: fields.txid ?? '',
        channelId: fields.channelId ?? '',
        payload: fields.payload ?? new Uint8Array(0),
      }),
    );
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
export function additionalParams(p: {
  useWriteBatch?: boolean;
  maxSizeWriteBatch?: number;
  useGetMultipleKeys?: boolean;
  maxSizeGetMultipleKeys?: number;
}): Uint8Array {
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
