import {
  shortHash,
  toAlphanumericAndUnderscore,
  truncateWithHash,
  uniqueNames,
} from '@tributary/airbyte-protocol';

/** DynamoDB table names: 3 to 255 characters of [a-zA-Z0-9_.-]. */
export const MAX_TABLE_NAME_LENGTH = 255;
export const MIN_TABLE_NAME_LENGTH = 3;

export interface StreamId {
  readonly name: string;
  readonly namespace: string | null;
}

/**
 * The prefix as the user typed it when it is a valid table-name fragment (upstream used it
 * unchanged), otherwise with each character DynamoDB refuses replaced by '_'.
 */
export function sanitizePrefix(prefix: string): string {
  return prefix.replace(/[^A-Za-z0-9_.-]/gu, '_');
}

/**
 * The upstream table name, `<prefix>_<namespace>_<stream>` (the namespace part only when the
 * stream has one), namespace and stream through Airbyte's alphanumeric-and-underscore
 * normaliser. Names upstream produced are kept; a name over 255 characters is cut with a hash of
 * the whole name, and one under 3 is padded with '_'.
 */
export function tableNameCandidate(prefix: string, stream: StreamId): string {
  const parts = [sanitizePrefix(prefix)];
  if (stream.namespace !== null && stream.namespace !== undefined) {
    parts.push(toAlphanumericAndUnderscore(stream.namespace));
  }
  parts.push(toAlphanumericAndUnderscore(stream.name));
  return fitTableName(parts.join('_'));
}

export function fitTableName(name: string): string {
  const padded = name.length < MIN_TABLE_NAME_LENGTH ? name.padEnd(MIN_TABLE_NAME_LENGTH, '_') : name;
  return truncateWithHash(padded, MAX_TABLE_NAME_LENGTH);
}

const streamSource = (s: StreamId): string => `${s.namespace ?? '\u0001'}\u0000${s.name}`;

/**
 * Table names for every stream of a catalog, collision-free: when two streams would share a table
 * (`a-b` and `a_b`, or namespace `a_b` + stream `c` and namespace `a` + stream `b_c`), the first
 * in sorted order keeps the upstream name and the others get a hash suffix.
 */
export function tableNames(prefix: string, streams: readonly StreamId[]): Map<string, string> {
  const bySource = new Map(streams.map((s) => [streamSource(s), s]));
  const names = uniqueNames(bySource.keys(), (source) => tableNameCandidate(prefix, bySource.get(source)!), {
    maxLength: MAX_TABLE_NAME_LENGTH,
  });
  const out = new Map<string, string>();
  for (const [source, name] of names) out.set(source, name);
  return out;
}

export function tableNameFor(names: Map<string, string>, stream: StreamId): string {
  const name = names.get(streamSource(stream));
  if (name === undefined) throw new Error(`internal: no table name for stream ${stream.name}`);
  return name;
}

/** The table `check` creates and deletes: unique per run, under the configured prefix. */
export function checkTableName(prefix: string, unique: string): string {
  const suffix = `_airbyte_connection_test_${unique}`;
  const base = sanitizePrefix(prefix);
  const room = MAX_TABLE_NAME_LENGTH - suffix.length;
  return `${base.length > room ? `${base.slice(0, room - 9)}_${shortHash(base)}` : base}${suffix}`;
}
