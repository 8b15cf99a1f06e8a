import type { AbstractType } from './abstract-type.js';
import {
  parseDate,
  parseTimeNtz,
  parseTimestampNtz,
  parseTimestampTz,
  parseTimeTz,
  type TemporalFailure,
} from './temporal.js';

/** `_airbyte_meta.changes[].reason` values a destination records when it nulls a value. */
export type CoerceFailureReason = 'DESTINATION_SERIALIZATION_ERROR' | 'DESTINATION_FIELD_SIZE_LIMITATION';

export type CoerceResult = { ok: true; value: unknown } | { ok: false; reason: CoerceFailureReason };

export interface CoerceOptions {
  /**
   * Integers outside the signed range of this many bits (64 for bigint, 32 for int) fail with
   * DESTINATION_FIELD_SIZE_LIMITATION. Default: no limit (Cassandra's varint takes anything).
   */
  maxIntegerBits?: number;
  /**
   * Numbers with a larger magnitude fail with DESTINATION_FIELD_SIZE_LIMITATION (e.g. 1e38 for
   * a DECIMAL(38) column). Default: any finite double.
   */
  maxAbsNumber?: number;
  /**
   * What a string column accepts besides strings: 'primitives' (default) also numbers, bigints
   * and booleans, as their text; 'all' also objects and arrays, as JSON; 'none' only strings.
   */
  stringify?: 'primitives' | 'all' | 'none';
}

const SERIALIZATION: CoerceResult = { ok: false, reason: 'DESTINATION_SERIALIZATION_ERROR' };
const SIZE: CoerceResult = { ok: false, reason: 'DESTINATION_FIELD_SIZE_LIMITATION' };

const INTEGER_STRING = /^[+-]?\d+$/;
const NUMBER_STRING = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/**
 * Converts one value to the representation for its abstract type, or says why it cannot:
 * the destination then stores null and records `{field, change: 'NULLED', reason}` in
 * `_airbyte_meta.changes`. Not recursive: object and array contents are passed through.
 * `null` and `undefined` pass through unchanged for every type (nullability is the column's
 * business, and "unset" may differ from null).
 *
 * | type          | accepts                                   | ok value                         |
 * |---------------|-------------------------------------------|----------------------------------|
 * | integer       | integral numbers, bigints, "[+-]digits"    | number if safe, else bigint      |
 * | number        | finite numbers, bigints, numeric strings   | number (-0 becomes 0)            |
 * | boolean       | true/false, "true"/"false" (any case)      | boolean                          |
 * | string        | strings (+ see `stringify`)                | string                           |
 * | date          | see temporal.ts                            | DateValue                        |
 * | timestamp_tz  | zone or Z; no zone = UTC                   | TimestampTzValue                 |
 * | timestamp_ntz | zone ignored, wall clock kept              | TimestampNtzValue                |
 * | time_tz       | no zone = UTC                              | TimeTzValue                      |
 * | time_ntz      | zone ignored                               | TimeNtzValue                     |
 * | object/array  | a plain object / an array                  | the value                        |
 * | union/unknown | anything                                   | the value                        |
 *
 * Integers: JSON.parse has already rounded integers beyond ±2^53 to the nearest double
 * (99999999999999999999999999999999 arrives as 1e32), so a bigint made from a number is that
 * double's exact value; integer *strings* stay exact. Values beyond 2^53 are bigints so the
 * destination chooses: varint, a range check (`maxIntegerBits`), or text.
 */
export function coerceValue(type: AbstractType, value: unknown, opts: CoerceOptions = {}): CoerceResult {
  if (value === null || value === undefined) return { ok: true, value };
  switch (type.kind) {
    case 'integer':
      return coerceInteger(value, opts.maxIntegerBits);
    case 'number':
      return coerceNumber(value, opts.maxAbsNumber);
    case 'boolean':
      return coerceBoolean(value);
    case 'string':
      return coerceString(value, opts.stringify ?? 'primitives');
    case 'date':
      return temporal(value, parseDate);
    case 'timestamp_tz':
      return temporal(value, parseTimestampTz);
    case 'timestamp_ntz':
      return temporal(value, parseTimestampNtz);
    case 'time_tz':
      return temporal(value, parseTimeTz);
    case 'time_ntz':
      return temporal(value, parseTimeNtz);
    case 'object':
      return typeof value === 'object' && !Array.isArray(value) ? { ok: true, value } : SERIALIZATION;
    case 'array':
      return Array.isArray(value) ? { ok: true, value } : SERIALIZATION;
    case 'union':
    case 'unknown':
      return { ok: true, value };
  }
}

function coerceInteger(value: unknown, maxBits: number | undefined): CoerceResult {
  let big: bigint;
  if (typeof value === 'number') {
    if (!Number.isInteger(value)) return SERIALIZATION;
    if (Number.isSafeInteger(value)) {
      // Hot path: no bigint unless a limit below 54 bits needs checking.
      const fits = maxBits === undefined || maxBits >= 54 || checkBits(BigInt(value), maxBits);
      return fits ? { ok: true, value: value + 0 } : SIZE;
    }
    big = BigInt(value);
  } else if (typeof value === 'bigint') {
    big = value;
  } else if (typeof value === 'string' && INTEGER_STRING.test(value)) {
    big = BigInt(value);
  } else {
    return SERIALIZATION;
  }
  if (!checkBits(big, maxBits)) return SIZE;
  const asNumber = Number(big);
  return { ok: true, value: Number.isSafeInteger(asNumber) ? asNumber : big };
}

function checkBits(value: bigint, maxBits: number | undefined): boolean {
  if (maxBits === undefined) return true;
  const limit = 1n << BigInt(maxBits - 1);
  return value >= -limit && value < limit;
}

function coerceNumber(value: unknown, maxAbs: number | undefined): CoerceResult {
  let n: number;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return SERIALIZATION;
    n = value;
  } else if (typeof value === 'bigint') {
    n = Number(value);
    if (!Number.isFinite(n)) return SIZE;
  } else if (typeof value === 'string' && NUMBER_STRING.test(value)) {
    n = Number(value);
    // Valid decimal text beyond the double range ("1e400").
    if (!Number.isFinite(n)) return SIZE;
  } else {
    return SERIALIZATION;
  }
  if (maxAbs !== undefined && Math.abs(n) > maxAbs) return SIZE;
  return { ok: true, value: n + 0 };
}

function coerceBoolean(value: unknown): CoerceResult {
  if (typeof value === 'boolean') return { ok: true, value };
  if (typeof value === 'string') {
    const lower = value.toLowerCase();
    if (lower === 'true') return { ok: true, value: true };
    if (lower === 'false') return { ok: true, value: false };
  }
  return SERIALIZATION;
}

function coerceString(value: unknown, stringify: 'primitives' | 'all' | 'none'): CoerceResult {
  if (typeof value === 'string') return { ok: true, value };
  if (stringify === 'none') return SERIALIZATION;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') {
    return { ok: true, value: String(value) };
  }
  if (stringify === 'all' && typeof value === 'object') {
    try {
      return { ok: true, value: JSON.stringify(value) };
    } catch {
      return SERIALIZATION;
    }
  }
  return SERIALIZATION;
}

function temporal(value: unknown, parse: (s: string) => object | TemporalFailure): CoerceResult {
  if (typeof value !== 'string') return SERIALIZATION;
  const parsed = parse(value);
  if (parsed === 'invalid') return SERIALIZATION;
  if (parsed === 'out_of_range') return SIZE;
  return { ok: true, value: parsed };
}
