/** The hand-written ChaincodeInput decoder (src/codec/chaincode-input.ts) against the generated one. */
import * as fc from 'fast-check';
import { damaged } from './support/damaged-bytes';
import { create, fromBinary, toBinary } from '@bufbuild/protobuf';
import { ChaincodeInputSchema, type ChaincodeInput } from '../src/gen/peer/chaincode_pb';
import { decodeChaincodeInput } from '../src/codec/chaincode-input';

/** The decoded object, or that the decoder threw. */
function outcome(decode: (bytes: Uint8Array) => ChaincodeInput, bytes: Uint8Array): ChaincodeInput | { error: true } {
  try {
    return decode(bytes);
  } catch {
    return { error: true };
  }
}
const generated = (bytes: Uint8Array) => outcome((b) => fromBinary(ChaincodeInputSchema, b), bytes);
const mine = (bytes: Uint8Array) => outcome(decodeChaincodeInput, bytes);

const arg = fc.oneof(
  fc.uint8Array({ maxLength: 40 }),
  fc.string().map((s) => new TextEncoder().encode(s)),
  fc.constant(new Uint8Array(300).fill(7)),
);
const input = fc.record({
  args: fc.array(arg, { maxLength: 8 }),
  isInit: fc.boolean(),
  decorations: fc.oneof(fc.constant({}), fc.dictionary(fc.string({ maxLength: 5 }), fc.uint8Array({ maxLength: 5 }), { maxKeys: 2 })),
});
const encoded = input.map((i) => toBinary(ChaincodeInputSchema, create(ChaincodeInputSchema, i)));

describe('decodeChaincodeInput', () => {
  it('returns what fromBinary returns for what a peer sends (decorations through the fallback)', () => {
    fc.assert(
      fc.property(encoded, (bytes) => {
        expect(mine(bytes)).toStrictEqual(generated(bytes));
      }),
      { numRuns: 1000 },
    );
  });

  it('returns views into the received buffer for the args, as fromBinary does', () => {
    const bytes = toBinary(ChaincodeInputSchema, create(ChaincodeInputSchema, { args: [new Uint8Array([1, 2]), new Uint8Array([3])] }));
    const args = decodeChaincodeInput(bytes).args;
    expect(args.map((a) => a.buffer === bytes.buffer)).toEqual([true, true]);
  });

  it('agrees with fromBinary on arbitrary and corrupted bytes: same object or both throw', () => {
    const bytes = fc.oneof(
      damaged(encoded, 40),
      fc.constantFrom(
        Uint8Array.of(0x18, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01), // is_init as a 10-byte varint
        Uint8Array.of(0x0a, 0x05, 0x41), // an arg longer than the message
        Uint8Array.of(0x22, 0x01, 0x41), // field 4, unknown
        Uint8Array.of(0x08, 0x01), // field 1 with the wrong wire type
      ),
    );
    fc.assert(
      fc.property(bytes, (b) => {
        expect(mine(b)).toStrictEqual(generated(b));
      }),
      { numRuns: 3000 },
    );
  });
});
