/**
 * protos.Response by hand: the handler encodes one per transaction (the chaincode's result in
 * COMPLETED). Same bytes as the generated code for every status in (0, 2^28); other statuses
 * (negative, huge: never sensible, but fabric-shim passes them through) use toBinary.
 * Proven equal in test/codec-response.test.ts.
 */
import { toBinary } from '@bufbuild/protobuf';
import { proposalResponsePb } from '../protos';
import { lenTag, optionalFieldSize, utf8Length, varintSize, writeBytes, writeString, writeVarint } from './wire';

const MESSAGE = lenTag(2);
const PAYLOAD = lenTag(3);

/** Encodes `{ status = 1; message = 2; payload = 3 }`. */
export function encodeResponse(status: number, message: string, payload: Uint8Array): Uint8Array {
  if (!(Number.isInteger(status) && status > 0 && status < 0x10000000)) {
    return toBinary(proposalResponsePb().ResponseSchema, { $typeName: 'protos.Response', status, message, payload });
  }
  const mLen = utf8Length(message);
  const buf = Buffer.allocUnsafe(1 + varintSize(status) + optionalFieldSize(mLen) + optionalFieldSize(payload.length));
  buf[0] = 0x08; // field 1, varint
  let pos = writeVarint(buf, 1, status);
  if (mLen !== 0) pos = writeString(buf, pos, MESSAGE, message, mLen);
  if (payload.length !== 0) writeBytes(buf, pos, PAYLOAD, payload);
  return buf;
}
