/**
 * A Fabric peer in a box for tests: a real gRPC ChaincodeSupport server with an in-memory
 * ledger. Chaincodes connect to it as to a peer (in-process via `launch`, as an external
 * process via `waitForChaincode`, or as a chaincode server via `connect`).
 */
import { ShimError } from '../errors';
import { newLogger, type Logger } from '../logger';
import { dialChaincode, serveStreams, type PeerStream, type StreamServer, type TlsClientOptions, type TlsServerOptions } from '../stream';
import { BlockLedger, type BlockCutting } from './blocks';
import { peerEndorser } from './key-policies';
import { gatewayCredentials, type GatewayCredentials } from './gateway-credentials';
import { gatewayService, type GatewayHost } from './gateway-service';
import type { ChaincodeInterface } from '../chaincode';
import type { PeerCapabilities } from '../connection-options';
import { ChaincodeSession, type SessionHost } from './chaincode-session';
import { IdentityFactory, type IdentityRequest, type TestIdentity } from './identities';
import { MockChaincode } from './mock-chaincode';
import { WorldState } from './world-state';

/** What a Fabric 3.1 peer advertises in READY: write batching and multi-key reads, 1000 each. */
export const DEFAULT_CAPABILITIES: PeerCapabilities = {
  useWriteBatch: true,
  maxSizeWriteBatch: 1000,
  useGetMultipleKeys: true,
  maxSizeGetMultipleKeys: 1000,
};

/** Options of {@link MockPeer.start}. */
export interface MockPeerOptions {
  /** Listen address; default `127.0.0.1:0` (a free port). */
  address?: string;
  /** Default channel of transactions and ledger reads; default `mychannel`. */
  channel?: string;
  /** What READY advertises; `false` = a Fabric 3.0 peer (empty READY, no batch/multi-key messages). */
  capabilities?: Partial<PeerCapabilities> | false;
  /** How long a transaction may run before `invoke` rejects with TIMEOUT; default 30000 (the peer's execute timeout). */
  txTimeoutMs?: number;
  /** Serve TLS (set `clientCaCert` to require mutual TLS, as a peer does). */
  tls?: TlsServerOptions;
  logger?: Logger;
  /**
   * Keep a log of every message on each chaincode's stream (`cc.wire`); default true. Turn it off
   * for long runs (benchmarks, soak tests): the log grows with every message.
   */
  recordWire?: boolean;
  /**
   * Also serve the Fabric Gateway (`gateway.Gateway`: Evaluate, Endorse, Submit, CommitStatus,
   * ChaincodeEvents) on the same address, for applications using `@hyperledger/fabric-gateway`.
   */
  gateway?: boolean;
  /** Channels the peer has joined, for the gateway; default: only `channel`. */
  channels?: readonly string[];
  /** The peer's own organisation (its endorsements are signed by `peer0` of it); default `Org1MSP`. */
  mspId?: string;
  /** When the orderer cuts a block of submitted transactions; see {@link BlockCutting}. */
  blockCutting?: BlockCutting;
}

/** Per-chaincode settings. */
export interface ChaincodeOptions {
  /** Private data collections of the chaincode; when given, other collection names are rejected as by a peer. */
  collections?: readonly (string | { name: string })[];
}

/** Options of {@link MockPeer.launch}. */
export interface LaunchOptions extends ChaincodeOptions {
  /** Version in the chaincode id `name:version`; default `1.0`. */
  version?: string;
  /** The chaincode's own MSP id (CORE_PEER_LOCALMSPID); default `Org1MSP`. */
  mspId?: string;
  /** TLS the in-process chaincode uses to dial this peer (when the peer serves TLS). */
  tls?: TlsClientOptions;
}

/** Options of {@link MockPeer.waitForChaincode}. */
export interface WaitOptions extends ChaincodeOptions {
  /** Default: the peer's `txTimeoutMs`; 0 waits without a limit. */
  timeoutMs?: number;
  /** Stops waiting (rejects with the signal's reason), e.g. when a dev session ends. */
  signal?: AbortSignal;
}

/** Options of {@link MockPeer.connect}. */
export interface ConnectOptions extends ChaincodeOptions {
  tls?: TlsClientOptions;
  /** The chaincode name to address (default: the part of the registered id before ':'). */
  name?: string;
}

/**
 * A handle on a test identity that `peer.identity()` returns synchronously; the certificate is
 * issued (once, then cached) when a transaction first needs it.
 */
export class IdentityHandle {
  readonly mspId: string;
  readonly attributes: Readonly<Record<string, string>>;
  private readonly request: IdentityRequest;
  private readonly factory: IdentityFactory;
  private issued: Promise<TestIdentity> | undefined;

  /** @internal created by {@link MockPeer.identity}. */
  constructor(factory: IdentityFactory, mspId: string, request: IdentityRequest) {
    this.factory = factory;
    this.mspId = mspId;
    this.request = request;
    this.attributes = { ...(request.attributes ?? {}) };
  }

  /** The issued identity (certificate, signer). */
  resolve(): Promise<TestIdentity> {
    this.issued ??= this.factory.identity(this.mspId, this.request);
    return this.issued;
  }
}

interface Waiter {
  resolve(cc: MockChaincode): void;
}

/** A launched in-process chaincode connection (shape of `connect()` from the shim). */
interface Launched {
  close(): void;
  readonly closed: Promise<void>;
}

/**
 * The mock peer.
 * @example
 * const peer = await MockPeer.start();
 * const cc = await peer.launch('assets', new AssetChaincode());
 * const res = await cc.invoke(['CreateAsset', 'a1', 'blue']);
 * expect(peer.ledger.getString('assets', 'a1')).toBe('blue');
 * await peer.stop();
 */
export class MockPeer implements SessionHost {
  /** The committed ledger. */
  readonly ledger: WorldState;
  /**
   * Ordering and commit: every transaction (from `invoke` or a gateway Submit) is validated in a
   * block (MVCC, phantom reads, duplicate txid) before it changes {@link MockPeer.ledger}; query
   * its validation code with `peer.blocks.status(channel, txId)`.
   */
  readonly blocks: BlockLedger;
  /** The peer's organisation. */
  readonly mspId: string;
  /** Certificate authorities and identities of this peer's MSPs. */
  readonly identities = new IdentityFactory();
  readonly capabilities: PeerCapabilities | undefined;
  readonly logger: Logger;
  /** See {@link MockPeerOptions.recordWire}. */
  readonly recordWire: boolean;
  /** Default transaction timeout. */
  readonly txTimeoutMs: number;
  private readonly server: StreamServer;
  private readonly sessions = new Set<ChaincodeSession>();
  private readonly byName = new Map<string, MockChaincode>();
  private readonly waiters = new Map<string, Set<Waiter>>();
  private readonly collections = new Map<string, string[]>();
  private readonly handles = new Map<string, IdentityHandle>();
  private readonly launched: Launched[] = [];
  private readonly joined: ReadonlySet<string>;
  private stopped = false;

  private constructor(server: StreamServer, opts: MockPeerOptions, logger: Logger) {
    this.server = server;
    this.ledger = new WorldState(opts.channel ?? 'mychannel');
    this.blocks = new BlockLedger(this.ledger, opts.blockCutting);
    this.mspId = opts.mspId ?? 'Org1MSP';
    this.joined = new Set(opts.channels ?? [this.ledger.defaultChannel]);
    this.recordWire = opts.recordWire ?? true;
    this.capabilities = opts.capabilities === false ? undefined : { ...DEFAULT_CAPABILITIES, ...(opts.capabilities ?? {}) };
    this.txTimeoutMs = opts.txTimeoutMs ?? 30_000;
    this.logger = logger;
  }

  /** Starts the peer's ChaincodeSupport server (default `127.0.0.1:0`), and the gateway with `gateway: true`. */
  static async start(opts: MockPeerOptions = {}): Promise<MockPeer> {
    let peer: MockPeer | undefined;
    const pending: PeerStream[] = [];
    const host = (): GatewayHost => {
      if (!peer) throw new ShimError('STREAM_CLOSED', 'the mock peer is still starting');
      return peer.gatewayHost();
    };
    const server = await serveStreams(
      'ChaincodeSupport',
      (stream) => {
        if (peer) peer.accept(stream);
        else pending.push(stream);
      },
      {
        address: opts.address ?? '127.0.0.1:0',
        ...(opts.tls ? { tls: opts.tls } : {}),
        ...(opts.gateway ? { services: [gatewayService(host)] } : {}),
      },
    );
    peer = new MockPeer(server, opts, opts.logger ?? newLogger('mock-peer'));
    for (const stream of pending) peer.accept(stream);
    return peer;
  }

  /** `host:port` the peer listens on: CORE_PEER_ADDRESS for a chaincode. */
  get address(): string {
    return this.server.address;
  }

  /** The bound port. */
  get port(): number {
    return this.server.port;
  }

  /** The default channel. */
  get channel(): string {
    return this.ledger.defaultChannel;
  }

  /** A test identity of `mspId` (default `Org1MSP`) with attributes in its certificate; cached per arguments. */
  identity(mspId = 'Org1MSP', attributes: Record<string, string> = {}, request: Omit<IdentityRequest, 'attributes'> = {}): IdentityHandle {
    const key = JSON.stringify([mspId, Object.entries(attributes).sort(), request.commonName ?? null, request.organizationalUnits ?? null]);
    let handle = this.handles.get(key);
    if (!handle) {
      handle = new IdentityHandle(this.identities, mspId, { ...request, attributes });
      this.handles.set(key, handle);
    }
    return handle;
  }

  /**
   * Credentials of a test identity (as {@link MockPeer.identity}) for `connect()` of
   * `@hyperledger/fabric-gateway`, see {@link GatewayCredentials}.
   * @example
   * ```ts
   * const peer = await MockPeer.start({ gateway: true });
   * await peer.launch('basic', new AssetTransfer());
   * const client = new grpc.Client(peer.address, grpc.credentials.createInsecure());
   * const gateway = connect({ client, ...(await peer.gatewayCredentials()) });
   * const contract = gateway.getNetwork('mychannel').getContract('basic');
   * await contract.submitTransaction('CreateAsset', 'a1', 'blue');
   * ```
   */
  async gatewayCredentials(
    mspId = 'Org1MSP',
    attributes: Record<string, string> = {},
    request: Omit<IdentityRequest, 'attributes'> = {},
  ): Promise<GatewayCredentials> {
    return gatewayCredentials(await this.identity(mspId, attributes, request).resolve());
  }

  /** The peer's own identity (`peer0` of its organisation), which signs its endorsements. */
  peerIdentity(): Promise<TestIdentity> {
    const domain = `${this.mspId.replace(/msp$/i, '').toLowerCase() || 'org'}.example.com`;
    return this.identities.identity(this.mspId, { commonName: `peer0.${domain}`, organizationalUnits: ['peer'] });
  }

  private gatewayHost(): GatewayHost {
    return {
      ledger: this.ledger,
      blocks: this.blocks,
      txTimeoutMs: this.txTimeoutMs,
      mspId: this.mspId,
      address: this.address,
      hasChannel: (channelId) => this.joined.has(channelId),
      findChaincode: (name) => this.findChaincode(name),
      endorser: () => this.peerIdentity(),
      // An MSP is known once the peer has issued one of its identities (its CA exists).
      caCertificate: async (mspId) => (this.identities.knows(mspId) ? this.identities.caCertificatePem(mspId) : undefined),
    };
  }

  /** The connected chaincode called `name`, if any. */
  chaincode(name: string): MockChaincode | undefined {
    return this.byName.get(name);
  }

  /** Names of the chaincodes connected right now. */
  chaincodeNames(): string[] {
    return [...this.byName.keys()].sort();
  }

  /** Sets per-chaincode options (collections) ahead of its connection. */
  define(name: string, opts: ChaincodeOptions): void {
    if (opts.collections)
      this.collections.set(
        name,
        opts.collections.map((c) => (typeof c === 'string' ? c : c.name)),
      );
  }

  /**
   * Runs `chaincode` in this process with the real shim, connected over gRPC as `name:version`,
   * and resolves once it is READY.
   */
  async launch(name: string, chaincode: ChaincodeInterface, opts: LaunchOptions = {}): Promise<MockChaincode> {
    this.define(name, opts);
    const ready = this.waitForChaincode(name);
    const { connect } = await import('../shim');
    const conn = connect(chaincode, {
      peerAddress: this.address,
      chaincodeId: `${name}:${opts.version ?? '1.0'}`,
      mspId: opts.mspId ?? 'Org1MSP',
      ...(opts.tls ? { tls: opts.tls } : {}),
    });
    this.launched.push(conn);
    const failed = conn.closed.then(() => {
      throw new ShimError('STREAM_CLOSED', `chaincode ${name} closed before it was ready`);
    });
    failed.catch(() => undefined);
    return Promise.race([ready, failed]);
  }

  /**
   * Waits for a chaincode process to dial in and register as `name` (`name:version` or a package
   * id `name:hash` in CORE_CHAINCODE_ID_NAME, with CORE_PEER_ADDRESS = {@link MockPeer.address}).
   */
  waitForChaincode(name: string, opts: WaitOptions = {}): Promise<MockChaincode> {
    this.define(name, opts);
    const existing = this.byName.get(name);
    if (existing) return Promise.resolve(existing);
    return new Promise<MockChaincode>((resolve, reject) => {
      const set = this.waiters.get(name) ?? new Set<Waiter>();
      this.waiters.set(name, set);
      const timeoutMs = opts.timeoutMs ?? this.txTimeoutMs;
      const giveUp = (err: unknown): void => {
        clearTimeout(timer);
        opts.signal?.removeEventListener('abort', aborted);
        set.delete(waiter);
        reject(err);
      };
      const aborted = (): void => giveUp(opts.signal?.reason);
      const waiter: Waiter = {
        resolve: (cc) => {
          clearTimeout(timer);
          opts.signal?.removeEventListener('abort', aborted);
          resolve(cc);
        },
      };
      const timer =
        timeoutMs > 0
          ? setTimeout(() => giveUp(new ShimError('TIMEOUT', `chaincode ${name} did not register with the mock peer`)), timeoutMs)
          : undefined;
      if (opts.signal?.aborted) {
        giveUp(opts.signal.reason);
        return;
      }
      opts.signal?.addEventListener('abort', aborted, { once: true });
      set.add(waiter);
    });
  }

  /**
   * Drives a chaincode running as a server (chaincode-as-a-service): dials protos.Chaincode/Connect;
   * the chaincode then registers on that stream as it would with a real peer.
   */
  async connect(address: string, opts: ConnectOptions = {}): Promise<MockChaincode> {
    const stream = dialChaincode(address, opts.tls ? { tls: opts.tls } : {});
    const session = this.track(new ChaincodeSession(stream, this, opts.name));
    if (opts.name) this.define(opts.name, opts);
    await session.registeredAs;
    if (!opts.name) this.define(session.name, opts);
    return this.byName.get(session.name) ?? this.facade(session);
  }

  /** Stops every chaincode session and launched chaincode, then the server. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.blocks.close();
    for (const session of this.sessions) session.close();
    for (const conn of this.launched) conn.close();
    await Promise.allSettled(this.launched.map((c) => c.closed));
    await this.server.stop();
  }

  private accept(stream: PeerStream): void {
    if (this.stopped) {
      stream.destroy(new Error('mock peer stopped'));
      return;
    }
    this.track(new ChaincodeSession(stream, this));
  }

  private track(session: ChaincodeSession): ChaincodeSession {
    this.sessions.add(session);
    return session;
  }

  private facade(session: ChaincodeSession): MockChaincode {
    return new MockChaincode(session, {
      ledger: this.ledger,
      defaultChannel: this.channel,
      txTimeoutMs: this.txTimeoutMs,
      defaultIdentity: this.identity(),
      // Endorsed by this peer, as a gateway submit is: the committer checks key-level policies alike.
      commit: (tx) => this.blocks.commitNow({ ...tx, endorsers: [peerEndorser(this.mspId)] }),
    });
  }

  /** SessionHost (for ChaincodeSession, not for tests; public because MockPeer implements it in the published types). */
  collectionsOf(name: string): readonly string[] | undefined {
    return this.collections.get(name);
  }

  /** SessionHost (for ChaincodeSession, not for tests; public because MockPeer implements it in the published types). */
  findChaincode(name: string): ChaincodeSession | undefined {
    return this.byName.get(name)?.session;
  }

  /** SessionHost (for ChaincodeSession; public because MockPeer implements it in the published types): a newer registration of the same name replaces an older one. */
  registered(session: ChaincodeSession): void {
    const cc = this.facade(session);
    this.byName.set(session.name, cc);
    const waiting = this.waiters.get(session.name);
    this.waiters.delete(session.name);
    for (const w of waiting ?? []) w.resolve(cc);
  }

  /** SessionHost (for ChaincodeSession, not for tests; public because MockPeer implements it in the published types). */
  ended(session: ChaincodeSession): void {
    this.sessions.delete(session);
    if (this.byName.get(session.name)?.session === session) this.byName.delete(session.name);
  }
}
