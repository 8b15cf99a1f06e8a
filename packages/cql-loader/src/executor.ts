import { retry } from '@tributary/airbyte-protocol';
import type cassandra from 'cassandra-driver';
import { type BatchLimits, groupOps, SINGLE_ROWS } from './batching.js';
import { isRetryableCql } from './errors.js';

/** One write: a prepared statement and its parameters (write timestamps, if any, are bound in it). */
export interface WriteOp {
  readonly query: string;
  readonly params: unknown[];
  /** Estimated bytes of the values, for sizing batches. */
  readonly bytes?: number;
}

export interface RetryPolicy {
  /** Attempts per request, the first included. */
  readonly maxAttempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 8, baseDelayMs: 100, maxDelayMs: 10_000 };

/** One submission: its requests (one op, or several sent as one unlogged batch). */
interface Submission {
  readonly requests: readonly WriteOp[][];
  next: number;
  pending: number;
  error: unknown;
  resolve: () => void;
  reject: (err: unknown) => void;
}

export interface ExecutorStats {
  /** Rows (ops) acknowledged or failed. */
  writes: number;
  /** Requests sent (a batch is one). */
  requests: number;
  retries: number;
}

/**
 * Runs writes for every stream with at most `concurrency` rows in flight (a batch counts its rows;
 * one request always goes, whatever its size), first come first served by submission. A request is one row, or several rows in one unlogged batch when the
 * submitter says the rows may travel together (see `batchLimitsFor`). Every statement is
 * idempotent (inserts and deletes of whole rows, timestamps bound in the statement), so a batch
 * is retried whole. Retries are not cut short by SIGTERM: the writes in flight are finished so
 * that the states they cover can still be released. A retryable failure is retried with
 * jittered exponential backoff while holding its slot (natural back-pressure on an overloaded
 * cluster). A submission resolves when all its rows are acknowledged, or rejects with the first
 * error that survived the retries, after its started requests settled and its others were skipped.
 */
export class WriteExecutor {
  private readonly queue: Submission[] = [];
  /** Rows of the requests in flight. */
  private inFlight = 0;
  readonly stats: ExecutorStats = { writes: 0, requests: 0, retries: 0 };
  private readonly batchOptions: cassandra.QueryOptions;

  constructor(
    private readonly client: cassandra.Client,
    private readonly concurrency: number,
    private readonly options: cassandra.QueryOptions,
    private readonly retryPolicy: RetryPolicy = DEFAULT_RETRY,
    private readonly onRetry?: (err: unknown, attempt: number, delayMs: number) => void,
  ) {
    this.batchOptions = { ...options, logged: false };
  }

  /**
   * Submits the ops (ownership passes to the executor) and resolves when all are acknowledged.
   * With `limits`, consecutive ops are grouped into unlogged batches within them.
   */
  submit(ops: readonly WriteOp[], limits: BatchLimits = SINGLE_ROWS): Promise<void> {
    if (ops.length === 0) return Promise.resolve();
    const requests = groupOps(ops, limits);
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ requests, next: 0, pending: requests.length, error: undefined, resolve, reject });
      this.pump();
    });
  }

  get active(): number {
    return this.inFlight;
  }

  private pump(): void {
    while ((this.inFlight === 0 || this.inFlight < this.concurrency) && this.queue.length > 0) {
      const sub = this.queue[0]!;
      if (sub.next >= sub.requests.length) {
        this.queue.shift();
        continue;
      }
      const request = sub.requests[sub.next++]!;
      if (sub.next >= sub.requests.length) this.queue.shift();
      this.inFlight += request.length;
      this.start(sub, request);
    }
  }

  private send(request: WriteOp[], callback: (err: unknown) => void): void {
    this.stats.requests++;
    if (request.length === 1) {
      const op = request[0]!;
      this.client.execute(op.query, op.params, this.options, callback);
    } else {
      this.client.batch(request, this.batchOptions, callback);
    }
  }

  private start(sub: Submission, request: WriteOp[]): void {
    this.send(request, (err) => {
      if (!err) return this.settle(sub, request, undefined);
      if (!isRetryableCql(err) || this.retryPolicy.maxAttempts <= 1 || sub.error !== undefined) {
        return this.settle(sub, request, err);
      }
      this.retryRequest(request, err).then(
        () => this.settle(sub, request, undefined),
        (e: unknown) => this.settle(sub, request, e),
      );
    });
  }

  /** Retries a request whose first attempt failed: `maxAttempts` in all, jittered exponential backoff. */
  private async retryRequest(request: WriteOp[], first: unknown): Promise<void> {
    const { maxAttempts, baseDelayMs, maxDelayMs } = this.retryPolicy;
    await retry(
      async (attempt) => {
        if (attempt === 1) throw first; // the attempt made by start()
        await new Promise<void>((resolve, reject) =>
          this.send(request, (err) => (err ? reject(err) : resolve())),
        );
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

  private settle(sub: Submission, request: WriteOp[], err: unknown): void {
    this.inFlight -= request.length;
    this.stats.writes += request.length;
    if (err !== undefined && sub.error === undefined) {
      sub.error = err;
      // Skip what has not started; the started requests still settle before the submission rejects.
      const skipped = sub.requests.length - sub.next;
      sub.next = sub.requests.length;
      sub.pending -= skipped;
      const i = this.queue.indexOf(sub);
      if (i >= 0) this.queue.splice(i, 1);
    }
    if (--sub.pending === 0) {
      if (sub.error === undefined) sub.resolve();
      else sub.reject(sub.error);
    }
    this.pump();
  }
}
