import { cursorOrdinal, stringifyExact } from '@tributary/airbyte-protocol';
import {
  type AttributeValue,
  formatNumber,
  MAX_NUMBER_MAGNITUDE,
  MIN_DYNAMODB_NUMBER,
} from './attribute-value.js';

/** Attribute holding the orderable form of a dedup stream's cursor (compared in conditions). */
export const CURSOR_ATTRIBUTE = '_airbyte_cursor';

/**
 * A cursor value in orderable form: numbers, numeric strings and dates as a number (dates in epoch
 * ms), other text as text, and a missing or null cursor as -Infinity (older than any cursor).
 */
export type Cursor = { readonly n: number } | { readonly s: string };

export const NO_CURSOR: Cursor = { n: Number.NEGATIVE_INFINITY };

export function cursorOf(value: unknown): Cursor {
  if (value === undefined || value === null) return NO_CURSOR;
  if (typeof value === 'boolean') return { n: value ? 1 : 0 };
  if (typeof value === 'bigint') return { n: Number(value) };
  const ordinal = cursorOrdinal(value);
  if (ordinal !== null && Number.isFinite(ordinal)) return { n: ordinal };
  if (typeof value === 'string') return { s: value };
  return { s: stringifyExact(value) };
}

/**
 * Negative when `a` is older than `b`, positive when newer, 0 when equal. Values of different
 * kinds (a number and a text) are not comparable: 0, so the later arrival wins, as DynamoDB's
 * condition (which evaluates a comparison of different types as false) also lets it.
 */
export function compareCursors(a: Cursor, b: Cursor): number {
  if ('n' in a && 'n' in b) return a.n < b.n ? -1 : a.n > b.n ? 1 : 0;
  if ('s' in a && 's' in b) return a.s < b.s ? -1 : a.s > b.s ? 1 : 0;
  return 0;
}

export function cursorAttribute(c: Cursor): AttributeValue {
  if ('s' in c) return { S: c.s };
  if (c.n === Number.NEGATIVE_INFINITY || c.n <= -MAX_NUMBER_MAGNITUDE) return { N: MIN_DYNAMODB_NUMBER };
  if (c.n >= MAX_NUMBER_MAGNITUDE) return { N: MIN_DYNAMODB_NUMBER.slice(1) };
  const text = formatNumber(c.n);
  // Below 1E-130 in magnitude DynamoDB has only 0.
  return { N: text === 'underflow' ? '0' : text };
}
