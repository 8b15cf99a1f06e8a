import { type AirbyteRecordMessageMetaChange, stringifyExact } from '@tributary/airbyte-protocol';
import {
  type AttributeMap,
  type AttributeValue,
  formatNumber,
  MAX_SIGNIFICANT_DIGITS,
  NULL_VALUE,
  numberSize,
  significantDigits,
  utf8Length,
} from './attribute-value.js';

/**
 * Lists and maps may nest 32 levels in an item, the item itself being the first: a top-level
 * attribute may hold at most 31 levels of containers (DynamoDB answers "Nesting Levels have
 * exceeded supported limits" beyond).
 */
export const MAX_CONTAINER_DEPTH = 31;

/** Estimated bytes of JSON framing per value on the wire (`{"S":""},`). */
const WIRE_PER_VALUE = 10;

/**
 * Converts JSON values to attribute values in one pass, measuring them as it goes and recording
 * every value it had to change in `changes` (never silently):
 * - numbers DynamoDB cannot hold (beyond ±9.99…E+125, non-zero below 1E-130, or Infinity from a
 *   JSON literal like 1e400) become NULL: DESTINATION_FIELD_SIZE_LIMITATION;
 * - containers nested deeper than DynamoDB allows are stored as their JSON text:
 *   TRUNCATED / DESTINATION_SERIALIZATION_ERROR (the nearest change the protocol has);
 * - map entries with an empty key (DynamoDB refuses empty attribute names) are dropped:
 *   NULLED / DESTINATION_SERIALIZATION_ERROR.
 * Strings (also empty ones), booleans, nulls, arrays (as lists) and objects (as maps) are kept.
 *
 * One instance is reused for every record of a stream; `reset()` starts a record.
 */
export class ValueConverter {
  changes: AirbyteRecordMessageMetaChange[] = [];
  /** DynamoDB size of the last converted value. */
  size = 0;
  /** Estimated request bytes of everything converted since reset(). */
  wire = 0;
  private readonly path: Array<string | number> = [];

  reset(): void {
    this.changes = [];
    this.size = 0;
    this.wire = 0;
  }

  /**
   * Converts `value` found at `field` (a top-level name, or a nested path start) whose first
   * container would be at `depth` (1 for a top-level attribute). Sets `this.size`.
   */
  convert(value: unknown, field: string, depth: number): AttributeValue {
    this.path.length = 0;
    this.path.push(field);
    const v = this.value(value, depth);
    return v;
  }

  private value(value: unknown, depth: number): AttributeValue {
    switch (typeof value) {
      case 'string': {
        const bytes = value.length > 4096 ? Buffer.byteLength(value, 'utf8') : utf8Length(value);
        this.size = bytes;
        this.wire += bytes + WIRE_PER_VALUE + (value.length > 4096 ? escapes(value) : 0);
        return { S: value };
      }
      case 'number': {
        const text = formatNumber(value);
        if (text === 'not_finite' || text === 'overflow' || text === 'underflow' || text === 'precision') {
          this.record('NULLED', 'DESTINATION_FIELD_SIZE_LIMITATION');
          this.size = 1;
          this.wire += WIRE_PER_VALUE + 4;
          return NULL_VALUE;
        }
        this.size = numberSize(text);
        this.wire += text.length + WIRE_PER_VALUE;
        return { N: text };
      }
      case 'boolean':
        this.size = 1;
        this.wire += WIRE_PER_VALUE + 5;
        return { BOOL: value };
      case 'bigint': {
        // An integer beyond 2^53 kept exact (recordDataExact): DynamoDB holds 38 digits.
        const text = value.toString();
        if (significantDigits(text) > MAX_SIGNIFICANT_DIGITS) {
          // More digits than DynamoDB holds: the nearest double, recorded.
          this.record('TRUNCATED', 'DESTINATION_FIELD_SIZE_LIMITATION');
          return this.value(Number(value), depth);
        }
        this.size = numberSize(text);
        this.wire += text.length + WIRE_PER_VALUE;
        return { N: text };
      }
      case 'object': {
        if (value === null) {
          this.size = 1;
          this.wire += WIRE_PER_VALUE + 4;
          return NULL_VALUE;
        }
        if (depth > MAX_CONTAINER_DEPTH) {
          this.record('TRUNCATED', 'DESTINATION_SERIALIZATION_ERROR');
          return this.value(stringifyExact(value), depth);
        }
        if (Array.isArray(value)) return this.list(value, depth);
        return this.map(value as Record<string, unknown>, depth);
      }
      default:
        // undefined, functions, symbols cannot come out of JSON.parse; store null.
        this.size = 1;
        this.wire += WIRE_PER_VALUE + 4;
        return NULL_VALUE;
    }
  }

  private list(values: unknown[], depth: number): AttributeValue {
    const out: AttributeValue[] = new Array(values.length);
    let size = 3;
    for (let i = 0; i < values.length; i++) {
      this.path.push(i);
      out[i] = this.value(values[i], depth + 1);
      this.path.pop();
      size += 1 + this.size;
    }
    this.size = size;
    this.wire += WIRE_PER_VALUE;
    return { L: out };
  }

  private map(obj: Record<string, unknown>, depth: number): AttributeValue {
    const out: AttributeMap = {};
    let size = 3;
    for (const key in obj) {
      if (key === '') {
        this.path.push(key);
        this.record('NULLED', 'DESTINATION_SERIALIZATION_ERROR');
        this.path.pop();
        continue;
      }
      const raw = obj[key];
      if (raw === undefined) continue;
      this.path.push(key);
      out[key] = this.value(raw, depth + 1);
      this.path.pop();
      const keyBytes = utf8Length(key);
      size += 1 + keyBytes + this.size;
      this.wire += keyBytes + 4;
    }
    this.size = size;
    this.wire += WIRE_PER_VALUE;
    return { M: out };
  }

  record(
    change: AirbyteRecordMessageMetaChange['change'],
    reason: AirbyteRecordMessageMetaChange['reason'],
  ): void {
    this.changes.push({ field: formatPath(this.path), change, reason });
  }
}

/** `a.b[2].c`; names that are not plain identifiers are quoted: `a["x.y"]`. */
export function formatPath(path: ReadonlyArray<string | number>): string {
  let out = '';
  for (let i = 0; i < path.length; i++) {
    const part = path[i]!;
    if (typeof part === 'number') out += `[${part}]`;
    else if (i === 0) out += part;
    else if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(part)) out += `.${part}`;
    else out += `[${JSON.stringify(part)}]`;
  }
  return out;
}

/** Extra bytes JSON escaping adds to a long string (quotes, backslashes, control characters). */
function escapes(s: string): number {
  let extra = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 34 || c === 92) extra += 1;
    else if (c < 32) extra += 5;
  }
  return extra;
}
