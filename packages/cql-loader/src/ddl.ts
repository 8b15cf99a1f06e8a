import type { ConnectorContext } from '@tributary/airbyte-protocol';
import type cassandra from 'cassandra-driver';

type Logger = ConnectorContext['logger'];
import type { CqlConfig } from './config.js';
import { parseDatacenterFactors } from './config.js';
import { toTributaryError } from './errors.js';
import { q, qualified } from './naming.js';

/** What `system_schema` says about an existing table. */
export interface TableInfo {
  /** Column name → CQL type as the server spells it (`bigint`, `list<text>`…). */
  readonly columns: Map<string, string>;
  /** Partition key columns, in order. */
  readonly partitionKey: string[];
  readonly clusteringKey: string[];
}

export interface ColumnDef {
  readonly name: string;
  readonly type: string;
}

/** The replication map of keyspaces this connector creates. */
export function replicationClause(
  config: Pick<CqlConfig, 'replication' | 'replication_strategy' | 'datacenters'>,
): string {
  if (config.replication_strategy === 'NetworkTopologyStrategy') {
    const factors = parseDatacenterFactors(config.datacenters ?? '');
    const entries = Object.entries(factors).map(([dc, n]) => `'${dc.replace(/'/g, "''")}': ${n}`);
    return `{'class': 'NetworkTopologyStrategy', ${entries.join(', ')}}`;
  }
  return `{'class': 'SimpleStrategy', 'replication_factor': ${config.replication}}`;
}

export async function keyspaceExists(client: cassandra.Client, keyspace: string): Promise<boolean> {
  const rs = await client.execute(
    'SELECT keyspace_name FROM system_schema.keyspaces WHERE keyspace_name = ?',
    [keyspace],
    { prepare: true },
  );
  return rs.rowLength > 0;
}

/**
 * Creates the keyspace unless it exists. Existence is checked first: `CREATE ... IF NOT EXISTS`
 * needs the CREATE permission even when the keyspace is there, and users often get a keyspace
 * made for them.
 */
export async function ensureKeyspace(
  client: cassandra.Client,
  keyspace: string,
  config: CqlConfig,
  logger?: Logger,
): Promise<void> {
  try {
    if (await keyspaceExists(client, keyspace)) return;
    await client.execute(
      `CREATE KEYSPACE IF NOT EXISTS ${q(keyspace)} WITH replication = ${replicationClause(config)} AND durable_writes = true`,
    );
    logger?.info(`created keyspace ${keyspace}`);
  } catch (err) {
    throw toTributaryError(err, `creating keyspace ${keyspace}`, { tls: !!config.tls?.enabled });
  }
}

export async function readTable(
  client: cassandra.Client,
  keyspace: string,
  table: string,
): Promise<TableInfo | null> {
  const rs = await client.execute(
    'SELECT column_name, type, kind, position FROM system_schema.columns WHERE keyspace_name = ? AND table_name = ?',
    [keyspace, table],
    { prepare: true },
  );
  if (rs.rowLength === 0) return null;
  const columns = new Map<string, string>();
  const pk: Array<[number, string]> = [];
  const ck: Array<[number, string]> = [];
  for (const row of rs.rows) {
    const name = row.get('column_name') as string;
    columns.set(name, String(row.get('type')));
    const kind = row.get('kind') as string;
    const position = Number(row.get('position'));
    if (kind === 'partition_key') pk.push([position, name]);
    else if (kind === 'clustering') ck.push([position, name]);
  }
  const byPosition = (a: [number, string], b: [number, string]) => a[0] - b[0];
  return {
    columns,
    partitionKey: pk.sort(byPosition).map(([, n]) => n),
    clusteringKey: ck.sort(byPosition).map(([, n]) => n),
  };
}

export function createTableCql(
  keyspace: string,
  table: string,
  columns: readonly ColumnDef[],
  key: readonly string[],
): string {
  const cols = columns.map((c) => `${q(c.name)} ${c.type}`).join(', ');
  return `CREATE TABLE IF NOT EXISTS ${qualified(keyspace, table)} (${cols}, PRIMARY KEY ((${key.map(q).join(', ')})))`;
}

/**
 * Makes sure the table exists with at least the wanted columns: creates it, or adds the missing
 * columns with ALTER TABLE ADD. Existing columns keep their types (values are coerced to them).
 * Returns what the server has afterwards.
 */
export async function ensureTable(
  client: cassandra.Client,
  keyspace: string,
  table: string,
  wanted: readonly ColumnDef[],
  key: readonly string[],
  logger?: Logger,
): Promise<{ info: TableInfo; created: boolean; added: string[] }> {
  let info = await readTable(client, keyspace, table);
  let created = false;
  if (info === null) {
    await client.execute(createTableCql(keyspace, table, wanted, key));
    created = true;
    logger?.info(`created table ${keyspace}.${table} with key (${key.join(', ')})`);
    info = await readTable(client, keyspace, table);
    if (info === null) throw new Error(`table ${keyspace}.${table} is not visible after CREATE TABLE`);
  }
  const missing = wanted.filter((c) => !info!.columns.has(c.name));
  const added: string[] = [];
  for (const c of missing) {
    try {
      await client.execute(`ALTER TABLE ${qualified(keyspace, table)} ADD ${q(c.name)} ${c.type}`);
      added.push(c.name);
    } catch (err) {
      // Another writer may have added it meanwhile; anything else is a real failure.
      if (!/already exist|conflicts with an existing column/i.test(String((err as Error).message))) throw err;
    }
  }
  if (added.length > 0) {
    logger?.info(`table ${keyspace}.${table}: added column(s) ${added.join(', ')}`);
  }
  if (missing.length > 0) {
    info = (await readTable(client, keyspace, table)) ?? info;
  }
  return { info, created, added };
}
