/**
 * The enum copies of src/codec/message-type.ts against the generated enums (the source of truth):
 * every name and value, in both directions, and nothing more.
 */
import {
  ChaincodeMessage_Type,
  ChaincodeMessage_TypeSchema,
  WriteRecord_Type,
  WriteRecord_TypeSchema,
} from '../src/gen/peer/chaincode_shim_pb';
import { MessageType, WriteRecordType } from '../src/codec/message-type';

/** The enum object as plain entries, sorted: name -> value and value -> name alike. */
const entries = (e: object): [string, unknown][] => Object.entries(e).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));

describe.each([
  ['ChaincodeMessage.Type', MessageType, ChaincodeMessage_Type, ChaincodeMessage_TypeSchema],
  ['WriteRecord.Type', WriteRecordType, WriteRecord_Type, WriteRecord_TypeSchema],
] as const)('%s', (_name, copy, generated, schema) => {
  it('has exactly the generated enum object: every name -> value and value -> name', () => {
    expect(entries(copy)).toEqual(entries(generated));
  });

  it('names every value of the descriptor (the .proto), both directions', () => {
    expect(schema.values.length).toBeGreaterThan(1);
    for (const v of schema.values) {
      expect((copy as Record<string, unknown>)[v.localName]).toBe(v.number);
      expect((copy as Record<number, unknown>)[v.number]).toBe(v.localName);
    }
    expect(Object.keys(copy)).toHaveLength(2 * schema.values.length);
  });

  it('cannot be changed at run time', () => {
    expect(Object.isFrozen(copy)).toBe(true);
  });
});
