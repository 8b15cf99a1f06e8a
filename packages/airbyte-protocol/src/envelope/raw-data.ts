// The text of a RECORD's `data` exactly as the source sent it, cut out of the message's line.
//
// Why: JSON.parse turns every number into a double, so an integer beyond ±2^53 (a 64-bit id, a
// DECIMAL(38)) loses digits, and serialising the parsed object again costs a walk over it. A
// destination that stores the data as JSON text (the raw `_airbyte_data` column, a Kinesis
// record) can take the source's own text instead: exact, and cheaper than JSON.stringify.
//
// The line was already accepted by JSON.parse, so the scanner only has to find where values
// begin and end; it never validates.

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const COMMA = 0x2c;
const COLON = 0x3a;

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

function skipSpace(text: string, i: number): number {
  while (i < text.length && isSpace(text.charCodeAt(i))) i++;
  return i;
}

/** Index just past the string whose opening quote is at `i`. */
function skipString(text: string, i: number): number {
  let q = text.indexOf('"', i + 1);
  // A quote is escaped when an odd number of backslashes precede it.
  while (q > 0 && text.charCodeAt(q - 1) === BACKSLASH) {
    let k = q - 1;
    while (text.charCodeAt(k) === BACKSLASH) k--;
    if ((q - 1 - k) % 2 === 0) break;
    q = text.indexOf('"', q + 1);
  }
  return q < 0 ? text.length : q + 1;
}

/** Index just past the value that starts at `i` (no leading space). One tight loop for objects and arrays. */
function skipValue(text: string, i: number): number {
  const n = text.length;
  const c = text.charCodeAt(i);
  if (c === QUOTE) return skipString(text, i);
  if (c === OPEN_BRACE || c === OPEN_BRACKET) {
    let depth = 0;
    for (let j = i; j < n; j++) {
      const d = text.charCodeAt(j);
      if (d === QUOTE) j = skipString(text, j) - 1;
      else if (d === OPEN_BRACE || d === OPEN_BRACKET) depth++;
      else if ((d === CLOSE_BRACE || d === CLOSE_BRACKET) && --depth === 0) return j + 1;
    }
    return n;
  }
  // A number, true, false or null: up to the next delimiter.
  let j = i;
  while (j < n) {
    const d = text.charCodeAt(j);
    if (d === COMMA || d === CLOSE_BRACE || d === CLOSE_BRACKET || isSpace(d)) break;
    j++;
  }
  return j;
}

function keyIs(text: string, keyStart: number, keyEnd: number, name: string): boolean {
  return keyEnd - keyStart - 2 === name.length && text.startsWith(name, keyStart + 1);
}

/**
 * The span of the last member `name` of the object whose `{` is at `i` (keys compared by their raw
 * text: a key written with escapes, `"d\u0061ta"`, does not match, and the caller falls back to the
 * parsed value; every member is visited, so of duplicate keys the last wins, as in JSON.parse),
 * and the index just past the object; undefined when the text is not what was expected.
 * Writes into `out`: [valueStart, valueEnd, objectEnd], valueStart -1 when absent.
 */
function lastMember(text: string, i: number, name: string, out: number[]): boolean {
  out[0] = -1;
  let j = skipSpace(text, i + 1);
  if (text.charCodeAt(j) === CLOSE_BRACE) {
    out[2] = j + 1;
    return true;
  }
  while (text.charCodeAt(j) === QUOTE) {
    const keyEnd = skipString(text, j);
    const match = keyIs(text, j, keyEnd, name);
    j = skipSpace(text, keyEnd);
    if (text.charCodeAt(j) !== COLON) return false;
    const start = skipSpace(text, j + 1);
    const end = skipValue(text, start);
    if (match) {
      out[0] = start;
      out[1] = end;
    }
    j = skipSpace(text, end);
    const c = text.charCodeAt(j);
    if (c === CLOSE_BRACE) {
      out[2] = j + 1;
      return true;
    }
    if (c !== COMMA) return false;
    j = skipSpace(text, j + 1);
  }
  return false;
}

const dataSpan = [0, 0, 0];

/**
 * The JSON text of `record.data` in the line of a RECORD message, as the source wrote it (its
 * numbers digit for digit, its spacing kept), or undefined when it cannot be cut out (then use
 * the parsed `record.data`). `line` must be the line JSON.parse accepted for this message.
 * One pass over the line. It costs about what JSON.stringify of the parsed data would (a scan in
 * JavaScript against a native walk); what it buys is exactness.
 */
export function recordDataText(line: string): string | undefined {
  let from = -1;
  let to = -1;
  let j = skipSpace(line, 0);
  if (line.charCodeAt(j) !== OPEN_BRACE) return undefined;
  j = skipSpace(line, j + 1);
  while (line.charCodeAt(j) === QUOTE) {
    const keyEnd = skipString(line, j);
    const isRecord = keyIs(line, j, keyEnd, 'record');
    j = skipSpace(line, keyEnd);
    if (line.charCodeAt(j) !== COLON) return undefined;
    const start = skipSpace(line, j + 1);
    let end: number;
    if (isRecord && line.charCodeAt(start) === OPEN_BRACE) {
      // The record's members, walked once: the last `data` in it is the one JSON.parse kept.
      if (!lastMember(line, start, 'data', dataSpan)) return undefined;
      from = dataSpan[0]!;
      to = dataSpan[1]!;
      end = dataSpan[2]!;
    } else {
      if (isRecord) from = -1;
      end = skipValue(line, start);
    }
    j = skipSpace(line, end);
    const c = line.charCodeAt(j);
    if (c === CLOSE_BRACE) break;
    if (c !== COMMA) return undefined;
    j = skipSpace(line, j + 1);
  }
  if (from < 0 || line.charCodeAt(from) !== OPEN_BRACE) return undefined;
  return line.slice(from, to);
}

/**
 * Whether JSON.parse may have lost digits of a number in this value: an integral number beyond
 * ±2^53 (a 64-bit id, a DECIMAL(38) integer) or a non-finite one (an exponent beyond the double
 * range). Walks objects and arrays; cheap next to serialising them.
 */
export function hasInexactNumbers(value: unknown): boolean {
  if (typeof value === 'number')
    return !Number.isFinite(value) || (Number.isInteger(value) && !Number.isSafeInteger(value));
  if (typeof value !== 'object' || value === null) return false;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) if (hasInexactNumbers(value[i])) return true;
    return false;
  }
  for (const key in value) if (hasInexactNumbers((value as Record<string, unknown>)[key])) return true;
  return false;
}

/**
 * The source's own text of a RECORD's data when parsing lost digits of one of its numbers (see
 * hasInexactNumbers), else undefined: the parsed data is then exact. One walk over the data; the
 * line is only scanned when needed.
 */
export function inexactDataText(data: Record<string, unknown>, line: string): string | undefined {
  return hasInexactNumbers(data) ? recordDataText(line) : undefined;
}

/**
 * A RECORD's data as JSON text: JSON.stringify of the parsed data (native, fast), unless that
 * would change a number the source sent; then the source's own text, cut out of the line
 * (`inexactDataText`). Decimal fractions keep the double's shortest form (`1.10` becomes `1.1`).
 */
export function recordDataJson(data: Record<string, unknown>, line: string): string {
  return inexactDataText(data, line) ?? JSON.stringify(data);
}

/**
 * JSON.parse, except that an integer beyond ±2^53 becomes a BigInt holding it exactly (JSON.parse
 * would round it to a double). For the rare record whose data has such numbers (see
 * `hasInexactNumbers`): a parser in JavaScript, several times slower than JSON.parse.
 * `text` must be valid JSON (e.g. what `recordDataText` cut out of a line JSON.parse accepted).
 */
export function parseExactJson(text: string): unknown {
  let i = 0;
  const space = (): void => {
    i = skipSpace(text, i);
  };
  const value = (): unknown => {
    space();
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      const end = skipString(text, i);
      const s = JSON.parse(text.slice(i, end)) as string;
      i = end;
      return s;
    }
    if (c === OPEN_BRACE) {
      const out: Record<string, unknown> = {};
      i++;
      space();
      if (text.charCodeAt(i) === CLOSE_BRACE) {
        i++;
        return out;
      }
      for (;;) {
        space();
        const keyEnd = skipString(text, i);
        const key = JSON.parse(text.slice(i, keyEnd)) as string;
        i = keyEnd;
        space();
        i++; // ':'
        const v = value();
        // As JSON.parse does: a "__proto__" key is an own property, not the prototype.
        Object.defineProperty(out, key, { value: v, writable: true, enumerable: true, configurable: true });
        space();
        if (text.charCodeAt(i++) === CLOSE_BRACE) return out;
      }
    }
    if (c === OPEN_BRACKET) {
      const out: unknown[] = [];
      i++;
      space();
      if (text.charCodeAt(i) === CLOSE_BRACKET) {
        i++;
        return out;
      }
      for (;;) {
        out.push(value());
        space();
        if (text.charCodeAt(i++) === CLOSE_BRACKET) return out;
      }
    }
    const end = skipValue(text, i);
    const token = text.slice(i, end);
    i = end;
    if (token === 'true') return true;
    if (token === 'false') return false;
    if (token === 'null') return null;
    const n = Number(token);
    // An integer written without fraction or exponent that a double cannot hold exactly.
    if (!Number.isSafeInteger(n) && Number.isInteger(n) && /^-?\d+$/.test(token)) return BigInt(token);
    return n;
  };
  return value();
}

/**
 * A RECORD's data with every number as the source sent it: the parsed data itself, unless
 * parsing lost digits of a number (see `hasInexactNumbers`); then the data parsed again from the
 * line's own text by `parseExactJson` (integers beyond ±2^53 as BigInt).
 */
export function recordDataExact(data: Record<string, unknown>, line: string): Record<string, unknown> {
  const text = inexactDataText(data, line);
  return text === undefined ? data : (parseExactJson(text) as Record<string, unknown>);
}

/** JSON text of a value that may hold BigInts (written as JSON numbers), as JSON.stringify would. */
function exactText(value: unknown): string | undefined {
  if (typeof value === 'bigint') return value.toString();
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  const withJson = value as { toJSON?: () => unknown };
  if (typeof withJson.toJSON === 'function') return exactText(withJson.toJSON());
  if (Array.isArray(value)) return `[${value.map((v) => exactText(v) ?? 'null').join(',')}]`;
  const parts: string[] = [];
  for (const [key, v] of Object.entries(value)) {
    const text = exactText(v);
    if (text !== undefined) parts.push(`${JSON.stringify(key)}:${text}`);
  }
  return `{${parts.join(',')}}`;
}

/**
 * JSON.stringify that writes a BigInt as its digits, as a JSON number (JSON.stringify throws on
 * one): for values from `parseExactJson`/`recordDataExact`. A value without BigInts costs one
 * JSON.stringify; one with them is written by a slower walk.
 */
export function stringifyExact(value: unknown): string {
  try {
    return JSON.stringify(value);
  } catch (err) {
    if (!(err instanceof TypeError)) throw err;
    return exactText(value) ?? 'null';
  }
}
