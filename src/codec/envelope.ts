/**
 * The ChaincodeMessage envelope by hand (issue 9): every talk-back and every answer crosses
 * here, and protobuf-es' reflective `toBinary`/`fromBinary` cost several microseconds each.
 * Only the common shape takes the fast path: type, payload, txid and channel_id (what the Go
 * shim and fabric-shim send: neither sets a timestamp). Anything else (timestamp, proposal,
 * chaincode event, unknown fields, odd encodings) goes through the generated code, which stays
 * the source of truth; test/codec-envelope.test.ts proves both paths give the same bytes/objects.
 */
import { fromBinary, toBinary } from '@bufbuild/protobuf';
import type { ChaincodeMessage } from '../gen/peer/chaincode_shim_pb';
import type { SignedProposal } from '../gen/peer/proposal_pb';
import { chaincodeShimPb, proposalPb } from '../protos';
import {
  lenTag,
  optionalFieldSize,
  readString,
  UNUSUAL,
  utf8Length,
  varintSize,
  WireReader,
  writeBytes,
  writeString,
  writeVarint,
} from './wire';

const TYPE = 0x08; // field 1, varint
const PAYLOAD = lenTag(3);
const TXID = lenTag(4);
const PROPOSAL = lenTag(5);
const CHANNEL_ID = lenTag(7);
// SignedProposal's fields.
const PROPOSAL_BYTES = lenTag(1);
const SIGNATURE = lenTag(2);
const EMPTY = new Uint8Array(0);

/** Encodes the envelope from its four common fields; same bytes as toBinary of that message. */
export function encodeEnvelope(type: number, channelId: string, txid: string, payload: Uint8Array): Buffer {
  const txLen = utf8Length(txid);
  const chLen = utf8Length(channelId);
  const size =
    (type === 0 ? 0 : 1 + varintSize(type)) + optionalFieldSize(payload.length) + optionalFieldSize(txLen) + optionalFieldSize(chLen);
  const buf = Buffer.allocUnsafe(size);
  let pos = 0;
  if (type !== 0) {
    buf[pos++] = TYPE;
    pos = writeVarint(buf, pos, type);
  }
  if (payload.length !== 0) pos = writeBytes(buf, pos, PAYLOAD, payload);
  if (txLen !== 0) pos = writeString(buf, pos, TXID, txid, txLen);
  if (chLen !== 0) writeString(buf, pos, CHANNEL_ID, channelId, chLen);
  return buf;
}

/** Encodes any ChaincodeMessage: the hand-written path for the common shape, toBinary otherwise. */
export function encodeChaincodeMessage(msg: ChaincodeMessage): Uint8Array {
  const type = msg.type;
  if (
    msg.timestamp === undefined &&
    msg.proposal === undefined &&
    msg.chaincodeEvent === undefined &&
    msg.$unknown === undefined &&
    type >= 0 &&
    type < 0x10000000 &&
    Number.isInteger(type)
  ) {
    return encodeEnvelope(type, msg.channelId, msg.txid, msg.payload);
  }
  return toBinary(chaincodeShimPb().ChaincodeMessageSchema, msg);
}

/**
 * Decodes a ChaincodeMessage. The payload is a view into `bytes` (as protobuf-es returns it),
 * so `bytes` must not be reused by the caller (grpc-js hands each message its own buffer).
 */
export function decodeChaincodeMessage(bytes: Uint8Array): ChaincodeMessage {
  // No `??`: tsup's CommonJS output turns it into a helper call with a closure, per message.
  const msg = decodeFast(bytes);
  return msg !== undefined ? msg : fromBinary(chaincodeShimPb().ChaincodeMessageSchema, bytes);
}

/**
 * The nested SignedProposal (two bytes fields, views into `bytes`) by hand, so that a transaction
 * boots no generated descriptor (issue 16); undefined when only the generated decoder can say
 * what it is.
 */
function decodeProposal(bytes: Uint8Array): SignedProposal | undefined {
  const r = new WireReader(bytes);
  let proposalBytes: Uint8Array = EMPTY;
  let signature: Uint8Array = EMPTY;
  while (r.pos < r.end) {
    const tag = bytes[r.pos++] as number;
    if (tag !== PROPOSAL_BYTES && tag !== SIGNATURE) return decodeProposalGenerated(bytes);
    const end = r.lengthEnd();
    if (end === UNUSUAL) return decodeProposalGenerated(bytes);
    // As protobuf-es: a repeated scalar field keeps its last occurrence.
    if (tag === PROPOSAL_BYTES) proposalBytes = bytes.subarray(r.pos, end);
    else signature = bytes.subarray(r.pos, end);
    r.pos = end;
  }
  return { $typeName: 'protos.SignedProposal', proposalBytes, signature };
}

/** The generated decoder's SignedProposal, or undefined when it throws. */
function decodeProposalGenerated(bytes: Uint8Array): SignedProposal | undefined {
  try {
    return fromBinary(proposalPb().SignedProposalSchema, bytes);
  } catch {
    // protobuf-es reads a malformed nested message against the bounds of the whole buffer,
    // which can succeed: let the generated decoder of the envelope decide.
    return undefined;
  }
}

/** The fast path, or undefined when the message needs the generated decoder. */
function decodeFast(bytes: Uint8Array): ChaincodeMessage | undefined {
  const r = new WireReader(bytes);
  let type = 0;
  let payload: Uint8Array = EMPTY;
  let txid = '';
  let channelId = '';
  let proposal: SignedProposal | undefined;
  while (r.pos < r.end) {
    const tag = bytes[r.pos++] as number;
    if (tag === TYPE) {
      type = r.varint();
      if (type === UNUSUAL) return undefined;
      continue;
    }
    if (tag !== PAYLOAD && tag !== TXID && tag !== CHANNEL_ID && tag !== PROPOSAL) return undefined;
    const end = r.lengthEnd();
    if (end === UNUSUAL) return undefined;
    const start = r.pos;
    r.pos = end;
    if (tag === PAYLOAD) {
      payload = bytes.subarray(start, end);
    } else if (tag === TXID) {
      txid = readString(bytes, start, end);
    } else if (tag === CHANNEL_ID) {
      channelId = readString(bytes, start, end);
    } else {
      // A second occurrence merges into the first: leave that to protobuf-es.
      if (proposal !== undefined) return undefined;
      proposal = decodeProposal(bytes.subarray(start, end));
      if (proposal === undefined) return undefined;
    }
  }
  const msg: ChaincodeMessage = { $typeName: 'protos.ChaincodeMessage', type, payload, txid, channelId };
  if (proposal !== undefined) msg.proposal = proposal;
  return msg;
}
