/** The hand-written protos.Response encoder (src/codec/response.ts) against the generated one. */
import * as fc from 'fast-check';
import { create, toBinary } from '@bufbuild/protobuf';
import { ResponseSchema } from '../src/gen/peer/proposal_response_pb';
import { encodeResponse } from '../src/codec/response';
import { googleBase64Bytes } from '../src/codec/google-base64';
import { encodeChaincodeResult } from '../src/response';

describe('encodeResponse', () => {
  it('writes the bytes toBinary writes, for any status, message and payload', () => {
    const status = fc.oneof(
      fc.constantFrom(200, 400, 500, 1, 0x0fffffff, 0x10000000, -1, -500, 0x7fffffff),
      fc.integer({ min: -0x80000000, max: 0x7fffffff }),
    );
    const message = fc.oneof(fc.constant(''), fc.string(), fc.string({ unit: 'binary' }));
    const payload = fc.oneof(
      fc.constant(new Uint8Array(0)),
      fc.uint8Array({ maxLength: 300 }),
      fc.integer({ min: 70_000, max: 150_000 }).map((n) => new Uint8Array(n).fill(1)),
    );
    fc.assert(
      fc.property(status, message, payload, (s, m, p) => {
        const mine = Buffer.from(encodeResponse(s, m, p));
        const theirs = Buffer.from(toBinary(ResponseSchema, create(ResponseSchema, { status: s, message: m, payload: p })));
        if (!mine.equals(theirs)) expect(mine.toString('hex')).toBe(theirs.toString('hex'));
      }),
      { numRuns: 500 },
    );
  });
});

describe('encodeChaincodeResult: what Init/Invoke returned, encoded as fabric-shim 2.5.8 encodes it', () => {
  // fabric-shim builds the Response with google-protobuf: the reference for every byte.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { peer } = require(require.resolve('@hyperledger/fabric-protos', { paths: [require.resolve('fabric-shim')] })) as {
    peer: { Response: new () => GoogleResponse };
  };
  interface GoogleResponse {
    setStatus(v: unknown): void;
    setMessage(v: unknown): void;
    setPayload(v: unknown): void;
    serializeBinary(): Uint8Array;
  }
  function official(status: number, message: unknown, payload: unknown): string {
    const r = new peer.Response();
    r.setStatus(status);
    r.setMessage(message);
    r.setPayload(payload);
    return Buffer.from(r.serializeBinary()).toString('hex');
  }
  const ours = (status: number, message: unknown, payload: unknown): string =>
    Buffer.from(encodeChaincodeResult({ status, message, payload }, 'Invoke', 'ch', 'tx')).toString('hex');

  it('a string payload is read as base64 the way google-protobuf reads it, whatever the string', () => {
    const base64ish = fc.string({ unit: fc.constantFrom(...'AZaz09+/-_=. \t\n'.split('')), maxLength: 40 });
    fc.assert(
      fc.property(fc.oneof(base64ish, fc.base64String({ maxLength: 60 })), (text) => {
        expect(ours(200, '', text)).toBe(official(200, '', text));
      }),
      { numRuns: 1000 },
    );
    expect(Buffer.from(googleBase64Bytes('plain text')).toString('hex')).toBe('a656a29ed7b1b4');
  });

  it('a message that is not a string is sent empty; a status is coerced to a number', () => {
    expect(ours(500, new Error('x'), undefined)).toBe(official(500, new Error('x'), undefined));
    expect(ours(500, 42, undefined)).toBe(official(500, 42, undefined));
    expect(ours('200' as unknown as number, 'm', Buffer.from('ab'))).toBe(official('200' as unknown as number, 'm', Buffer.from('ab')));
  });

  it('a payload that is neither bytes nor a string fails the transaction (fabric-shim throws and never answers)', () => {
    for (const payload of [[1, 2], new Uint8Array([9]).buffer, 5, {}]) {
      expect(() => official(200, '', payload)).toThrow(/Cannot coerce to Uint8Array/);
      expect(() => ours(200, '', payload)).toThrow('Invoke() returned a response whose payload is neither bytes nor a string');
    }
  });

  it('a character outside base64 fails the transaction with a clear error (fabric-shim throws and never answers)', () => {
    expect(() => official(200, '', 'héllo')).toThrow('Unknown base64 encoding at char: é');
    expect(() => ours(200, '', 'héllo')).toThrow(
      /Invoke\(\) returned a string payload that is not base64.*Unknown base64 encoding at char: é/,
    );
  });
});
