import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DeleteTableCommand,
  type DynamoDBClient,
  ListTablesCommand,
  ScanCommand,
} from '@aws-sdk/client-dynamodb';
import { dynamoDbClient, endpointFromEnv } from '@tributary/testkit';
import { type AttributeValue, fromAttributeValue } from '../src/item-mapping/attribute-value.js';

export const BIN = join(import.meta.dirname, '..', 'dist', 'bin.js');

export function endpoint(): string {
  const e = endpointFromEnv('dynamodb');
  if (!e) throw new Error('DYNAMODB_ENDPOINT is not set (the jest global setup starts DynamoDB Local)');
  return e.endpoint;
}

let client: DynamoDBClient | undefined;
export function ddb(): DynamoDBClient {
  client ??= dynamoDbClient(endpointFromEnv('dynamodb')!);
  return client;
}
const prefixes = new Set<string>();

/** Drops the tables of every prefix this test file made (DynamoDB Local keeps them in memory), then closes the client. */
export async function closeDdb(): Promise<void> {
  if (prefixes.size > 0) {
    for (const prefix of prefixes) {
      for (const table of await tablesWithPrefix(prefix)) {
        await ddb()
          .send(new DeleteTableCommand({ TableName: table }))
          .catch(() => undefined);
      }
    }
    prefixes.clear();
  }
  client?.destroy();
  client = undefined;
}

export interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  lines: Array<Record<string, any>>;
  stderr: string;
}

export interface RunOptions {
  /** Kill the process (SIGKILL unless `signal`) once this returns true for the output so far. */
  killWhen?: (lines: Array<Record<string, any>>) => boolean;
  signal?: NodeJS.Signals;
  env?: Record<string, string | undefined>;
  /** Feed the input in pieces with pauses (input as an array of chunks). */
  chunkDelayMs?: number;
  /** Keep stdin open (no EOF) until the process is killed. */
  holdStdin?: boolean;
}

/** Runs the real bin with `args`, feeding `input` on stdin; resolves with every stdout line parsed. */
export function runBin(args: string[], input: string | string[] = '', opts: RunOptions = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const env = { ...process.env, ...opts.env };
    for (const [k, v] of Object.entries(opts.env ?? {})) if (v === undefined) delete env[k];
    const child = spawn(process.execPath, [BIN, ...args], { stdio: ['pipe', 'pipe', 'pipe'], env });
    let out = '';
    let stderr = '';
    const lines: Array<Record<string, any>> = [];
    let killed = false;
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
      for (let i = out.indexOf('\n'); i >= 0; i = out.indexOf('\n')) {
        const line = out.slice(0, i);
        out = out.slice(i + 1);
        if (line.trim()) lines.push(JSON.parse(line));
      }
      if (!killed && opts.killWhen?.(lines)) {
        killed = true;
        child.kill(opts.signal ?? 'SIGKILL');
      }
    });
    child.stderr.setEncoding('utf8').on('data', (c: string) => {
      stderr += c;
    });
    child.stdin.on('error', () => undefined); // EPIPE after a kill
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, lines, stderr }));
    const chunks = Array.isArray(input) ? input : [input];
    const feed = async () => {
      for (const c of chunks) {
        if (killed) return;
        if (!child.stdin.write(c)) await new Promise((r) => child.stdin.once('drain', r));
        if (opts.chunkDelayMs) await new Promise((r) => setTimeout(r, opts.chunkDelayMs));
      }
      if (!opts.holdStdin) child.stdin.end();
    };
    feed().catch(() => undefined);
  });
}

export const byType = (r: Run, t: string) => r.lines.filter((l) => l.type === t);
export const states = (r: Run) => byType(r, 'STATE').map((l) => l.state);
export const logs = (r: Run) => byType(r, 'LOG').map((l) => l.log.message as string);
export const traces = (r: Run) => byType(r, 'TRACE').map((l) => l.trace);

export function uniquePrefix(label = 't'): string {
  const prefix = `${label}_${randomBytes(4).toString('hex')}`;
  prefixes.add(prefix);
  return prefix;
}

const dir = mkdtempSync(join(tmpdir(), 'dest-dynamodb-'));
let fileNo = 0;

export function configFile(config: Record<string, unknown>): string {
  const p = join(dir, `config-${fileNo++}.json`);
  writeFileSync(p, JSON.stringify(config));
  return p;
}

/** A config for DynamoDB Local under a fresh table prefix. */
export function baseConfig(prefix: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    dynamodb_endpoint: endpoint(),
    dynamodb_table_name_prefix: prefix,
    dynamodb_region: 'us-east-1',
    access_key_id: 'tributary',
    secret_access_key: 'tributarysecret',
    layout: 'typed',
    ...extra,
  };
}

export interface StreamDef {
  name: string;
  namespace?: string;
  mode?: 'append' | 'overwrite' | 'append_dedup';
  properties?: Record<string, unknown>;
  primaryKey?: string[][];
  cursor?: string[];
  generationId?: number;
  minimumGenerationId?: number;
  syncId?: number;
}

export function catalogFile(streams: StreamDef[]): string {
  const catalog = {
    streams: streams.map((s) => ({
      stream: {
        name: s.name,
        ...(s.namespace !== undefined ? { namespace: s.namespace } : {}),
        json_schema: { type: 'object', properties: s.properties ?? {} },
        supported_sync_modes: ['full_refresh', 'incremental'],
      },
      sync_mode: s.mode === 'append_dedup' ? 'incremental' : 'full_refresh',
      destination_sync_mode: s.mode ?? 'append',
      ...(s.primaryKey ? { primary_key: s.primaryKey } : {}),
      ...(s.cursor ? { cursor_field: s.cursor } : {}),
      ...(s.generationId !== undefined ? { generation_id: s.generationId } : {}),
      ...(s.minimumGenerationId !== undefined ? { minimum_generation_id: s.minimumGenerationId } : {}),
      ...(s.syncId !== undefined ? { sync_id: s.syncId } : {}),
    })),
  };
  const p = join(dir, `catalog-${fileNo++}.json`);
  writeFileSync(p, JSON.stringify(catalog));
  return p;
}

export const rec = (stream: string, data: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
  `${JSON.stringify({ type: 'RECORD', record: { stream, data, emitted_at: 1_700_000_000_000, ...extra } })}\n`;

export const streamState = (stream: string, state: unknown, namespace?: string) =>
  `${JSON.stringify({
    type: 'STATE',
    state: {
      type: 'STREAM',
      stream: {
        stream_descriptor: { name: stream, ...(namespace ? { namespace } : {}) },
        stream_state: state,
      },
    },
  })}\n`;

export const status = (stream: string, s: 'STARTED' | 'COMPLETE' | 'INCOMPLETE', namespace?: string) =>
  `${JSON.stringify({
    type: 'TRACE',
    trace: {
      type: 'STREAM_STATUS',
      emitted_at: Date.now(),
      stream_status: { stream_descriptor: { name: stream, ...(namespace ? { namespace } : {}) }, status: s },
    },
  })}\n`;

/** Every item of a table as plain JSON. */
export async function scanTable(table: string): Promise<Array<Record<string, any>>> {
  const items: Array<Record<string, any>> = [];
  let start: Record<string, any> | undefined;
  do {
    const out = await ddb().send(
      new ScanCommand({
        TableName: table,
        ConsistentRead: true,
        ...(start ? { ExclusiveStartKey: start } : {}),
      }),
    );
    for (const item of out.Items ?? []) {
      items.push(fromAttributeValue({ M: item as Record<string, AttributeValue> }) as Record<string, any>);
    }
    start = out.LastEvaluatedKey;
  } while (start);
  return items;
}

export async function tablesWithPrefix(prefix: string): Promise<string[]> {
  const names: string[] = [];
  let start: string | undefined;
  do {
    const out = await ddb().send(
      new ListTablesCommand({ ...(start ? { ExclusiveStartTableName: start } : {}) }),
    );
    names.push(...(out.TableNames ?? []).filter((n) => n.startsWith(prefix)));
    start = out.LastEvaluatedTableName;
  } while (start);
  return names.sort();
}

/** Data fields of typed items (metadata attributes removed), sorted by `key`. */
export function dataOf(items: Array<Record<string, any>>, sortKey?: string): Array<Record<string, any>> {
  const out = items.map((i) => {
    const copy: Record<string, any> = {};
    for (const [k, v] of Object.entries(i)) if (!k.startsWith('_airbyte_')) copy[k] = v;
    return copy;
  });
  if (sortKey) out.sort((a, b) => (a[sortKey] < b[sortKey] ? -1 : a[sortKey] > b[sortKey] ? 1 : 0));
  return out;
}
