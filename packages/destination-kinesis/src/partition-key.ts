import { createHash } from 'node:crypto';
import { stringifyExact, valueAtPath } from '@tributary/airbyte-protocol';

/** Kinesis partition keys are 1..256 Unicode characters. */
export const MAX_PARTITION_KEY_LENGTH = 256;

/**
 * `customer.id` → ['customer', 'id']. A backslash escapes the next character, so `a\.b` is the
 * single field `a.b` and `a\\b` is `a\b`. Throws on an empty path or an empty segment.
 */
export function parseFieldPath(text: string): string[] {
  const parts: string[] = [];
  let current = '';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === '\\') {
      if (i + 1 >= text.length) throw new Error(`"${text}" ends with a lone backslash`);
      current += text[++i];
    } else if (ch === '.') {
      parts.push(current);
      current = '';
    } else current += ch;
  }
  parts.push(current);
  if (parts.some((p) => p.length === 0)) {
    throw new Error(`"${text}" is not a field path: use names separated by dots, e.g. "customer.id"`);
  }
  return parts;
}

/** Turns a record's data into its partition key; null means "no key": the record gets a random one. */
export type PartitionKeyOf = (data: Record<string, unknown>) => string | null;

/**
 * Where a stream's partition keys come from: the configured field path, else the stream's primary
 * key, else nothing (every record gets a random key, as upstream did for all records).
 */
export function partitionKeyPaths(
  configuredField: string | undefined,
  primaryKey: readonly (readonly string[])[],
): string[][] {
  if (configuredField !== undefined && configuredField.trim() !== '')
    return [parseFieldPath(configuredField.trim())];
  return primaryKey.filter((p) => p.length > 0).map((p) => [...p]);
}

/**
 * The key function for a list of field paths (null when there are none).
 *
 * - One path: a string value is the key as it is; numbers and booleans their decimal/`true`
 *   text; objects and arrays their JSON; an empty string its JSON `""` (Kinesis refuses empty keys).
 * - Several paths (a composite primary key): the JSON array of the values, e.g. `["eu",42]`.
 * - A missing or null value (all of them, for several paths) gives null: no key.
 * - A key over 256 characters becomes `sha256:<hex>` of itself, so equal values still share a key.
 */
export function partitionKeyFunction(paths: readonly (readonly string[])[]): PartitionKeyOf | null {
  if (paths.length === 0) return null;
  if (paths.length === 1) {
    const path = paths[0]!;
    const single = path.length === 1 ? path[0]! : null;
    return (data) => {
      const value = single !== null ? data[single] : valueAtPath(data, path);
      return limitLength(scalarKey(value));
    };
  }
  return (data) => {
    let present = false;
    const values = paths.map((p) => {
      const v = valueAtPath(data, p);
      if (v === undefined || v === null) return null;
      present = true;
      return v;
    });
    return present ? limitLength(stringifyExact(values)) : null;
  };
}

function scalarKey(value: unknown): string | null {
  switch (typeof value) {
    case 'string':
      return value.length > 0 ? value : '""';
    case 'number':
    case 'boolean':
    case 'bigint':
      return String(value);
    case 'object':
      return value === null ? null : stringifyExact(value);
    default:
      return null;
  }
}

function limitLength(key: string | null): string | null {
  if (key === null || key.length <= MAX_PARTITION_KEY_LENGTH) return key;
  return `sha256:${createHash('sha256').update(key, 'utf8').digest('hex')}`;
}
