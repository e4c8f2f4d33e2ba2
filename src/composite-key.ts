/**
 * Fabric's composite keys: `\u0000` + objectType + `\u0000` + each attribute + `\u0000`.
 *
 * The encoding is a fact of the ledger (keys written by the Go, Java and Node shims must
 * match byte for byte), so it follows fabric-shim and the Go shim exactly. Validation
 * combines both: fabric-shim's message for an empty or non-string part, and the Go shim's
 * message for the two code points that would break the encoding (U+0000, U+10FFFF).
 */
import { invalidArgument } from './errors';

/** Prefix of every composite key: puts them in their own namespace, apart from simple keys. */
export const COMPOSITE_KEY_NAMESPACE = '\u0000';
/** Separator after the object type and after every attribute (Go's minUnicodeRuneValue). */
export const MIN_UNICODE_RUNE_VALUE = '\u0000';
/** The highest code point; appended to a partial key to form the end of its range. */
export const MAX_UNICODE_RUNE_VALUE = '\u{10ffff}';
/**
 * Start key used for an empty range start: the peer treats "" as "no bound" for the end
 * but a start of "" would include the composite key namespace, so both shims send 0x01.
 */
export const EMPTY_KEY_SUBSTITUTE = '\u0001';

/**
 * The parts of a composite key, as fabric-shim's `splitCompositeKey` returns them. Typed as
 * fabric-shim's `SplitCompositekey`: `objectType` is `string`, although a key that is not a
 * composite key gives `{ objectType: null, attributes: [] }` at run time (fabric-shim's behaviour).
 */
export interface SplitCompositeKey {
  /** The object type; `null` at run time when the key is not a composite key. */
  objectType: string;
  attributes: string[];
}

/** fabric-shim's spelling of {@link SplitCompositeKey}. */
export type SplitCompositekey = SplitCompositeKey;

/** The split of a key that is not a composite key (fabric-shim's value, see SplitCompositeKey). */
function notComposite(): SplitCompositeKey {
  return { objectType: null as unknown as string, attributes: [] };
}

/** A UTF-16 surrogate without its pair: such a string has no valid UTF-8 encoding. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Byte offset of UTF-16 index `index` in the UTF-8 encoding of `s` (Go reports byte positions). */
function utf8Offset(s: string, index: number): number {
  return Buffer.byteLength(s.slice(0, index), 'utf8');
}

/** Throws ShimError('INVALID_ARGUMENT') unless `part` may appear in a composite key. */
export function validateCompositeKeyAttribute(part: unknown): asserts part is string {
  // fabric-shim: empty or non-string parts are refused with this exact text.
  if (typeof part !== 'string' || part.length === 0) {
    throw invalidArgument('object type or attribute not a non-zero length string');
  }
  // Go shim: the string must be valid UTF-8 (in JS: no lone surrogates).
  if (LONE_SURROGATE.test(part)) {
    throw invalidArgument(`not a valid utf8 string: [${Buffer.from(part, 'utf8').toString('hex')}]`);
  }
  const nul = part.indexOf(MIN_UNICODE_RUNE_VALUE);
  const max = part.indexOf(MAX_UNICODE_RUNE_VALUE);
  if (nul >= 0 || max >= 0) {
    const at = nul >= 0 && (max < 0 || nul < max) ? nul : max;
    const rune = at === nul ? 'U+0000' : 'U+10FFFF';
    // Go shim's message, with the byte position Go reports.
    throw invalidArgument(
      `input contains unicode ${rune} starting at position [${utf8Offset(part, at)}]. ` +
        'U+0000 and U+10FFFF are not allowed in the input attribute of a composite key',
    );
  }
}

/**
 * Builds a composite key from an object type and attributes (fabric-shim's
 * `createCompositeKey`). With fewer attributes than a full key it is a partial key, the
 * prefix used by `getStateByPartialCompositeKey`.
 */
export function createCompositeKey(objectType: string, attributes: readonly string[]): string {
  validateCompositeKeyAttribute(objectType);
  if (!Array.isArray(attributes)) throw invalidArgument('attributes must be an array');
  let key = COMPOSITE_KEY_NAMESPACE + objectType + MIN_UNICODE_RUNE_VALUE;
  for (const attribute of attributes) {
    validateCompositeKeyAttribute(attribute);
    key += attribute + MIN_UNICODE_RUNE_VALUE;
  }
  return key;
}

/**
 * Splits a composite key into its object type and attributes (fabric-shim's
 * `splitCompositeKey`). A key that is not composite gives `{ objectType: null, attributes: [] }`.
 */
export function splitCompositeKey(compositeKey: string): SplitCompositeKey {
  if (typeof compositeKey !== 'string' || compositeKey.length <= 1 || !compositeKey.startsWith(COMPOSITE_KEY_NAMESPACE)) {
    return notComposite();
  }
  const parts = compositeKey.slice(1).split(MIN_UNICODE_RUNE_VALUE);
  // Same steps as fabric-shim, so malformed keys split the same way too: the object type
  // is taken first, then the last part (the "" after the final separator) is dropped.
  const objectType = parts[0] ?? '';
  parts.pop();
  return { objectType, attributes: parts.length > 1 ? parts.slice(1) : [] };
}

/** The [start, end) range holding every key that extends the partial composite key. */
export function partialCompositeKeyRange(objectType: string, attributes: readonly string[]): [string, string] {
  const start = createCompositeKey(objectType, attributes);
  return [start, start + MAX_UNICODE_RUNE_VALUE];
}

/**
 * Refuses simple keys that start with U+0000, the composite key namespace, so a range
 * query over simple keys cannot collide with composite keys (fabric-shim's and Go's text).
 */
export function validateSimpleKeys(...keys: string[]): void {
  for (const key of keys) {
    if (typeof key === 'string' && key.startsWith(COMPOSITE_KEY_NAMESPACE)) {
      throw invalidArgument(`first character of the key [${key}] contains a null character which is not allowed`);
    }
  }
}
