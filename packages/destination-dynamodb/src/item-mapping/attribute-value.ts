/**
 * DynamoDB attribute values as plain objects (the wire shape of the low-level API). Only the
 * types this destination writes: JSON has no sets or binary, so no SS/NS/BS/B.
 */
export type AttributeValue =
  | { S: string }
  | { N: string }
  | { BOOL: boolean }
  | { NULL: true }
  | { L: AttributeValue[] }
  | { M: AttributeMap };

export type AttributeMap = { [name: string]: AttributeValue };

export const NULL_VALUE: { NULL: true } = Object.freeze({ NULL: true }) as { NULL: true };

/** Largest magnitude a DynamoDB number holds: 9.9999999999999999999999999999999999999E+125. */
export const MAX_NUMBER_MAGNITUDE = 1e126;
/** Smallest non-zero magnitude: 1E-130. */
export const MIN_NUMBER_MAGNITUDE = 1e-130;
/** The smallest number DynamoDB holds, used to order "no cursor" below every real cursor. */
export const MIN_DYNAMODB_NUMBER = '-9.9999999999999999999999999999999999999E+125';
export const MAX_SIGNIFICANT_DIGITS = 38;

export type NumberProblem = 'not_finite' | 'overflow' | 'underflow' | 'precision';

/**
 * The DynamoDB form of a number, or why it has none. JSON numbers parse to doubles, so precision
 * never exceeds 17 digits here; a value like 1e400 parses to Infinity and is refused.
 */
export function formatNumber(n: number): string | NumberProblem {
  if (!Number.isFinite(n)) return 'not_finite';
  if (n === 0) return '0';
  const abs = Math.abs(n);
  if (abs >= MAX_NUMBER_MAGNITUDE) return 'overflow';
  if (abs < MIN_NUMBER_MAGNITUDE) return 'underflow';
  return String(n);
}

/**
 * Checks a decimal string (e.g. a key value given as text) against DynamoDB's number rules and
 * returns it normalised, or null when DynamoDB would refuse it.
 */
export function numberFromText(text: string): string | null {
  const t = text.trim();
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(t)) return null;
  if (significantDigits(t) > MAX_SIGNIFICANT_DIGITS) return null;
  const n = Number(t);
  if (n !== 0 && (Math.abs(n) >= MAX_NUMBER_MAGNITUDE || Math.abs(n) < MIN_NUMBER_MAGNITUDE)) return null;
  return t.startsWith('+') ? t.slice(1) : t;
}

/** Significant digits of a decimal string: leading and trailing zeros of the mantissa trimmed. */
export function significantDigits(text: string): number {
  let first = -1;
  let last = -1;
  let count = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 101 || c === 69) break; // e / E
    if (c >= 48 && c <= 57) {
      if (c !== 48) {
        if (first < 0) first = count;
        last = count;
      }
      count++;
    }
  }
  return first < 0 ? 1 : last - first + 1;
}

/**
 * Storage size of a number in bytes. AWS documents "1 byte per two significant digits + 1 byte";
 * digits are stored in pairs aligned on the decimal point, so an odd alignment can take one byte
 * more: this errs on the large side, never the small one.
 */
export function numberSize(text: string): number {
  return Math.ceil((significantDigits(text) + 1) / 2) + 1;
}

/** UTF-8 length without allocating (Buffer.byteLength costs a native call even for short text). */
export function utf8Length(s: string): number {
  const len = s.length;
  if (len > 64) return Buffer.byteLength(s, 'utf8');
  let bytes = len;
  for (let i = 0; i < len; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) continue;
    if (c < 0x800) bytes += 1;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < len) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        bytes += 2; // 4 bytes for the pair, 2 code units counted already
        i++;
      } else bytes += 2;
    } else bytes += 2;
  }
  return bytes;
}

/**
 * Size of a value the way DynamoDB counts it for the 400 KB item limit (the attribute name is
 * added by the caller): strings by UTF-8 bytes, numbers by digit pairs, booleans and nulls 1 byte,
 * lists and maps 3 bytes plus 1 byte per element plus their elements (map keys included).
 */
export function attributeValueSize(v: AttributeValue): number {
  if ('S' in v) return utf8Length(v.S);
  if ('N' in v) return numberSize(v.N);
  if ('M' in v) {
    let size = 3;
    for (const key in v.M) size += 1 + utf8Length(key) + attributeValueSize(v.M[key]!);
    return size;
  }
  if ('L' in v) {
    let size = 3;
    for (const el of v.L) size += 1 + attributeValueSize(el);
    return size;
  }
  return 1;
}

/** Size of a whole item: names plus values. */
export function itemSize(item: AttributeMap): number {
  let size = 0;
  for (const name in item) size += utf8Length(name) + attributeValueSize(item[name]!);
  return size;
}

/** Converts attribute values back to JSON (for tests, and for reading keys back in finalize). */
export function fromAttributeValue(v: AttributeValue): unknown {
  if ('S' in v) return v.S;
  if ('N' in v) return Number(v.N);
  if ('BOOL' in v) return v.BOOL;
  if ('NULL' in v) return null;
  if ('L' in v) return v.L.map(fromAttributeValue);
  const out: Record<string, unknown> = {};
  for (const key in v.M) out[key] = fromAttributeValue(v.M[key]!);
  return out;
}
