/**
 * The two payloads of registration by hand (issue 16): REGISTER's ChaincodeID and the peer's
 * ChaincodeAdditionalParams in REGISTERED/READY. Through the generated code they would boot
 * peer/chaincode.proto's descriptors in every process, idle or not. The generated code stays the
 * source of truth: anything unusual falls back to it, and test/codec-register.test.ts proves both
 * give the same bytes and objects.
 */
import { fromBinary } from '@bufbuild/protobuf';
import type { ChaincodeAdditionalParams } from '../gen/peer/chaincode_pb';
import { chaincodePb } from '../protos';
import { lenTag, optionalFieldSize, UNUSUAL, utf8Length, varintTag, WireReader, writeString } from './wire';

const NAME = lenTag(2);
const USE_WRITE_BATCH = varintTag(1);
const MAX_SIZE_WRITE_BATCH = varintTag(2);
const USE_GET_MULTIPLE_KEYS = varintTag(3);
const MAX_SIZE_GET_MULTIPLE_KEYS = varintTag(4);

/** ChaincodeID `{ name }` (path and version empty, as REGISTER sends it): the bytes toBinary gives. */
export function encodeChaincodeId(name: string): Buffer {
  const len = utf8Length(name);
  const buf = Buffer.allocUnsafe(optionalFieldSize(len));
  if (len !== 0) writeString(buf, 0, NAME, name, len);
  return buf;
}

/** The four capability fields of ChaincodeAdditionalParams. */
export type AdditionalParams = Pick<
  ChaincodeAdditionalParams,
  'useWriteBatch' | 'maxSizeWriteBatch' | 'useGetMultipleKeys' | 'maxSizeGetMultipleKeys'
>;

/** Decodes ChaincodeAdditionalParams; throws as fromBinary does on bytes only the generated decoder can judge. */
export function decodeAdditionalParams(bytes: Uint8Array): AdditionalParams {
  const p: AdditionalParams = { useWriteBatch: false, maxSizeWriteBatch: 0, useGetMultipleKeys: false, maxSizeGetMultipleKeys: 0 };
  const r = new WireReader(bytes);
  while (r.pos < r.end) {
    const tag = bytes[r.pos++] as number;
    const value = r.varint();
    if (value === UNUSUAL) return fromBinary(chaincodePb().ChaincodeAdditionalParamsSchema, bytes);
    if (tag === USE_WRITE_BATCH) p.useWriteBatch = value !== 0;
    else if (tag === MAX_SIZE_WRITE_BATCH) p.maxSizeWriteBatch = value;
    else if (tag === USE_GET_MULTIPLE_KEYS) p.useGetMultipleKeys = value !== 0;
    else if (tag === MAX_SIZE_GET_MULTIPLE_KEYS) p.maxSizeGetMultipleKeys = value;
    // Another field (or an odd tag): the generated decoder keeps or refuses it.
    else return fromBinary(chaincodePb().ChaincodeAdditionalParamsSchema, bytes);
  }
  return p;
}
