/** The hand-written registration payloads (src/codec/register.ts) against the generated code. */
import * as fc from 'fast-check';
import { damaged } from './support/damaged-bytes';
import { create, fromBinary, toBinary } from '@bufbuild/protobuf';
import { ChaincodeAdditionalParamsSchema, ChaincodeIDSchema } from '../src/gen/peer/chaincode_pb';
import { decodeAdditionalParams, encodeChaincodeId, type AdditionalParams } from '../src/codec/register';

describe('encodeChaincodeId', () => {
  it('writes the bytes toBinary writes for ChaincodeID { name }, whatever the name', () => {
    const name = fc.oneof(fc.constant(''), fc.string(), fc.string({ unit: 'binary' }), fc.string({ minLength: 200, maxLength: 400 }));
    fc.assert(
      fc.property(name, (n) => {
        const theirs = Buffer.from(toBinary(ChaincodeIDSchema, create(ChaincodeIDSchema, { name: n })));
        expect(encodeChaincodeId(n).toString('hex')).toBe(theirs.toString('hex'));
      }),
      { numRuns: 500 },
    );
  });
});

describe('decodeAdditionalParams', () => {
  /** What the generated decoder gives, as the four fields, or the error it throws. */
  function generated(bytes: Uint8Array): AdditionalParams | { error: true } {
    try {
      const p = fromBinary(ChaincodeAdditionalParamsSchema, bytes);
      return {
        useWriteBatch: p.useWriteBatch,
        maxSizeWriteBatch: p.maxSizeWriteBatch,
        useGetMultipleKeys: p.useGetMultipleKeys,
        maxSizeGetMultipleKeys: p.maxSizeGetMultipleKeys,
      };
    } catch {
      return { error: true };
    }
  }
  function mine(bytes: Uint8Array): AdditionalParams | { error: true } {
    try {
      const { useWriteBatch, maxSizeWriteBatch, useGetMultipleKeys, maxSizeGetMultipleKeys } = decodeAdditionalParams(bytes);
      return { useWriteBatch, maxSizeWriteBatch, useGetMultipleKeys, maxSizeGetMultipleKeys };
    } catch {
      return { error: true };
    }
  }

  const u32 = fc.oneof(fc.constantFrom(0, 1, 1000, 0x0fffffff, 0x10000000, 0xffffffff), fc.nat({ max: 0xffffffff }));
  const params = fc.record({
    useWriteBatch: fc.boolean(),
    maxSizeWriteBatch: u32,
    useGetMultipleKeys: fc.boolean(),
    maxSizeGetMultipleKeys: u32,
  });

  it('reads what a peer writes (every value, large ones through the generated fallback)', () => {
    fc.assert(
      fc.property(params, (p) => {
        const bytes = toBinary(ChaincodeAdditionalParamsSchema, create(ChaincodeAdditionalParamsSchema, p));
        expect(mine(bytes)).toEqual(p);
        expect(mine(bytes)).toEqual(generated(bytes));
      }),
      { numRuns: 500 },
    );
  });

  it('agrees with the generated decoder on any bytes: same fields, or both throw', () => {
    const valid = params.map((p) => toBinary(ChaincodeAdditionalParamsSchema, create(ChaincodeAdditionalParamsSchema, p)));
    // Valid messages with bytes appended, cut or flipped; repeated fields; unknown fields; noise.
    const bytes = fc.oneof(
      damaged(valid, 24),
      fc.constantFrom(
        Uint8Array.of(0x08, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01), // bool as a 10-byte varint
        Uint8Array.of(0x10, 0xff, 0xff, 0xff, 0xff, 0x0f), // uint32 max
        Uint8Array.of(0x2a, 0x01, 0x41), // field 5, unknown
        Uint8Array.of(0x0a, 0x00), // field 1 with the wrong wire type
      ),
    );
    fc.assert(
      fc.property(bytes, (b) => {
        expect(mine(b)).toEqual(generated(b));
      }),
      { numRuns: 2000 },
    );
  });
});
