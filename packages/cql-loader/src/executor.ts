import { retry } from '@tributary/airbyte-protocol';
import type cassandra from 'cassandra-driver';
import { isRetryableCql } from './errors.js';

/** One write: a prepared statement, its parameters, and optionally a write timestamp (µs). */
export interface WriteOp {
  readonly query: string;
  readonly params: unknown[];
  readonly timestamp?: cassandra.types.Long | undefined;
}

export interface RetryPolicy {
  /** Attempts per write, the first included. */
  readonly maxAttempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 8, baseDelayMs: 100, maxDelayMs: 10_000 };

interface Batch {
  readonly ops: readonly WriteOp[];
  next: number;
  pending: number;
  error: unknown;
  resolve: () => void;
  reject: (err: unknown) => void;
}

export interface ExecutorStats {
  writes: number;
  retries: number;
}

/**
 * Runs single-row writes for every stream with at most `concurrency` in flight, first come first
 * served by batch. Retries are not cut short by SIGTERM: the writes in flight are finished so
 * that the states they cover can still be released. Each write is awaited (its callback); a retryable failure is retried with
 * jittered exponential backoff while holding its slot (natural back-pressure on an overloaded
 * cluster). A batch resolves when all its writes are acknowledged, or rejects with the first
 * error that survived the retries, after its started writes settled and its others were skipped.
 */
export class WriteExecutor {
  private readonly queue: Batch[] = [];
  private inFlight = 0;
  readonly stats: ExecutorStats = { writes: 0, retries: 0 };

  constructor(
    private readonly client: cassandra.Client,
    private readonly concurrency: number,
    private readonly options: cassandra.QueryOptions,
    private readonly retryPolicy: RetryPolicy = DEFAULT_RETRY,
    private readonly onRetry?: (err: unknown, attempt: number, delayMs: number) => void,
  ) {}

  /** Submits the ops (ownership passes to the executor) and resolves when all are acknowledged. */
  submit(ops: readonly WriteOp[]): Promise<void> {
    if (ops.length === 0) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ ops, next: 0, pending: ops.length, error: undefined, resolve, reject });
      this.pump();
    });
  }

  get active(): number {
    return this.inFlight;
  }

  private pump(): void {
    while (this.inFlight < this.concurrency && this.queue.length > 0) {
      const batch = this.queue[0]!;
      if (batch.next >= batch.ops.length) {
        this.queue.shift();
        continue;
      }
      const op = batch.ops[batch.next++]!;
      if (batch.next >= batch.ops.length) this.queue.shift();
      this.inFlight++;
      this.start(batch, op);
    }
  }

  private start(batch: Batch, op: WriteOp): void {
    const options = op.timestamp === undefined ? this.options : { ...this.options, timestamp: op.timestamp };
    this.client.execute(op.query, op.params, options, (err) => {
      if (!err) return this.settle(batch, undefined);
      if (!isRetryableCql(err) || this.retryPolicy.maxAttempts <= 1 || batch.error !== undefined) {
        return this.settle(batch, err);
      }
      this.retryOp(op, options, err).then(
        () => this.settle(batch, undefined),
        (e: unknown) => this.settle(batch, e),
      );
    });
  }

  /** Retries a write whose first attempt failed: `maxAttempts` in all, jittered exponential backoff. */
  private async retryOp(op: WriteOp, options: cassandra.QueryOptions, first: unknown): Promise<void> {
    const { maxAttempts, baseDelayMs, maxDelayMs } = this.retryPolicy;
    await retry(
      async (attempt) => {
        if (attempt === 1) throw first; // the attempt made by start()
        await this.client.execute(op.query, op.params, options);
      },
      {
        maxAttempts,
        baseDelayMs,
        maxDelayMs,
        isRetryable: isRetryableCql,
        onRetry: (err, attempt, delayMs) => {
          this.stats.retries++;
          this.onRetry?.(err, attempt, delayMs);
        },
      },
    );
  }

  private settle(batch: Batch, err: unknown): void {
    this.inFlight--;
    this.stats.writes++;
    if (err !== undefined && batch.error === undefined) {
      batch.error = err;
      // Skip what has not started; the started writes still settle before the batch rejects.
      const skipped = batch.ops.length - batch.next;
      batch.next = batch.ops.length;
      batch.pending -= skipped;
      const i = this.queue.indexOf(batch);
      if (i >= 0) this.queue.splice(i, 1);
    }
    if (--batch.pending === 0) {
      if (batch.error === undefined) batch.resolve();
      else batch.reject(batch.error);
    }
    this.pump();
  }
}
