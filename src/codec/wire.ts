/**
 * Protobuf wire primitives for the hand-written hot-path codecs (issue 9): sizes, varints and
 * length-delimited fields written straight into a Buffer, and a strict reader that gives up
 * (returns a failure marker) on anything unusual so the caller can fall back to the generated
 * code. Only what the talk-back messages need: field numbers below 16 (one-byte tags),
 * non-negative 32-bit varints, strings and bytes.
 */

/** Wire type 0 (varint) tag byte of field `n` (n < 16). */
export const varintTag = (n: number): number => n << 3;
/** Wire type 2 (length-delimited) tag byte of field `n` (n < 16). */
export const lenTag = (n: number): number => (n << 3) | 2;

/** Bytes of a non-negative 32-bit varint. */
export function varintSize(n: number): number {
  return n < 0x80 ? 1 : n < 0x4000 ? 2 : n < 0x200000 ? 3 : n < 0x10000000 ? 4 : 5;
}

/** UTF-8 byte length; lone surrogates count 3 bytes (U+FFFD), as protobuf-es' TextEncoder writes them. */
export function utf8Length(s: string): number {
  return s.length === 0 ? 0 : Buffer.byteLength(s, 'utf8');
}

/** Size of a length-delimited field holding `len` bytes (one-byte tag). */
export function lenFieldSize(len: number): number {
  return 1 + varintSize(len) + len;
}

/** Size of a proto3 implicit-presence string/bytes field: nothing when empty. */
export function optionalFieldSize(len: number): number {
  return len === 0 ? 0 : 1 + varintSize(len) + len;
}

/** Writes a non-negative 32-bit varint at `pos`; returns the next position. */
export function writeVarint(buf: Buffer, pos: number, n: number): number {
  while (n > 0x7f) {
    buf[pos++] = (n & 0x7f) | 0x80;
    n >>>= 7;
  }
  buf[pos++] = n;
  return pos;
}

/** Writes tag, length and the UTF-8 of `s` (`len` = {@link utf8Length}); returns the next position. */
export function writeString(buf: Buffer, pos: number, tag: number, s: string, len: number): number {
  buf[pos++] = tag;
  pos = writeVarint(buf, pos, len);
  if (len === s.length && len < 48) {
    // Short ASCII (txids, keys): a loop beats the call into C++.
    for (let i = 0; i < len; i++) buf[pos + i] = s.charCodeAt(i);
  } else {
    buf.write(s, pos, len, 'utf8');
  }
  return pos + len;
}

/** Writes tag, length and `bytes`; returns the next position. */
export function writeBytes(buf: Buffer, pos: number, tag: number, bytes: Uint8Array): number {
  buf[pos++] = tag;
  pos = writeVarint(buf, pos, bytes.length);
  buf.set(bytes, pos);
  return pos + bytes.length;
}

/** Returned by the reader for input the fast path does not take (the caller then uses the generated code). */
export const UNUSUAL = -1;

/** A cursor over protobuf bytes, read strictly: anything beyond the common case yields {@link UNUSUAL}. */
export class WireReader {
  pos: number;
  /** End of the current message. */
  end: number;

  constructor(
    readonly buf: Uint8Array,
    start = 0,
    end = buf.length,
  ) {
    this.pos = start;
    this.end = end;
  }

  /** A varint below 2^28 (tags, lengths, enums, booleans); {@link UNUSUAL} for longer or truncated ones. */
  varint(): number {
    const buf = this.buf;
    let result = 0;
    for (let shift = 0; shift < 28; shift += 7) {
      if (this.pos >= this.end) return UNUSUAL;
      const b = buf[this.pos++] as number;
      result |= (b & 0x7f) << shift;
      if (b < 0x80) return result;
    }
    return UNUSUAL;
  }

  /** Reads a length prefix and returns the end of that field's data; {@link UNUSUAL} when it overruns. */
  lengthEnd(): number {
    const len = this.varint();
    if (len === UNUSUAL) return UNUSUAL;
    const end = this.pos + len;
    return end > this.end ? UNUSUAL : end;
  }
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * The string in `buf[start, end)`: ASCII read directly, anything else through a strict UTF-8
 * decoder that throws on invalid bytes exactly as protobuf-es does for proto3 strings.
 */
export function readString(buf: Uint8Array, start: number, end: number): string {
  if (end - start <= 64) {
    let s = '';
    for (let i = start; i < end; i++) {
      const b = buf[i] as number;
      if (b > 0x7f) return strictUtf8.decode(buf.subarray(start, end));
      s += String.fromCharCode(b);
    }
    return s;
  }
  for (let i = start; i < end; i++) {
    if ((buf[i] as number) > 0x7f) return strictUtf8.decode(buf.subarray(start, end));
  }
  return Buffer.from(buf.buffer, buf.byteOffset + start, end - start).toString('latin1');
}
