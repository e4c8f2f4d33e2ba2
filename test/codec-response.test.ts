/** The hand-written protos.Response encoder (src/codec/response.ts) against the generated one. */
import * as fc from 'fast-check';
import { create, toBinary } from '@bufbuild/protobuf';
import { ResponseSchema } from '../src/gen/peer/proposal_response_pb';
import { encodeResponse } from '../src/codec/response';

describe('encodeResponse', () => {
  it('writes the bytes toBinary writes, for any status, message and payload', () => {
    const status = fc.oneof(fc.constantFrom(200, 400, 500, 1, 0x0fffffff, 0x10000000, -1, -500, 0x7fffffff), fc.integer({ min: -0x80000000, max: 0x7fffffff }));
    const message = fc.oneof(fc.constant(''), fc.string(), fc.string({ unit: 'binary' }));
    const payload = fc.oneof(fc.constant(new Uint8Array(0)), fc.uint8Array({ maxLength: 300 }), fc.integer({ min: 70_000, max: 150_000 }).map((n) => new Uint8Array(n).fill(1)));
    fc.assert(fc.property(status, message, payload, (s, m, p) => {
      const mine = Buffer.from(encodeResponse(s, m, p));
      const theirs = Buffer.from(toBinary(ResponseSchema, create(ResponseSchema, { status: s, message: m, payload: p })));
      if (!mine.equals(theirs)) expect(mine.toString('hex')).toBe(theirs.toString('hex'));
    }), { numRuns: 500 });
  });
});
