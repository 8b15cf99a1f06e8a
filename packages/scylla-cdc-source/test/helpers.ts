import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CdcLogWriter, type WriterOptions } from '@tributary/scylla-cdc-log-writer';
import {
  type CassandraEndpoint,
  type ConnectorRun,
  cassandraClientOptions,
  endpointFromEnv,
  type Message,
  runConnector,
  tempDir,
  writeJsonFile,
} from '@tributary/testkit';
import cassandra from 'cassandra-driver';

export const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..');
export const binPath = join(packageDir, 'dist', 'bin.js');

export function endpoint(): CassandraEndpoint {
  const e = endpointFromEnv('cassandra');
  if (!e) throw new Error('no Cassandra endpoint in the environment (jest globalSetup starts one)');
  return e;
}

export function uniqueName(prefix: string): string {
  return `${prefix}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 6)}`;
}

export async function newWriter(systemKeyspace: string, opts: WriterOptions = {}): Promise<CdcLogWriter> {
  const w = new CdcLogWriter(cassandraClientOptions(endpoint()), { systemKeyspace, ...opts });
  await w.setup();
  return w;
}

/** A client decoding values as the reader expects. */
export function readerClient(): cassandra.Client {
  return new cassandra.Client(
    cassandraClientOptions(endpoint(), {
      encoding: { map: Map, set: Set, useBigIntAsLong: true, useBigIntAsVarint: true },
    }),
  );
}

export async function createKeyspace(client: cassandra.Client, ks: string): Promise<void> {
  await client.execute(
    `CREATE KEYSPACE IF NOT EXISTS ${ks} WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}`,
  );
}

/** Drops a table and its log (a fresh start for tests that use fixed names, like the seed's ks.t). */
export async function dropTable(client: cassandra.Client, ks: string, table: string): Promise<void> {
  await client.execute(`DROP TABLE IF EXISTS ${ks}.${table}_scylla_cdc_log`);
  await client.execute(`DROP TABLE IF EXISTS ${ks}.${table}`);
}

/** Source config for the local server and an emulated system keyspace. */
export function sourceConfig(systemKeyspace: string, tables: string, extra: Record<string, unknown> = {}) {
  const e = endpoint();
  const config: Record<string, unknown> = {
    'topic.prefix': 'MyScyllaCluster',
    'scylla.cluster.ip.addresses': e.contactPoints.map((h) => `${h}:${e.port}`).join(','),
    'scylla.table.names': tables,
    'scylla.local.dc': e.localDataCenter,
    'scylla.consistency.level': 'ONE',
    'scylla.confidence.window.size': 300,
    'tributary.idle.poll.interval.ms': 200,
    'tributary.system.keyspace': systemKeyspace,
    'tributary.read.until': 'now',
    ...extra,
  };
  if (e.username !== undefined) {
    config['scylla.user'] = e.username;
    config['scylla.password'] = e.password ?? '';
  }
  return config;
}

export function catalogFor(tables: string[]) {
  return {
    streams: tables.map((t) => {
      const [namespace, name] = t.split('.') as [string, string];
      return {
        stream: { name, namespace, json_schema: {}, supported_sync_modes: ['incremental'] },
        sync_mode: 'incremental',
        destination_sync_mode: 'append',
      };
    }),
  };
}

export type { Message } from '@tributary/testkit';

export interface RunResult extends ConnectorRun {
  /** Every stdout message, in order (the same array as `lines`). */
  messages: Message[];
}

export interface RunOptions {
  catalog?: unknown;
  state?: unknown;
  /** Called for each message until it answers: true sends SIGKILL, a signal name sends that signal. */
  killWhen?: (m: Message, all: Message[]) => boolean | NodeJS.Signals;
  /** Wait this long before sending what `killWhen` answered. */
  killDelayMs?: number;
  timeoutMs?: number;
  env?: Record<string, string>;
}

/** Runs the real bin (`node dist/bin.js <command> --config ...`) and collects its messages. */
export async function runBin(command: string, config: unknown, opts: RunOptions = {}): Promise<RunResult> {
  const dir = tempDir('scylla-cdc-');
  const args = [command];
  if (command !== 'spec') args.push('--config', writeJsonFile(dir, 'config.json', config));
  if (opts.catalog !== undefined) args.push('--catalog', writeJsonFile(dir, 'catalog.json', opts.catalog));
  if (opts.state !== undefined) args.push('--state', writeJsonFile(dir, 'state.json', opts.state));
  const { killWhen } = opts;
  const run = await runConnector({
    command: [process.execPath, binPath],
    args,
    env: opts.env,
    killWhen: killWhen && ((all, m) => killWhen(m, all)),
    killDelayMs: opts.killDelayMs,
    timeoutMs: opts.timeoutMs ?? 90_000,
  });
  return { ...run, messages: run.lines };
}

export const records = (r: RunResult) => r.records();
export const states = (r: RunResult) => r.states();
export const logs = (r: RunResult) => r.logs();

/** The last STATE of each stream, as a --state file. */
export function lastStates(messages: Message[]): unknown[] {
  const byStream = new Map<string, unknown>();
  for (const m of messages) {
    if (m.type !== 'STATE') continue;
    const d = m.state.stream.stream_descriptor;
    byStream.set(`${d.namespace}.${d.name}`, m.state);
  }
  return [...byStream.values()];
}

/** An event payload without what varies from run to run (times and our version). */
export function normalize(data: any): any {
  const out = structuredClone(data);
  delete out._key;
  if (out.source) {
    out.source.ts_ms = 0;
    out.source.ts_us = 0;
    out.source.version = 'X';
  }
  if ('ts_ms' in out) out.ts_ms = 0;
  return out;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
