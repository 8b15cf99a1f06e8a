import { Worker } from 'node:worker_threads';
import { ConfigError, SystemError, TransientError } from '@tributary/airbyte-protocol';
import { MAX_RECORD_BYTES } from './limits.js';
import { partitionKeyBytes, type RecordSink } from './record-sink.js';
import type { SenderLogger, SenderStats } from './sender.js';
import type {
  RemoteSenderOptions,
  WorkerCommand,
  WorkerError,
  WorkerInit,
  WorkerReply,
} from './worker-protocol.js';

/** Room of a fresh chunk of record bytes (records larger than a third of it get a chunk of their own). */
const CHUNK_BYTES = 256 * 1024;

/** The error a failure on the sender thread stands for, with its failure type and retryability. */
function errorFrom(e: WorkerError): Error {
  const options = {
    retryable: e.retryable,
    ...(e.internalMessage !== undefined ? { internalMessage: e.internalMessage } : {}),
  };
  switch (e.name) {
    case 'ConfigError':
      return new ConfigError(e.message, options);
    case 'TransientError':
      return new TransientError(e.message, options);
    default:
      return new SystemError(e.message, options);
  }
}

/**
 * The streams' senders on a worker thread (sender-worker.ts): batching, per-key order, retries
 * with backoff and the PutRecords calls run there, in parallel with this thread reading,
 * parsing and formatting records. Each stream's records cross in chunks of UTF-8 bytes
 * (transferred, not copied); a flush crosses as a marker after them and comes back when Kinesis
 * accepted everything before it.
 */
export class SenderThread {
  private readonly worker: Worker;
  private readonly sinks = new Map<number, RemoteSink>();
  private nextSid = 1;
  private dead: Error | null = null;
  private readonly exited: Promise<void>;

  constructor(
    init: WorkerInit,
    private readonly logger: SenderLogger,
    /** The worker's module (tests only: the built sender-worker.js beside this module otherwise). */
    workerUrl: URL = new URL('./sender-worker.js', import.meta.url),
  ) {
    this.worker = new Worker(workerUrl, { workerData: init });
    this.worker.on('message', (m: WorkerReply) => this.onReply(m));
    this.worker.on('error', (err) =>
      this.die(new SystemError(`the sender thread failed: ${err.message}`, { cause: err })),
    );
    this.exited = new Promise((resolve) => {
      this.worker.once('exit', (code) => {
        this.die(new SystemError(`the sender thread exited (code ${code})`));
        resolve();
      });
    });
  }

  /** A stream's sender on the thread; records are posted every `postEvery` records and at flushes. */
  open(options: RemoteSenderOptions, postEvery: number): RecordSink {
    const sid = this.nextSid++;
    const sink = new RemoteSink(this, sid, Math.max(1, postEvery));
    this.sinks.set(sid, sink);
    this.post({ type: 'open', sid, options });
    return sink;
  }

  /** The error that stopped the thread, if it stopped. */
  get failure(): Error | null {
    return this.dead;
  }

  post(command: WorkerCommand, transfer?: readonly ArrayBuffer[]): void {
    if (this.dead === null) this.worker.postMessage(command, transfer as ArrayBuffer[] | undefined);
  }

  /** Stops the thread once its senders are closed (they are, after the sync's last flush). */
  async close(): Promise<void> {
    if (this.dead === null) {
      this.post({ type: 'shutdown' });
      const timer = setTimeout(() => void this.worker.terminate(), 5_000);
      await this.exited;
      clearTimeout(timer);
    }
  }

  private onReply(m: WorkerReply): void {
    if (m.type === 'log') {
      if (m.level === 'warn') this.logger.warn(m.message);
      else this.logger.info(m.message);
      return;
    }
    const sink = this.sinks.get(m.sid);
    if (sink === undefined) return;
    if (m.type === 'flushed') sink.settle(m.fid, null);
    else if (m.type === 'flush-failed') sink.settle(m.fid, errorFrom(m.error));
    else {
      this.sinks.delete(m.sid);
      sink.closed(m.stats);
    }
  }

  private die(err: Error): void {
    if (this.dead !== null) return;
    this.dead = err;
    for (const sink of this.sinks.values()) sink.fail(err);
    this.sinks.clear();
  }
}

/** The statistics of a sender lost with its thread. */
function noStats(): SenderStats {
  return { requests: 0, entriesSent: 0, recordsAcked: 0, entriesRetried: 0, requestsFailed: 0, throttled: 0 };
}

interface Waiter {
  resolve(): void;
  reject(err: unknown): void;
}

/** One stream's records on their way to its sender on the thread. */
class RemoteSink implements RecordSink {
  private chunk = Buffer.allocUnsafeSlow(CHUNK_BYTES);
  private at = 0;
  private ends: number[] = [];
  private keys: Array<string | null> = [];
  private nextFid = 1;
  private readonly flushes = new Map<number, Waiter>();
  private onClosed: ((stats: SenderStats) => void) | null = null;
  private failure: Error | null = null;

  constructor(
    private readonly thread: SenderThread,
    private readonly sid: number,
    private readonly postEvery: number,
  ) {}

  add(pk: string | null, text: string): number {
    if (this.failure !== null) return 0;
    // UTF-8 takes at most 3 bytes per UTF-16 code unit: make sure the text fits whole.
    const most = text.length * 3;
    if (most > this.chunk.length - this.at) {
      this.post();
      if (most > this.chunk.length) this.chunk = Buffer.allocUnsafeSlow(most);
    }
    const n = this.chunk.write(text, this.at, 'utf8');
    // The exact key size only matters near the limit (a key is at most 256 characters).
    if (n + 768 > MAX_RECORD_BYTES) {
      const bytes = n + partitionKeyBytes(pk);
      if (bytes > MAX_RECORD_BYTES) return bytes;
    }
    this.at += n;
    this.ends.push(this.at);
    this.keys.push(pk);
    if (this.ends.length >= this.postEvery) this.post();
    return 0;
  }

  flush(): Promise<void> {
    if (this.failure !== null) return Promise.reject(this.failure);
    this.post();
    const fid = this.nextFid++;
    const done = new Promise<void>((resolve, reject) => this.flushes.set(fid, { resolve, reject }));
    this.thread.post({ type: 'flush', sid: this.sid, fid });
    return done;
  }

  /** Never rejects (like LocalSink): a failed stream's error reached its flush already. */
  close(): Promise<SenderStats> {
    return new Promise<SenderStats>((resolve) => {
      if (this.thread.failure !== null) resolve(noStats());
      else {
        this.onClosed = resolve;
        this.thread.post({ type: 'close', sid: this.sid });
      }
    });
  }

  settle(fid: number, err: Error | null): void {
    const w = this.flushes.get(fid);
    if (w === undefined) return;
    this.flushes.delete(fid);
    if (err === null) w.resolve();
    else {
      this.failure ??= err;
      w.reject(err);
    }
  }

  closed(stats: SenderStats): void {
    this.onClosed?.(stats);
    this.onClosed = null;
  }

  fail(err: Error): void {
    this.failure ??= err;
    for (const w of this.flushes.values()) w.reject(err);
    this.flushes.clear();
    this.onClosed?.(noStats());
    this.onClosed = null;
  }

  /**
   * Hands the records added since the last post to the thread. A well-filled chunk is transferred
   * (no copy); a mostly empty one (a flush of a few records) goes as a copy of its used bytes and
   * is kept for reuse: the thread holds what it is given until Kinesis accepted every record in
   * it, and many streams flushing a few records each must not pin a chunk each.
   */
  private post(): void {
    const n = this.ends.length;
    if (n === 0) return;
    const ends = Uint32Array.from(this.ends);
    let data: ArrayBuffer;
    if (this.at * 4 < this.chunk.length) {
      data = (this.chunk.buffer as ArrayBuffer).slice(0, this.at);
    } else {
      data = this.chunk.buffer as ArrayBuffer;
      this.chunk = Buffer.allocUnsafeSlow(CHUNK_BYTES);
    }
    this.thread.post({ type: 'records', sid: this.sid, data, ends, keys: this.keys }, [data, ends.buffer]);
    this.at = 0;
    this.ends = [];
    this.keys = [];
  }
}
