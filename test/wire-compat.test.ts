/**
 * Wire compatibility with the official messages, both ways, for every message we generate: a
 * value with every field set is encoded by our generated code, decoded and re-encoded by the
 * official `@hyperledger/fabric-protos` (google-protobuf), and decoded by ours again; the result
 * must equal the original. A wrong field number, type or name of a nested message breaks it.
 */
import { create, equals, fromBinary, ScalarType, toBinary, type DescField, type DescMessage } from '@bufbuild/protobuf';
import * as official from '@hyperledger/fabric-protos';
import * as common from '../src/gen/common/common_pb';
import * as policies from '../src/gen/common/policies_pb';
import * as kv from '../src/gen/ledger/queryresult/kv_query_result_pb';
import * as identities from '../src/gen/msp/identities_pb';
import * as principal from '../src/gen/msp/msp_principal_pb';
import * as chaincode from '../src/gen/peer/chaincode_pb';
import * as event from '../src/gen/peer/chaincode_event_pb';
import * as shim from '../src/gen/peer/chaincode_shim_pb';
import * as proposal from '../src/gen/peer/proposal_pb';
import * as response from '../src/gen/peer/proposal_response_pb';
import * as transaction from '../src/gen/peer/transaction_pb';
import * as gateway from '../src/gen/gateway/gateway_pb';
import * as ab from '../src/gen/orderer/ab_pb';
import * as rwset from '../src/gen/ledger/rwset/rwset_pb';
import * as kvrwset from '../src/gen/ledger/rwset/kvrwset/kv_rwset_pb';
import * as rpcStatus from '../src/gen/google/rpc/status_pb';

interface OfficialClass {
  new (): { toObject(): Record<string, unknown> };
  deserializeBinary(bytes: Uint8Array): { serializeBinary(): Uint8Array };
}

const isMessageSchema = (v: unknown): v is DescMessage => typeof v === 'object' && v !== null && (v as DescMessage).kind === 'message';

/** Every message schema we generate, nested ones included. */
function allSchemas(): DescMessage[] {
  const seen = new Map<string, DescMessage>();
  const visit = (d: DescMessage): void => {
    if (seen.has(d.typeName)) return;
    seen.set(d.typeName, d);
    d.nestedMessages.forEach(visit);
  };
  for (const mod of [
    common,
    policies,
    kv,
    identities,
    principal,
    chaincode,
    event,
    shim,
    proposal,
    response,
    transaction,
    gateway,
    ab,
    rwset,
    kvrwset,
    rpcStatus,
  ]) {
    for (const v of Object.values(mod)) if (isMessageSchema(v)) visit(v);
  }
  return [...seen.values()].filter((d) => !d.typeName.startsWith('google.protobuf.'));
}

/** The official class for a type name: package `protos` is `peer`, `queryresult` is `ledger.queryresult`, `rwset` is `ledger.rwset`. */
function officialClass(typeName: string): OfficialClass {
  const [pkg, ...path] = typeName.split('.');
  const root = {
    protos: official.peer,
    common: official.common,
    msp: official.msp,
    queryresult: official.ledger.queryresult,
    rwset: official.ledger.rwset,
    kvrwset: official.ledger.rwset.kvrwset,
    gateway: official.gateway,
    orderer: official.orderer,
    google: official.google,
  }[pkg as string];
  let node: unknown = root;
  for (const part of path) node = (node as Record<string, unknown> | undefined)?.[part];
  if (typeof (node as OfficialClass | undefined)?.deserializeBinary !== 'function') throw new Error(`no official class for ${typeName}`);
  return node as OfficialClass;
}

function scalarSample(type: ScalarType, salt: number): unknown {
  switch (type) {
    case ScalarType.STRING:
      return `s${salt}-é`;
    case ScalarType.BYTES:
      return new Uint8Array([salt, 0, 255]);
    case ScalarType.BOOL:
      return true;
    case ScalarType.DOUBLE:
    case ScalarType.FLOAT:
      return 1.5 + salt;
    case ScalarType.INT64:
    case ScalarType.SINT64:
    case ScalarType.SFIXED64:
      return BigInt(-1000 - salt);
    case ScalarType.UINT64:
    case ScalarType.FIXED64:
      return BigInt(2 ** 40 + salt);
    case ScalarType.INT32:
    case ScalarType.SINT32:
    case ScalarType.SFIXED32:
      return -7 - salt;
    default:
      return 7 + salt; // uint32, fixed32
  }
}

/** A value with every field set to a non-default value (recursion cut at `depth`). */
function sample(schema: DescMessage, depth = 0): Record<string, unknown> {
  const init: Record<string, unknown> = {};
  const value = (f: DescField, salt: number): unknown => {
    const kind = f.fieldKind === 'list' ? f.listKind : f.fieldKind === 'map' ? f.mapKind : f.fieldKind;
    if (kind === 'scalar') return scalarSample((f as { scalar: ScalarType }).scalar, salt);
    if (kind === 'enum') {
      const values = (f as { enum: { values: { number: number }[] } }).enum.values;
      return (values[values.length - 1] as { number: number }).number;
    }
    return create((f as { message: DescMessage }).message, sample((f as { message: DescMessage }).message, depth + 1));
  };
  for (const f of schema.fields) {
    if (f.oneof !== undefined) continue;
    if (f.fieldKind === 'message' && depth >= 3) continue;
    if (f.fieldKind === 'list') init[f.localName] = depth >= 3 && f.listKind === 'message' ? [] : [value(f, 1), value(f, 2)];
    else if (f.fieldKind === 'map') init[f.localName] = depth >= 3 && f.mapKind === 'message' ? {} : { k1: value(f, 1), k2: value(f, 2) };
    else init[f.localName] = value(f, 0);
  }
  for (const oneof of schema.oneofs) {
    const f = oneof.fields.find((x) => x.fieldKind !== 'message' || depth < 3);
    if (f) init[oneof.localName] = { case: f.localName, value: value(f, 3) };
  }
  return init;
}

const schemas = allSchemas();

test('every generated message has an official counterpart with the same number of fields', () => {
  expect(schemas.length).toBeGreaterThan(40);
  for (const s of schemas) {
    const Official = officialClass(s.typeName);
    expect([s.typeName, Object.keys(new Official().toObject()).length]).toEqual([s.typeName, s.fields.length]);
  }
});

test.each(schemas.map((s) => [s.typeName, s] as const))('%s: ours -> official -> ours keeps every field', (_name, schema) => {
  const original = create(schema, sample(schema));
  const ours = toBinary(schema, original);
  const theirs = officialClass(schema.typeName).deserializeBinary(ours).serializeBinary();
  const back = fromBinary(schema, theirs);
  expect(equals(schema, back, original)).toBe(true);
  // Both encoders produce the same length: no field was dropped or unknown to the other side.
  expect(theirs.length).toBe(ours.length);
});
