import {
  BatchWriteItemCommand,
  type BatchWriteItemCommandOutput,
  type DynamoDBClient,
  type WriteRequest,
} from '@aws-sdk/client-dynamodb';
import {
  backoffDelay,
  isRetryable,
  Semaphore,
  TransientError,
  type TributaryError,
} from '@tributary/airbyte-protocol';
import type { Logger } from './logger.js';
import { awsErrorName, explainAwsError } from './aws-errors.js';
import { PREBUILT_BODY } from './client.js';
import type { AttributeMap } from './item-mapping/attribute-value.js';

/** BatchWriteItem takes at most 25 requests … */
export const MAX_BATCH_ITEMS = 25;
/** … and 16 MB; batches are cut well below by the estimated request size. */
export const MAX_BATCH_WIRE_BYTES = 12 * 1024 * 1024;

export type WriteEntry =
  | { readonly put: AttributeMap; readonly wire: number }
  | { readonly delete: AttributeMap; readonly wire: number };

export interface RetryPolicy {
  /** Tries per request without progress (errors, throttling, nothing processed). */
  readonly maxAttempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 10, baseDelayMs: 50, maxDelayMs: 20_000 };

export interface WriterStats {
  requests: number;
  itemsWritten: number;
  /** Items DynamoDB returned in UnprocessedItems (each retried). */
  unprocessed: number;
  /** Requests refused by throttling or a retryable error (each retried). */
  retriedErrors: number;
}

/**
 * A BatchWriteItem command whose body is built here with one JSON.stringify: the items are plain
 * objects in DynamoDB's wire shape (also the UnprocessedItems the SDK hands back), so the text is
 * exactly what the SDK would send. The SDK serialises only the empty placeholder.
 */
export function batchWriteCommand(table: string, requests: WriteRequest[]): BatchWriteItemCommand {
  const command = new BatchWriteItemCommand({ RequestItems: {} });
  (command.input as { [PREBUILT_BODY]?: string })[PREBUILT_BODY] =
    `{"RequestItems":{${JSON.stringify(table)}:${JSON.stringify(requests)}}}`;
  return command;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Every request this destination sends goes through here: one semaphore bounds the requests in
 * flight across all streams (a permit is held only while a request is on the wire, never during a
 * backoff), and one retry policy applies to them all.
 *
 * BatchWriteItem: entries are cut into batches of ≤ 25 items and ≤ 12 MB, sent in parallel; the
 * UnprocessedItems of an answer — and only those — are sent again after a jittered exponential
 * backoff. A batch fails (and with it the flush, hence the sync) only after `maxAttempts` tries in a
 * row without progress; nothing is ever dropped.
 */
export class RequestGate {
  readonly stats: WriterStats = { requests: 0, itemsWritten: 0, unprocessed: 0, retriedErrors: 0 };
  private readonly semaphore: Semaphore;

  constructor(
    readonly client: DynamoDBClient,
    readonly maxConcurrentRequests: number,
    readonly retryPolicy: RetryPolicy,
    private readonly endpoint: string,
    private readonly logger?: Logger,
  ) {
    this.semaphore = new Semaphore(maxConcurrentRequests);
  }

  /** Writes every entry; resolves when all are acknowledged by DynamoDB. */
  async batchWrite(table: string, entries: readonly WriteEntry[]): Promise<void> {
    if (entries.length === 0) return;
    const batches: WriteRequest[][] = [];
    let current: WriteRequest[] = [];
    let wire = 0;
    for (const e of entries) {
      if (
        current.length === MAX_BATCH_ITEMS ||
        (current.length > 0 && wire + e.wire > MAX_BATCH_WIRE_BYTES)
      ) {
        batches.push(current);
        current = [];
        wire = 0;
      }
      current.push('put' in e ? { PutRequest: { Item: e.put } } : { DeleteRequest: { Key: e.delete } });
      wire += e.wire;
    }
    batches.push(current);
    if (batches.length === 1) return this.sendBatch(table, batches[0]!);
    // Fail fast: the first failing batch rejects the flush (the others finish on their own).
    await Promise.all(batches.map((b) => this.sendBatch(table, b)));
  }

  private async sendBatch(table: string, requests: WriteRequest[]): Promise<void> {
    let pending = requests;
    let failures = 0;
    let retries = 0;
    for (;;) {
      let out: BatchWriteItemCommandOutput;
      await this.semaphore.acquire();
      try {
        this.stats.requests++;
        out = await this.client.send(batchWriteCommand(table, pending));
      } catch (err) {
        this.semaphore.release();
        if (!isRetryable(err))
          throw explainAwsError(err, { action: 'BatchWriteItem', table, endpoint: this.endpoint });
        this.stats.retriedErrors++;
        failures++;
        if (failures >= this.retryPolicy.maxAttempts)
          throw this.exhausted(table, pending.length, failures, err);
        await sleep(this.delay(++retries));
        continue;
      }
      this.semaphore.release();
      const unprocessed = out.UnprocessedItems?.[table] ?? [];
      this.stats.itemsWritten += pending.length - unprocessed.length;
      if (unprocessed.length === 0) return;
      this.stats.unprocessed += unprocessed.length;
      // Progress (some items written) resets the count of fruitless tries: a slow table is not a dead one.
      if (unprocessed.length < pending.length) {
        failures = 0;
        retries = Math.floor(retries / 2); // the table takes writes: back off less
      } else failures++;
      if (failures >= this.retryPolicy.maxAttempts) {
        throw this.exhausted(table, unprocessed.length, failures, null);
      }
      pending = unprocessed;
      await sleep(this.delay(++retries));
    }
  }

  /** One request with the same bound, semaphore and backoff (PutItem, DeleteItem, Scan, …). */
  async call<T>(
    action: string,
    table: string | undefined,
    fn: () => Promise<T>,
    retryIf?: (err: unknown) => boolean,
  ): Promise<T> {
    let failures = 0;
    for (;;) {
      await this.semaphore.acquire();
      try {
        this.stats.requests++;
        return await fn();
      } catch (err) {
        const retryable = retryIf ? retryIf(err) : isRetryable(err);
        if (!retryable)
          throw explainAwsError(err, { action, ...(table ? { table } : {}), endpoint: this.endpoint });
        this.stats.retriedErrors++;
        failures++;
        if (failures >= this.retryPolicy.maxAttempts) {
          const cause = explainAwsError(err, {
            action,
            ...(table ? { table } : {}),
            endpoint: this.endpoint,
          });
          throw new TransientError(`${cause.message} (gave up after ${failures} attempts)`, {
            cause: err,
            retryable: false,
          });
        }
      } finally {
        this.semaphore.release();
      }
      await sleep(this.delay(failures));
    }
  }

  private delay(retry: number): number {
    // Never zero: a retry must not hit a throttled table in the same millisecond.
    return Math.max(5, backoffDelay(retry, this.retryPolicy.baseDelayMs, this.retryPolicy.maxDelayMs));
  }

  private exhausted(table: string, items: number, attempts: number, err: unknown): TributaryError {
    const why = err
      ? `${awsErrorName(err) || 'error'}: ${(err as Error).message ?? String(err)}`
      : 'DynamoDB kept returning them as UnprocessedItems (throttling)';
    this.logger?.error(`table ${table}: ${items} item(s) not written after ${attempts} attempts: ${why}`);
    return new TransientError(
      `DynamoDB did not accept ${items} item(s) of table ${table} after ${attempts} attempts with backoff (${why}). ` +
        'The table is throttled or unavailable: raise its write capacity (or use on-demand billing), lower max_concurrent_requests, or raise retry_max_attempts. No state was acknowledged for these items; the next sync resends them.',
      { cause: err ?? undefined, retryable: false },
    );
  }
}
