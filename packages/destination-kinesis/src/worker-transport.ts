import { Worker } from 'node:worker_threads';
import { SystemError } from '@tributary/airbyte-protocol';
import type { PutEntry, PutRecordsFn, PutResult, PutResultEntry } from './put-records.js';
import type { PutReply, WorkerError, WorkerInit } from './worker-protocol.js';

interface Pending {
  resolve(result: PutResult): void;
  reject(err: unknown): void;
  cleanup(): void;
}

const ACCEPTED: PutResultEntry = Object.freeze({});

/** An Error carrying what the sender's classification reads (name, code, HTTP status, `$retryable`). */
function errorFrom(e: WorkerError): Error {
  const err = new Error(e.message) as Error & Record<string, unknown>;
  err.name = e.name;
  if (e.code !== undefined) err.code = e.code;
  if (e.status !== undefined) err.$metadata = { httpStatusCode: e.status };
  if (e.retryable) err.$retryable = {};
  return err;
}

/**
 * PutRecords calls made on a worker thread (put-worker.ts), so that the SDK's per-request work —
 * base64 and JSON serialisation, SHA-256 signing, parsing the answer — runs in parallel with the
 * main thread reading and formatting records. Each request's data goes over in one transferred
 * buffer; the answer comes back as the refused entries only.
 */
export class PutWorker {
  private readonly worker: Worker;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private dead: Error | null = null;
  private exited: Promise<void>;

  constructor(init: WorkerInit) {
    this.worker = new Worker(new URL('./put-worker.js', import.meta.url), { workerData: init });
    this.worker.on('message', (m: PutReply) => this.onReply(m));
    this.worker.on('error', (err) =>
      this.die(new SystemError(`the PutRecords thread failed: ${err.message}`, { cause: err })),
    );
    this.exited = new Promise((resolve) => {
      this.worker.once('exit', (code) => {
        this.die(new SystemError(`the PutRecords thread exited (code ${code})`));
        resolve();
      });
    });
  }

  /** The PutRecordsFn of one stream. */
  putter(stream: string): PutRecordsFn {
    return (entries, signal) => this.put(stream, entries, signal);
  }

  put(stream: string, entries: readonly PutEntry[], signal: AbortSignal): Promise<PutResult> {
    if (this.dead) return Promise.reject(this.dead);
    const n = entries.length;
    let total = 0;
    for (let i = 0; i < n; i++) total += entries[i]!.Data.length;
    const data = new ArrayBuffer(total);
    const bytes = new Uint8Array(data);
    const offsets = new Array<number>(n + 1);
    const keys = new Array<string>(n);
    let hashKeys: Array<string | null> | null = null;
    let at = 0;
    for (let i = 0; i < n; i++) {
      const e = entries[i]!;
      offsets[i] = at;
      bytes.set(e.Data, at);
      at += e.Data.length;
      keys[i] = e.PartitionKey;
      if (e.ExplicitHashKey !== undefined) {
        hashKeys ??= new Array<string | null>(n).fill(null);
        hashKeys[i] = e.ExplicitHashKey;
      }
    }
    offsets[n] = at;
    const id = this.nextId++;
    return new Promise<PutResult>((resolve, reject) => {
      const onAbort = () => this.worker.postMessage({ type: 'cancel', id });
      signal.addEventListener('abort', onAbort, { once: true });
      this.pending.set(id, { resolve, reject, cleanup: () => signal.removeEventListener('abort', onAbort) });
      this.worker.postMessage({ type: 'put', id, stream, data, offsets, keys, hashKeys }, [data]);
    });
  }

  /** Stops the thread once its requests are answered or cancelled. */
  async close(): Promise<void> {
    if (!this.dead) {
      this.worker.postMessage({ type: 'close' });
      const timer = setTimeout(() => void this.worker.terminate(), 5_000);
      await this.exited;
      clearTimeout(timer);
    }
  }

  private onReply(m: PutReply): void {
    const p = this.pending.get(m.id);
    if (p === undefined) return;
    this.pending.delete(m.id);
    p.cleanup();
    if (!m.ok) {
      p.reject(errorFrom(m.error));
      return;
    }
    const records = new Array<PutResultEntry>(m.count).fill(ACCEPTED);
    for (const [i, code, message] of m.failures) records[i] = { ErrorCode: code, ErrorMessage: message };
    p.resolve({ FailedRecordCount: m.failures.length, Records: records });
  }

  private die(err: Error): void {
    if (this.dead) return;
    this.dead = err;
    for (const p of this.pending.values()) {
      p.cleanup();
      p.reject(err);
    }
    this.pending.clear();
  }
}
