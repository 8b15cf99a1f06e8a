import {
  CreateStreamCommand,
  DescribeStreamSummaryCommand,
  type KinesisClient,
  ListShardsCommand,
  type ListShardsCommandInput,
  type Shard,
  type StreamDescriptionSummary,
} from '@aws-sdk/client-kinesis';
import { abortableSleep, ConfigError, retry, TransientError } from '@tributary/airbyte-protocol';
import type { StreamMode } from './config.js';
import { errorName } from './put-records.js';

export interface ControlLogger {
  info(msg: string): void;
  warn(msg: string): void;
}

export interface EnsureStreamOptions {
  /** Create the stream when it does not exist (otherwise that is a config error). */
  readonly create: boolean;
  readonly mode: StreamMode;
  readonly shardCount: number;
  readonly logger?: ControlLogger;
  readonly signal?: AbortSignal;
  /** How long to wait for ACTIVE. Default 10 minutes. */
  readonly timeoutMs?: number;
}

export interface EnsuredStream {
  readonly summary: StreamDescriptionSummary;
  /** This call created the stream. */
  readonly created: boolean;
}

/** Retries control-plane calls on throttling (LimitExceeded: at most 5 creations at once), 5xx, network. */
export function controlRetry<T>(fn: () => Promise<T>, signal?: AbortSignal): Promise<T> {
  return retry(fn, { maxAttempts: 8, baseDelayMs: 250, maxDelayMs: 5_000, ...(signal ? { signal } : {}) });
}

async function describe(
  client: KinesisClient,
  name: string,
  signal?: AbortSignal,
): Promise<StreamDescriptionSummary | null> {
  try {
    const out = await controlRetry(
      () =>
        client.send(
          new DescribeStreamSummaryCommand({ StreamName: name }),
          signal ? { abortSignal: signal } : {},
        ),
      signal,
    );
    return out.StreamDescriptionSummary ?? null;
  } catch (err) {
    if (errorName(err) === 'ResourceNotFoundException') return null;
    throw err;
  }
}

/**
 * Makes sure stream `name` exists and accepts writes (ACTIVE or UPDATING), creating it when
 * missing and allowed. An existing stream is used as it is: its shard count and mode are never
 * changed, and nothing is ever deleted. A stream being deleted is waited out, then created again.
 */
export async function ensureStream(
  client: KinesisClient,
  name: string,
  opts: EnsureStreamOptions,
): Promise<EnsuredStream> {
  const deadline = Date.now() + (opts.timeoutMs ?? 600_000);
  let created = false;
  let pollMs = 100;
  for (;;) {
    const summary = await describe(client, name, opts.signal);
    if (summary === null) {
      if (!opts.create) {
        throw new ConfigError(
          `Kinesis stream ${name} does not exist and createStreams is off: create it or turn createStreams on`,
        );
      }
      try {
        await controlRetry(
          () =>
            client.send(
              new CreateStreamCommand(
                opts.mode === 'on_demand'
                  ? { StreamName: name, StreamModeDetails: { StreamMode: 'ON_DEMAND' } }
                  : {
                      StreamName: name,
                      ShardCount: opts.shardCount,
                      StreamModeDetails: { StreamMode: 'PROVISIONED' },
                    },
              ),
              opts.signal ? { abortSignal: opts.signal } : {},
            ),
          opts.signal,
        );
        created = true;
        opts.logger?.info(
          `created Kinesis stream ${name} (${opts.mode === 'on_demand' ? 'on-demand' : `${opts.shardCount} shard(s)`})`,
        );
      } catch (err) {
        // Someone else created it meanwhile: fine, use theirs.
        if (errorName(err) !== 'ResourceInUseException') throw err;
      }
    } else {
      const status = summary.StreamStatus;
      if (status === 'ACTIVE' || status === 'UPDATING') return { summary, created };
    }
    if (Date.now() > deadline) {
      throw new TransientError(
        `Kinesis stream ${name} did not become ACTIVE in time (status ${summary?.StreamStatus ?? 'missing'})`,
      );
    }
    await abortableSleep(pollMs, opts.signal);
    pollMs = Math.min(pollMs * 2, 2_000);
  }
}

/** Waits until `name` is ACTIVE (after creating it). */
export async function waitActive(
  client: KinesisClient,
  name: string,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let pollMs = 100;
  for (;;) {
    const summary = await describe(client, name, signal);
    if (summary?.StreamStatus === 'ACTIVE') return;
    if (Date.now() > deadline)
      throw new TransientError(`Kinesis stream ${name} did not become ACTIVE in time`);
    await abortableSleep(pollMs, signal);
    pollMs = Math.min(pollMs * 2, 2_000);
  }
}

/** Every shard of a stream (ListShards, all pages). */
export async function listShards(
  client: KinesisClient,
  name: string,
  signal?: AbortSignal,
): Promise<Shard[]> {
  const shards: Shard[] = [];
  let token: string | undefined;
  do {
    const input: ListShardsCommandInput = token ? { NextToken: token } : { StreamName: name };
    const out = await controlRetry(
      () => client.send(new ListShardsCommand(input), signal ? { abortSignal: signal } : {}),
      signal,
    );
    shards.push(...(out.Shards ?? []));
    token = out.NextToken;
  } while (token);
  return shards;
}
