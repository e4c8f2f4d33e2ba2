/**
 * Decoding of the client's SignedProposal carried on INIT/TRANSACTION: creator, transient
 * map, timestamp, binding, and the decoded proposal that `getSignedProposal()` returns.
 *
 * Decoding is lazy: nothing is parsed until the chaincode asks for one of these, so a
 * transaction that only reads and writes state never pays for it. The first access
 * decodes the whole header and payload once and caches the result (or the failure).
 */
import { createHash } from 'node:crypto';
import { fromBinary } from '@bufbuild/protobuf';
import type { Timestamp as PbTimestamp } from '@bufbuild/protobuf/wkt';
import { BinaryReader, WireType } from '@bufbuild/protobuf/wire';
import type { SignedProposal as PbSignedProposal } from './gen/peer/proposal_pb';
import { commonPb, identitiesPb, proposalPb } from './protos';
import { ShimError } from './errors';
import { Long } from './long';

/**
 * The 64-bit seconds of a timestamp, as fabric-shim's `getTxTimestamp()` returns them: a `Long`
 * (see ./long.ts). Kept as an alias for code written against earlier versions of this package.
 */
export type Long64 = Long;

/**
 * A protobuf Timestamp as fabric-shim's `getTxTimestamp()` returns it: `{ nanos, seconds }`
 * in that order, `seconds` an unsigned `Long`.
 */
export interface Timestamp {
  seconds: Long;
  nanos: number;
}

/** The submitter's identity: MSP id and the serialized certificate (PEM bytes for X.509). */
export interface SerializedIdentity {
  mspid: string;
  idBytes: Uint8Array;
}

/** The decoded ChannelHeader (fabric-shim-api's `ChaincodeProposal.ChannelHeader`). */
export interface ChannelHeader {
  type: number;
  version: number;
  timestamp: Timestamp;
  channelId: string;
  txId: string;
  epoch: number;
  extension: Uint8Array;
  tlsCertHash: Uint8Array;
}

/**
 * The decoded SignatureHeader: the anti-replay nonce, the creator as signed (`creator_u8`, the
 * serialized SerializedIdentity, as fabric-shim names it) and decoded (`creator`).
 */
export interface SignatureHeader {
  nonce: Uint8Array;
  creator_u8: Uint8Array;
  creator: SerializedIdentity;
}

/** The decoded ChaincodeProposalPayload: the encoded invocation spec and the transient map. */
export interface ChaincodeProposalPayload {
  input: Uint8Array;
  transientMap: Map<string, Buffer>;
}

/** What `getSignedProposal()` returns (fabric-shim-api's `ChaincodeProposal.SignedProposal`). */
export interface DecodedSignedProposal {
  signature: Uint8Array;
  proposal: {
    header: { signatureHeader: SignatureHeader; channelHeader: ChannelHeader };
    payload: ChaincodeProposalPayload;
  };
}

/**
 * Fabric's proposal binding: hex SHA-256 of nonce || creator bytes || epoch as 8 bytes
 * little-endian (Fabric's ComputeProposalBinding, as the Go shim computes it). fabric-shim
 * 2.5 means the same but reads `.low/.high` of a plain number and so always hashes a zero
 * epoch; clients send epoch 0, so both agree on real proposals.
 */
export function computeProposalBinding(nonce: Uint8Array, creator: Uint8Array, epoch: bigint): string {
  const epochBytes = Buffer.alloc(8);
  epochBytes.writeBigUInt64LE(BigInt.asUintN(64, epoch));
  return createHash('sha256').update(nonce).update(creator).update(epochBytes).digest('hex');
}

/** A fresh `{ nanos, seconds }` per call, key order and types as fabric-shim's getTxTimestamp(). */
function toTimestamp(ts: PbTimestamp | undefined): Timestamp {
  return { nanos: ts?.nanos ?? 0, seconds: Long.fromBigInt(ts?.seconds ?? 0n, true) };
}

/**
 * Bytes as fabric-shim hands them out of a decoded proposal: a plain Uint8Array (its JSON is
 * `{"0":..}`, a Buffer's `{"type":"Buffer",..}`). A view, no copy.
 */
function u8(bytes: Uint8Array): Uint8Array {
  return bytes.constructor === Uint8Array ? bytes : new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

interface Decoded {
  signed: DecodedSignedProposal;
  creatorBytes: Uint8Array;
  binding: string;
  timestamp: PbTimestamp | undefined;
}

/** Runs one decoding step; a failure becomes ShimError('PROTOCOL') with fabric-shim's text. */
function step<T>(what: (cause: unknown) => string, fn: () => T): T {
  try {
    return fn();
  } catch (cause) {
    throw new ShimError('PROTOCOL', what(cause), { cause });
  }
}

function decode(sp: PbSignedProposal): Decoded {
  const { ChannelHeaderSchema, HeaderSchema, SignatureHeaderSchema } = commonPb();
  const { SerializedIdentitySchema } = identitiesPb();
  const { ChaincodeProposalPayloadSchema, ProposalSchema } = proposalPb();
  const proposal = step(
    (e) => `Failed extracting proposal from signedProposal. [${String(e)}]`,
    () => fromBinary(ProposalSchema, sp.proposalBytes),
  );
  if (proposal.header.length === 0) throw new ShimError('PROTOCOL', 'Proposal header is empty');
  if (proposal.payload.length === 0) throw new ShimError('PROTOCOL', 'Proposal payload is empty');
  const header = step(
    (e) => `Could not extract the header from the proposal: ${String(e)}`,
    () => fromBinary(HeaderSchema, proposal.header),
  );
  const sigHeader = step(
    (e) => `Decoding SignatureHeader failed: ${String(e)}`,
    () => fromBinary(SignatureHeaderSchema, header.signatureHeader),
  );
  const creator = step(
    (e) => `Decoding SerializedIdentity failed: ${String(e)}`,
    () => fromBinary(SerializedIdentitySchema, sigHeader.creator),
  );
  const chdr = step(
    (e) => `Decoding ChannelHeader failed: ${String(e)}`,
    () => fromBinary(ChannelHeaderSchema, header.channelHeader),
  );
  const ccpp = step(
    (e) => `Decoding ChaincodeProposalPayload failed: ${String(e)}`,
    () => fromBinary(ChaincodeProposalPayloadSchema, proposal.payload),
  );

  // fabric-shim iterates google-protobuf's map, which sorts the keys (plain string sort).
  const transientMap = new Map<string, Buffer>();
  for (const k of Object.keys(ccpp.TransientMap).sort()) transientMap.set(k, Buffer.from(ccpp.TransientMap[k] as Uint8Array));
  const identity: SerializedIdentity = { mspid: creator.mspid, idBytes: u8(creator.idBytes) };
  // Key order as fabric-shim builds it (signatureHeader before channelHeader; nonce, creator_u8,
  // creator): chaincode that serialises the proposal sees the same order.
  return {
    signed: {
      signature: u8(sp.signature),
      proposal: {
        header: {
          signatureHeader: { nonce: u8(sigHeader.nonce), creator_u8: u8(sigHeader.creator), creator: identity },
          channelHeader: {
            type: chdr.type,
            version: chdr.version,
            timestamp: toTimestamp(chdr.timestamp),
            channelId: chdr.channelId,
            txId: chdr.txId,
            epoch: Number(chdr.epoch),
            extension: u8(chdr.extension),
            tlsCertHash: u8(chdr.tlsCertHash),
          },
        },
        payload: { input: u8(ccpp.input), transientMap },
      },
    },
    creatorBytes: sigHeader.creator,
    binding: computeProposalBinding(sigHeader.nonce, sigHeader.creator, chdr.epoch),
    timestamp: chdr.timestamp,
  };
}

/** Lazy view of one transaction's SignedProposal. */
export class ProposalView {
  private decoded: Decoded | undefined;
  private failure: unknown;

  /** @param signedProposal the `proposal` field of the INIT/TRANSACTION message, if any. */
  constructor(private readonly signedProposal: PbSignedProposal | undefined) {}

  /** True when the message carried a SignedProposal. */
  get present(): boolean {
    return this.signedProposal !== undefined;
  }

  private get(): Decoded {
    if (this.decoded) return this.decoded;
    if (this.failure !== undefined) throw this.failure;
    if (!this.signedProposal) throw new ShimError('PROTOCOL', 'The transaction carries no signed proposal');
    try {
      this.decoded = decode(this.signedProposal);
      return this.decoded;
    } catch (err) {
      this.failure = err;
      throw err;
    }
  }

  /** The decoded proposal. */
  signed(): DecodedSignedProposal {
    return this.get().signed;
  }
  /** The submitter's MSP id and certificate bytes. */
  creator(): SerializedIdentity {
    return this.get().signed.proposal.header.signatureHeader.creator;
  }
  /** The serialized SerializedIdentity exactly as signed (input of the binding). */
  creatorBytes(): Uint8Array {
    return this.get().creatorBytes;
  }
  /** The transient map; empty when the message carried no proposal (as for a peer-internal call). */
  transient(): Map<string, Buffer> {
    return this.signedProposal ? this.get().signed.proposal.payload.transientMap : new Map();
  }
  /** Hex proposal binding. */
  binding(): string {
    return this.get().binding;
  }
  /** The client's timestamp from the ChannelHeader: a new object per call, as fabric-shim's. */
  timestamp(): Timestamp {
    return toTimestamp(this.get().timestamp);
  }
  /** The client's timestamp as a Date (millisecond precision, as protobuf's Timestamp.toDate()). */
  date(): Date {
    const ts = this.get().timestamp;
    return new Date(Number(ts?.seconds ?? 0n) * 1000 + (ts?.nanos ?? 0) / 1e6);
  }
}

// ------------------------------------------------------------ the W3C trace context a proposal may carry (read by telemetry)

/** The two transient entries telemetry reads (W3C trace context a client may pass). */
export interface TraceHeaders {
  traceparent: Uint8Array | undefined;
  tracestate: Uint8Array | undefined;
}

const TRACEPARENT = 'traceparent';
const TRACESTATE = 'tracestate';

/**
 * `traceparent`/`tracestate` from a Proposal's bytes, for telemetry to join the client's trace
 * without decoding the whole proposal: Proposal.payload (2) ->
 * ChaincodeProposalPayload.TransientMap (2) -> entries {key (1), value (2)}; the last entry of a
 * key wins, as in a full decode. Other fields are skipped unread. Throws on malformed bytes.
 */
export function traceHeadersFromProposal(proposalBytes: Uint8Array): TraceHeaders {
  const found: TraceHeaders = { traceparent: undefined, tracestate: undefined };
  const proposal = new BinaryReader(proposalBytes);
  while (proposal.pos < proposal.len) {
    const [field, wire] = proposal.tag();
    if (field !== 2 || wire !== WireType.LengthDelimited) {
      proposal.skip(wire, field);
      continue;
    }
    const payload = new BinaryReader(proposal.bytes());
    while (payload.pos < payload.len) {
      const [pf, pw] = payload.tag();
      if (pf !== 2 || pw !== WireType.LengthDelimited) {
        payload.skip(pw, pf);
        continue;
      }
      const entry = new BinaryReader(payload.bytes());
      let key = '';
      let value: Uint8Array = new Uint8Array(0);
      while (entry.pos < entry.len) {
        const [ef, ew] = entry.tag();
        if (ef === 1 && ew === WireType.LengthDelimited) key = entry.string();
        else if (ef === 2 && ew === WireType.LengthDelimited) value = entry.bytes();
        else entry.skip(ew, ef);
      }
      if (key === TRACEPARENT) found.traceparent = value;
      else if (key === TRACESTATE) found.tracestate = value;
    }
  }
  return found;
}

/** The trace headers, from the proposal's bytes when given, else from the (decoded) transient map of `source`. */
export function traceHeaders(source: { getTransient(): Map<string, Uint8Array> }, proposalBytes: Uint8Array | undefined): TraceHeaders {
  if (proposalBytes !== undefined) return traceHeadersFromProposal(proposalBytes);
  const transient = source.getTransient();
  return { traceparent: transient.get(TRACEPARENT), tracestate: transient.get(TRACESTATE) };
}

const HEX32 = /^[0-9a-f]{32}$/;
const HEX16 = /^[0-9a-f]{16}$/;

/**
 * Parses a W3C trace-context `traceparent` (version 00, or a later version read as 00 as the
 * spec asks). Undefined when invalid, so a bad header starts a new trace instead of failing.
 */
export function parseTraceparent(header: string): { traceId: string; spanId: string; traceFlags: number } | undefined {
  const parts = header.trim().split('-');
  if (parts.length < 4) return undefined;
  const [version, traceId, spanId, flags] = parts as [string, string, string, string];
  if (!/^[0-9a-f]{2}$/.test(version) || version === 'ff') return undefined;
  if (version === '00' && parts.length !== 4) return undefined;
  if (!HEX32.test(traceId) || /^0+$/.test(traceId) || !HEX16.test(spanId) || /^0+$/.test(spanId)) return undefined;
  if (!/^[0-9a-f]{2}$/.test(flags)) return undefined;
  return { traceId, spanId, traceFlags: parseInt(flags, 16) & 1 };
}
