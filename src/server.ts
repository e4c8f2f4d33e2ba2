/**
 * Chaincode as a service: the chaincode listens and the peer dials `protos.Chaincode/Connect`.
 * Each peer connection gets its own {@link ChaincodeHandler}, the same one client mode uses: the
 * chaincode sends REGISTER first on the stream the peer opened, then the protocol is identical.
 *
 * API and validation messages follow fabric-shim's `shim.server(chaincode, serverOpts)`
 * (lib/server.js); `stop()` is ours (fabric-shim has none) and drains in-flight transactions.
 */
import type { ChaincodeInterface } from './chaincode';
import { ShimError } from './errors';
import { ChaincodeHandler } from './handler';
import { shimLogger, type Logger } from './logger';
import { installProcessGuard } from './process-guard';
import { serveStreams, type GrpcSettings, type PeerStream, type StreamServer, type TlsServerOptions } from './stream';

/** TLS for the chaincode server (fabric-shim's `tlsProps`). All PEM. */
export interface TlsProps {
  /** The server's private key. */
  key: Uint8Array;
  /** The server's certificate (chain). */
  cert: Uint8Array;
  /** When set, peers must present a client certificate signed by one of these CAs (mutual TLS). */
  clientCACerts?: Uint8Array;
}

/** Options of {@link server}; fabric-shim's `ChaincodeServerOpts` plus a few of ours. */
export interface ChaincodeServerOpts {
  /** The package id (`label:sha256hex`) the peer knows this chaincode by; sent in REGISTER. */
  ccid: string;
  /** Listen address, e.g. `0.0.0.0:9999` (port 0 picks a free port; read it from {@link ChaincodeServer.address}). */
  address: string;
  /** TLS; absent means plaintext. */
  tlsProps?: TlsProps;
  /** The peer's local MSP id for the stub (fabric-shim reads CORE_PEER_LOCALMSPID); defaults to that env var. */
  mspId?: string;
  /** Logger for connection events; the shim's `server` logger by default. */
  logger?: Logger;
  /** Any `grpc.*` server option, as fabric-shim passes them through (e.g. `grpc.keepalive_time_ms`). */
  [grpcOption: `grpc.${string}` | `grpc-node.${string}`]: number | string | undefined;
}

/** How long {@link ChaincodeServer.stop} waits for in-flight transactions by default. */
export const DEFAULT_STOP_GRACE_MS = 30_000;
// How often stop() looks at the handlers' in-flight counts while draining.
const DRAIN_POLL_MS = 20;

/** A chaincode gRPC server that peers connect to. Create with {@link server}. */
export class ChaincodeServer {
  private readonly chaincode: ChaincodeInterface;
  private readonly opts: ChaincodeServerOpts;
  private readonly logger: Logger;
  private readonly handlers = new Set<ChaincodeHandler>();
  private listening: StreamServer | undefined;
  private stopping: Promise<void> | undefined;

  constructor(chaincode: ChaincodeInterface, serverOpts: ChaincodeServerOpts) {
    // Same checks and messages as fabric-shim's ChaincodeServer constructor.
    const cc = chaincode as Partial<ChaincodeInterface> | null;
    if (typeof cc !== 'object' || cc === null) throw invalid('Missing required argument: chaincode');
    const opts = serverOpts as Partial<ChaincodeServerOpts> | null;
    if (typeof opts !== 'object' || opts === null) throw invalid('Missing required argument: serverOpts');
    if (typeof cc.Init !== 'function' || typeof cc.Invoke !== 'function') {
      throw invalid('The "chaincode" argument must implement Init() and Invoke() methods');
    }
    if (typeof opts.ccid !== 'string') throw invalid('Missing required property in serverOpts: ccid');
    if (typeof opts.address !== 'string') throw invalid('Missing required property in serverOpts: address');
    const tls = opts.tlsProps as Partial<TlsProps> | null | undefined;
    if (typeof tls === 'object' && tls !== null) {
      if (typeof tls.key !== 'object' || tls.key === null) throw invalid('Missing required property in serverOpts.tlsProps: key');
      if (typeof tls.cert !== 'object' || tls.cert === null) throw invalid('Missing required property in serverOpts.tlsProps: cert');
    }
    this.chaincode = chaincode;
    this.opts = serverOpts;
    this.logger = serverOpts.logger ?? shimLogger('server');
  }

  /**
   * Binds and starts serving. Rejects ShimError('CONFIG') when the address cannot be bound.
   * Like fabric-shim, takes over the process's error handling (src/process-guard.ts): an
   * unhandled rejection or uncaught exception raised by chaincode code is logged and the server
   * keeps serving.
   */
  async start(): Promise<void> {
    if (this.listening !== undefined || this.stopping !== undefined) {
      throw new ShimError('CONFIG', 'ChaincodeServer.start() may only be called once');
    }
    installProcessGuard();
    this.listening = await serveStreams('Chaincode', (stream) => this.accept(stream), {
      address: this.opts.address,
      ...tlsOption(this.opts.tlsProps),
      grpc: grpcOptions(this.opts),
    });
    this.logger.info('chaincode server listening', {
      address: this.listening.address,
      tls: this.opts.tlsProps !== undefined,
      mutualTls: this.opts.tlsProps?.clientCACerts !== undefined,
    });
  }

  /** `host:port` actually bound (the real port when started on port 0). Throws before start(). */
  get address(): string {
    if (this.listening === undefined) throw new ShimError('CONFIG', 'ChaincodeServer is not started');
    return this.listening.address;
  }

  /** Peer connections currently open. */
  get connections(): number {
    return this.handlers.size;
  }

  /**
   * Graceful stop: refuse new connections, let transactions in flight finish (at most
   * `graceMs`), then close every peer stream and the listener. Idempotent.
   */
  stop(graceMs: number = DEFAULT_STOP_GRACE_MS): Promise<void> {
    this.stopping ??= this.drainAndClose(graceMs);
    return this.stopping;
  }

  private async drainAndClose(graceMs: number): Promise<void> {
    const listening = this.listening;
    if (listening === undefined) return;
    // Stops accepting at once; open calls stay until we close them. The extra second only
    // matters if a stream refuses to close: then the listener is forced down.
    const closed = listening.stop(graceMs + 1_000);
    const deadline = Date.now() + graceMs;
    while (this.busy() && Date.now() < deadline) await sleep(DRAIN_POLL_MS);
    if (this.busy()) {
      this.logger.warn('stopping with transactions still in flight', { graceMs, inFlight: this.inFlight() });
    }
    for (const handler of this.handlers) handler.close();
    await closed;
    this.logger.info('chaincode server stopped');
  }

  private inFlight(): number {
    let n = 0;
    for (const h of this.handlers) n += h.inFlight;
    return n;
  }

  private busy(): boolean {
    return this.inFlight() > 0;
  }

  private accept(stream: PeerStream): void {
    if (this.stopping !== undefined) {
      stream.destroy(new ShimError('STREAM_CLOSED', 'chaincode server is stopping'));
      return;
    }
    const log = this.logger.child({ peer: stream.remote });
    const handler = new ChaincodeHandler(this.chaincode, stream, {
      chaincodeId: this.opts.ccid,
      logger: log,
      ...mspIdOption(this.opts.mspId ?? process.env.CORE_PEER_LOCALMSPID),
    });
    this.handlers.add(handler);
    log.info('peer connected', { connections: this.handlers.size });
    // One connection failing (peer restart, network) must not affect the others or the
    // server: the peer redials. So the failure is reported here and the handler dropped.
    handler
      .run()
      .then(
        () => log.info('peer disconnected'),
        (err: unknown) => log.warn('peer connection failed', { error: err instanceof Error ? err.message : String(err) }),
      )
      .finally(() => this.handlers.delete(handler));
  }
}

/**
 * fabric-shim's `Shim.server(chaincode, serverOpts)`: a {@link ChaincodeServer} to `start()`.
 *
 * @example
 * ```ts
 * const server = Shim.server(new MyChaincode(), { ccid: process.env.CHAINCODE_ID!, address: '0.0.0.0:9999' });
 * await server.start();
 * ```
 */
export function server(chaincode: ChaincodeInterface, serverOpts: ChaincodeServerOpts): ChaincodeServer {
  return new ChaincodeServer(chaincode, serverOpts);
}

function invalid(message: string): ShimError {
  return new ShimError('INVALID_ARGUMENT', message);
}

function tlsOption(tls: TlsProps | undefined): { tls?: TlsServerOptions } {
  if (tls === undefined || tls === null) return {};
  const server: TlsServerOptions = { key: tls.key, cert: tls.cert };
  // fabric-shim: a client CA (object, non-null) switches on mutual TLS.
  if (typeof tls.clientCACerts === 'object' && tls.clientCACerts !== null) server.clientCaCert = tls.clientCACerts;
  return { tls: server };
}

function mspIdOption(mspId: string | undefined): { mspId?: string } {
  return mspId === undefined || mspId === '' ? {} : { mspId };
}

/** The `grpc.*` entries of the options, as fabric-shim forwards them to grpc.Server. */
function grpcOptions(opts: ChaincodeServerOpts): GrpcSettings {
  const settings: GrpcSettings = {};
  for (const [key, value] of Object.entries(opts)) {
    if (key.startsWith('grpc.') && (typeof value === 'number' || typeof value === 'string')) settings[key] = value;
  }
  return settings;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
