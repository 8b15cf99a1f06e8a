import {
  type IdentifierRules,
  identifierFor,
  quoteIdentifier,
  uniqueNames,
} from '@tributary/airbyte-protocol';
import type { Layout } from './config.js';

/** Cassandra (and Scylla) refuse keyspace and table names longer than 48 characters. */
export const MAX_TABLE_NAME = 48;
/** Column names have no such limit; this keeps them readable. */
export const MAX_COLUMN_NAME = 128;

/** Names of the metadata columns of each layout; a data field with one of these names gets a suffix. */
export const RAW_COLUMNS = {
  id: '_airbyte_ab_id',
  data: '_airbyte_data',
  emittedAt: '_airbyte_emitted_at',
  generationId: '_airbyte_generation_id',
  loadedAt: '_airbyte_loaded_at',
} as const;

export const TYPED_META_COLUMNS = {
  rawId: '_airbyte_raw_id',
  extractedAt: '_airbyte_extracted_at',
  loadedAt: '_airbyte_loaded_at',
  meta: '_airbyte_meta',
  generationId: '_airbyte_generation_id',
} as const;

const RESERVED_COLUMN_NAMES: ReadonlySet<string> = new Set([
  ...Object.values(RAW_COLUMNS),
  ...Object.values(TYPED_META_COLUMNS),
]);

/**
 * Keyspace of a stream: its namespace sanitised as upstream did (NFKD, alphanumerics and '_',
 * leading '_' trimmed), lower-cased (upstream passed it unquoted, which Cassandra lower-cases),
 * else the configured keyspace (same rules). Names longer than 48 get a hash suffix.
 */
export function keyspaceName(namespace: string | null | undefined, configKeyspace: string): string {
  const source = namespace && namespace.trim() !== '' ? namespace : configKeyspace;
  return identifierFor(source, {
    maxLength: MAX_TABLE_NAME,
    trimLeadingUnderscores: true,
    lowercase: true,
    emptyName: 'airbyte',
  });
}

const TABLE_RULES: IdentifierRules = { maxLength: MAX_TABLE_NAME, lowercase: true, emptyName: '_' };

/**
 * The table name candidate for a stream: `airbyte_raw_<sanitised lower-case stream>` (upstream's
 * raw name) or `<sanitised lower-case stream>` (typed), hash-truncated to 48 characters. Names
 * that fit stay exactly as upstream named them.
 */
export function tableNameCandidate(stream: string, layout: Layout): string {
  const lower = stream.toLowerCase();
  return layout === 'raw'
    ? identifierFor(`airbyte_raw_${lower}`, TABLE_RULES)
    : identifierFor(lower, TABLE_RULES);
}

/**
 * Table names for all streams of a catalog, collision-free within each keyspace: two streams
 * whose names sanitise or truncate to one table get distinct, stable names.
 */
export function tableNames(
  streams: ReadonlyArray<{ name: string; keyspace: string }>,
  layout: Layout,
): Map<string, string> {
  const byKeyspace = new Map<string, string[]>();
  for (const s of streams) {
    const list = byKeyspace.get(s.keyspace) ?? [];
    list.push(s.name);
    byKeyspace.set(s.keyspace, list);
  }
  const out = new Map<string, string>();
  for (const [keyspace, names] of byKeyspace) {
    const mapped = uniqueNames(names, (n) => tableNameCandidate(n, layout), {
      caseInsensitive: true,
      maxLength: MAX_TABLE_NAME,
    });
    for (const [name, table] of mapped) out.set(tableKey(keyspace, name), table);
  }
  return out;
}

export function tableKey(keyspace: string, stream: string): string {
  return `${keyspace}\u0000${stream}`;
}

const COLUMN_RULES: IdentifierRules = {
  maxLength: MAX_COLUMN_NAME,
  lowercase: true,
  emptyName: '_',
  reserved: RESERVED_COLUMN_NAMES,
  reservedSuffix: '_1',
};

/** The column candidate for a field: sanitised, lower-cased; a metadata column name gets `_1`. */
export function columnNameCandidate(field: string): string {
  return identifierFor(field, COLUMN_RULES);
}

/** Distinct column names for a stream's fields (e.g. `Foo.Bar` and `foo_bar` do not share one). */
export function columnNames(fields: Iterable<string>): Map<string, string> {
  return uniqueNames(fields, columnNameCandidate, { caseInsensitive: true, maxLength: MAX_COLUMN_NAME });
}

/** `"ks"."table"`. */
export function qualified(keyspace: string, table: string): string {
  return `${quoteIdentifier(keyspace)}.${quoteIdentifier(table)}`;
}

export const q = (name: string): string => quoteIdentifier(name);
