import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import {
  DeleteTableCommand,
  type DynamoDBClient,
  ListTablesCommand,
  ScanCommand,
} from '@aws-sdk/client-dynamodb';
import {
  type ConnectorRun,
  dynamoDbClient,
  type Message,
  requireEndpoint,
  runConnector,
  tempDir,
  writeJsonFile,
} from '@tributary/testkit';
import { type AttributeValue, fromAttributeValue } from '../src/item-mapping/attribute-value.js';

export const BIN = join(import.meta.dirname, '..', 'dist', 'bin.js');

export function endpoint(): string {
  return requireEndpoint('dynamodb').endpoint;
}

let client: DynamoDBClient | undefined;
export function ddb(): DynamoDBClient {
  client ??= dynamoDbClient(requireEndpoint('dynamodb'));
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

export type Run = ConnectorRun;

export interface RunOptions {
  /** Kill the process (SIGKILL unless `signal`) once this returns true for the output so far. */
  killWhen?: (lines: Message[]) => boolean;
  signal?: NodeJS.Signals;
  env?: Record<string, string | undefined>;
  /** Feed the input in pieces with pauses (input as an array of chunks). */
  chunkDelayMs?: number;
  /** Keep stdin open (no EOF) until the process is killed. */
  holdStdin?: boolean;
}

/** Runs `write` with a config object and the streams (or the path of a catalog file). */
export function runWrite(
  config: Record<string, unknown>,
  catalog: StreamDef[] | string,
  input: string | string[],
  opts: RunOptions = {},
): Promise<Run> {
  const catalogPath = typeof catalog === 'string' ? catalog : catalogFile(catalog);
  return runBin(['write', '--config', configFile(config), '--catalog', catalogPath], input, opts);
}

/** Runs the real bin with `args`, feeding `input` on stdin; resolves with every stdout line parsed. */
export function runBin(args: string[], input: string | string[] = '', opts: RunOptions = {}): Promise<Run> {
  const { killWhen } = opts;
  return runConnector({
    command: [process.execPath, BIN],
    args,
    input,
    // No EC2 metadata lookups for credentials: nothing answers them here.
    env: { AWS_EC2_METADATA_DISABLED: 'true', ...opts.env },
    pauseMs: opts.chunkDelayMs,
    keepStdinOpen: opts.holdStdin,
    killWhen: killWhen && ((lines) => (killWhen(lines) ? (opts.signal ?? 'SIGKILL') : false)),
  });
}

export const byType = (r: Run, t: string) => r.ofType(t);
export const states = (r: Run) => r.states();
export const logs = (r: Run) => r.logs();
export const traces = (r: Run) => r.traces();

export function uniquePrefix(label = 't'): string {
  const prefix = `${label}_${randomBytes(4).toString('hex')}`;
  prefixes.add(prefix);
  return prefix;
}

const dir = tempDir('dest-dynamodb-');
let fileNo = 0;

export function configFile(config: Record<string, unknown>): string {
  return writeJsonFile(dir, `config-${fileNo++}.json`, config);
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
  return writeJsonFile(dir, `catalog-${fileNo++}.json`, catalog);
}

export {
  recordLine as rec,
  streamStateLine as streamState,
  streamStatusLine as status,
} from '@tributary/testkit';

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
