import type cassandra from 'cassandra-driver';
import { type CqlType, formatCqlType, frozen, isNonFrozen, parseCqlType, quoteName } from './cql-type.js';

export type ColumnKind = 'partition_key' | 'clustering' | 'regular' | 'static';

export interface ColumnDef {
  readonly name: string;
  readonly kind: ColumnKind;
  readonly position: number;
  readonly type: CqlType;
}

export interface UdtDef {
  readonly name: string;
  readonly fieldNames: readonly string[];
  readonly fieldTypes: readonly CqlType[];
}

export interface TableDef {
  readonly keyspace: string;
  readonly name: string;
  readonly partitionKey: readonly ColumnDef[];
  readonly clustering: readonly ColumnDef[];
  /** Regular and static columns, by name. */
  readonly regular: readonly ColumnDef[];
  readonly columns: ReadonlyMap<string, ColumnDef>;
  readonly udts: ReadonlyMap<string, UdtDef>;
}

export async function loadTableDef(
  client: cassandra.Client,
  keyspace: string,
  table: string,
): Promise<TableDef> {
  const rs = await client.execute(
    'SELECT column_name, kind, position, type FROM system_schema.columns WHERE keyspace_name = ? AND table_name = ?',
    [keyspace, table],
    { prepare: true },
  );
  if (rs.rows.length === 0) throw new Error(`table ${keyspace}.${table} does not exist`);
  const columns = new Map<string, ColumnDef>();
  for (const row of rs.rows) {
    const def: ColumnDef = {
      name: row.column_name as string,
      kind: row.kind as ColumnKind,
      position: row.position as number,
      type: parseCqlType(row.type as string),
    };
    columns.set(def.name, def);
  }
  const all = [...columns.values()];
  const byPosition = (a: ColumnDef, b: ColumnDef) => a.position - b.position;
  const udtRows = await client.execute(
    'SELECT type_name, field_names, field_types FROM system_schema.types WHERE keyspace_name = ?',
    [keyspace],
    { prepare: true },
  );
  const udts = new Map<string, UdtDef>();
  for (const row of udtRows.rows) {
    udts.set(row.type_name as string, {
      name: row.type_name as string,
      fieldNames: row.field_names as string[],
      fieldTypes: (row.field_types as string[]).map(parseCqlType),
    });
  }
  return {
    keyspace,
    name: table,
    partitionKey: all.filter((c) => c.kind === 'partition_key').sort(byPosition),
    clustering: all.filter((c) => c.kind === 'clustering').sort(byPosition),
    regular: all
      .filter((c) => c.kind === 'regular' || c.kind === 'static')
      .sort((a, b) => (a.name < b.name ? -1 : 1)),
    columns,
    udts,
  };
}

export const LOG_SUFFIX = '_scylla_cdc_log';

/** The type of column `X`'s value in the log (non-frozen collections and UDTs become frozen; lists become maps keyed by timeuuid). */
export function logValueType(type: CqlType): CqlType {
  if (type.kind === 'list' && !type.frozen) {
    return { kind: 'map', frozen: true, key: { kind: 'native', name: 'timeuuid' }, value: type.elem };
  }
  return frozen(type);
}

/** The type of `cdc$deleted_elements_X` for a non-frozen collection or UDT column. */
export function deletedElementsType(type: CqlType): CqlType | undefined {
  if (!isNonFrozen(type)) return undefined;
  switch (type.kind) {
    case 'list':
      return { kind: 'set', frozen: true, elem: { kind: 'native', name: 'timeuuid' } };
    case 'set':
      return { kind: 'set', frozen: true, elem: type.elem };
    case 'map':
      return { kind: 'set', frozen: true, elem: type.key };
    case 'udt':
      return { kind: 'set', frozen: true, elem: { kind: 'native', name: 'smallint' } };
    default:
      return undefined;
  }
}

export interface LogColumn {
  readonly name: string;
  readonly type: CqlType;
}

/** Every column of the log table of `table`, in the order Scylla's DESCRIBE lists them. */
export function logColumns(table: TableDef): LogColumn[] {
  const boolean: CqlType = { kind: 'native', name: 'boolean' };
  const cols: LogColumn[] = [
    { name: 'cdc$stream_id', type: { kind: 'native', name: 'blob' } },
    { name: 'cdc$time', type: { kind: 'native', name: 'timeuuid' } },
    { name: 'cdc$batch_seq_no', type: { kind: 'native', name: 'int' } },
  ];
  const regular: LogColumn[] = [
    { name: 'cdc$end_of_batch', type: boolean },
    { name: 'cdc$operation', type: { kind: 'native', name: 'tinyint' } },
    { name: 'cdc$ttl', type: { kind: 'native', name: 'bigint' } },
  ];
  for (const c of [...table.partitionKey, ...table.clustering]) regular.push({ name: c.name, type: c.type });
  for (const c of table.regular) {
    regular.push({ name: c.name, type: logValueType(c.type) });
    regular.push({ name: `cdc$deleted_${c.name}`, type: boolean });
    const del = deletedElementsType(c.type);
    if (del) regular.push({ name: `cdc$deleted_elements_${c.name}`, type: del });
  }
  regular.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return [...cols, ...regular];
}

export function createLogTableCql(table: TableDef): string {
  const cols = logColumns(table)
    .map((c) => `${quoteName(c.name)} ${formatCqlType(c.type)}`)
    .join(', ');
  return (
    `CREATE TABLE IF NOT EXISTS ${quoteName(table.keyspace)}.${quoteName(table.name + LOG_SUFFIX)} (${cols}, ` +
    `PRIMARY KEY ("cdc$stream_id", "cdc$time", "cdc$batch_seq_no")) ` +
    `WITH CLUSTERING ORDER BY ("cdc$time" ASC, "cdc$batch_seq_no" ASC) AND gc_grace_seconds = 0 ` +
    `AND default_time_to_live = 0 AND compaction = {'class': 'TimeWindowCompactionStrategy', ` +
    `'compaction_window_unit': 'MINUTES', 'compaction_window_size': '60'}`
  );
}
