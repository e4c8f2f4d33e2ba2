/**
 * Argument checks the stub runs before anything goes on the wire, and the conversion of the
 * values fabric-shim accepts (bytes or strings) to bytes. The messages are fabric-shim's where
 * it has the check, in the same style where it does not.
 */
import { invalidArgument } from './errors';

/** A value as fabric-shim accepts it: bytes (a Buffer is a Uint8Array) or a string, sent as UTF-8. */
export type StateValue = Uint8Array | string;

/** The bytes of a {@link StateValue} (a string as UTF-8). */
export function toBytes(value: StateValue): Uint8Array {
  return typeof value === 'string' ? Buffer.from(value, 'utf8') : value;
}

/** True for a {@link StateValue}. */
export function isBytes(value: unknown): value is StateValue {
  return typeof value === 'string' || value instanceof Uint8Array;
}

/** A key must be a non-empty string. */
export function requireKey(key: unknown): asserts key is string {
  if (typeof key !== 'string' || key.length === 0) throw invalidArgument('key must be a valid string');
}

/** A private data collection must be named. */
export function requireCollection(collection: unknown): asserts collection is string {
  if (typeof collection !== 'string' || collection.length === 0) throw invalidArgument('collection must be a valid string');
}

/** A value must be bytes or a string. */
export function requireValue(value: unknown): asserts value is StateValue {
  if (!isBytes(value)) throw invalidArgument('value must be valid');
}

/** A page size is an int32 of the QueryMetadata message; the bookmark a string ('' = first page). */
export function requirePaging(pageSize: unknown, bookmark: unknown): void {
  if (typeof pageSize !== 'number' || !Number.isInteger(pageSize) || pageSize < 0 || pageSize > 0x7fffffff) {
    throw invalidArgument('pageSize must be a non-negative 32-bit integer');
  }
  if (typeof bookmark !== 'string') throw invalidArgument('bookmark must be a string');
}

/** A rich query must be a non-empty string. */
export function requireQuery(query: unknown): asserts query is string {
  if (typeof query !== 'string' || query.length === 0) throw invalidArgument('query must be a non-empty string');
}

/** A key-level endorsement policy must be bytes (from KeyEndorsementPolicy.getPolicy()). */
export function requirePolicy(ep: unknown): asserts ep is Uint8Array {
  if (!(ep instanceof Uint8Array)) throw invalidArgument('ep must be a Uint8Array');
}
