/**
 * Argument checks the stub runs before anything goes on the wire, and the conversion of the
 * values fabric-shim accepts to bytes.
 *
 * The rule (issue 12): refuse only what fabric-shim refuses, with its words, and let the peer
 * answer the rest. fabric-shim checks private data calls (collection, key, value) itself; for
 * public state it checks nothing and hands the arguments to its protobuf messages, which send
 * `undefined`/`null` as the field's default ('' or empty bytes) and throw
 * "Failure: Cannot coerce to Uint8Array: <type>" for a value that is not bytes. The few places
 * where we stay stricter on purpose say so, with the reason.
 */
import * as ck from './composite-key';
import { invalidArgument } from './errors';

/** A value as fabric-shim accepts it: bytes (a Buffer is a Uint8Array) or a string, sent as UTF-8. */
export type StateValue = Uint8Array | string;

const EMPTY = new Uint8Array(0);

/** The bytes of a {@link StateValue} (a string as UTF-8). */
export function toBytes(value: StateValue): Uint8Array {
  return typeof value === 'string' ? Buffer.from(value, 'utf8') : value;
}

/** True for a {@link StateValue}. */
export function isBytes(value: unknown): value is StateValue {
  return typeof value === 'string' || value instanceof Uint8Array;
}

/** google-protobuf's `goog.typeOf`, for its "Cannot coerce" text. */
function protobufTypeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

/** fabric-shim's error for a value its protobuf messages cannot turn into bytes. */
function cannotCoerce(value: unknown): Error {
  return invalidArgument(`Failure: Cannot coerce to Uint8Array: ${protobufTypeOf(value)}`);
}

/**
 * A public-state key as fabric-shim sends it: any string, '' included (the peer answers a read of
 * '' with an empty value and refuses a write of it when its state database does); `undefined` and
 * `null` go out as ''. Stricter on purpose: a number or an object, which fabric-shim's protobuf
 * silently sends as '' (reading or writing the empty key), is refused.
 */
export function wireKey(key: unknown): string {
  if (typeof key === 'string') return key;
  if (key === undefined || key === null) return '';
  throw invalidArgument('key must be a valid string');
}

/**
 * A public-state value as fabric-shim sends it: a string as UTF-8, bytes as they are,
 * `undefined`/`null` as empty bytes (which the peer records as a delete); anything else is
 * refused with fabric-shim's text.
 */
export function wireValue(value: unknown): Uint8Array {
  if (typeof value === 'string') return Buffer.from(value, 'utf8');
  if (value instanceof Uint8Array) return value;
  if (value === undefined || value === null) return EMPTY;
  throw cannotCoerce(value);
}

/**
 * A key-level endorsement policy as fabric-shim sends it: bytes as they are, `undefined`/`null`
 * as empty bytes, and (as its protobuf does with a string in a bytes field) a string as base64.
 */
export function wirePolicy(ep: unknown): Uint8Array {
  if (ep instanceof Uint8Array) return ep;
  if (ep === undefined || ep === null) return EMPTY;
  if (typeof ep === 'string') return Buffer.from(ep, 'base64');
  throw cannotCoerce(ep);
}

/** A private data key: fabric-shim refuses an empty or non-string one, with this text. */
export function requireKey(key: unknown): asserts key is string {
  if (typeof key !== 'string' || key.length === 0) throw invalidArgument('key must be a valid string');
}

/** A private data collection must be named (fabric-shim's check and text). */
export function requireCollection(collection: unknown): asserts collection is string {
  if (typeof collection !== 'string' || collection.length === 0) throw invalidArgument('collection must be a valid string');
}

/** A private value: fabric-shim refuses a falsy one ('' included) with this text. */
export function requirePrivateValue(value: unknown): Uint8Array {
  if (value === undefined || value === null || value === '') throw invalidArgument('value must be valid');
  return wireValue(value);
}

/**
 * Page size and bookmark of a paginated query, as fabric-shim's QueryMetadata takes them: the
 * page size an int32 (a numeric string is accepted, as protobuf coerces it; `undefined` is 0;
 * anything else fails its assertion), a falsy bookmark ''. Stricter on purpose: a non-string
 * truthy bookmark, which protobuf would silently send as '', is refused.
 */
export function wirePaging(pageSize: unknown, bookmark: unknown): { pageSize: number; bookmark: string } {
  let size = 0;
  if (pageSize !== undefined && pageSize !== null) {
    size = typeof pageSize === 'number' || typeof pageSize === 'string' ? Number(pageSize) : Number.NaN;
    if (!Number.isInteger(size) || size < -0x80000000 || size > 0x7fffffff) throw invalidArgument('Assertion failed');
  }
  if (bookmark === undefined || bookmark === null || bookmark === '') return { pageSize: size, bookmark: '' };
  if (typeof bookmark !== 'string') throw invalidArgument('bookmark must be a string');
  return { pageSize: size, bookmark };
}

/**
 * A rich query. fabric-shim sends any string (the state database answers an invalid one);
 * `undefined`/`null` go out as ''. Stricter on purpose: a non-string query is refused.
 */
export function wireQuery(query: unknown): string {
  if (typeof query === 'string') return query;
  if (query === undefined || query === null) return '';
  throw invalidArgument('query must be a string');
}

/**
 * The bounds of a range over simple keys. As fabric-shim: an empty start becomes 0x01, which
 * skips the composite key namespace; both ends must be simple keys.
 */
export function simpleRange(startKey: string, endKey: string): [string, string] {
  if (startKey !== undefined && typeof startKey !== 'string') throw invalidArgument('startKey must be a string');
  if (endKey !== undefined && typeof endKey !== 'string') throw invalidArgument('endKey must be a string');
  const start = startKey || ck.EMPTY_KEY_SUBSTITUTE;
  const end = endKey ?? '';
  ck.validateSimpleKeys(start, end);
  return [start, end];
}
