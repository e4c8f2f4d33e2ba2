/**
 * A 64-bit integer with the observable shape and API of the `long` package's `Long`, which is
 * what fabric-shim's `getTxTimestamp().seconds` is (`Long.fromNumber(seconds, true)`).
 *
 * Why not a Long-like plain object: chaincode serialises and inspects it. A `long` Long has own
 * enumerable fields `low`, `high`, `unsigned` (in that order, so JSON.stringify gives
 * `{"low":..,"high":..,"unsigned":true}`), its constructor is named `Long`, `Long.isLong(x)` of
 * any copy of the `long` package recognises it (`__isLong__` on the prototype), and it has no
 * `valueOf`, so `seconds + 1` concatenates the decimal string as with fabric-shim. Every method
 * lives on the prototype. Arithmetic is done with BigInt: short, exact, and only chaincode that
 * asks for it pays for it.
 *
 * Not a dependency on `long` because our published code must not depend on a package for a
 * value the shim makes once per `getTxTimestamp()` call, and no third-party type may leak into
 * our declarations.
 */

/** What `long`'s methods accept as the other operand. */
export type LongLike = Long | number | bigint | string | { low: number; high: number; unsigned: boolean };

const TWO_PWR_32 = 4294967296;
const TWO_PWR_63 = 9223372036854775808;
const TWO_PWR_64 = 18446744073709551616;

function bits(l: Long): bigint {
  return (BigInt(l.high >>> 0) << 32n) | BigInt(l.low >>> 0);
}

function value(l: Long): bigint {
  const raw = bits(l);
  return l.unsigned ? raw : BigInt.asIntN(64, raw);
}

function make(v: bigint, unsigned: boolean): Long {
  const u = BigInt.asUintN(64, v);
  return new Long(Number(u & 0xffffffffn) | 0, Number(u >> 32n) | 0, unsigned);
}

function operand(other: LongLike, unsigned: boolean): bigint {
  return value(Long.fromValue(other, unsigned));
}

function shiftBits(numBits: number | Long): bigint {
  return BigInt((typeof numBits === 'number' ? numBits : numBits.toInt()) & 63);
}

/** A signed or unsigned 64-bit integer, as the `long` package's `Long`. */
export class Long {
  /** The low 32 bits as a signed value. */
  low: number;
  /** The high 32 bits as a signed value. */
  high: number;
  /** Whether the value is unsigned. */
  unsigned: boolean;

  constructor(low: number, high = 0, unsigned = false) {
    this.low = low | 0;
    this.high = high | 0;
    this.unsigned = !!unsigned;
  }

  static readonly ZERO = new Long(0, 0, false);
  static readonly UZERO = new Long(0, 0, true);
  static readonly ONE = new Long(1, 0, false);
  static readonly UONE = new Long(1, 0, true);
  static readonly NEG_ONE = new Long(-1, -1, false);
  static readonly MAX_VALUE = new Long(-1, 0x7fffffff, false);
  static readonly MAX_UNSIGNED_VALUE = new Long(-1, -1, true);
  static readonly MIN_VALUE = new Long(0, -0x80000000, false);

  /** True for a `Long` of this or any copy of the `long` package. */
  static isLong(obj: unknown): obj is Long {
    return typeof obj === 'object' && obj !== null && (obj as { __isLong__?: unknown }).__isLong__ === true;
  }
  static fromBits(lowBits: number, highBits: number, unsigned?: boolean): Long {
    return new Long(lowBits, highBits, unsigned);
  }
  static fromInt(value: number, unsigned?: boolean): Long {
    return unsigned ? new Long(value | 0, 0, true) : new Long(value | 0, (value | 0) < 0 ? -1 : 0, false);
  }
  /** As `long`: NaN is 0, values out of range saturate, fractions are truncated. */
  static fromNumber(value: number, unsigned?: boolean): Long {
    const u = !!unsigned;
    if (Number.isNaN(value)) return u ? Long.UZERO : Long.ZERO;
    if (u) {
      if (value < 0) return Long.UZERO;
      if (value >= TWO_PWR_64) return Long.MAX_UNSIGNED_VALUE;
    } else {
      if (value <= -TWO_PWR_63) return Long.MIN_VALUE;
      if (value + 1 >= TWO_PWR_63) return Long.MAX_VALUE;
    }
    return make(BigInt(Math.trunc(value)), u);
  }
  static fromBigInt(value: bigint, unsigned?: boolean): Long {
    return make(value, !!unsigned);
  }
  static fromString(str: string, unsigned?: boolean | number, radix?: number): Long {
    let u = false;
    let r = radix ?? 10;
    if (typeof unsigned === 'number') r = unsigned;
    else u = !!unsigned;
    if (str.length === 0) throw Error('empty string');
    if (str === 'NaN' || str === 'Infinity' || str === '+Infinity' || str === '-Infinity') return u ? Long.UZERO : Long.ZERO;
    if (r < 2 || r > 36) throw RangeError('radix');
    const negative = str.startsWith('-');
    const digits = negative ? str.slice(1) : str;
    if (digits.includes('-')) throw Error('interior hyphen');
    let v = 0n;
    const big = BigInt(r);
    for (const ch of digits.toLowerCase()) {
      const d = parseInt(ch, r);
      if (Number.isNaN(d)) break;
      v = v * big + BigInt(d);
    }
    return make(negative ? -v : v, u);
  }
  static fromValue(val: LongLike, unsigned?: boolean): Long {
    if (typeof val === 'number') return Long.fromNumber(val, unsigned);
    if (typeof val === 'string') return Long.fromString(val, unsigned);
    if (typeof val === 'bigint') return Long.fromBigInt(val, unsigned);
    return new Long(val.low, val.high, typeof unsigned === 'boolean' ? unsigned : val.unsigned);
  }
  static fromBytes(bytes: number[], unsigned?: boolean, le?: boolean): Long {
    return le ? Long.fromBytesLE(bytes, unsigned) : Long.fromBytesBE(bytes, unsigned);
  }
  static fromBytesLE(bytes: number[], unsigned?: boolean): Long {
    const b = (i: number) => bytes[i] ?? 0;
    return new Long(b(0) | (b(1) << 8) | (b(2) << 16) | (b(3) << 24), b(4) | (b(5) << 8) | (b(6) << 16) | (b(7) << 24), unsigned);
  }
  static fromBytesBE(bytes: number[], unsigned?: boolean): Long {
    const b = (i: number) => bytes[i] ?? 0;
    return new Long((b(4) << 24) | (b(5) << 16) | (b(6) << 8) | b(7), (b(0) << 24) | (b(1) << 16) | (b(2) << 8) | b(3), unsigned);
  }

  toInt(): number {
    return this.unsigned ? this.low >>> 0 : this.low;
  }
  /** As `long`: may lose precision above 2^53. */
  toNumber(): number {
    return this.unsigned ? (this.high >>> 0) * TWO_PWR_32 + (this.low >>> 0) : this.high * TWO_PWR_32 + (this.low >>> 0);
  }
  toBigInt(): bigint {
    return value(this);
  }
  toString(radix = 10): string {
    if (radix < 2 || radix > 36) throw RangeError('radix');
    return value(this).toString(radix);
  }
  getHighBits(): number {
    return this.high;
  }
  getHighBitsUnsigned(): number {
    return this.high >>> 0;
  }
  getLowBits(): number {
    return this.low;
  }
  getLowBitsUnsigned(): number {
    return this.low >>> 0;
  }
  getNumBitsAbs(): number {
    if (this.isNegative()) return this.eq(Long.MIN_VALUE) ? 64 : this.neg().getNumBitsAbs();
    const v = value(this);
    return v === 0n ? 1 : v.toString(2).length;
  }
  isSafeInteger(): boolean {
    const v = value(this);
    return v <= 9007199254740991n && v >= -9007199254740991n;
  }
  isZero(): boolean {
    return this.high === 0 && this.low === 0;
  }
  eqz(): boolean {
    return this.isZero();
  }
  isNegative(): boolean {
    return !this.unsigned && this.high < 0;
  }
  isPositive(): boolean {
    return this.unsigned || this.high >= 0;
  }
  isOdd(): boolean {
    return (this.low & 1) === 1;
  }
  isEven(): boolean {
    return (this.low & 1) === 0;
  }
  equals(other: LongLike): boolean {
    const o = Long.isLong(other) ? other : Long.fromValue(other);
    if (this.unsigned !== o.unsigned && this.high >>> 31 === 1 && o.high >>> 31 === 1) return false;
    return this.high === o.high && this.low === o.low;
  }
  eq(other: LongLike): boolean {
    return this.equals(other);
  }
  notEquals(other: LongLike): boolean {
    return !this.equals(other);
  }
  neq(other: LongLike): boolean {
    return !this.equals(other);
  }
  ne(other: LongLike): boolean {
    return !this.equals(other);
  }
  compare(other: LongLike): number {
    const a = value(this);
    const b = operand(other, this.unsigned);
    return a === b ? 0 : a < b ? -1 : 1;
  }
  comp(other: LongLike): number {
    return this.compare(other);
  }
  lessThan(other: LongLike): boolean {
    return this.compare(other) < 0;
  }
  lt(other: LongLike): boolean {
    return this.compare(other) < 0;
  }
  lessThanOrEqual(other: LongLike): boolean {
    return this.compare(other) <= 0;
  }
  lte(other: LongLike): boolean {
    return this.compare(other) <= 0;
  }
  le(other: LongLike): boolean {
    return this.compare(other) <= 0;
  }
  greaterThan(other: LongLike): boolean {
    return this.compare(other) > 0;
  }
  gt(other: LongLike): boolean {
    return this.compare(other) > 0;
  }
  greaterThanOrEqual(other: LongLike): boolean {
    return this.compare(other) >= 0;
  }
  gte(other: LongLike): boolean {
    return this.compare(other) >= 0;
  }
  ge(other: LongLike): boolean {
    return this.compare(other) >= 0;
  }
  negate(): Long {
    return make(-value(this), this.unsigned);
  }
  neg(): Long {
    return this.negate();
  }
  add(addend: LongLike): Long {
    return make(value(this) + operand(addend, this.unsigned), this.unsigned);
  }
  subtract(subtrahend: LongLike): Long {
    return make(value(this) - operand(subtrahend, this.unsigned), this.unsigned);
  }
  sub(subtrahend: LongLike): Long {
    return this.subtract(subtrahend);
  }
  multiply(multiplier: LongLike): Long {
    return make(value(this) * operand(multiplier, this.unsigned), this.unsigned);
  }
  mul(multiplier: LongLike): Long {
    return this.multiply(multiplier);
  }
  divide(divisor: LongLike): Long {
    const d = operand(divisor, this.unsigned);
    if (d === 0n) throw Error('division by zero');
    return make(value(this) / d, this.unsigned);
  }
  div(divisor: LongLike): Long {
    return this.divide(divisor);
  }
  modulo(divisor: LongLike): Long {
    const d = operand(divisor, this.unsigned);
    if (d === 0n) throw Error('remainder by zero');
    return make(value(this) % d, this.unsigned);
  }
  mod(divisor: LongLike): Long {
    return this.modulo(divisor);
  }
  rem(divisor: LongLike): Long {
    return this.modulo(divisor);
  }
  not(): Long {
    return new Long(~this.low, ~this.high, this.unsigned);
  }
  countLeadingZeros(): number {
    return this.high ? Math.clz32(this.high) : Math.clz32(this.low) + 32;
  }
  clz(): number {
    return this.countLeadingZeros();
  }
  countTrailingZeros(): number {
    const b = bits(this);
    if (b === 0n) return 64;
    let n = 0;
    while (((b >> BigInt(n)) & 1n) === 0n) n++;
    return n;
  }
  ctz(): number {
    return this.countTrailingZeros();
  }
  and(other: LongLike): Long {
    const o = Long.fromValue(other);
    return new Long(this.low & o.low, this.high & o.high, this.unsigned);
  }
  or(other: LongLike): Long {
    const o = Long.fromValue(other);
    return new Long(this.low | o.low, this.high | o.high, this.unsigned);
  }
  xor(other: LongLike): Long {
    const o = Long.fromValue(other);
    return new Long(this.low ^ o.low, this.high ^ o.high, this.unsigned);
  }
  shiftLeft(numBits: number | Long): Long {
    return make(bits(this) << shiftBits(numBits), this.unsigned);
  }
  shl(numBits: number | Long): Long {
    return this.shiftLeft(numBits);
  }
  /** Arithmetic (sign-extending) on the 64 bits, for unsigned values too, as `long`'s. */
  shiftRight(numBits: number | Long): Long {
    return make(BigInt.asIntN(64, bits(this)) >> shiftBits(numBits), this.unsigned);
  }
  shr(numBits: number | Long): Long {
    return this.shiftRight(numBits);
  }
  shiftRightUnsigned(numBits: number | Long): Long {
    return make(bits(this) >> shiftBits(numBits), this.unsigned);
  }
  shru(numBits: number | Long): Long {
    return this.shiftRightUnsigned(numBits);
  }
  shr_u(numBits: number | Long): Long {
    return this.shiftRightUnsigned(numBits);
  }
  rotateLeft(numBits: number | Long): Long {
    const n = shiftBits(numBits);
    const b = bits(this);
    return make((b << n) | (b >> ((64n - n) & 63n)), this.unsigned);
  }
  rotl(numBits: number | Long): Long {
    return this.rotateLeft(numBits);
  }
  rotateRight(numBits: number | Long): Long {
    const n = shiftBits(numBits);
    const b = bits(this);
    return make((b >> n) | (b << ((64n - n) & 63n)), this.unsigned);
  }
  rotr(numBits: number | Long): Long {
    return this.rotateRight(numBits);
  }
  toSigned(): Long {
    return this.unsigned ? new Long(this.low, this.high, false) : this;
  }
  toUnsigned(): Long {
    return this.unsigned ? this : new Long(this.low, this.high, true);
  }
  toBytes(le?: boolean): number[] {
    return le ? this.toBytesLE() : this.toBytesBE();
  }
  toBytesLE(): number[] {
    const { low: lo, high: hi } = this;
    return [lo & 0xff, (lo >>> 8) & 0xff, (lo >>> 16) & 0xff, lo >>> 24, hi & 0xff, (hi >>> 8) & 0xff, (hi >>> 16) & 0xff, hi >>> 24];
  }
  toBytesBE(): number[] {
    const { low: lo, high: hi } = this;
    return [hi >>> 24, (hi >>> 16) & 0xff, (hi >>> 8) & 0xff, hi & 0xff, lo >>> 24, (lo >>> 16) & 0xff, (lo >>> 8) & 0xff, lo & 0xff];
  }
}

// `long` marks its instances with a non-enumerable prototype flag; Long.isLong of any copy reads it.
Object.defineProperty(Long.prototype, '__isLong__', { value: true, enumerable: false, configurable: false, writable: false });
