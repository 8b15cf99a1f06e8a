import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CdcLogWriter, type WriterOptions } from '@tributary/scylla-cdc-log-writer';
import { type CassandraEndpoint, cassandraClientOptions, endpointFromEnv } from '@tributary/testkit';
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

export interface Message {
  type: string;
  [k: string]: any;
}

export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  messages: Message[];
  stderr: string;
}

export interface RunOptions {
  catalog?: unknown;
  state?: unknown;
  /** Called for each message; returning true sends SIGKILL. */
  killWhen?: (m: Message, all: Message[]) => boolean;
  /** Sends `signal` (after `delayMs`) once `when` returns true. */
  signal?: { when: (m: Message) => boolean; signal: NodeJS.Signals; delayMs?: number };
  timeoutMs?: number;
  env?: Record<string, string>;
}

/** Runs the real bin (`node dist/bin.js <command> --config ...`) and collects its messages. */
export function runBin(command: string, config: unknown, opts: RunOptions = {}): Promise<RunResult> {
  const dir = mkdtempSync(join(tmpdir(), 'scylla-cdc-'));
  const args = [binPath, command];
  if (command !== 'spec') {
    writeFileSync(join(dir, 'config.json'), JSON.stringify(config));
    args.push('--config', join(dir, 'config.json'));
  }
  if (opts.catalog !== undefined) {
    writeFileSync(join(dir, 'catalog.json'), JSON.stringify(opts.catalog));
    args.push('--catalog', join(dir, 'catalog.json'));
  }
  if (opts.state !== undefined) {
    writeFileSync(join(dir, 'state.json'), JSON.stringify(opts.state));
    args.push('--state', join(dir, 'state.json'));
  }
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, {
      env: { ...process.env, ...opts.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const messages: Message[] = [];
    let buf = '';
    let stderr = '';
    let killed = false;
    let signalled = false;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(
        new Error(`${command} timed out; last messages: ${JSON.stringify(messages.slice(-5))}\n${stderr}`),
      );
    }, opts.timeoutMs ?? 90_000);
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      buf += chunk;
      let i = buf.indexOf('\n');
      while (i >= 0) {
        const line = buf.slice(0, i);
        buf = buf.slice(i + 1);
        i = buf.indexOf('\n');
        if (line.trim() === '') continue;
        const m = JSON.parse(line) as Message;
        messages.push(m);
        if (!killed && opts.killWhen?.(m, messages)) {
          killed = true;
          child.kill('SIGKILL');
        }
        if (!signalled && opts.signal?.when(m)) {
          signalled = true;
          const { signal, delayMs } = opts.signal;
          setTimeout(() => child.kill(signal), delayMs ?? 0);
        }
      }
    });
    child.stderr.on('data', (d) => {
      stderr += String(d);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, messages, stderr });
    });
  });
}

export const records = (r: RunResult) => r.messages.filter((m) => m.type === 'RECORD').map((m) => m.record);
export const states = (r: RunResult) => r.messages.filter((m) => m.type === 'STATE').map((m) => m.state);
export const logs = (r: RunResult) =>
  r.messages.filter((m) => m.type === 'LOG').map((m) => m.log.message as string);

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
