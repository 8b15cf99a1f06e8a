import { stringifyExact, valueAtPath } from '@tributary/airbyte-protocol';
import { type AttributeValue, formatNumber, numberFromText, utf8Length } from './attribute-value.js';

export type KeyType = 'S' | 'N';
export type KeyRole = 'HASH' | 'RANGE';

export interface KeyAttribute {
  readonly name: string;
  readonly type: KeyType;
  readonly role: KeyRole;
}

/** The upstream key: a random id per record and the sync's start time. */
export const RAW_KEY: readonly KeyAttribute[] = [
  { name: '_airbyte_ab_id', type: 'S', role: 'HASH' },
  { name: 'sync_time', type: 'N', role: 'RANGE' },
];

/** Typed items of append/overwrite streams: one item per record. */
export const RAW_ID_KEY: readonly KeyAttribute[] = [{ name: '_airbyte_raw_id', type: 'S', role: 'HASH' }];

/** Hash key of a primary key that has more than two fields, or nested ones. */
export const ENCODED_KEY_ATTRIBUTE = '_airbyte_pk';

/** DynamoDB limits on key values. */
export const MAX_HASH_KEY_BYTES = 2048;
export const MAX_RANGE_KEY_BYTES = 1024;
/** Key attribute names may not exceed 255 bytes. */
export const MAX_KEY_NAME_BYTES = 255;

/**
 * How the stream's primary key becomes the table key:
 * - `fields`: one or two top-level fields, the first the hash key, the second the range key,
 *   typed N when the JSON schema says integer/number and S otherwise;
 * - `encoded`: three or more fields, or nested paths: the hash key `_airbyte_pk` holds the
 *   values as a JSON array (`[1,"USD","2020-01-01"]`); the fields stay attributes too.
 */
export type PrimaryKeyPlan =
  | { readonly kind: 'fields'; readonly attributes: readonly KeyAttribute[] }
  | {
      readonly kind: 'encoded';
      readonly paths: readonly string[][];
      readonly attributes: readonly KeyAttribute[];
    };

export function primaryKeyPlan(primaryKey: readonly string[][], jsonSchema: unknown): PrimaryKeyPlan {
  const paths = primaryKey.filter((p) => p.length > 0);
  if (paths.length === 0) throw new Error('internal: a primary key plan needs at least one field');
  const topLevel = paths.every((p) => p.length === 1);
  const names = paths.map((p) => p[0]!);
  const distinct = new Set(names).size === names.length;
  if (
    topLevel &&
    distinct &&
    paths.length <= 2 &&
    names.every((n) => n !== '' && utf8Length(n) <= MAX_KEY_NAME_BYTES)
  ) {
    return {
      kind: 'fields',
      attributes: names.map((name, i) => ({
        name,
        type: schemaKeyType(jsonSchema, name),
        role: i === 0 ? 'HASH' : 'RANGE',
      })),
    };
  }
  return { kind: 'encoded', paths, attributes: [{ name: ENCODED_KEY_ATTRIBUTE, type: 'S', role: 'HASH' }] };
}

function schemaKeyType(jsonSchema: unknown, field: string): KeyType {
  const props = (jsonSchema as { properties?: Record<string, { type?: unknown }> } | null)?.properties;
  const type = props?.[field]?.type;
  const types = Array.isArray(type) ? type : [type];
  return types.includes('integer') || types.includes('number') ? 'N' : 'S';
}

/** A key value in the table's key type, or why the record cannot have one. */
export function keyValue(
  value: unknown,
  type: KeyType,
  role: KeyRole,
): { ok: true; av: AttributeValue; text: string } | { ok: false; reason: string } {
  if (value === undefined || value === null) return { ok: false, reason: 'is missing or null' };
  if (type === 'N') {
    let text: string | null = null;
    if (typeof value === 'number') {
      const f = formatNumber(value);
      text = f === 'not_finite' || f === 'overflow' || f === 'underflow' || f === 'precision' ? null : f;
    } else if (typeof value === 'string' || typeof value === 'bigint') text = numberFromText(String(value));
    if (text === null) return { ok: false, reason: `is not a number DynamoDB can hold (${preview(value)})` };
    return { ok: true, av: { N: text }, text };
  }
  const text =
    typeof value === 'string' ? value : typeof value === 'object' ? stringifyExact(value) : String(value);
  if (text === '') return { ok: false, reason: 'is an empty string (DynamoDB refuses empty key values)' };
  const limit = role === 'HASH' ? MAX_HASH_KEY_BYTES : MAX_RANGE_KEY_BYTES;
  if (utf8Length(text) > limit) {
    return {
      ok: false,
      reason: `is longer than the ${limit} bytes DynamoDB allows for a ${role === 'HASH' ? 'partition' : 'sort'} key`,
    };
  }
  return { ok: true, av: { S: text }, text };
}

/** The encoded hash key of a multi-field primary key. */
export function encodedKey(
  data: Record<string, unknown>,
  paths: readonly string[][],
): { ok: true; av: AttributeValue; text: string } | { ok: false; reason: string } {
  const values = paths.map((p) => valueAtPath(data, p) ?? null);
  if (values.every((v) => v === null)) return { ok: false, reason: 'has no primary key value' };
  const text = stringifyExact(values);
  if (utf8Length(text) > MAX_HASH_KEY_BYTES) {
    return { ok: false, reason: `encodes to more than the ${MAX_HASH_KEY_BYTES} bytes of a partition key` };
  }
  return { ok: true, av: { S: text }, text };
}

function preview(value: unknown): string {
  const s = typeof value === 'string' ? JSON.stringify(value) : String(value);
  return s.length > 40 ? `${s.slice(0, 40)}…` : s;
}

export function describeKey(attributes: readonly KeyAttribute[]): string {
  return attributes.map((a) => `${a.role} ${a.name} (${a.type})`).join(', ');
}
