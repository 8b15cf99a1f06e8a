import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import {
  DeleteStreamCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type KinesisClient,
  ListShardsCommand,
  ListStreamsCommand,
} from '@aws-sdk/client-kinesis';
import {
  type ConnectorRun,
  kinesisClient,
  type Message,
  recordLine,
  requireEndpoint,
  runConnector,
  tempDir,
  writeJsonFile,
} from '@tributary/testkit';

export const BIN = join(import.meta.dirname, '..', 'dist', 'bin.js');

/** The emulator the jest global setup started (or KINESIS_ENDPOINT named). */
export function endpoint(): string {
  return requireEndpoint('kinesis').endpoint;
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

export type Run = ConnectorRun;

export interface RunOptions {
  /** Kill the process (SIGKILL) once this returns true for the output so far. */
  killWhen?: (lines: Message[]) => boolean;
  /** Feed the input in pieces with a pause after each. */
  chunkDelayMs?: number;
  /** Keep stdin open until the process is killed. */
  holdStdin?: boolean;
  /** Before writing chunk i, wait until `gates[i]` holds for the output so far. */
  gates?: Array<((lines: Message[]) => boolean) | undefined>;
}

/** Runs the real bin, feeding `input` on stdin; resolves with every stdout line parsed. */
export function runBin(args: string[], input: string | string[] = '', opts: RunOptions = {}): Promise<Run> {
  const chunks = Array.isArray(input) ? input : [input];
  const { gates } = opts;
  return runConnector({
    command: [process.execPath, BIN],
    args,
    input: gates
      ? async function* (run) {
          for (const [i, chunk] of chunks.entries()) {
            const gate = gates[i];
            if (gate && !(await run.waitFor(gate))) return;
            yield chunk;
          }
        }
      : chunks,
    pauseMs: opts.chunkDelayMs,
    keepStdinOpen: opts.holdStdin,
    killWhen: opts.killWhen,
  });
}

export const byType = (r: Run, t: string) => r.ofType(t);
export const states = (r: Run) => r.states();
export const logs = (r: Run) => r.logs();
export const traces = (r: Run) => r.traces();
export const errors = (r: Run) =>
  traces(r)
    .filter((t) => t.type === 'ERROR')
    .map((t) => t.error);

const dir = tempDir('dest-kinesis-');
let fileNo = 0;

export function jsonFile(value: unknown): string {
  return writeJsonFile(dir, `f-${fileNo++}.json`, value);
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
  return recordLine(stream, data, { namespace });
}

export { globalStateLine as globalState, streamStateLine as streamState } from '@tributary/testkit';

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
