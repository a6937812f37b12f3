// C integer semantics as GCC applies them to constant expressions on the Jailhouse targets
// (LP64: int 32 bits, long and long long 64 bits). A value carries its C type, because the
// type decides sign extension: `1 << 31` is INT_MIN and becomes 0xffffffff80000000 in a __u64.
import { C_INT_TYPES, INT_BITS, isSigned, type IntKind } from '../schema';

export interface CType {
  bits: 32 | 64;
  unsigned: boolean;
}

export interface CVal {
  /** The value as the type represents it (negative only for signed types). */
  v: bigint;
  t: CType;
}

export const INT: CType = { bits: 32, unsigned: false };
export const UINT: CType = { bits: 32, unsigned: true };
export const LONG: CType = { bits: 64, unsigned: false };
export const ULONG: CType = { bits: 64, unsigned: true };
/** size_t on the 64-bit targets. */
export const SIZE_T = ULONG;

export function wrap(v: bigint, t: CType): bigint {
  return t.unsigned ? BigInt.asUintN(t.bits, v) : BigInt.asIntN(t.bits, v);
}

export function fits(v: bigint, t: CType): boolean {
  return wrap(v, t) === v;
}

export interface LiteralResult {
  val: CVal;
  error?: string;
}

/**
 * Parses an integer literal the way C does: decimal literals take the first of int, long
 * that holds them; hex, octal and binary literals also try the unsigned types; suffixes
 * u/l/ll narrow the list.
 */
export function parseIntLiteral(text: string): LiteralResult {
  // Addresses and sizes are mostly distinct: parsing a plain literal by hand is cheaper than
  // hashing it into the cache (which then mostly holds them once).
  if (text.length > 4) {
    const fast = plainLiteral(text);
    if (fast) return fast;
  }
  let r = literalCache.get(text);
  if (!r) {
    r = parseIntLiteralUncached(text);
    if (literalCache.size > 50_000) literalCache.clear();
    literalCache.set(text, r);
  }
  return r;
}

/** Literals repeat a lot (0x1000, 0, 1, …); results are immutable, so they are shared. */
const literalCache = new Map<string, LiteralResult>();

/** Unsuffixed decimal or hex literals below 2^52; undefined for anything else. */
function plainLiteral(text: string): LiteralResult | undefined {
  const n = text.length;
  let v = 0;
  const c0 = text.charCodeAt(0);
  if (c0 === 48 /* 0 */ && (text.charCodeAt(1) | 0x20) === 120 /* x */) {
    if (n > 15) return undefined;
    for (let i = 2; i < n; i++) {
      const c = text.charCodeAt(i);
      let d: number;
      if (c >= 48 && c <= 57) d = c - 48;
      else if ((c | 0x20) >= 97 && (c | 0x20) <= 102) d = (c | 0x20) - 87;
      else return undefined;
      v = v * 16 + d;
    }
    if (n === 2) return undefined;
    return { val: { v: BigInt(v), t: v < 0x80000000 ? INT : v < 0x100000000 ? UINT : LONG } };
  }
  if (c0 < 49 || c0 > 57 || n > 15) return undefined;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) return undefined;
    v = v * 10 + (c - 48);
  }
  return { val: { v: BigInt(v), t: v < 0x80000000 ? INT : LONG } };
}

function parseIntLiteralUncached(text: string): LiteralResult {
  const m = /^(0[xX][0-9a-fA-F]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)([uU]?(?:ll|LL|l|L)?|(?:ll|LL|l|L)[uU]?)$/.exec(text);
  if (!m) return { val: { v: 0n, t: INT }, error: `invalid integer constant '${text}'` };
  const [, digits, suffix] = m;
  let v: bigint;
  if (/^0[bB]/.test(digits)) v = BigInt(digits);
  else if (/^0[xX]/.test(digits)) v = BigInt(digits);
  else if (digits.length > 1 && digits[0] === '0') v = BigInt('0o' + digits.slice(1));
  else v = BigInt(digits);
  const decimal = !/^0./.test(digits) || digits === '0';
  const u = /[uU]/.test(suffix);
  const l = /[lL]/.test(suffix);
  const candidates: CType[] = [];
  if (!l) {
    if (!u) candidates.push(INT);
    if (u || !decimal) candidates.push(UINT);
  }
  if (!u) candidates.push(LONG);
  if (u || !decimal) candidates.push(ULONG);
  for (const t of candidates) if (fits(v, t)) return { val: { v, t } };
  if (v < 1n << 64n) {
    // GCC: "integer constant is so large that it is unsigned"
    return { val: { v, t: ULONG }, error: `integer constant ${text} is too large for a signed type` };
  }
  return { val: { v: BigInt.asUintN(64, v), t: ULONG }, error: `integer constant ${text} is wider than 64 bits` };
}

/** The type both operands are converted to (C's usual arithmetic conversions, after promotion). */
export function common(a: CType, b: CType): CType {
  if (a.bits === b.bits) return a.unsigned ? a : b.unsigned ? b : a;
  const wide = a.bits > b.bits ? a : b;
  return wide;
}

export interface OpResult {
  val: CVal;
  error?: string;
}

const BOOL = (x: boolean): CVal => ({ v: x ? 1n : 0n, t: INT });

/** Applies a binary operator with C semantics; reports what GCC reports as an error under -Werror. */
export function binary(op: string, a: CVal, b: CVal): OpResult {
  if (op === '&&') return { val: BOOL(a.v !== 0n && b.v !== 0n) };
  if (op === '||') return { val: BOOL(a.v !== 0n || b.v !== 0n) };
  if (op === '<<' || op === '>>') {
    const t = a.t;
    const count = b.v;
    if (count < 0n) return { val: { v: 0n, t }, error: `shift count ${count} is negative` };
    if (count >= BigInt(t.bits)) return { val: { v: 0n, t }, error: `shift count ${count} >= width of type (${t.bits} bits)` };
    if (op === '>>') return { val: { v: a.v >> count, t } };
    const raw = a.v << count;
    const v = wrap(raw, t);
    if (!t.unsigned) {
      if (a.v < 0n) return { val: { v, t }, error: `left shift of negative value ${a.v}` };
      // GCC accepts shifting a 1 into the sign bit (1 << 31) but not past it.
      if (raw >= 1n << BigInt(t.bits)) {
        return { val: { v, t }, error: `result of ${a.v} << ${count} requires more than ${t.bits} bits` };
      }
    }
    return { val: { v, t } };
  }
  const t = common(a.t, b.t);
  // A value already has its type's representation: converting to the same type is a no-op.
  const x = sameType(a.t, t) ? a.v : wrap(a.v, t);
  const y = sameType(b.t, t) ? b.v : wrap(b.v, t);
  switch (op) {
    case '==': return { val: BOOL(x === y) };
    case '!=': return { val: BOOL(x !== y) };
    case '<': return { val: BOOL(x < y) };
    case '>': return { val: BOOL(x > y) };
    case '<=': return { val: BOOL(x <= y) };
    case '>=': return { val: BOOL(x >= y) };
    // Bitwise results of two values in range stay in range (two's complement for signed).
    case '&': return { val: { v: x & y, t } };
    case '|': return { val: { v: x | y, t } };
    case '^': return { val: { v: x ^ y, t } };
  }
  let raw: bigint;
  switch (op) {
    case '+': raw = x + y; break;
    case '-': raw = x - y; break;
    case '*': raw = x * y; break;
    case '/':
    case '%':
      if (y === 0n) return { val: { v: 0n, t }, error: 'division by zero' };
      raw = op === '/' ? x / y : x % y; // BigInt division truncates toward zero, as C does
      break;
    default:
      return { val: { v: 0n, t }, error: `operator '${op}' is not allowed here` };
  }
  const v = wrap(raw, t);
  if (!t.unsigned && v !== raw) return { val: { v, t }, error: `integer overflow in expression (${t.bits}-bit signed)` };
  return { val: { v, t } };
}

function sameType(a: CType, b: CType): boolean {
  return a === b || (a.bits === b.bits && a.unsigned === b.unsigned);
}

export function unary(op: string, a: CVal): OpResult {
  switch (op) {
    case '+':
      return { val: a };
    case '-': {
      const raw = -a.v;
      const v = wrap(raw, a.t);
      if (!a.t.unsigned && v !== raw) return { val: { v, t: a.t }, error: 'integer overflow in expression' };
      return { val: { v, t: a.t } };
    }
    case '~':
      return { val: { v: wrap(~a.v, a.t), t: a.t } };
    case '!':
      return { val: BOOL(a.v === 0n) };
  }
  return { val: a, error: `operator '${op}' is not allowed here` };
}

/** The schema's integer types (u8 … __s64) as C types: narrower than int promotes to int. */
function jailhouseType(name: string): [CType, number] | undefined {
  const t = Object.hasOwn(C_INT_TYPES, name) ? C_INT_TYPES[name] : undefined;
  if (t?.kind !== 'int') return undefined;
  const bits = INT_BITS[t.int];
  if (bits < 32) return [INT, bits / 8];
  const signed = isSigned(t.int);
  return [bits === 32 ? (signed ? INT : UINT) : signed ? LONG : ULONG, bits / 8];
}

/** C type of a cast target / sizeof operand spelled as a type name; undefined when unknown. */
export function castType(name: string): { t: CType; size: number } | undefined {
  const n = name.replace(/\s+/g, ' ').trim();
  const table: Record<string, [CType, number]> = {
    char: [INT, 1], 'unsigned char': [INT, 1], 'signed char': [INT, 1],
    short: [INT, 2], 'unsigned short': [INT, 2],
    'unsigned int': [UINT, 4], unsigned: [UINT, 4], int: [INT, 4], 'signed int': [INT, 4],
    'unsigned long': [ULONG, 8], 'unsigned long long': [ULONG, 8], size_t: [ULONG, 8],
    long: [LONG, 8], 'long long': [LONG, 8], 'signed long': [LONG, 8], bool: [UINT, 4],
  };
  const hit = Object.hasOwn(table, n) ? table[n] : jailhouseType(n);
  return hit ? { t: hit[0], size: hit[1] } : undefined;
}

/** Narrow casts (to u8/u16…) truncate; the result then promotes to int again. */
export function castTo(name: string, a: CVal): CVal | undefined {
  const ct = castType(name);
  if (!ct) return undefined;
  const bits = ct.size * 8;
  const signed = /^(s|__s|int|long|short|char|signed)/.test(name.trim()) && !/unsigned/.test(name);
  const narrowed = signed ? BigInt.asIntN(bits, a.v) : BigInt.asUintN(bits, a.v);
  return { v: wrap(narrowed, ct.t), t: ct.t };
}

/**
 * Converts a constant to a field of `kind` (or a bit-field of `width` bits) as GCC does for a
 * static initializer, and says when GCC's -Woverflow (an error under -Werror) would fire:
 * a value v is accepted for an N-bit field when -2^(N-1) <= v < 2^N.
 */
export function convertToField(a: CVal, kind: IntKind, width?: number): { value: bigint; error?: string } {
  const r = width === undefined ? FIELD_RANGES[kind] : fieldRange(width, false);
  // Most values already fit and keep their representation (no new bigint).
  if (r.signed ? a.v >= r.slo && a.v < r.shi : a.v >= 0n && a.v < r.hi) return { value: a.v };
  const bits = r.bits;
  const value = r.signed ? BigInt.asIntN(bits, a.v) : BigInt.asUintN(bits, a.v);
  if (a.v < r.lo || a.v >= r.hi) {
    return { value, error: `value ${fmtInt(a.v)} does not fit in ${width !== undefined ? `a ${width}-bit field` : `${kind} (${bits} bits)`}; it would be stored as ${fmtInt(value)}` };
  }
  return { value };
}

interface FieldRange {
  bits: number;
  signed: boolean;
  lo: bigint;
  hi: bigint;
  /** The range a signed field stores unchanged. */
  slo: bigint;
  shi: bigint;
}

function fieldRange(bits: number, signed: boolean): FieldRange {
  const n = BigInt(bits);
  return { bits, signed, lo: -(1n << (n - 1n)), hi: 1n << n, slo: -(1n << (n - 1n)), shi: 1n << (n - 1n) };
}

/** Precomputed because conversion runs for every value of every config. */
const FIELD_RANGES: Record<IntKind, FieldRange> = {
  u8: fieldRange(8, false), u16: fieldRange(16, false), u32: fieldRange(32, false), u64: fieldRange(64, false),
  s8: fieldRange(8, true), s16: fieldRange(16, true), s32: fieldRange(32, true), s64: fieldRange(64, true),
};

export function fmtInt(v: bigint): string {
  if (v < 0n) return `-0x${(-v).toString(16)}`;
  return v > 9n ? `0x${v.toString(16)}` : v.toString();
}
