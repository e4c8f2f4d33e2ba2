/**
 * ChaincodeInput (the arguments of INIT/TRANSACTION) by hand (issue 16): through the generated
 * code, the first transaction of every process would boot peer/chaincode.proto's descriptors.
 * Only the common shape takes the fast path: `args` and `is_init`. Decorations, unknown fields
 * and odd encodings go through the generated code, which stays the source of truth;
 * test/codec-chaincode-input.test.ts proves both give the same objects.
 */
import { fromBinary } from '@bufbuild/protobuf';
import type { ChaincodeInput } from '../gen/peer/chaincode_pb';
import { chaincodePb } from '../protos';
import { lenTag, UNUSUAL, varintTag, WireReader } from './wire';

const ARGS = lenTag(1);
const IS_INIT = varintTag(3);

/** Decodes a ChaincodeInput; the args are views into `bytes`, as fromBinary gives them. Throws as fromBinary does. */
export function decodeChaincodeInput(bytes: Uint8Array): ChaincodeInput {
  const r = new WireReader(bytes);
  const args: Uint8Array[] = [];
  let isInit = false;
  while (r.pos < r.end) {
    const tag = bytes[r.pos++] as number;
    if (tag === ARGS) {
      const end = r.lengthEnd();
      if (end === UNUSUAL) return fromBinary(chaincodePb().ChaincodeInputSchema, bytes);
      args.push(bytes.subarray(r.pos, end));
      r.pos = end;
    } else if (tag === IS_INIT) {
      const value = r.varint();
      if (value === UNUSUAL) return fromBinary(chaincodePb().ChaincodeInputSchema, bytes);
      isInit = value !== 0;
    } else {
      return fromBinary(chaincodePb().ChaincodeInputSchema, bytes);
    }
  }
  return { $typeName: 'protos.ChaincodeInput', args, decorations: {}, isInit };
}
