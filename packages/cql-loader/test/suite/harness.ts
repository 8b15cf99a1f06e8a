// Test helpers shared by the destination-cassandra and destination-scylla suites: run the real bin
// as a child process, build messages and catalogs, read rows back with cassandra-driver.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type CassandraEndpoint, cassandraClient, endpointFromEnv } from '@tributary/testkit';
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
  const e = endpointFromEnv('cassandra');
  if (!e)
    throw new Error(
      'no Cassandra endpoint: run through jest globalSetup (testkit) or set CASSANDRA_CONTACT_POINTS',
    );
  return e;
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
  const dir = mkdtempSync(join(tmpdir(), 'cql-test-'));
  const paths = { dir, config: join(dir, 'config.json'), catalog: join(dir, 'catalog.json') };
  if (config) writeFileSync(paths.config, JSON.stringify(config));
  if (catalog) writeFileSync(paths.catalog, JSON.stringify(catalog));
  return paths;
}

function collect(child: ChildProcess, onLine?: (line: Json, all: Json[]) => void): Promise<RunResult> {
  const lines: Json[] = [];
  let tail = '';
  let stderr = '';
  child.stdout!.on('data', (buf: Buffer) => {
    const text = tail + buf.toString('utf8');
    const parts = text.split('\n');
    tail = parts.pop() ?? '';
    for (const p of parts) {
      if (!p.trim()) continue;
      let parsed: Json;
      try {
        parsed = JSON.parse(p) as Json;
      } catch {
        parsed = { type: 'NOT_JSON', text: p };
      }
      lines.push(parsed);
      onLine?.(parsed, lines);
    }
  });
  child.stderr!.on('data', (buf: Buffer) => {
    stderr += buf.toString('utf8');
  });
  return new Promise((resolve) => {
    child.on('close', (code, signal) => {
      resolve({
        code,
        signal,
        lines,
        states: lines.filter((l) => l.type === 'STATE').map((l) => l.state as Json),
        traces: lines.filter((l) => l.type === 'TRACE').map((l) => l.trace as Json),
        logs: lines.filter((l) => l.type === 'LOG').map((l) => String((l.log as Json).message)),
        stderr,
      });
    });
  });
}

/** Runs `spec` or `check`. */
export async function runCommand(bin: string, command: 'spec' | 'check', config?: Json): Promise<RunResult> {
  const files = writeFiles(config);
  const args = command === 'spec' ? ['spec'] : ['check', '--config', files.config];
  const child = spawn(process.execPath, [bin, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  return collect(child);
}

export interface WriteOptions {
  /** SIGKILL the process once this many STATE messages came out (input is then left unfinished). */
  killAfterStates?: number;
  /** Feed the input slowly (and close it at the end); called for each STATE that comes out. */
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
  const child = spawn(
    process.execPath,
    [bin, 'write', '--config', files.config, '--catalog', files.catalog],
    {
      stdio: ['pipe', 'pipe', 'pipe'],
    },
  );
  let killed = false;
  let states = 0;
  const done = collect(child, (line, all) => {
    if (line.type === 'STATE') opts.onState?.(++states);
    if (opts.killAfterStates !== undefined && !killed && line.type === 'STATE') {
      if (all.filter((l) => l.type === 'STATE').length >= opts.killAfterStates) {
        killed = true;
        child.kill('SIGKILL');
      }
    }
  });
  const stdin = child.stdin!;
  stdin.on('error', () => undefined); // EPIPE after a kill
  const lines: string[] = [];
  for (const m of messages) lines.push(typeof m === 'string' ? m : JSON.stringify(m));
  let exited = false;
  child.on('exit', () => {
    exited = true;
  });
  if (opts.killAfterStates === undefined && opts.onState === undefined) {
    stdin.end(lines.length ? `${lines.join('\n')}\n` : '');
  } else {
    // Trickle the input so a kill or a failure lands mid-sync. When killing, never close stdin:
    // the process must die, not finish.
    void (async () => {
      for (let i = 0; i < lines.length && !killed && !exited; i += 200) {
        if (!stdin.write(`${lines.slice(i, i + 200).join('\n')}\n`))
          await new Promise((r) => stdin.once('drain', r));
        await new Promise((r) => setTimeout(r, 5));
      }
      if (opts.killAfterStates === undefined && !exited) stdin.end();
    })();
  }
  return done;
}

// ---- messages ----

export function record(
  stream: string,
  data: Json,
  opts: { namespace?: string; emittedAt?: number; meta?: Json } = {},
): Json {
  const r: Json = { stream, data, emitted_at: opts.emittedAt ?? Date.now() };
  if (opts.namespace !== undefined) r.namespace = opts.namespace;
  if (opts.meta) r.meta = opts.meta;
  return { type: 'RECORD', record: r };
}

export function streamState(stream: string, state: unknown, namespace?: string): Json {
  const descriptor: Json = { name: stream };
  if (namespace !== undefined) descriptor.namespace = namespace;
  return {
    type: 'STATE',
    state: { type: 'STREAM', stream: { stream_descriptor: descriptor, stream_state: state } },
  };
}

export function globalState(shared: unknown): Json {
  return { type: 'STATE', state: { type: 'GLOBAL', global: { shared_state: shared, stream_states: [] } } };
}

export function legacyState(data: unknown): Json {
  return { type: 'STATE', state: { data } };
}

export function streamStatus(
  stream: string,
  status: 'STARTED' | 'RUNNING' | 'COMPLETE' | 'INCOMPLETE',
  namespace?: string,
): Json {
  const descriptor: Json = { name: stream };
  if (namespace !== undefined) descriptor.namespace = namespace;
  return {
    type: 'TRACE',
    trace: {
      type: 'STREAM_STATUS',
      emitted_at: Date.now(),
      stream_status: { stream_descriptor: descriptor, status },
    },
  };
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
