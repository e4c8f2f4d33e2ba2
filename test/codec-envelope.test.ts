/**
 * The hand-written ChaincodeMessage codec (src/codec/envelope.ts) against the generated code,
 * which stays the source of truth: same bytes out, same objects in, for random messages
 * (unicode txids and channels, empty and large payloads, proposals) and for random garbage.
 */
import * as fc from 'fast-check';
import { create, fromBinary, toBinary } from '@bufbuild/protobuf';
import { timestampFromMs } from '@bufbuild/protobuf/wkt';
import { ChaincodeMessageSchema, ChaincodeMessage_Type, type ChaincodeMessage } from '../src/gen/peer/chaincode_shim_pb';
import { SignedProposalSchema } from '../src/gen/peer/proposal_pb';
import { ChaincodeEventSchema } from '../src/gen/peer/chaincode_event_pb';
import { decodeChaincodeMessage, encodeChaincodeMessage, encodeEnvelope } from '../src/codec/envelope';

/** Any string, lone surrogates included (both sides write them as U+FFFD). */
const anyString = fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.string({ unit: 'grapheme', maxLength: 80 }), fc.constant(''));
/** A txid as peers make them (64 hex chars), or anything. */
const txid = fc.oneof(fc.stringMatching(/^[0-9a-f]{64}$/), anyString);
const payload = fc.oneof(
  fc.uint8Array({ maxLength: 300 }),
  fc.constant(new Uint8Array(0)),
  fc.integer({ min: 100_000, max: 300_000 }).map((n) => new Uint8Array(n).fill(7)),
);
const type = fc.oneof(
  fc.constantFrom(...Object.values(ChaincodeMessage_Type).filter((v): v is number => typeof v === 'number')),
  fc.integer({ min: 0, max: 0x0fffffff }),
);

/** Byte equality without jest's element-by-element diff (payloads reach 300 kB). */
function expectSameBytes(actual: Uint8Array, expected: Uint8Array): void {
  const a = Buffer.from(actual.buffer, actual.byteOffset, actual.byteLength);
  const e = Buffer.from(expected.buffer, expected.byteOffset, expected.byteLength);
  if (!a.equals(e)) expect(a.toString('hex')).toBe(e.toString('hex'));
}

const plainMessage = fc.record({ type, channelId: anyString, txid, payload }).map((m) => create(ChaincodeMessageSchema, m));

/** The hand decoder gives what the generated one gives for these bytes, or both throw. */
function decodesAsGenerated(bytes: Uint8Array): void {
  let expected: unknown;
  let expectedError: unknown;
  try {
    expected = fromBinary(ChaincodeMessageSchema, bytes);
  } catch (e) {
    expectedError = e;
  }
  if (expectedError === undefined) expect(decodeChaincodeMessage(bytes)).toStrictEqual(expected);
  else expect(() => decodeChaincodeMessage(bytes)).toThrow();
}

/** Encodings from `valid` with one byte overwritten and up to two bytes cut off the end. */
function corrupted(valid: fc.Arbitrary<Uint8Array>): fc.Arbitrary<Uint8Array> {
  return fc.tuple(valid, fc.nat(), fc.integer({ min: 0, max: 255 })).map(([bytes, at, byte]) => {
    const b = Buffer.from(bytes);
    if (b.length > 0) b[at % b.length] = byte;
    return b.subarray(0, b.length - (at % 3));
  });
}

describe('encodeChaincodeMessage', () => {
  it('writes the same bytes as toBinary for the common shape', () => {
    fc.assert(
      fc.property(plainMessage, (msg) => {
        expectSameBytes(encodeChaincodeMessage(msg), toBinary(ChaincodeMessageSchema, msg));
      }),
      { numRuns: 500 },
    );
  });

  it('encodeEnvelope equals toBinary of the same four fields', () => {
    fc.assert(
      fc.property(type, anyString, txid, payload, (t, channelId, id, p) => {
        const expected = toBinary(ChaincodeMessageSchema, create(ChaincodeMessageSchema, { type: t, channelId, txid: id, payload: p }));
        expectSameBytes(encodeEnvelope(t, channelId, id, p), expected);
      }),
      { numRuns: 300 },
    );
  });

  it('defers to toBinary for timestamp, proposal, chaincode event and negative types', () => {
    const base = { type: ChaincodeMessage_Type.COMPLETED, txid: 't1', channelId: 'ch', payload: new Uint8Array([1, 2]) };
    const messages: ChaincodeMessage[] = [
      create(ChaincodeMessageSchema, { ...base, timestamp: timestampFromMs(1_700_000_000_123) }),
      create(ChaincodeMessageSchema, {
        ...base,
        proposal: create(SignedProposalSchema, { proposalBytes: new Uint8Array([9]), signature: new Uint8Array([8]) }),
      }),
      create(ChaincodeMessageSchema, {
        ...base,
        chaincodeEvent: create(ChaincodeEventSchema, { eventName: 'e', payload: new Uint8Array([3]) }),
      }),
      create(ChaincodeMessageSchema, { ...base, type: -5 as ChaincodeMessage_Type }),
    ];
    for (const msg of messages) expectSameBytes(encodeChaincodeMessage(msg), toBinary(ChaincodeMessageSchema, msg));
  });

  it('keeps unknown fields of an echoed message (KEEPALIVE) as toBinary does', () => {
    const bytes = Buffer.concat([
      Buffer.from(toBinary(ChaincodeMessageSchema, create(ChaincodeMessageSchema, { type: ChaincodeMessage_Type.KEEPALIVE }))),
      Buffer.from([0x48, 0x05]),
    ]);
    const decoded = decodeChaincodeMessage(bytes);
    expect(decoded.$unknown).toBeDefined();
    expectSameBytes(encodeChaincodeMessage(decoded), bytes);
  });
});

describe('decodeChaincodeMessage', () => {
  it('returns what fromBinary returns for random messages, proposals included', () => {
    const proposal = fc.option(
      fc.record({ proposalBytes: fc.uint8Array({ maxLength: 200 }), signature: fc.uint8Array({ maxLength: 80 }) }),
      { nil: undefined },
    );
    fc.assert(
      fc.property(plainMessage, proposal, fc.boolean(), (msg, p, asBuffer) => {
        if (p !== undefined) msg.proposal = create(SignedProposalSchema, p);
        const raw = toBinary(ChaincodeMessageSchema, msg);
        const bytes = asBuffer ? Buffer.from(raw) : raw;
        expect(decodeChaincodeMessage(bytes)).toStrictEqual(fromBinary(ChaincodeMessageSchema, bytes));
      }),
      { numRuns: 500 },
    );
  });

  it('returns views into the received buffer for payloads, as fromBinary does', () => {
    const bytes = Buffer.from(
      toBinary(
        ChaincodeMessageSchema,
        create(ChaincodeMessageSchema, { type: ChaincodeMessage_Type.RESPONSE, txid: 'a', payload: new Uint8Array([5, 6, 7]) }),
      ),
    );
    const msg = decodeChaincodeMessage(bytes);
    expect(Buffer.isBuffer(msg.payload)).toBe(true);
    expect(msg.payload.buffer).toBe(bytes.buffer);
  });

  it('agrees with fromBinary on arbitrary and corrupted bytes: same object or both throw', () => {
    const corrupt = corrupted(plainMessage.map((msg) => toBinary(ChaincodeMessageSchema, msg)));
    fc.assert(fc.property(fc.oneof(fc.uint8Array({ maxLength: 64 }), corrupt), decodesAsGenerated), { numRuns: 2000 });
  });

  it('decodes the nested SignedProposal as fromBinary does, whole, corrupted or odd (repeated, unknown fields)', () => {
    const proposalBytes = fc.oneof(fc.uint8Array({ maxLength: 120 }), fc.constant(new Uint8Array(0)));
    const signedProposal = fc
      .record({ proposalBytes, signature: fc.uint8Array({ maxLength: 40 }) })
      .map((p) => toBinary(SignedProposalSchema, create(SignedProposalSchema, p)));
    // Its bytes as sent, twice over (last occurrence wins), with an unknown field, or with noise appended.
    const nested = fc.oneof(
      signedProposal,
      fc.tuple(signedProposal, signedProposal).map(([a, b]) => Buffer.concat([a, b])),
      signedProposal.map((a) => Buffer.concat([a, Uint8Array.of(0x1a, 0x01, 0x41)])),
      fc.tuple(signedProposal, fc.uint8Array({ maxLength: 6 })).map(([a, b]) => Buffer.concat([a, b])),
    );
    const withProposal = fc.tuple(plainMessage, nested).map(([msg, p]) => {
      const head = toBinary(ChaincodeMessageSchema, msg);
      return Buffer.concat([head, Uint8Array.of(0x2a, ...varint(p.length)), p]);
    });
    const corrupt = corrupted(withProposal);
    fc.assert(fc.property(fc.oneof(withProposal, corrupt), decodesAsGenerated), { numRuns: 2000 });
  });

  it('throws on invalid UTF-8 in txid as the generated decoder does (proto3 strings are verified)', () => {
    const bytes = new Uint8Array([0x22, 0x02, 0xc3, 0x28]);
    expect(() => fromBinary(ChaincodeMessageSchema, bytes)).toThrow();
    expect(() => decodeChaincodeMessage(bytes)).toThrow();
  });
});

/** A varint's bytes (lengths in the tests above). */
function varint(n: number): number[] {
  const out: number[] = [];
  while (n > 0x7f) {
    out.push((n & 0x7f) | 0x80);
    n >>>= 7;
  }
  out.push(n);
  return out;
}
