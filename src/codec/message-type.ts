/**
 * The numeric enums the runtime switches on, copied from the generated code (issue 16): importing
 * an enum from src/gen evaluates that whole generated file, descriptors included (several MiB of
 * an idle process), so the handler, the transaction and telemetry use these copies instead. The
 * generated enums stay the source of truth: the `satisfies` clauses below fail to compile when a
 * name or value differs, and test/codec-message-type.test.ts compares both directions at runtime.
 */
import type { ChaincodeMessage_Type, WriteRecord_Type } from '../gen/peer/chaincode_shim_pb';

/** Name -> value of a generated numeric enum `E`, each value typed as E's member. */
type Values<E> = { readonly [K in keyof E]: E[K] };

/** Adds the reverse mapping (value -> name) a TypeScript numeric enum object carries. */
function withNames<E>(values: Values<E>): E {
  const out: Record<string | number, string | number> = {};
  for (const [name, value] of Object.entries(values) as [string, number][]) {
    out[name] = value;
    out[value] = name;
  }
  return Object.freeze(out) as E;
}

/** protos.ChaincodeMessage.Type: same object shape as the generated `ChaincodeMessage_Type`. */
export const MessageType: typeof ChaincodeMessage_Type = withNames<typeof ChaincodeMessage_Type>({
  UNDEFINED: 0,
  REGISTER: 1,
  REGISTERED: 2,
  INIT: 3,
  READY: 4,
  TRANSACTION: 5,
  COMPLETED: 6,
  ERROR: 7,
  GET_STATE: 8,
  PUT_STATE: 9,
  DEL_STATE: 10,
  INVOKE_CHAINCODE: 11,
  RESPONSE: 13,
  GET_STATE_BY_RANGE: 14,
  GET_QUERY_RESULT: 15,
  QUERY_STATE_NEXT: 16,
  QUERY_STATE_CLOSE: 17,
  KEEPALIVE: 18,
  GET_HISTORY_FOR_KEY: 19,
  GET_STATE_METADATA: 20,
  PUT_STATE_METADATA: 21,
  GET_PRIVATE_DATA_HASH: 22,
  PURGE_PRIVATE_DATA: 23,
  WRITE_BATCH_STATE: 24,
  GET_STATE_MULTIPLE: 25,
} satisfies Values<typeof ChaincodeMessage_Type>);

/** protos.WriteRecord.Type: same object shape as the generated `WriteRecord_Type`. */
export const WriteRecordType: typeof WriteRecord_Type = withNames<typeof WriteRecord_Type>({
  UNDEFINED: 0,
  PUT_STATE: 9,
  DEL_STATE: 10,
  PUT_STATE_METADATA: 21,
  PURGE_PRIVATE_DATA: 23,
} satisfies Values<typeof WriteRecord_Type>);
