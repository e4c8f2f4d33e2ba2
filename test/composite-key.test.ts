import fc from 'fast-check';
import { createCompositeKey, partialCompositeKeyRange, splitCompositeKey, validateSimpleKeys } from '../src/composite-key';
import { ShimError } from '../src/errors';

// fabric-shim's own implementation, to compare encodings byte for byte.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const FabricStub = require('fabric-shim/lib/stub.js') as {
  prototype: {
    createCompositeKey(this: unknown, t: string, a: string[]): string;
    splitCompositeKey(this: unknown, k: string): { objectType: string | null; attributes: string[] };
  };
};
const official = {
  create: (t: string, a: string[]) => FabricStub.prototype.createCompositeKey.call({}, t, a),
  split: (k: string) => FabricStub.prototype.splitCompositeKey.call({}, k),
};

/** Non-empty strings without the two code points a composite key cannot hold. */
const part = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 12 }).filter((s) => !s.includes('\u0000') && !s.includes('\u{10ffff}'));

function invalid(fn: () => unknown): ShimError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ShimError);
    expect((err as ShimError).code).toBe('INVALID_ARGUMENT');
    return err as ShimError;
  }
  throw new Error('expected an INVALID_ARGUMENT ShimError');
}

describe('createCompositeKey', () => {
  it('uses the U+0000 namespace and separators', () => {
    expect(createCompositeKey('asset', ['blue', '42'])).toBe('\u0000asset\u0000blue\u000042\u0000');
    expect(createCompositeKey('asset', [])).toBe('\u0000asset\u0000');
  });

  it('matches fabric-shim for any valid input', () => {
    fc.assert(
      fc.property(part, fc.array(part, { maxLength: 5 }), (t, attrs) => {
        expect(createCompositeKey(t, attrs)).toBe(official.create(t, attrs));
      }),
    );
  });

  it("refuses empty or non-string parts with fabric-shim's message", () => {
    expect(invalid(() => createCompositeKey('', ['a'])).message).toBe('object type or attribute not a non-zero length string');
    expect(invalid(() => createCompositeKey('t', ['a', ''])).message).toBe('object type or attribute not a non-zero length string');
    expect(invalid(() => createCompositeKey('t', [7 as unknown as string])).message).toBe(
      'object type or attribute not a non-zero length string',
    );
    expect(invalid(() => createCompositeKey('t', 'a' as unknown as string[])).message).toBe('attributes must be an array');
  });

  it("refuses U+0000 and U+10FFFF with the Go shim's message and byte position", () => {
    expect(invalid(() => createCompositeKey('t', ['ab\u0000c'])).message).toBe(
      'input contains unicode U+0000 starting at position [2]. U+0000 and U+10FFFF are not allowed in the input attribute of a composite key',
    );
    // 'é' is two bytes in UTF-8, so U+10FFFF after 'éa' starts at byte 3, as Go reports.
    expect(invalid(() => createCompositeKey('éa\u{10ffff}', [])).message).toContain('unicode U+10FFFF starting at position [3]');
  });

  it('refuses any part holding a delimiter, wherever it is', () => {
    fc.assert(
      fc.property(part, part, fc.constantFrom('\u0000', '\u{10ffff}'), fc.boolean(), (a, b, bad, inType) => {
        const poisoned = a + bad + b;
        invalid(() => (inType ? createCompositeKey(poisoned, [a]) : createCompositeKey(a, [b, poisoned])));
      }),
    );
  });

  it('refuses strings that are not valid Unicode (lone surrogates)', () => {
    expect(invalid(() => createCompositeKey('a\uD800b', [])).message).toMatch(/^not a valid utf8 string/);
  });
});

describe('splitCompositeKey', () => {
  it('round-trips any composite key', () => {
    fc.assert(
      fc.property(part, fc.array(part, { maxLength: 5 }), (t, attrs) => {
        expect(splitCompositeKey(createCompositeKey(t, attrs))).toEqual({ objectType: t, attributes: attrs });
      }),
    );
  });

  it('gives objectType null for simple keys, as fabric-shim', () => {
    expect(splitCompositeKey('simple')).toEqual({ objectType: null, attributes: [] });
    expect(splitCompositeKey('\u0000')).toEqual({ objectType: null, attributes: [] });
    expect(splitCompositeKey('')).toEqual({ objectType: null, attributes: [] });
  });

  it('splits arbitrary (even malformed) keys exactly as fabric-shim', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.constant('\u0000'), fc.string({ maxLength: 3 })), { maxLength: 6 }), (pieces) => {
        const key = pieces.join('');
        expect(splitCompositeKey(key)).toEqual(official.split(key));
      }),
    );
  });
});

describe('ranges and simple keys', () => {
  it('a partial key range spans [key, key + U+10FFFF)', () => {
    expect(partialCompositeKeyRange('asset', ['blue'])).toEqual(['\u0000asset\u0000blue\u0000', '\u0000asset\u0000blue\u0000\u{10ffff}']);
  });

  it('refuses simple keys in the composite namespace', () => {
    expect(() => validateSimpleKeys('a', 'b')).not.toThrow();
    expect(invalid(() => validateSimpleKeys('a', '\u0000x')).message).toBe(
      'first character of the key [\u0000x] contains a null character which is not allowed',
    );
  });
});
