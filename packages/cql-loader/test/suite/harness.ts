// Test helpers shared by the destination-cassandra and destination-scylla suites: run the real bin
// as a child process, build messages and catalogs, read rows back with cassandra-driver.
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import {
  type CassandraEndpoint,
  type ConnectorRun,
  cassandraClient,
  type RunConnectorOptions,
  recordMessage,
  runConnector,
  type StreamStatus,
  streamStatusMessage,
  tempDir,
  writeJsonFile,
  requireEndpoint,
} from '@tributary/testkit';
import type cassandra from 'cassandra-driver';

export type Json = Record<string, unknown>;

export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  lines: Json[];
  states: Json[];
  traces: Json[];
  logs: string[];
  stderr: string;
}

export function endpoint(): CassandraEndpoint {
  return requireEndpoint('cassandra');
}

/** A fresh keyspace name per test, so tests never see each other's tables. */
export function uniqueKeyspace(prefix: string): string {
  return `${prefix}_${randomBytes(4).toString('hex')}`.toLowerCase();
}

/** A config for the endpoint; `extra` overrides (e.g. `layout`). */
export function configFor(e: CassandraEndpoint, keyspace: string, extra: Json = {}): Json {
  const config: Json = {
    keyspace,
    address: e.contactPoints.join(','),
    port: e.port,
    datacenter: e.localDataCenter,
    replication: 1,
    consistency: 'ONE',
  };
  if (e.username !== undefined) {
    config.username = e.username;
    config.password = e.password ?? '';
  }
  if (e.tls) config.tls = { enabled: true, ca_certificate: e.tls.caPem };
  return { ...config, ...extra };
}

function writeFiles(config?: Json, catalog?: Json): { dir: string; config: string; catalog: string } {
  const dir = tempDir('cql-test-');
  const paths = { dir, config: join(dir, 'config.json'), catalog: join(dir, 'catalog.json') };
  if (config) writeJsonFile(dir, 'config.json', config);
  if (catalog) writeJsonFile(dir, 'catalog.json', catalog);
  return paths;
}

function result(run: ConnectorRun): RunResult {
  return {
    code: run.code,
    signal: run.signal,
    lines: run.lines,
    states: run.states(),
    traces: run.traces(),
    logs: run.logs(),
    stderr: run.stderr,
  };
}

/** Runs `spec` or `check`. */
export async function runCommand(bin: string, command: 'spec' | 'check', config?: Json): Promise<RunResult> {
  const files = writeFiles(config);
  const args = command === 'spec' ? ['spec'] : ['check', '--config', files.config];
  return result(await runConnector({ command: [process.execPath, bin], args, nonJson: 'keep' }));
}

export interface WriteOptions {
  /** SIGKILL the process once this many STATE messages came out (input is then left unfinished). */
  killAfterStates?: number;
  /** Feed the input slowly (and close it at the end); called for each STATE that comes out (until a kill). */
  onState?: (count: number) => void;
}

/** Runs `write` with the messages on stdin (each an object or a raw line). */
export async function runWrite(
  bin: string,
  config: Json,
  catalog: Json,
  messages: Iterable<Json | string>,
  opts: WriteOptions = {},
): Promise<RunResult> {
  const files = writeFiles(config, catalog);
  const lines: string[] = [];
  for (const m of messages) lines.push(typeof m === 'string' ? m : JSON.stringify(m));
  const { killAfterStates, onState } = opts;
  const run = (input: string | string[], more: Partial<RunConnectorOptions> = {}) =>
    runConnector({
      command: [process.execPath, bin],
      args: ['write', '--config', files.config, '--catalog', files.catalog],
      input,
      nonJson: 'keep',
      ...more,
    });
  if (killAfterStates === undefined && onState === undefined) {
    return result(await run(lines.length ? `${lines.join('\n')}\n` : ''));
  }
  // Trickle the input so a kill or a failure lands mid-sync. When killing, never close stdin:
  // the process must die, not finish.
  const pieces: string[] = [];
  for (let i = 0; i < lines.length; i += 200) pieces.push(`${lines.slice(i, i + 200).join('\n')}\n`);
  let states = 0;
  return result(
    await run(pieces, {
      pauseMs: 5,
      keepStdinOpen: killAfterStates !== undefined,
      killWhen: (_all, line) => {
        if (line.type !== 'STATE') return false;
        states++;
        onState?.(states);
        return killAfterStates !== undefined && states >= killAfterStates ? 'SIGKILL' : false;
      },
    }),
  );
}

// ---- messages ----

export function record(
  stream: string,
  data: Json,
  opts: { namespace?: string; emittedAt?: number; meta?: Json } = {},
): Json {
  return recordMessage(stream, data, { ...opts, emittedAt: opts.emittedAt ?? Date.now() });
}

export { globalStateMessage as globalState, streamStateMessage as streamState } from '@tributary/testkit';

export function legacyState(data: unknown): Json {
  return { type: 'STATE', state: { data } };
}

export function streamStatus(stream: string, status: StreamStatus, namespace?: string): Json {
  return streamStatusMessage(stream, status, { namespace });
}

export interface StreamDef {
  name: string;
  namespace?: string;
  schema: Json;
  mode?: 'append' | 'overwrite' | 'append_dedup';
  primaryKey?: string[][];
  cursor?: string[];
  generationId?: number;
  minimumGenerationId?: number;
  syncId?: number;
}

export function catalogOf(streams: StreamDef[]): Json {
  return {
    streams: streams.map((s) => {
      const stream: Json = {
        name: s.name,
        json_schema: s.schema,
        supported_sync_modes: ['full_refresh', 'incremental'],
      };
      if (s.namespace !== undefined) stream.namespace = s.namespace;
      const c: Json = {
        stream,
        sync_mode: s.mode === 'overwrite' ? 'full_refresh' : 'incremental',
        destination_sync_mode: s.mode ?? 'append',
      };
      if (s.primaryKey) c.primary_key = s.primaryKey;
      if (s.cursor) c.cursor_field = s.cursor;
      if (s.generationId !== undefined) c.generation_id = s.generationId;
      if (s.minimumGenerationId !== undefined) c.minimum_generation_id = s.minimumGenerationId;
      if (s.syncId !== undefined) c.sync_id = s.syncId;
      return c;
    }),
  };
}

// ---- reading back ----

export function newClient(e: CassandraEndpoint = endpoint()): cassandra.Client {
  return cassandraClient(e);
}

export async function tableExists(
  client: cassandra.Client,
  keyspace: string,
  table: string,
): Promise<boolean> {
  const rs = await client.execute(
    'SELECT table_name FROM system_schema.tables WHERE keyspace_name = ? AND table_name = ?',
    [keyspace, table],
    { prepare: true },
  );
  return rs.rowLength > 0;
}

export async function columnsOf(
  client: cassandra.Client,
  keyspace: string,
  table: string,
): Promise<Record<string, string>> {
  const rs = await client.execute(
    'SELECT column_name, type FROM system_schema.columns WHERE keyspace_name = ? AND table_name = ?',
    [keyspace, table],
    { prepare: true },
  );
  return Object.fromEntries(rs.rows.map((r) => [r.get('column_name') as string, String(r.get('type'))]));
}

/** Every row of a table as plain objects (driver types turned into JSON-friendly values). */
export async function rowsOf(client: cassandra.Client, keyspace: string, table: string): Promise<Json[]> {
  const out: Json[] = [];
  const query = `SELECT * FROM "${keyspace}"."${table.replace(/"/g, '""')}"`;
  let pageState: string | undefined;
  do {
    const rs = await client.execute(query, [], { fetchSize: 5000, ...(pageState ? { pageState } : {}) });
    for (const row of rs.rows) {
      const o: Json = {};
      for (const k of row.keys()) o[k] = plain(row.get(k));
      out.push(o);
    }
    pageState = rs.pageState ?? undefined;
  } while (pageState);
  return out;
}

function plain(v: unknown): unknown {
  if (v === null || v === undefined) return null;
  if (v instanceof Date) return v.toISOString();
  if (Array.isArray(v)) return v.map(plain);
  if (typeof v === 'object') {
    const ctor = (v as { constructor?: { name?: string } }).constructor?.name;
    if (ctor === 'Object')
      return Object.fromEntries(Object.entries(v as Json).map(([k, x]) => [k, plain(x)]));
    return String(v);
  }
  return v;
}

/** Raw layout: the records' data, ordered by emitted_at then JSON. */
export async function rawDataOf(client: cassandra.Client, keyspace: string, table: string): Promise<Json[]> {
  const rows = await rowsOf(client, keyspace, table);
  return rows
    .sort(
      (a, b) =>
        String(a._airbyte_emitted_at).localeCompare(String(b._airbyte_emitted_at)) ||
        String(a._airbyte_data).localeCompare(String(b._airbyte_data)),
    )
    .map((r) => JSON.parse(String(r._airbyte_data)) as Json);
}

/** Sorts objects by their JSON, for order-free comparisons. */
export function sortByJson<T>(items: T[]): T[] {
  return [...items].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
}
