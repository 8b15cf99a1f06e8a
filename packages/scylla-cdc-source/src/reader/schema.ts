import type cassandra from 'cassandra-driver';
import { type CqlType, isNonFrozen, parseCqlType, resolveUdts } from './cql-type.js';
import { CdcConfigError, quoteIdent } from './errors.js';

export const LOG_TABLE_SUFFIX = '_scylla_cdc_log';

/**
 * Where the reader finds Scylla's CDC metadata. On Scylla these are `system_distributed`
 * (generations), `system_schema` (`scylla_tables.cdc`, `scylla_keyspaces`) and `system`
 * (tablets' `cdc_timestamps` / `cdc_streams`); tests point all three at an emulated keyspace.
 */
export interface SystemKeyspaces {
  readonly generations: string;
  readonly schema: string;
  readonly tablets: string;
}

export const SCYLLA_SYSTEM_KEYSPACES: SystemKeyspaces = {
  generations: 'system_distributed',
  schema: 'system_schema',
  tablets: 'system',
};

export type ColumnKind = 'partition_key' | 'clustering' | 'regular' | 'static';

export interface ColumnInfo {
  readonly name: string;
  readonly kind: ColumnKind;
  readonly position: number;
  readonly type: CqlType;
  /** Non-frozen collection or UDT: the log carries element-level changes. */
  readonly nonFrozen: boolean;
  readonly isKey: boolean;
}

/** The table's `cdc` option (`system_schema.scylla_tables.cdc`). */
export interface CdcTableOptions {
  readonly enabled: boolean;
  readonly preimage: false | true | 'full';
  readonly postimage: boolean;
  readonly delta: 'full' | 'keys';
  /** Log TTL in seconds; 0 = none. */
  readonly ttl: number;
}

export interface TableSchema {
  readonly keyspace: string;
  readonly table: string;
  /** `ks.table` */
  readonly id: string;
  readonly logTable: string;
  readonly partitionKey: readonly ColumnInfo[];
  readonly clustering: readonly ColumnInfo[];
  /** Key columns: partition key then clustering. */
  readonly keyColumns: readonly ColumnInfo[];
  /** Every base column in log order (by name, as Scylla orders a log table's regular columns). */
  readonly columns: readonly ColumnInfo[];
  /** Non-key columns in log order. */
  readonly valueColumns: readonly ColumnInfo[];
  readonly byName: ReadonlyMap<string, ColumnInfo>;
  readonly cdc: CdcTableOptions;
  /** Names of the log table's columns, sorted; changes when the table is altered. */
  readonly logSignature: string;
}

export function parseCdcOptions(
  map: ReadonlyMap<string, string> | Record<string, string> | null | undefined,
): CdcTableOptions {
  const get = (k: string): string | undefined =>
    map instanceof Map ? map.get(k) : map ? (map as Record<string, string>)[k] : undefined;
  const pre = get('preimage');
  return {
    enabled: get('enabled') === 'true',
    preimage: pre === 'full' ? 'full' : pre === 'true',
    postimage: get('postimage') === 'true',
    delta: get('delta') === 'keys' ? 'keys' : 'full',
    ttl: Number(get('ttl') ?? 86400) || 0,
  };
}

const byName = (a: { name: string }, b: { name: string }) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/** Loads the base table's columns, its UDTs, its log table's columns and its CDC options. */
export async function loadTableSchema(
  client: cassandra.Client,
  keyspace: string,
  table: string,
  system: SystemKeyspaces,
): Promise<TableSchema> {
  const columnsQuery =
    'SELECT column_name, kind, position, type FROM system_schema.columns WHERE keyspace_name = ? AND table_name = ?';
  const [base, log, types] = await Promise.all([
    client.execute(columnsQuery, [keyspace, table], { prepare: true }),
    client.execute(columnsQuery, [keyspace, table + LOG_TABLE_SUFFIX], { prepare: true }),
    client.execute(
      'SELECT type_name, field_names, field_types FROM system_schema.types WHERE keyspace_name = ?',
      [keyspace],
      {
        prepare: true,
      },
    ),
  ]);
  if (base.rows.length === 0) throw new CdcConfigError(`table ${keyspace}.${table} does not exist`);
  const cdc = await loadCdcOptions(client, keyspace, table, system);
  if (!cdc.enabled) {
    throw new CdcConfigError(
      `CDC is not enabled on ${keyspace}.${table}: run ALTER TABLE ${quoteIdent(keyspace)}.${quoteIdent(table)} WITH cdc = {'enabled': true}`,
    );
  }
  if (log.rows.length === 0) {
    throw new CdcConfigError(`the CDC log table ${keyspace}.${table}${LOG_TABLE_SUFFIX} does not exist`);
  }
  const udts = new Map<string, { names: string[]; types: string[] }>();
  for (const r of types.rows) {
    udts.set(r.type_name as string, { names: r.field_names as string[], types: r.field_types as string[] });
  }
  const columns: ColumnInfo[] = base.rows.map((r) => {
    const type = parseCqlType(r.type as string);
    resolveUdts(type, udts);
    const kind = r.kind as ColumnKind;
    return {
      name: r.column_name as string,
      kind,
      position: r.position as number,
      type,
      nonFrozen: isNonFrozen(type),
      isKey: kind === 'partition_key' || kind === 'clustering',
    };
  });
  columns.sort(byName);
  const byPosition = (a: ColumnInfo, b: ColumnInfo) => a.position - b.position;
  const partitionKey = columns.filter((c) => c.kind === 'partition_key').sort(byPosition);
  const clustering = columns.filter((c) => c.kind === 'clustering').sort(byPosition);
  const logNames = log.rows.map((r) => r.column_name as string).sort();
  // A column the base table has but the log has not (yet) cannot be read; keep only logged ones.
  const logged = new Set(logNames);
  const present = columns.filter((c) => logged.has(c.name));
  return {
    keyspace,
    table,
    id: `${keyspace}.${table}`,
    logTable: table + LOG_TABLE_SUFFIX,
    partitionKey,
    clustering,
    keyColumns: [...partitionKey, ...clustering],
    columns: present,
    valueColumns: present.filter((c) => !c.isKey),
    byName: new Map(present.map((c) => [c.name, c])),
    cdc,
    logSignature: logNames.join(','),
  };
}

export async function loadCdcOptions(
  client: cassandra.Client,
  keyspace: string,
  table: string,
  system: SystemKeyspaces,
): Promise<CdcTableOptions> {
  let rs: cassandra.types.ResultSet;
  try {
    rs = await client.execute(
      `SELECT cdc FROM ${quoteIdent(system.schema)}.scylla_tables WHERE keyspace_name = ? AND table_name = ?`,
      [keyspace, table],
      { prepare: true },
    );
  } catch (err) {
    throw new CdcConfigError(
      `cannot read the CDC options of ${keyspace}.${table} from ${system.schema}.scylla_tables ` +
        `(is this a Scylla cluster?): ${(err as Error).message}`,
    );
  }
  return parseCdcOptions(rs.rows[0]?.cdc as Map<string, string> | undefined);
}

/** Whether the keyspace uses tablets (`scylla_keyspaces.initial_tablets` set). */
export async function usesTablets(
  client: cassandra.Client,
  keyspace: string,
  system: SystemKeyspaces,
): Promise<boolean> {
  try {
    const rs = await client.execute(
      `SELECT initial_tablets FROM ${quoteIdent(system.schema)}.scylla_keyspaces WHERE keyspace_name = ?`,
      [keyspace],
      { prepare: true },
    );
    const v = rs.rows[0]?.initial_tablets;
    return v !== null && v !== undefined;
  } catch {
    return false;
  }
}
