import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DeleteStreamCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type KinesisClient,
  ListShardsCommand,
  ListStreamsCommand,
} from '@aws-sdk/client-kinesis';
import { endpointFromEnv, kinesisClient } from '@tributary/testkit';

export const BIN = join(import.meta.dirname, '..', 'dist', 'bin.js');

/** The emulator the jest global setup started (or KINESIS_ENDPOINT named). */
export function endpoint(): string {
  const e = endpointFromEnv('kinesis');
  if (!e) throw new Error('KINESIS_ENDPOINT is not set (the jest global setup starts kinesis-local)');
  return e.endpoint;
}

/**
 * kinesis-mock keeps a separate set of streams per account, chosen by a 12-digit access key id.
 * Each test file uses its own account, so it can list and delete exactly the streams it made.
 */
export function accountKey(n: number): string {
  return String(n).padStart(12, '0');
}

export function client(account: string, endpointUrl = endpoint()): KinesisClient {
  return kinesisClient(
    { endpoint: endpointUrl, region: 'us-east-1', accessKeyId: account, secretAccessKey: 'secret' },
    { maxAttempts: 5 },
  );
}

export interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  lines: Array<Record<string, any>>;
  stderr: string;
  ms: number;
}

export interface RunOptions {
  /** Kill the process (SIGKILL) once this returns true for the output so far. */
  killWhen?: (lines: Array<Record<string, any>>) => boolean;
  /** Feed the input in pieces with a pause after each. */
  chunkDelayMs?: number;
  /** Keep stdin open until the process is killed. */
  holdStdin?: boolean;
  /** Before writing chunk i, wait until `gates[i]` holds for the output so far. */
  gates?: Array<((lines: Array<Record<string, any>>) => boolean) | undefined>;
}

/** Runs the real bin, feeding `input` on stdin; resolves with every stdout line parsed. */
export function runBin(args: string[], input: string | string[] = '', opts: RunOptions = {}): Promise<Run> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let stderr = '';
    const lines: Array<Record<string, any>> = [];
    let killed = false;
    let wake: (() => void) | null = null;
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
      for (let i = out.indexOf('\n'); i >= 0; i = out.indexOf('\n')) {
        const line = out.slice(0, i);
        out = out.slice(i + 1);
        if (line.trim()) lines.push(JSON.parse(line));
      }
      if (!killed && opts.killWhen?.(lines)) {
        killed = true;
        child.kill('SIGKILL');
      }
      wake?.();
    });
    child.stderr.setEncoding('utf8').on('data', (c: string) => {
      stderr += c;
    });
    child.stdin.on('error', () => undefined);
    child.on('error', reject);
    let closed = false;
    child.on('close', (code, signal) => {
      closed = true;
      wake?.();
      resolve({ code, signal, lines, stderr, ms: Date.now() - started });
    });
    const chunks = Array.isArray(input) ? input : [input];
    const feed = async () => {
      for (const [i, c] of chunks.entries()) {
        const gate = opts.gates?.[i];
        while (gate && !gate(lines) && !closed) {
          await new Promise<void>((r) => {
            wake = r;
          });
          wake = null;
        }
        if (killed || closed) return;
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
export const errors = (r: Run) =>
  traces(r)
    .filter((t) => t.type === 'ERROR')
    .map((t) => t.error);

const dir = mkdtempSync(join(tmpdir(), 'dest-kinesis-'));
let fileNo = 0;

export function jsonFile(value: unknown): string {
  const p = join(dir, `f-${fileNo++}.json`);
  writeFileSync(p, JSON.stringify(value));
  return p;
}

export function uniqueName(label = 't'): string {
  return `${label}_${randomBytes(4).toString('hex')}`;
}

/** A config for the emulator in `account`, one shard per created stream unless overridden. */
export function baseConfig(account: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    endpoint: endpoint(),
    region: 'us-east-1',
    accessKey: account,
    privateKey: 'secret',
    shardCount: 1,
    bufferSize: 100,
    ...extra,
  };
}

export interface StreamDef {
  name: string;
  namespace?: string;
  mode?: 'append' | 'overwrite' | 'append_dedup';
  primaryKey?: string[][];
}

export function catalog(streams: StreamDef[]): Record<string, unknown> {
  return {
    streams: streams.map((s) => ({
      stream: {
        name: s.name,
        ...(s.namespace ? { namespace: s.namespace } : {}),
        json_schema: { type: 'object', properties: {} },
        supported_sync_modes: ['full_refresh', 'incremental'],
      },
      sync_mode: 'incremental',
      destination_sync_mode: s.mode ?? 'append',
      ...(s.primaryKey ? { primary_key: s.primaryKey } : {}),
    })),
  };
}

export function record(stream: string, data: Record<string, unknown>, namespace?: string): string {
  return `${JSON.stringify({
    type: 'RECORD',
    record: { stream, ...(namespace ? { namespace } : {}), data, emitted_at: 1_700_000_000_000 },
  })}\n`;
}

export function streamState(stream: string, value: unknown, namespace?: string): string {
  return `${JSON.stringify({
    type: 'STATE',
    state: {
      type: 'STREAM',
      stream: {
        stream_descriptor: { name: stream, ...(namespace ? { namespace } : {}) },
        stream_state: value,
      },
    },
  })}\n`;
}

export function globalState(value: unknown): string {
  return `${JSON.stringify({ type: 'STATE', state: { type: 'GLOBAL', global: { shared_state: value, stream_states: [] } } })}\n`;
}

export interface ReadRecord {
  shardId: string;
  sequenceNumber: string;
  partitionKey: string;
  explicitHashKey?: string;
  data: Buffer;
}

/**
 * Every record of every shard (closed ones too), read with paged GetRecords from TRIM_HORIZON:
 * each shard is followed until the iterator ends or two consecutive empty pages at the tip
 * (MillisBehindLatest 0). Records of one shard come in sequence order.
 */
export async function readStream(c: KinesisClient, streamName: string): Promise<ReadRecord[]> {
  const shards = (await c.send(new ListShardsCommand({ StreamName: streamName }))).Shards ?? [];
  const out: ReadRecord[] = [];
  for (const shard of shards) {
    let iterator = (
      await c.send(
        new GetShardIteratorCommand({
          StreamName: streamName,
          ShardId: shard.ShardId,
          ShardIteratorType: 'TRIM_HORIZON',
        }),
      )
    ).ShardIterator;
    let emptyAtTip = 0;
    while (iterator && emptyAtTip < 2) {
      const page = await c.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 10_000 }));
      const records = page.Records ?? [];
      for (const r of records) {
        out.push({
          shardId: shard.ShardId!,
          sequenceNumber: r.SequenceNumber!,
          partitionKey: r.PartitionKey!,
          data: Buffer.from(r.Data ?? []),
        });
      }
      if (records.length === 0 && (page.MillisBehindLatest ?? 0) === 0) emptyAtTip++;
      else emptyAtTip = 0;
      iterator = page.NextShardIterator;
    }
  }
  return out;
}

/** Deletes every stream of the account (only test accounts are ever given) and waits until they are gone. */
export async function deleteAllStreams(c: KinesisClient): Promise<void> {
  const names = (await c.send(new ListStreamsCommand({}))).StreamNames ?? [];
  for (const name of names) {
    try {
      await c.send(new DeleteStreamCommand({ StreamName: name, EnforceConsumerDeletion: true }));
    } catch {
      // still CREATING, or already deleting: the wait below covers it
    }
  }
  for (let i = 0; i < 100; i++) {
    const left = (await c.send(new ListStreamsCommand({}))).StreamNames ?? [];
    if (left.length === 0) return;
    for (const name of left) {
      try {
        await c.send(new DeleteStreamCommand({ StreamName: name, EnforceConsumerDeletion: true }));
      } catch {
        // retried on the next round
      }
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** JSON of each record's data (de-aggregation aside). */
export function parseData(records: readonly { data: Uint8Array }[]): Array<Record<string, any>> {
  return records.map((r) => JSON.parse(Buffer.from(r.data).toString('utf8')));
}
