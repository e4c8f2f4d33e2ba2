/**
 * Plain option and capability types of a connection to the peer (and the one helper for its
 * address), in a module of their own that imports nothing: the published declarations of the
 * main entry name them, and keeping them apart from the stream and talk-back modules (which
 * name protobuf messages) keeps those messages, and @bufbuild/protobuf's types, out of the
 * main entry's declarations.
 */

/** What the peer announced in REGISTERED/READY (ChaincodeAdditionalParams); all off for an older peer. */
export interface PeerCapabilities {
  readonly useWriteBatch: boolean;
  readonly maxSizeWriteBatch: number;
  readonly useGetMultipleKeys: boolean;
  readonly maxSizeGetMultipleKeys: number;
}

/** TLS for a dialling side. All PEM. */
export interface TlsClientOptions {
  /** CA certificate(s) that sign the server's certificate. */
  rootCert?: Uint8Array;
  /** Our key, for mutual TLS (the peer requires it). */
  clientKey?: Uint8Array;
  /** Our certificate, for mutual TLS. */
  clientCert?: Uint8Array;
  /** The host name to expect in the server certificate instead of the dialled host (fabric-shim's `--ssl-target-name-override`). */
  serverNameOverride?: string;
}

/** TLS for a listening side. All PEM. */
export interface TlsServerOptions {
  key: Uint8Array;
  cert: Uint8Array;
  /** When set, clients must present a certificate signed by this CA (mutual TLS). */
  clientCaCert?: Uint8Array;
}

/**
 * gRPC channel settings. Named fields cover the common ones; any other `grpc.*` channel option
 * (e.g. fabric-shim's `grpc.http2.min_time_between_pings_ms`) may be passed by its gRPC name.
 */
export interface GrpcSettings {
  maxSendMessageLength?: number;
  maxReceiveMessageLength?: number;
  keepaliveTimeMs?: number;
  keepaliveTimeoutMs?: number;
  [option: string]: number | string | undefined;
}

/**
 * `address` without fabric-shim's optional `grpc://` or `grpcs://` prefix (it accepts
 * `grpc://host:port` and `grpcs://host:port` as well as `host:port`); the one place it is removed.
 */
export function withoutGrpcScheme(address: string): string {
  return address.replace(/^grpcs?:\/\//, '');
}
