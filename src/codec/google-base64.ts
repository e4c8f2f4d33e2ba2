/**
 * How fabric-shim's protobuf library (google-protobuf 3.x, `goog.crypt.base64`) turns a string
 * into the bytes of a `bytes` field: as base64 (either alphabet), whitespace skipped, a final
 * partial group kept, and the output cut to the length it estimates from the string's length.
 * fabric-shim's `shim.success('text')` puts a string payload through it, so the peer gets
 * base64-decoded bytes, not UTF-8: matching it keeps endorsements equal (issue 12).
 * Differs from Node's `Buffer.from(s, 'base64')` on partial groups, '=' inside the text and
 * whitespace; an unknown character throws as there (fabric-shim then never answers the peer).
 */

/** Character -> 6-bit value; '=' and '.' are padding (64). Built on first use. */
let values: Map<string, number> | undefined;

function valueTable(): Map<string, number> {
  const table = new Map<string, number>();
  const base = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  for (const extra of ['+/=', '+/', '-_=', '-_.', '-_']) {
    const alphabet = base + extra;
    for (let i = 0; i < alphabet.length; i++) {
      const ch = alphabet.charAt(i);
      if (!table.has(ch)) table.set(ch, i);
    }
  }
  return table;
}

const BLANK = /^[\s\xa0]*$/;

/** Whether `text[i]` is '=' or '.' (false before the start: an empty string has no padding). */
const isPadding = (text: string, i: number): boolean => i >= 0 && (text[i] === '=' || text[i] === '.');

/** The bytes google-protobuf serialises for a `bytes` field set to the string `text`. */
export function googleBase64Bytes(text: string): Uint8Array {
  values ??= valueTable();
  const table = values;
  // Its output length: 3/4 of the string's length, less the padding it sees at the end.
  let size = (3 * text.length) / 4;
  if (size % 3) size = Math.floor(size);
  else if (isPadding(text, text.length - 1)) size = isPadding(text, text.length - 2) ? size - 2 : size - 1;
  const out = new Uint8Array(size);
  let written = 0;
  const emit = (byte: number): void => {
    if (written < size) out[written] = byte;
    written++;
  };
  let at = 0;
  const next = (atEnd: number): number => {
    while (at < text.length) {
      const ch = text.charAt(at++);
      const v = table.get(ch);
      if (v !== undefined) return v;
      if (!BLANK.test(ch)) throw new Error(`Unknown base64 encoding at char: ${ch}`);
    }
    return atEnd;
  };
  for (;;) {
    const a = next(-1);
    const b = next(0);
    const c = next(64);
    const d = next(64);
    if (d === 64 && a === -1) break;
    emit(((a << 2) | (b >> 4)) & 0xff);
    if (c !== 64) {
      emit(((b << 4) & 0xf0) | (c >> 2));
      if (d !== 64) emit(((c << 6) & 0xc0) | d);
    }
  }
  return out.subarray(0, Math.min(written, size));
}
