/**
 * Bytes for decoder property tests: what a hand-written decoder must treat exactly as the generated
 * one does (same object, or both throw).
 */
import * as fc from 'fast-check';

/**
 * Noise, and encodings from `valid` damaged: two concatenated (a repeated field's last value wins),
 * bytes appended, cut short, or one byte flipped.
 */
export function damaged(valid: fc.Arbitrary<Uint8Array>, noiseLength: number): fc.Arbitrary<Uint8Array> {
  return fc.oneof(
    fc.uint8Array({ maxLength: noiseLength }),
    fc.tuple(valid, valid).map(([a, b]) => Buffer.concat([a, b])),
    fc.tuple(valid, fc.uint8Array({ maxLength: 8 })).map(([a, b]) => Buffer.concat([a, b])),
    fc.tuple(valid, fc.nat()).map(([a, n]) => a.subarray(0, a.length === 0 ? 0 : n % a.length)),
    fc.tuple(valid, fc.nat(), fc.integer({ min: 1, max: 255 })).map(([a, i, x]) => {
      const b = Uint8Array.from(a);
      if (b.length > 0) b[i % b.length] = (b[i % b.length] as number) ^ x;
      return b;
    }),
  );
}
