/**
 * The hand-written talk-back payload codecs (src/codec/state.ts) against the generated code:
 * random keys (unicode, lone surrogates, composite-key separators), collections, values (empty
 * and large) and batches give the same bytes; random query answers, and corrupted ones, decode
 * to the same objects (or both throw).
 */
import * as fc from 'fast-check';
import { create, fromBinary, toBinary, type DescMessage, type MessageShape } from '@bufbuild/protobuf';
import {
  DelStateSchema,
  GetHistoryForKeySchema,
  GetStateSchema,
  PutStateSchema,
  QueryResponseSchema,
  QueryStateNextSchema,
  StateMetadataSchema,
  WriteBatchStateSchema,
  WriteRecordSchema,
  WriteRecord_Type,
} from '../src/gen/peer/chaincode_shim_pb';
import { KVSchema } from '../src/gen/ledger/queryresult/kv_query_result_pb';
import {
  canEncodeRecords,
  decodeKV,
  decodeQueryResponse,
  encodeKeyCollection,
  encodePutState,
  encodeSingleString,
  encodeWriteBatchState,
} from '../src/codec/state';

const key = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary', maxLength: 100 }),
  fc.array(fc.string({ maxLength: 8 }), { maxLength: 4 }).map((parts) => `\u0000asset\u0000${parts.join('\u0000')}\u0000`),
  fc.constant(''),
);
const value = fc.oneof(
  fc.uint8Array({ maxLength: 200 }),
  fc.constant(new Uint8Array(0)),
  fc.integer({ min: 70_000, max: 200_000 }).map((n) => new Uint8Array(n).fill(0x61)),
);

function expectSameBytes(actual: Uint8Array, expected: Uint8Array): void {
  const a = Buffer.from(actual.buffer, actual.byteOffset, actual.byteLength);
  const e = Buffer.from(expected.buffer, expected.byteOffset, expected.byteLength);
  if (!a.equals(e)) expect(a.toString('hex')).toBe(e.toString('hex'));
}

/** Decoding both ways: the same object, or both throw. */
function expectSameDecode<D extends DescMessage>(schema: D, bytes: Uint8Array, decode: (b: Uint8Array) => MessageShape<D>): void {
  let expected: unknown;
  let failed = false;
  try {
    expected = fromBinary(schema, bytes);
  } catch {
    failed = true;
  }
  if (failed) expect(() => decode(bytes)).toThrow();
  else expect(decode(bytes)).toStrictEqual(expected);
}

/** Random corruption of valid bytes: one byte changed, maybe truncated. */
function corrupted(valid: fc.Arbitrary<Uint8Array>): fc.Arbitrary<Uint8Array> {
  return fc.tuple(valid, fc.nat(), fc.integer({ min: 0, max: 255 })).map(([bytes, at, byte]) => {
    const b = Buffer.from(bytes);
    if (b.length > 0) b[at % b.length] = byte;
    return b.subarray(0, b.length - (at % 3));
  });
}

describe('request encoders equal the generated ones', () => {
  it('GetState / DelState (key = 1, collection = 2)', () => {
    fc.assert(
      fc.property(key, key, (k, collection) => {
        const bytes = encodeKeyCollection(k, collection);
        expectSameBytes(bytes, toBinary(GetStateSchema, create(GetStateSchema, { key: k, collection })));
        expectSameBytes(bytes, toBinary(DelStateSchema, create(DelStateSchema, { key: k, collection })));
      }),
      { numRuns: 500 },
    );
  });

  it('PutState', () => {
    fc.assert(
      fc.property(key, value, key, (k, v, collection) => {
        expectSameBytes(
          encodePutState(k, v, collection),
          toBinary(PutStateSchema, create(PutStateSchema, { key: k, value: v, collection })),
        );
      }),
      { numRuns: 300 },
    );
  });

  it('single-string requests (GetHistoryForKey, QueryStateNext)', () => {
    fc.assert(
      fc.property(key, (s) => {
        expectSameBytes(encodeSingleString(s), toBinary(GetHistoryForKeySchema, create(GetHistoryForKeySchema, { key: s })));
        expectSameBytes(encodeSingleString(s), toBinary(QueryStateNextSchema, create(QueryStateNextSchema, { id: s })));
      }),
      { numRuns: 300 },
    );
  });

  it('WriteBatchState with every record type, metadata and empty fields', () => {
    const record = fc
      .record({
        key,
        value: fc.uint8Array({ maxLength: 100 }),
        collection: fc.oneof(fc.constant(''), key),
        type: fc.constantFrom(
          WriteRecord_Type.UNDEFINED,
          WriteRecord_Type.PUT_STATE,
          WriteRecord_Type.DEL_STATE,
          WriteRecord_Type.PUT_STATE_METADATA,
          WriteRecord_Type.PURGE_PRIVATE_DATA,
        ),
        metadata: fc.option(fc.record({ metakey: key, value: fc.uint8Array({ maxLength: 40 }) }), { nil: undefined }),
      })
      .map(({ metadata, ...r }) =>
        create(WriteRecordSchema, metadata === undefined ? r : { ...r, metadata: create(StateMetadataSchema, metadata) }),
      );
    fc.assert(
      fc.property(fc.array(record, { maxLength: 30 }), (records) => {
        expect(canEncodeRecords(records)).toBe(true);
        expectSameBytes(encodeWriteBatchState(records), toBinary(WriteBatchStateSchema, create(WriteBatchStateSchema, { rec: records })));
      }),
      { numRuns: 300 },
    );
  });

  it('leaves records with unknown fields or out-of-range types to the generated encoder', () => {
    const withUnknown = fromBinary(WriteRecordSchema, new Uint8Array([0x0a, 0x01, 0x6b, 0x50, 0x01]));
    expect(withUnknown.$unknown).toBeDefined();
    expect(canEncodeRecords([withUnknown])).toBe(false);
    expect(canEncodeRecords([create(WriteRecordSchema, { key: 'k', type: -1 as WriteRecord_Type })])).toBe(false);
  });
});

describe('answer decoders equal the generated ones', () => {
  const kvBytes = fc.record({ namespace: key, key, value }).map((kv) => toBinary(KVSchema, create(KVSchema, kv)));
  const queryResponse = fc
    .record({
      results: fc.array(
        fc.oneof(kvBytes, fc.uint8Array({ maxLength: 30 })).map((resultBytes) => ({ resultBytes })),
        { maxLength: 20 },
      ),
      hasMore: fc.boolean(),
      id: key,
      metadata: fc.uint8Array({ maxLength: 20 }),
    })
    .map((r) => toBinary(QueryResponseSchema, create(QueryResponseSchema, r)));

  it('QueryResponse', () => {
    fc.assert(
      fc.property(queryResponse, fc.boolean(), (bytes, asBuffer) => {
        expectSameDecode(QueryResponseSchema, asBuffer ? Buffer.from(bytes) : bytes, decodeQueryResponse);
      }),
      { numRuns: 300 },
    );
  });

  it('QueryResponse: corrupted and arbitrary bytes', () => {
    fc.assert(
      fc.property(fc.oneof(corrupted(queryResponse), fc.uint8Array({ maxLength: 40 })), (bytes) => {
        expectSameDecode(QueryResponseSchema, bytes, decodeQueryResponse);
      }),
      { numRuns: 2000 },
    );
  });

  it('KV, valid, corrupted and arbitrary', () => {
    fc.assert(
      fc.property(fc.oneof(kvBytes, corrupted(kvBytes), fc.uint8Array({ maxLength: 40 })), (bytes) => {
        expectSameDecode(KVSchema, bytes, decodeKV);
      }),
      { numRuns: 2000 },
    );
  });
});
