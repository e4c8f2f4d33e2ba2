/**
 * The only module that imports @grpc/grpc-js: a bidirectional ChaincodeMessage call (client or
 * server side) seen as a small {@link PeerStream}. Everything above it (handler, mock peer,
 * chaincode server) speaks ChaincodeMessage objects and never sees gRPC. Other services served
 * next to ChaincodeSupport (the mock peer's gateway.Gateway) are plain byte handlers here
 * ({@link ServedService}), failing with an {@link RpcError} that becomes the call's status.
 */
import type * as grpc from '@grpc/grpc-js';
import type { ChaincodeMessage } from './gen/peer/chaincode_shim_pb';
import { decodeChaincodeMessage, encodeChaincodeMessage } from './codec/envelope';
import { ShimError } from './errors';
import { shimLogger } from './logger';
import { format } from 'node:util';
import { withoutGrpcScheme, type GrpcSettings, type TlsClientOptions, type TlsServerOptions } from './connection-options';

/** Receives what arrives on a {@link PeerStream}. */
export interface StreamListener {
  /** One message from the other side, in arrival order. */
  onMessage(msg: ChaincodeMessage): void;
  /** Called exactly once: without an error when the other side ended cleanly, else with the failure. */
  onEnd(error?: ShimError): void;
}

/** One bidirectional ChaincodeMessage stream (a Register or Connect call), either side. */
export interface PeerStream {
  /**
   * Encodes and queues one message. Honours gRPC 'drain' backpressure internally (messages
   * wait in order while the transport is full). Throws ShimError('STREAM_CLOSED') once the
   * stream has ended, and the encoder's error if `msg` cannot be encoded.
   */
  send(msg: ChaincodeMessage): void;
  /** Starts delivery to `listener`; call once. Messages are delivered in order. */
  listen(listener: StreamListener): void;
  /** Cleanly half-closes our side (after queued messages are written). */
  end(): void;
  /** Aborts the call; the other side sees a failed call. */
  destroy(error?: Error): void;
  /** The other side's address, for logs. */
  readonly remote: string;
}

export type { TlsClientOptions, TlsServerOptions, GrpcSettings } from './connection-options';

/** A listening gRPC server started by {@link serveStreams}. */
export interface StreamServer {
  /** host:port actually bound (the real port when asked for port 0). */
  readonly address: string;
  readonly port: number;
  /** Stops accepting calls; after `graceMs` (default 0) open calls are cancelled. */
  stop(graceMs?: number): Promise<void>;
}

/**
 * Fabric's limits: the peer accepts 100 MiB messages and so must we (grpc-js' default 4 MiB
 * receive limit kills the stream on a large state value).
 */
const MAX_MESSAGE_BYTES = 100 * 1024 * 1024;

/**
 * Keepalive as fabric-shim's start command sets it (lib/cmds/startCommand.js): a ping every
 * 110 s is above the peer's enforced minimum interval (60 s), so the peer never answers
 * GOAWAY "too_many_pings".
 */
const DEFAULT_OPTIONS: Readonly<Record<string, number>> = {
  'grpc.max_send_message_length': MAX_MESSAGE_BYTES,
  'grpc.max_receive_message_length': MAX_MESSAGE_BYTES,
  'grpc.keepalive_time_ms': 110_000,
  'grpc.http2.min_time_between_pings_ms': 110_000,
  'grpc.keepalive_timeout_ms': 20_000,
  'grpc.http2.max_pings_without_data': 0,
  'grpc.keepalive_permit_without_calls': 1,
  // Channelz (gRPC's introspection service) is never served here, yet grpc-js keeps its
  // per-message counters and timestamps by default: off, as it costs CPU on every message.
  'grpc.enable_channelz': 0,
};

const NAMED_SETTINGS: Readonly<Record<string, string>> = {
  maxSendMessageLength: 'grpc.max_send_message_length',
  maxReceiveMessageLength: 'grpc.max_receive_message_length',
  keepaliveTimeMs: 'grpc.keepalive_time_ms',
  keepaliveTimeoutMs: 'grpc.keepalive_timeout_ms',
};

/** Fabric's defaults overlaid with `settings` (named fields mapped to their gRPC option names). */
export function channelOptions(settings: GrpcSettings = {}): Record<string, number | string> {
  const options: Record<string, number | string> = { ...DEFAULT_OPTIONS };
  for (const [name, value] of Object.entries(settings)) {
    if (value === undefined) continue;
    options[NAMED_SETTINGS[name] ?? name] = value;
  }
  return options;
}

/** The send limit in bytes the options set (negative = unlimited, as in grpc). */
function sendLimit(options: Record<string, number | string>): number {
  const limit = Number(options['grpc.max_send_message_length']);
  return Number.isFinite(limit) ? limit : MAX_MESSAGE_BYTES;
}

// Messages are encoded in PeerStream.send (so an encoding failure reaches the caller instead of
// cancelling the call inside grpc-js); gRPC itself only passes the bytes along.
// Both directions carry ChaincodeMessage, so one definition serves client and server alike.
// The hand-written codec (src/codec/envelope.ts) takes the common shape; the generated code the rest.
const passBytes = ((bytes: Buffer): Buffer => bytes) as (value: unknown) => Buffer;
const decode = (bytes: Buffer): unknown => decodeChaincodeMessage(bytes);

let grpcModule: typeof grpc | undefined;

/**
 * grpc-js, loaded on first use: it is the largest part of `require('fabric-shim-ts')`, and
 * programs that only use the stub, the contract API or the types should not pay for it.
 */
function lib(): typeof grpc {
  if (grpcModule === undefined) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    grpcModule = require('@grpc/grpc-js') as typeof grpc;
    routeGrpcLog(grpcModule);
  }
  return grpcModule;
}

/**
 * grpc-js writes its own ERROR lines on stderr (e.g. "E No address added out of total 1
 * resolved" before a bind fails), each one a failure we also report, in our words, through the
 * error it causes: printed both, one failure reads as two. Unless the user asked grpc-js for its
 * own output (GRPC_VERBOSITY / GRPC_TRACE), its lines go to the shim's logger at debug.
 */
function routeGrpcLog(g: typeof grpc): void {
  if ((process.env.GRPC_VERBOSITY ?? '') !== '' || (process.env.GRPC_TRACE ?? '') !== '') return;
  const log = shimLogger('grpc');
  const write = (...args: unknown[]): void => {
    if (log.enabled('debug')) log.debug(format(...args).trim());
  };
  g.setLogger({ error: write, info: write, debug: write });
}

/**
 * grpc-js's details, without its empty "Resolution note:" and doubled "Error: " (e.g. "No
 * connection established. Last error: Error: connect ECONNREFUSED 127.0.0.1:1. Resolution note: ").
 */
function cleanDetails(details: string): string {
  return details.replace(/\s*Resolution note:\s*$/, '').replace(/Last error: Error: /, 'Last error: ');
}

function bidi(path: string): grpc.MethodDefinition<unknown, unknown> {
  return {
    path,
    requestStream: true,
    responseStream: true,
    requestSerialize: passBytes,
    requestDeserialize: decode,
    responseSerialize: passBytes,
    responseDeserialize: decode,
  };
}

/** protos.ChaincodeSupport: the peer's service, Register is dialled by a chaincode process. */
const CHAINCODE_SUPPORT: grpc.ServiceDefinition = { Register: bidi('/protos.ChaincodeSupport/Register') };
/** protos.Chaincode: a chaincode-as-a-service's service, Connect is dialled by the peer. */
const CHAINCODE: grpc.ServiceDefinition = { Connect: bidi('/protos.Chaincode/Connect') };

const clients: Partial<Record<'Register' | 'Connect', grpc.ServiceClientConstructor>> = {};

/** The generic client class of a service, made once. */
function clientClass(method: 'Register' | 'Connect'): grpc.ServiceClientConstructor {
  return (clients[method] ??=
    method === 'Register'
      ? lib().makeGenericClientConstructor(CHAINCODE_SUPPORT, 'protos.ChaincodeSupport')
      : lib().makeGenericClientConstructor(CHAINCODE, 'protos.Chaincode'));
}

type BidiCall = grpc.ClientDuplexStream<Buffer, ChaincodeMessage> | grpc.ServerDuplexStream<ChaincodeMessage, Buffer>;

function statusName(code: number): string {
  return lib().status[code] ?? String(code);
}

function toShimError(err: unknown, remote: string): ShimError {
  if (err instanceof ShimError) return err;
  const e = err as Partial<grpc.ServiceError> | undefined;
  const code = typeof e?.code === 'number' ? e.code : undefined;
  const details = cleanDetails(e?.details ?? (err instanceof Error ? err.message : String(err)));
  const message = `stream with ${remote} failed: ${details}` + (code === undefined ? '' : ` (gRPC ${statusName(code)})`);
  return new ShimError('STREAM_CLOSED', message, code === undefined ? { cause: err } : { cause: err, grpcCode: code });
}

/** The PeerStream over one grpc-js duplex call. */
class GrpcPeerStream implements PeerStream {
  private listener: StreamListener | undefined;
  private finished = false;
  private ending = false;
  /** Messages waiting for 'drain'; undefined while the transport accepts writes. */
  private backlog: Buffer[] | undefined;
  /** The failure that ended the stream (client side: recorded at 'error', reported at 'end'). */
  private failure: ShimError | undefined;

  constructor(
    private readonly call: BidiCall,
    readonly remote: string,
    private readonly isClient: boolean,
    private readonly onFinish?: () => void,
    /** grpc.max_send_message_length; negative = no limit. */
    private readonly maxSendBytes: number = -1,
  ) {
    this.flush = this.flush.bind(this);
    // Attached at once: a call can fail before anyone listens, and an unhandled 'error' would throw.
    call.on('error', (err: unknown) => {
      const error = toShimError(err, this.remote);
      // A client's read side still delivers buffered messages after 'error'; report it at 'end'.
      if (this.isClient) this.failure ??= error;
      else this.finish(error);
    });
    call.on('end', () => this.finish(this.failure));
    if (!isClient) {
      call.on('cancelled', () => this.finish(new ShimError('STREAM_CLOSED', `stream with ${this.remote} was cancelled by the other side`)));
    }
  }

  send(msg: ChaincodeMessage): void {
    if (this.finished || this.ending) {
      throw new ShimError('STREAM_CLOSED', `stream with ${this.remote} is closed`);
    }
    const bytes = encodeChaincodeMessage(msg);
    if (this.maxSendBytes >= 0 && bytes.byteLength > this.maxSendBytes) {
      // grpc-js would cancel the whole call (RESOURCE_EXHAUSTED), failing every transaction on
      // it; refuse this one message instead, as grpc-go's SendMsg does for the Go shim.
      throw new ShimError(
        'INVALID_ARGUMENT',
        `message of ${bytes.byteLength} bytes is larger than the send limit of ${this.maxSendBytes} bytes (grpc.max_send_message_length); not sent`,
      );
    }
    const buf = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    if (this.backlog !== undefined) {
      this.backlog.push(buf);
    } else if (!this.call.write(buf)) {
      this.backlog = [];
      this.call.once('drain', this.flush);
    }
  }

  private flush(): void {
    const queued = this.backlog;
    this.backlog = undefined;
    if (queued === undefined || this.finished) return;
    for (let i = 0; i < queued.length; i++) {
      if (!this.call.write(queued[i] as Buffer)) {
        this.backlog = queued.slice(i + 1);
        this.call.once('drain', this.flush);
        return;
      }
    }
    if (this.ending) this.call.end();
  }

  listen(listener: StreamListener): void {
    if (this.listener !== undefined) throw new Error('PeerStream.listen called twice');
    this.listener = listener;
    if (this.finished) {
      listener.onEnd(this.failure);
      return;
    }
    this.call.on('data', (msg: ChaincodeMessage) => {
      if (!this.finished) listener.onMessage(msg);
    });
  }

  end(): void {
    if (this.finished || this.ending) return;
    this.ending = true;
    if (this.backlog === undefined) this.call.end();
  }

  destroy(error?: Error): void {
    if (this.finished) return;
    const reason =
      error === undefined
        ? new ShimError('STREAM_CLOSED', `stream with ${this.remote} was closed locally`)
        : toShimError(error, this.remote);
    this.finish(reason);
    if (this.isClient) {
      (this.call as grpc.ClientDuplexStream<Buffer, ChaincodeMessage>).cancel();
    } else {
      // grpc-js turns an 'error' on a server call into the call's final status.
      this.call.emit('error', { code: lib().status.ABORTED, details: reason.message });
    }
  }

  private finish(error?: ShimError): void {
    if (this.finished) return;
    this.finished = true;
    this.failure = error;
    this.backlog = undefined;
    // A server call completes only when we end our side too (it sends the status).
    if (error === undefined && !this.isClient && !this.ending) {
      this.ending = true;
      this.call.end();
    }
    this.onFinish?.();
    this.listener?.onEnd(error);
  }
}

function clientCredentials(tls: TlsClientOptions | undefined): grpc.ChannelCredentials {
  const grpc = lib();
  if (tls === undefined) return grpc.credentials.createInsecure();
  const buf = (b: Uint8Array | undefined): Buffer | null => (b === undefined ? null : Buffer.from(b));
  return grpc.credentials.createSsl(buf(tls.rootCert), buf(tls.clientKey), buf(tls.clientCert));
}

function dial(method: 'Register' | 'Connect', address: string, opts: { tls?: TlsClientOptions; grpc?: GrpcSettings } = {}): PeerStream {
  const options = channelOptions(opts.grpc);
  const override = opts.tls?.serverNameOverride;
  if (override !== undefined && override !== '') {
    // As fabric-shim: the override names both the certificate host and the :authority.
    options['grpc.ssl_target_name_override'] = override;
    options['grpc.default_authority'] = override;
  }
  const Client = clientClass(method);
  const client = new Client(withoutGrpcScheme(address), clientCredentials(opts.tls), options);
  const open = client[method] as () => grpc.ClientDuplexStream<Buffer, ChaincodeMessage>;
  const call = open.call(client);
  return new GrpcPeerStream(call, address, true, () => client.close(), sendLimit(options));
}

/** Client mode: dial protos.ChaincodeSupport/Register on a peer. */
export function dialChaincodeSupport(address: string, opts?: { tls?: TlsClientOptions; grpc?: GrpcSettings }): PeerStream {
  return dial('Register', address, opts);
}

/** Peer side of chaincode-as-a-service: dial protos.Chaincode/Connect (used by the mock peer). */
export function dialChaincode(address: string, opts?: { tls?: TlsClientOptions; grpc?: GrpcSettings }): PeerStream {
  return dial('Connect', address, opts);
}

function serverCredentials(tls: TlsServerOptions | undefined): grpc.ServerCredentials {
  const grpc = lib();
  if (tls === undefined) return grpc.ServerCredentials.createInsecure();
  const ca = tls.clientCaCert === undefined ? null : Buffer.from(tls.clientCaCert);
  return grpc.ServerCredentials.createSsl(
    ca,
    [{ private_key: Buffer.from(tls.key), cert_chain: Buffer.from(tls.cert) }],
    ca !== null, // a client CA means mutual TLS is required
  );
}

/**
 * A served call's failure: its gRPC status code and message, and optionally an encoded
 * google.rpc.Status for the `grpc-status-details-bin` trailer (where the Fabric Gateway puts its
 * gateway.ErrorDetail list). Any other error thrown by a handler becomes INTERNAL.
 */
export class RpcError extends Error {
  readonly grpcCode: number;
  readonly statusDetails: Uint8Array | undefined;

  constructor(grpcCode: number, message: string, statusDetails?: Uint8Array) {
    super(message);
    this.name = 'RpcError';
    this.grpcCode = grpcCode;
    this.statusDetails = statusDetails;
  }
}

/** A unary method: request bytes in, response bytes out; `signal` aborts when the client cancels. */
export interface UnaryMethod {
  readonly kind: 'unary';
  handle(request: Uint8Array, signal: AbortSignal): Promise<Uint8Array>;
}

/** Where a server-streaming method writes; `send` resolves once the transport takes more ('drain'). */
export interface MessageSink {
  send(message: Uint8Array): Promise<void>;
}

/** A server-streaming method: resolves to end the stream with OK, rejects to end it with an error. */
export interface ServerStreamMethod {
  readonly kind: 'serverStream';
  handle(request: Uint8Array, sink: MessageSink, signal: AbortSignal): Promise<void>;
}

/** A service served next to the stream service, e.g. `gateway.Gateway`, methods by name. */
export interface ServedService {
  /** Fully qualified: `package.Service`. */
  readonly name: string;
  readonly methods: Readonly<Record<string, UnaryMethod | ServerStreamMethod>>;
}

const STATUS_DETAILS_KEY = 'grpc-status-details-bin';

function callStatus(err: unknown): Partial<grpc.StatusObject> {
  const grpc = lib();
  const metadata = new grpc.Metadata();
  if (err instanceof RpcError) {
    if (err.statusDetails !== undefined) metadata.set(STATUS_DETAILS_KEY, Buffer.from(err.statusDetails));
    return { code: err.grpcCode, details: err.message, metadata };
  }
  return { code: grpc.status.INTERNAL, details: err instanceof Error ? err.message : String(err), metadata };
}

function callSignal(call: grpc.ServerUnaryCall<Buffer, Buffer> | grpc.ServerWritableStream<Buffer, Buffer>): AbortSignal {
  const controller = new AbortController();
  call.on('cancelled', () => controller.abort(new RpcError(lib().status.CANCELLED, 'the client cancelled the call')));
  return controller.signal;
}

function serverMethod(
  path: string,
  method: UnaryMethod | ServerStreamMethod,
): [grpc.MethodDefinition<Buffer, Buffer>, grpc.UntypedHandleCall] {
  const asBuffer = (b: Buffer): Buffer => b;
  const toBuffer = (b: Uint8Array): Buffer => (Buffer.isBuffer(b) ? b : Buffer.from(b.buffer, b.byteOffset, b.byteLength));
  const definition: grpc.MethodDefinition<Buffer, Buffer> = {
    path,
    requestStream: false,
    responseStream: method.kind === 'serverStream',
    requestSerialize: asBuffer,
    requestDeserialize: asBuffer,
    responseSerialize: asBuffer,
    responseDeserialize: asBuffer,
  };
  if (method.kind === 'unary') {
    const handler: grpc.handleUnaryCall<Buffer, Buffer> = (call, callback) => {
      method.handle(call.request, callSignal(call)).then(
        (response) => callback(null, toBuffer(response)),
        (err: unknown) => callback(callStatus(err)),
      );
    };
    return [definition, handler];
  }
  const handler: grpc.handleServerStreamingCall<Buffer, Buffer> = (call) => {
    const sink: MessageSink = {
      send: (message) =>
        new Promise<void>((resolve) => {
          if (call.write(toBuffer(message))) resolve();
          else call.once('drain', () => resolve());
        }),
    };
    method.handle(call.request, sink, callSignal(call)).then(
      () => call.end(),
      (err: unknown) => {
        if (!call.cancelled) call.emit('error', callStatus(err));
      },
    );
  };
  return [definition, handler];
}

/**
 * The reason of a failed bind in one phrase: grpc-js says "No address added out of total 1
 * resolved errors: [listen EADDRINUSE: address already in use 127.0.0.1:7052]".
 */
function bindFailure(message: string): string {
  const m = /\[(listen (E[A-Z]+): [^\]]*)\]/.exec(message);
  if (m === null) return message;
  return m[2] === 'EADDRINUSE' ? 'the address is already in use (EADDRINUSE): another process listens there' : (m[1] as string);
}

/**
 * Serves 'ChaincodeSupport' (Register: the mock peer) or 'Chaincode' (Connect: a chaincode
 * server); `onStream` receives one PeerStream per incoming call. `services` are served on the
 * same port (the mock peer's gateway, as a real peer serves both on its one listen address).
 */
export async function serveStreams(
  service: 'ChaincodeSupport' | 'Chaincode',
  onStream: (stream: PeerStream) => void,
  opts: { address: string; tls?: TlsServerOptions; grpc?: GrpcSettings; services?: readonly ServedService[] },
): Promise<StreamServer> {
  const options = channelOptions(opts.grpc);
  const server = new (lib().Server)(options);
  const handle = (call: grpc.ServerDuplexStream<ChaincodeMessage, Buffer>): void => {
    onStream(new GrpcPeerStream(call, call.getPeer(), false, undefined, sendLimit(options)));
  };
  if (service === 'ChaincodeSupport') server.addService(CHAINCODE_SUPPORT, { Register: handle });
  else server.addService(CHAINCODE, { Connect: handle });
  for (const extra of opts.services ?? []) {
    const definitions: Record<string, grpc.MethodDefinition<Buffer, Buffer>> = {};
    const implementation: grpc.UntypedServiceImplementation = {};
    for (const [name, method] of Object.entries(extra.methods)) {
      [definitions[name], implementation[name]] = serverMethod(`/${extra.name}/${name}`, method);
    }
    server.addService(definitions, implementation);
  }

  const port = await new Promise<number>((resolve, reject) => {
    server.bindAsync(withoutGrpcScheme(opts.address), serverCredentials(opts.tls), (err, bound) => {
      if (!err) {
        resolve(bound);
        return;
      }
      const reason = bindFailure(err.message);
      // A recognised failure says all in our words; grpc-js's text would print as a second reason.
      reject(new ShimError('CONFIG', `cannot listen on ${opts.address}: ${reason}`, reason === err.message ? { cause: err } : {}));
    });
  });
  const host = withoutGrpcScheme(opts.address).replace(/:\d+$/, '');
  return {
    address: `${host}:${port}`,
    port,
    stop(graceMs = 0): Promise<void> {
      return new Promise<void>((resolve) => {
        // forceShutdown closes every session at once, so it ends the stop too: grpc-js's tryShutdown
        // callback never fires for a session keepalive has already destroyed (grpc-js 1.14).
        const timer = setTimeout(() => {
          server.forceShutdown();
          resolve();
        }, graceMs);
        server.tryShutdown(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    },
  };
}
