export interface NdjsonWriterOptions {
  /**
   * Hand the buffer to the stream once it holds this many characters (UTF-16 code units, a cheap
   * stand-in for bytes). Default 64 KiB: batched 4-64 KB writes are ~2x faster than one write
   * per line.
   */
  flushBytes?: number;
  /**
   * Also flush a non-empty buffer at most this long after its first line, so a trickle of
   * messages is not held back indefinitely. Default 1000 ms; 0 disables the timer. The timer is
   * unref'd: call `flush()` or `end()` before exiting.
   */
  flushIntervalMs?: number;
  /** Flush after every write (for low-volume, latency-sensitive output). Default false. */
  immediate?: boolean;
  /** Call `out.end()` from `end()`. Default false: a connector never closes its stdout. */
  endOutput?: boolean;
  /**
   * Called once when the output fails (typically `EPIPE`: the reader of stdout went away).
   * Afterwards writes are discarded, `write()` returns true and the promises resolve, so the
   * caller is never stuck; check `writer.error` or stop producing from this callback.
   */
  onError?: (error: Error) => void;
}

const DEFAULT_FLUSH_BYTES = 64 * 1024;
const DEFAULT_FLUSH_INTERVAL_MS = 1000;

/**
 * Buffered NDJSON output for stdout that respects backpressure.
 *
 * Rule for connectors: sources buffer RECORDs (and their STATEs, which stay in order behind
 * them) and flush at the end; a destination must get each STATE to stdout promptly once the
 * records before it are committed, so it emits states with `writeNow()` (or flushes after each
 * batch of states). Use `writeNow()` also for TRACE errors and anything else that must not wait
 * behind the buffer.
 */
export class NdjsonWriter {
  readonly #out: NodeJS.WritableStream;
  readonly #flushBytes: number;
  readonly #flushIntervalMs: number;
  readonly #immediate: boolean;
  readonly #endOutput: boolean;
  readonly #onError: ((error: Error) => void) | undefined;

  #buffer = '';
  #bufferedLines = 0;
  #timer: NodeJS.Timeout | undefined;
  #bytesWritten = 0;
  #linesWritten = 0;
  #error: Error | undefined;
  #ended = false;

  #needDrain = false;
  #drainWaiters: Array<() => void> = [];
  /** Writes handed to the stream / write callbacks fired; callbacks fire in order. */
  #issued = 0;
  #completed = 0;
  #flushWaiters: Array<{ upTo: number; resolve: () => void }> = [];

  constructor(out: NodeJS.WritableStream, opts: NdjsonWriterOptions = {}) {
    this.#out = out;
    this.#flushBytes = Math.max(1, opts.flushBytes ?? DEFAULT_FLUSH_BYTES);
    this.#flushIntervalMs = Math.max(0, opts.flushIntervalMs ?? DEFAULT_FLUSH_INTERVAL_MS);
    this.#immediate = opts.immediate ?? false;
    this.#endOutput = opts.endOutput ?? false;
    this.#onError = opts.onError;
    out.on('error', this.#fail);
  }

  /** UTF-8 bytes handed to the stream. */
  get bytesWritten(): number {
    return this.#bytesWritten;
  }

  /** Lines handed to the stream (buffered lines are not counted until flushed). */
  get linesWritten(): number {
    return this.#linesWritten;
  }

  /** Characters waiting in the buffer. */
  get bufferedLength(): number {
    return this.#buffer.length;
  }

  /** The output error, once one happened. */
  get error(): Error | undefined {
    return this.#error;
  }

  /** True while the stream has signalled backpressure and not drained yet. */
  get needsDrain(): boolean {
    return this.#needDrain;
  }

  /**
   * Buffers `JSON.stringify(value)` + '\n'. Returns false when the stream signalled
   * backpressure: `await writer.drained()` before writing more.
   */
  write(value: unknown): boolean {
    return this.#append(stringify(value), this.#immediate);
  }

  /** Buffers one already-serialised line; it must not contain '\n'. */
  writeLine(line: string): boolean {
    return this.#append(checkLine(line), this.#immediate);
  }

  /** Writes `value` and everything buffered before it to the stream now. */
  writeNow(value: unknown): boolean {
    return this.#append(stringify(value), true);
  }

  /** Like `writeNow()` for an already-serialised line. */
  writeLineNow(line: string): boolean {
    return this.#append(checkLine(line), true);
  }

  /** Resolves when the stream has no pending backpressure (at once if it has none). */
  drained(): Promise<void> {
    if (!this.#needDrain) return Promise.resolve();
    return new Promise((resolve) => this.#drainWaiters.push(resolve));
  }

  /** Writes the buffer and resolves once the stream has handed every write so far to the OS. */
  flush(): Promise<void> {
    this.#flushBuffer();
    if (this.#error !== undefined || this.#completed >= this.#issued) return Promise.resolve();
    const upTo = this.#issued;
    return new Promise((resolve) => this.#flushWaiters.push({ upTo, resolve }));
  }

  /**
   * Flushes and stops the timer; ends the stream only with `endOutput: true`. The error listener
   * stays attached, so an EPIPE surfacing after the last write is still reported, not thrown.
   */
  async end(): Promise<void> {
    if (this.#ended) return;
    await this.flush();
    this.#ended = true;
    this.#clearTimer();
    if (this.#endOutput && this.#error === undefined) {
      await new Promise<void>((resolve) => {
        try {
          this.#out.end(resolve);
        } catch (error) {
          this.#fail(toError(error));
          resolve();
        }
      });
    }
  }

  #append(line: string, now: boolean): boolean {
    if (this.#ended) throw new Error('NdjsonWriter: write after end()');
    if (this.#error !== undefined) return true;
    this.#buffer += line + '\n';
    this.#bufferedLines++;
    if (now || this.#buffer.length >= this.#flushBytes) this.#flushBuffer();
    else if (this.#timer === undefined && this.#flushIntervalMs > 0) this.#startTimer();
    return !this.#needDrain;
  }

  #flushBuffer(): void {
    this.#clearTimer();
    if (this.#buffer.length === 0 || this.#error !== undefined) return;
    const chunk = this.#buffer;
    const lines = this.#bufferedLines;
    this.#buffer = '';
    this.#bufferedLines = 0;
    this.#issued++;
    let ok: boolean;
    try {
      ok = this.#out.write(chunk, this.#onWritten);
    } catch (error) {
      this.#fail(toError(error));
      return;
    }
    this.#bytesWritten += Buffer.byteLength(chunk, 'utf8');
    this.#linesWritten += lines;
    if (!ok && !this.#needDrain) {
      this.#needDrain = true;
      this.#out.once('drain', this.#onDrain);
    }
  }

  readonly #onWritten = (error?: Error | null): void => {
    this.#completed++;
    if (error) {
      this.#fail(error);
      return;
    }
    if (this.#flushWaiters.length === 0) return;
    const still: Array<{ upTo: number; resolve: () => void }> = [];
    for (const waiter of this.#flushWaiters) {
      if (waiter.upTo <= this.#completed) waiter.resolve();
      else still.push(waiter);
    }
    this.#flushWaiters = still;
  };

  readonly #onDrain = (): void => {
    this.#needDrain = false;
    const waiters = this.#drainWaiters;
    this.#drainWaiters = [];
    for (const resolve of waiters) resolve();
  };

  readonly #fail = (error: Error): void => {
    if (this.#error !== undefined) return;
    this.#error = error;
    this.#buffer = '';
    this.#bufferedLines = 0;
    this.#clearTimer();
    this.#out.removeListener('drain', this.#onDrain);
    // Nobody is reading any more: release everyone who waits on the stream.
    this.#onDrain();
    const flushWaiters = this.#flushWaiters;
    this.#flushWaiters = [];
    for (const waiter of flushWaiters) waiter.resolve();
    this.#onError?.(error);
  };

  #startTimer(): void {
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#flushBuffer();
    }, this.#flushIntervalMs);
    this.#timer.unref();
  }

  #clearTimer(): void {
    if (this.#timer === undefined) return;
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}

function stringify(value: unknown): string {
  const json = JSON.stringify(value);
  if (json === undefined) throw new TypeError(`NdjsonWriter: cannot serialise a ${typeof value}`);
  return json;
}

function checkLine(line: string): string {
  if (line.includes('\n')) throw new TypeError('NdjsonWriter: a line must not contain "\\n"');
  return line;
}

function toError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
