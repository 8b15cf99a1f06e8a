import { randomUUID } from 'node:crypto';
import { backoffDelay, errorMessage, TransientError } from '@tributary/airbyte-protocol';
import { MAX_RECORDS_PER_REQUEST, MAX_REQUEST_BYTES } from './limits.js';
import { Deque } from './deque.js';
import { AggregateBuilder } from './kpl-aggregation.js';
import {
  classifyEntryError,
  classifyRequestError,
  errorName,
  isThrottling,
  type PutEntry,
  type PutRecordsFn,
  type PutResult,
} from './put-records.js';
import type { ShardMap } from './shard-map.js';

/**
 * How a stream's records are grouped into PutRecords entries, and what must stay in order:
 *
 * - `unordered`: every record has its own random key; nothing to keep in order, so any number of
 *   entries may be in flight.
 * - `per-key`: a record's key is its lane: a lane has at most one entry in flight (and one per
 *   request), and the next record of that key goes out only after Kinesis accepted the previous
 *   one. A refused entry is retried before anything later of its key, so records of one key land
 *   in their order even when Kinesis fails some entries of a request and accepts others.
 * - `aggregate-unordered`: records without keys packed into KPL aggregates, any number in flight.
 * - `aggregate-by-shard`: keyed records packed into one aggregate per shard; the shard is the lane
 *   (one aggregate in flight per shard), every aggregate and its records carry the shard's
 *   starting hash key as explicit hash key, so a key's records always go to the same shard.
 */
export type SenderMode = 'unordered' | 'per-key' | 'aggregate-unordered' | 'aggregate-by-shard';

/** What a sender is told as plain data (it also crosses to the sender thread as is). */
export interface SenderSettings {
  readonly streamName: string;
  readonly mode: SenderMode;
  /** Entries per PutRecords request (the config's bufferSize, at most 500). */
  readonly maxRecordsPerRequest: number;
  readonly maxInFlight: number;
  readonly maxRetries: number;
  readonly retryBaseDelayMs: number;
  readonly retryMaxDelayMs: number;
  /** Largest aggregated record (data plus partition key). */
  readonly aggregationMaxBytes: number;
  /** Most bytes (data + partition keys) per request; Kinesis allows 5 MiB. */
  readonly maxRequestBytes?: number;
}

export interface SenderOptions extends SenderSettings {
  readonly put: PutRecordsFn;
  /** Lanes of `aggregate-by-shard`. */
  readonly shardMap?: ShardMap;
  readonly logger?: SenderLogger;
  /** For tests: a source of numbers in [0, 1) for the jitter. */
  readonly random?: () => number;
}

export interface SenderLogger {
  warn(msg: string): void;
  info(msg: string): void;
}

export interface SenderStats {
  requests: number;
  entriesSent: number;
  recordsAcked: number;
  entriesRetried: number;
  requestsFailed: number;
  throttled: number;
}

interface Batch {
  /** Records not yet accepted by Kinesis. */
  pending: number;
  /** Records not yet handed to a request. */
  queued: number;
  closed: boolean;
  settled: boolean;
  readonly promise: Promise<void>;
  resolve(): void;
  reject(err: unknown): void;
}

interface Item {
  /**
   * null: no key (aggregation packs keyless records under one random key per aggregate; the
   * other modes give such records a random key).
   */
  pk: string | null;
  readonly data: Buffer;
  /** Data plus partition key bytes, as Kinesis counts them. */
  readonly bytes: number;
  readonly batch: Batch;
}

interface Lane {
  readonly key: string | number;
  readonly queue: Deque<Item>;
  queuedBytes: number;
  /** An entry of this lane is in flight or waiting for its retry. */
  busy: boolean;
  /** In `readyLanes`. */
  ready: boolean;
  readonly explicitHashKey?: string;
}

/**
 * One PutRecords entry: itself what is sent (Data, PartitionKey, ExplicitHashKey; one object per
 * entry, no copy for the request) and what it holds.
 */
interface Entry extends PutEntry {
  readonly ExplicitHashKey: string | undefined;
  readonly bytes: number;
  /** The record of a plain entry; null for an aggregate. */
  readonly item: Item | null;
  /** The records of an aggregate; null for a plain entry. */
  readonly items: readonly Item[] | null;
  /** `aggregate-by-shard`: the shard lane this entry holds. */
  readonly lane: Lane | null;
  /** `per-key`: the key this entry holds. */
  readonly key: string | null;
  attempts: number;
}

/**
 * Sends one stream's records to Kinesis: packs them into PutRecords requests (at most
 * `maxRecordsPerRequest` entries and 5 MiB), keeps up to `maxInFlight` requests in flight, resends
 * only the entries Kinesis refused (exponential backoff with full jitter), keeps records of a key
 * in order (see SenderMode), and resolves each flush once every record of it was accepted.
 *
 * Records go out as soon as a full request can be built; `flush()` also sends the partial rest.
 */
export class StreamSender {
  private readonly opts: SenderOptions;
  private readonly maxEntries: number;
  private readonly maxRequestBytes: number;
  private readonly free = new Deque<Item>();
  /**
   * `per-key`: keys with a record in `free` or in flight, each with the records of that key waiting
   * behind it (null: none). A key absent here has nothing pending, so its next record is ready at once.
   */
  private readonly claimed = new Map<string, Deque<Item> | null>();
  private readonly shardLanes: Lane[] = [];
  private readonly readyLanes = new Deque<Lane>();
  private readonly retryReady = new Deque<Entry>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly unsettled = new Set<Batch>();
  private readonly abort = new AbortController();
  private current: Batch;
  private queuedBytes = 0;
  private closedQueued = 0;
  private inFlight = 0;
  /** Requests allowed in flight now: halved when Kinesis throttles, grown back slowly (AIMD). */
  private window: number;
  private lastDecrease = 0;
  /** Consecutive answers reporting throttling, and the pause they impose on new requests. */
  private throttleStreak = 0;
  private pausedUntil = 0;
  private pauseTimer: NodeJS.Timeout | null = null;
  private failure: unknown = null;
  private closed = false;
  private lastRetryLog = 0;
  private retriesSinceLog = 0;
  private readonly codesSinceLog = new Map<string, number>();
  readonly stats: SenderStats = {
    requests: 0,
    entriesSent: 0,
    recordsAcked: 0,
    entriesRetried: 0,
    requestsFailed: 0,
    throttled: 0,
  };

  constructor(opts: SenderOptions) {
    this.opts = opts;
    this.maxEntries = Math.max(1, Math.min(opts.maxRecordsPerRequest, MAX_RECORDS_PER_REQUEST));
    this.maxRequestBytes = Math.min(opts.maxRequestBytes ?? MAX_REQUEST_BYTES, MAX_REQUEST_BYTES);
    this.window = opts.maxInFlight;
    if (opts.mode === 'aggregate-by-shard') {
      const map = opts.shardMap;
      if (!map) throw new Error('aggregate-by-shard needs a shard map');
      for (let i = 0; i < map.size; i++) {
        this.shardLanes.push({
          key: i,
          queue: new Deque(),
          queuedBytes: 0,
          busy: false,
          ready: false,
          explicitHashKey: map.hashKeyOf(i),
        });
      }
    }
    this.current = this.newBatch();
  }

  /** The error that failed this stream, if any. */
  get error(): unknown {
    return this.failure;
  }

  /** Records handed over and not yet accepted. */
  get pendingRecords(): number {
    let n = 0;
    for (const b of this.unsettled) n += b.pending;
    return n;
  }

  /** Takes a record (its key, serialised data and Kinesis size); sends what fills a request. */
  add(pk: string | null, data: Buffer, bytes: number): void {
    if (this.failure !== null || this.closed) return;
    const batch = this.current;
    const item: Item = { pk, data, bytes, batch };
    batch.pending++;
    batch.queued++;
    this.queuedBytes += bytes;
    switch (this.opts.mode) {
      case 'unordered':
      case 'aggregate-unordered':
        this.free.push(item);
        break;
      case 'per-key': {
        if (pk === null) item.pk = randomUUID();
        const key = item.pk!;
        const waiting = this.claimed.get(key);
        if (waiting === undefined) {
          this.claimed.set(key, null);
          this.free.push(item);
        } else if (waiting === null) {
          const queue = new Deque<Item>();
          queue.push(item);
          this.claimed.set(key, queue);
        } else waiting.push(item);
        break;
      }
      case 'aggregate-by-shard': {
        const index =
          pk === null ? Math.floor(this.random() * this.shardLanes.length) : this.opts.shardMap!.laneOf(pk);
        const lane = this.shardLanes[index]!;
        this.enqueue(lane, item);
        // Only this lane changed: nothing to send unless it now holds a full aggregate.
        if (
          lane.queuedBytes < this.opts.aggregationMaxBytes &&
          this.retryReady.length === 0 &&
          this.closedQueued === 0
        ) {
          return;
        }
        break;
      }
    }
    if (this.inFlight < this.window) this.pump();
  }

  /**
   * Closes the records added since the previous flush into a batch and resolves once Kinesis
   * accepted all of them; rejects when the stream failed.
   */
  flush(): Promise<void> {
    if (this.failure !== null) return Promise.reject(this.failure);
    const batch = this.current;
    this.current = this.newBatch();
    batch.closed = true;
    this.closedQueued += batch.queued;
    if (batch.pending === 0) this.settle(batch);
    this.pump();
    return batch.promise;
  }

  /** Stops timers and in-flight requests; pending flushes reject. Idempotent. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    if (this.pauseTimer) clearTimeout(this.pauseTimer);
    this.abort.abort(new Error('sender closed'));
    if (this.failure === null && this.unsettled.size > 0) {
      const err = new TransientError(`stream ${this.opts.streamName} closed with records not yet accepted`);
      for (const b of [...this.unsettled]) if (b.pending > 0) this.rejectBatch(b, err);
    }
  }

  // ---------------------------------------------------------------------------------------------

  private newBatch(): Batch {
    let resolve!: () => void;
    let reject!: (err: unknown) => void;
    const promise = new Promise<void>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    // Failures are delivered to whoever awaits flush(); never an unhandled rejection.
    promise.catch(() => undefined);
    const batch: Batch = { pending: 0, queued: 0, closed: false, settled: false, promise, resolve, reject };
    this.unsettled.add(batch);
    return batch;
  }

  private settle(batch: Batch): void {
    if (batch.settled) return;
    batch.settled = true;
    this.unsettled.delete(batch);
    batch.resolve();
  }

  private rejectBatch(batch: Batch, err: unknown): void {
    if (batch.settled) return;
    batch.settled = true;
    this.unsettled.delete(batch);
    batch.reject(err);
  }

  private random(): number {
    return (this.opts.random ?? Math.random)();
  }

  private enqueue(lane: Lane, item: Item): void {
    lane.queue.push(item);
    lane.queuedBytes += item.bytes;
    if (!lane.busy && !lane.ready) {
      lane.ready = true;
      this.readyLanes.push(lane);
    }
  }

  /** An item leaves the queues for a request (first time only; retries resend entries). */
  private dispatched(item: Item): void {
    this.queuedBytes -= item.bytes;
    item.batch.queued--;
    if (item.batch.closed) this.closedQueued--;
  }

  /** Whether a request is worth sending now (full, or something waits on it). */
  private worthSending(): boolean {
    if (this.retryReady.length > 0 || this.closedQueued > 0) return true;
    switch (this.opts.mode) {
      case 'unordered':
        return this.free.length >= this.maxEntries || this.queuedBytes >= this.maxRequestBytes;
      case 'per-key':
        return this.free.length >= this.maxEntries || this.queuedBytes >= this.maxRequestBytes;
      case 'aggregate-unordered':
        return (
          this.queuedBytes >= Math.min(this.maxRequestBytes, this.maxEntries * this.opts.aggregationMaxBytes)
        );
      case 'aggregate-by-shard':
        for (const lane of this.readyLanes)
          if (lane.queuedBytes >= this.opts.aggregationMaxBytes) return true;
        return false;
    }
  }

  private pump(): void {
    if (this.pauseTimer !== null && Date.now() < this.pausedUntil) return;
    while (this.failure === null && !this.closed && this.inFlight < Math.max(1, Math.floor(this.window))) {
      if (!this.worthSending()) return;
      const entries = this.buildRequest(this.retryReady.length > 0 || this.closedQueued > 0);
      if (entries.length === 0) return;
      this.send(entries);
    }
  }

  private buildRequest(force: boolean): Entry[] {
    const entries: Entry[] = [];
    let bytes = 0;
    const room = () => this.maxRequestBytes - bytes;
    // Retries first: they hold their lanes, and everything behind them waits.
    while (entries.length < this.maxEntries) {
      const e = this.retryReady.peek();
      if (e === undefined || e.bytes > room()) break;
      this.retryReady.shift();
      entries.push(e);
      bytes += e.bytes;
    }
    const mode = this.opts.mode;
    if (mode === 'unordered' || mode === 'per-key') {
      // per-key: `free` holds only records whose key has nothing earlier pending, one per key.
      const keyed = mode === 'per-key';
      while (entries.length < this.maxEntries) {
        const item = this.free.peek();
        if (item === undefined || item.bytes > room()) break;
        this.free.shift();
        this.dispatched(item);
        const pk = item.pk ?? randomUUID();
        entries.push(plainEntry(item, pk, undefined, null, keyed ? pk : null));
        bytes += item.bytes;
      }
    } else if (mode === 'aggregate-unordered') {
      while (entries.length < this.maxEntries && this.free.length > 0) {
        if (!force && this.queuedBytes < this.opts.aggregationMaxBytes) break;
        const e = this.takeAggregate(this.free, null, room());
        if (e === null) break;
        entries.push(e);
        bytes += e.bytes;
      }
    } else {
      // One aggregate per shard lane; without `force` only lanes with a full aggregate's worth.
      const skipped: Lane[] = [];
      while (entries.length < this.maxEntries) {
        const lane = this.readyLanes.shift();
        if (lane === undefined) break;
        lane.ready = false;
        if (!force && lane.queuedBytes < this.opts.aggregationMaxBytes) {
          skipped.push(lane);
          continue;
        }
        const e = this.takeAggregate(lane.queue, lane, room());
        if (e === null) {
          skipped.push(lane);
          break;
        }
        lane.busy = true;
        entries.push(e);
        bytes += e.bytes;
      }
      // Lanes looked at but not used go back in front of the others, in their order.
      if (skipped.length > 0) {
        const rest = [...this.readyLanes];
        while (this.readyLanes.length > 0) this.readyLanes.shift();
        for (const lane of [...skipped, ...rest]) {
          lane.ready = true;
          this.readyLanes.push(lane);
        }
      }
    }
    return entries;
  }

  /**
   * Packs the head of `queue` into one entry of at most `aggregationMaxBytes` (and `room`): a KPL
   * aggregate, or the record itself when only one fits. Null when not even one record fits.
   */
  private takeAggregate(queue: Deque<Item>, lane: Lane | null, room: number): Entry | null {
    const first = queue.peek();
    if (first === undefined) return null;
    const ehk = lane?.explicitHashKey;
    const aggKey = first.pk ?? randomUUID();
    const aggKeyBytes = Buffer.byteLength(aggKey, 'utf8');
    const limit = Math.min(this.opts.aggregationMaxBytes, room);
    const builder = new AggregateBuilder();
    const items: Item[] = [];
    for (let item = queue.peek(); item !== undefined; item = queue.peek()) {
      const key = item.pk ?? aggKey;
      const size = builder.sizeWith(key, item.data, ehk) + aggKeyBytes;
      if (size > limit) break;
      builder.add(key, item.data, ehk);
      items.push(item);
      queue.shift();
      if (lane) lane.queuedBytes -= item.bytes;
      this.dispatched(item);
    }
    if (items.length === 0) {
      // The head record is bigger than an aggregate: it goes alone, if the request has room.
      if (first.bytes > room) return null;
      queue.shift();
      if (lane) lane.queuedBytes -= first.bytes;
      this.dispatched(first);
      return plainEntry(first, aggKey, ehk, lane, null);
    }
    if (items.length === 1) return plainEntry(items[0]!, aggKey, ehk, lane, null);
    const data = builder.encode();
    return {
      Data: data,
      PartitionKey: aggKey,
      ExplicitHashKey: ehk,
      bytes: data.length + aggKeyBytes,
      item: null,
      items,
      lane,
      key: null,
      attempts: 0,
    };
  }

  private send(entries: Entry[]): void {
    this.inFlight++;
    this.stats.requests++;
    this.stats.entriesSent += entries.length;
    let promise: Promise<PutResult>;
    try {
      promise = this.opts.put(entries, this.abort.signal);
    } catch (err) {
      promise = Promise.reject(err);
    }
    promise.then(
      (result) => {
        this.inFlight--;
        if (this.closed || this.failure !== null) return;
        this.onResult(entries, result);
        this.pump();
      },
      (err: unknown) => {
        this.inFlight--;
        if (this.closed || this.failure !== null) return;
        this.onRequestError(entries, err);
        this.pump();
      },
    );
  }

  private onResult(entries: readonly Entry[], result: PutResult): void {
    const records = result.Records ?? [];
    if (records.length !== entries.length) {
      this.fail(
        new TransientError(
          `PutRecords to ${this.opts.streamName} answered ${records.length} results for ${entries.length} entries`,
        ),
      );
      return;
    }
    let throttled = false;
    for (let i = 0; i < entries.length; i++) {
      const r = records[i]!;
      const e = entries[i]!;
      if (r.ErrorCode === undefined || r.ErrorCode === null || r.ErrorCode === '') {
        this.accepted(e);
        continue;
      }
      const verdict = classifyEntryError(r.ErrorCode, r.ErrorMessage, this.opts.streamName);
      if (verdict !== 'retry') {
        this.fail(verdict);
        return;
      }
      if (isThrottling(r.ErrorCode)) throttled = true;
      this.retryLater(e, r.ErrorCode, r.ErrorMessage);
      if (this.failure !== null) return;
    }
    if (throttled) this.slowDown();
    else this.speedUp();
  }

  private onRequestError(entries: readonly Entry[], err: unknown): void {
    this.stats.requestsFailed++;
    const verdict = classifyRequestError(err, this.opts.streamName);
    if (verdict !== 'retry') {
      this.fail(verdict);
      return;
    }
    const name = errorName(err);
    if (isThrottling(name)) this.slowDown();
    for (const e of entries) {
      this.retryLater(e, name, errorMessage(err));
      if (this.failure !== null) return;
    }
  }

  private accepted(e: Entry): void {
    if (e.item !== null) this.acknowledge(e.item);
    else for (const item of e.items!) this.acknowledge(item);
    if (e.key !== null) {
      // The next record of this key (if any) becomes ready; otherwise the key is free again.
      const waiting = this.claimed.get(e.key);
      const next = waiting?.shift();
      if (next === undefined) this.claimed.delete(e.key);
      else this.free.push(next);
      return;
    }
    const lane = e.lane;
    if (lane === null) return;
    lane.busy = false;
    if (lane.queue.length > 0) {
      lane.ready = true;
      this.readyLanes.push(lane);
    }
  }

  private acknowledge(item: Item): void {
    this.stats.recordsAcked++;
    const batch = item.batch;
    batch.pending--;
    if (batch.pending === 0 && batch.closed) this.settle(batch);
  }

  private retryLater(e: Entry, code: string, message: string | undefined): void {
    e.attempts++;
    if (isThrottling(code)) this.stats.throttled++;
    if (e.attempts > this.opts.maxRetries) {
      this.fail(
        new TransientError(
          `Kinesis did not accept ${e.items === null ? 'a record' : `an entry of ${e.items.length} records`} of stream ${this.opts.streamName} after ${e.attempts} attempts (last error ${code}${message ? `: ${message}` : ''}); give the stream more capacity (shards) or raise maxRetries`,
          { retryable: false },
        ),
      );
      return;
    }
    this.stats.entriesRetried++;
    this.noteRetry(code);
    const delay = backoffDelay(
      e.attempts,
      this.opts.retryBaseDelayMs,
      this.opts.retryMaxDelayMs,
      this.opts.random,
    );
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      this.retryReady.push(e);
      this.pump();
    }, delay);
    this.timers.add(timer);
  }

  private noteRetry(code: string): void {
    this.retriesSinceLog++;
    this.codesSinceLog.set(code, (this.codesSinceLog.get(code) ?? 0) + 1);
    const now = Date.now();
    if (now - this.lastRetryLog < 10_000) return;
    this.lastRetryLog = now;
    const codes = [...this.codesSinceLog].map(([c, n]) => `${c} ×${n}`).join(', ');
    this.opts.logger?.warn(
      `stream ${this.opts.streamName}: Kinesis refused ${this.retriesSinceLog} entr${this.retriesSinceLog === 1 ? 'y' : 'ies'} (${codes}); resending them with backoff (window ${Math.floor(this.window)} requests)`,
    );
    this.retriesSinceLog = 0;
    this.codesSinceLog.clear();
  }

  /**
   * Kinesis said "too fast": halve the requests in flight, and pause new requests of this stream
   * for a backoff that grows while answers keep reporting throttling (the shards' token buckets
   * refill meanwhile; resent entries also wait their own backoff).
   */
  private slowDown(): void {
    const now = Date.now();
    this.throttleStreak++;
    const pause = backoffDelay(
      this.throttleStreak,
      Math.min(50, this.opts.retryBaseDelayMs),
      this.opts.retryMaxDelayMs,
      this.opts.random,
    );
    if (now + pause > this.pausedUntil) {
      this.pausedUntil = now + pause;
      if (this.pauseTimer) clearTimeout(this.pauseTimer);
      this.pauseTimer = setTimeout(() => {
        this.pauseTimer = null;
        this.pump();
      }, pause);
    }
    if (now - this.lastDecrease < 100) return;
    this.lastDecrease = now;
    this.window = Math.max(1, this.window / 2);
  }

  private speedUp(): void {
    this.throttleStreak = 0;
    if (this.window < this.opts.maxInFlight) {
      this.window = Math.min(this.opts.maxInFlight, this.window + 1 / Math.max(1, this.window));
    }
  }

  private fail(err: unknown): void {
    if (this.failure !== null) return;
    this.failure = err;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    if (this.pauseTimer) clearTimeout(this.pauseTimer);
    this.abort.abort(err);
    for (const b of [...this.unsettled]) this.rejectBatch(b, err);
  }
}

function plainEntry(
  item: Item,
  partitionKey: string,
  explicitHashKey: string | undefined,
  lane: Lane | null,
  key: string | null,
): Entry {
  const pkBytes =
    item.pk === partitionKey ? item.bytes - item.data.length : Buffer.byteLength(partitionKey, 'utf8');
  return {
    Data: item.data,
    PartitionKey: partitionKey,
    ExplicitHashKey: explicitHashKey,
    bytes: item.data.length + pkBytes,
    item,
    items: null,
    lane,
    key,
    attempts: 0,
  };
}
