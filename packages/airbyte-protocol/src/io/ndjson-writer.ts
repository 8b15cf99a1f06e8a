export interface NdjsonWriterOptions {
  /**
   * Hand the buffer to the stream once it holds this many bytes. Default 64 KiB: batched 4-64 KB
   * writes are ~2x faster than one write per line.
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
/** Room kept beyond `flushBytes`, so that the line that crosses it usually fits. */
const SLACK_BYTES = 64 * 1024;
const NEWLINE = 0x0a;
const EMPTY = new Uint8Array(0);

/**
 * Buffered NDJSON output for stdout that respects backpressure.
 *
 * Lines are encoded to UTF-8 straight into a reusable byte buffer (no string concatenation, no
 * second encoding pass when the buffer is handed to the stream); `writeFramed` adds a line made of
 * ready-made byte pieces around a body, for sources that serialise their records themselves.
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

  readonly #capacity: number;
  /** The bytes not handed to the stream yet: `#buffer[0, #used)`; allocated on first use. */
  #buffer: Buffer | undefined;
  #used = 0;
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
    this.#capacity = this.#flushBytes + SLACK_BYTES;
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

  /** Bytes waiting in the buffer. */
  get bufferedLength(): number {
    return this.#used;
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
    return this.#append(EMPTY, stringify(value), EMPTY, 0, 0, false, this.#immediate);
  }

  /** Buffers one already-serialised line; it must not contain '\n'. */
  writeLine(line: string): boolean {
    return this.#append(EMPTY, line, EMPTY, 0, 0, true, this.#immediate);
  }

  /** Writes `value` and everything buffered before it to the stream now. */
  writeNow(value: unknown): boolean {
    return this.#append(EMPTY, stringify(value), EMPTY, 0, 0, false, true);
  }

  /** Like `writeNow()` for an already-serialised line. */
  writeLineNow(line: string): boolean {
    return this.#append(EMPTY, line, EMPTY, 0, 0, true, true);
  }

  /**
   * Buffers one line made of three pieces: `head` (UTF-8 bytes), the body (a string, or the
   * UTF-8 bytes `body[start, end)`), then `tail` (UTF-8 bytes); the writer adds the '\n'. The
   * pieces are copied as they are: the caller guarantees that they join into valid UTF-8 (a JSON
   * text, for NDJSON) and that head and tail hold no '\n'; the body is checked for one (a native
   * byte search, far cheaper than the encoding). Returns false like `write()`.
   */
  writeFramed(head: Uint8Array, body: string | Uint8Array, tail: Uint8Array, start = 0, end = -1): boolean {
    return this.#append(head, body, tail, start, end < 0 ? body.length : end, true, this.#immediate);
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

  #append(
    head: Uint8Array,
    body: string | Uint8Array,
    tail: Uint8Array,
    start: number,
    end: number,
    checkNewline: boolean,
    now: boolean,
  ): boolean {
    if (this.#ended) throw new Error('NdjsonWriter: write after end()');
    if (this.#error !== undefined) return true;
    const text = typeof body === 'string';
    // Room for the line: a string's UTF-8 takes at most 3 bytes per UTF-16 unit; its exact length
    // is only computed when that bound does not fit.
    const frame = head.length + tail.length + 1;
    let size = frame + (text ? body.length * 3 : end - start);
    let buffer = this.#buffer;
    if (buffer === undefined || size > buffer.length - this.#used) {
      if (text && size > frame + 64) size = frame + Buffer.byteLength(body, 'utf8');
      if (buffer === undefined || size > buffer.length - this.#used) {
        if (this.#used > 0) this.#flushBuffer();
        buffer = this.#take(size);
      }
    }
    let at = this.#used;
    if (head.length > 0) at += copyBytes(head, buffer, at);
    const bodyStart = at;
    if (text) at += utf8Write(buffer, body, at);
    else if (end > start) at += copyRange(body, start, end, buffer, at);
    if (tail.length > 0) at += copyBytes(tail, buffer, at);
    buffer[at] = NEWLINE;
    // The first '\n' from the body on must be the one just written (a bounded native search).
    if (checkNewline && buffer.indexOf(NEWLINE, bodyStart) !== at) {
      throw new TypeError('NdjsonWriter: a line must not contain "\\n"');
    }
    this.#used = at + 1;
    this.#bufferedLines++;
    if (now || this.#used >= this.#flushBytes) this.#flushBuffer();
    else if (this.#timer === undefined && this.#flushIntervalMs > 0) this.#startTimer();
    return !this.#needDrain;
  }

  /**
   * A new buffer for at least `size` bytes. A buffer handed to the stream is never written again:
   * a stream may keep the chunks it was given.
   */
  #take(size: number): Buffer {
    const buffer = Buffer.allocUnsafeSlow(Math.max(size, this.#capacity));
    this.#buffer = buffer;
    this.#used = 0;
    return buffer;
  }

  #flushBuffer(): void {
    this.#clearTimer();
    const buffer = this.#buffer;
    if (buffer === undefined || this.#used === 0 || this.#error !== undefined) return;
    const chunk = buffer.subarray(0, this.#used);
    const lines = this.#bufferedLines;
    this.#buffer = undefined;
    this.#used = 0;
    this.#bufferedLines = 0;
    this.#issued++;
    let ok: boolean;
    try {
      ok = this.#out.write(chunk, this.#onWritten);
    } catch (error) {
      this.#fail(toError(error));
      return;
    }
    this.#bytesWritten += chunk.length;
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
    this.#buffer = undefined;
    this.#used = 0;
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

/** Copies all of `src` into `dst` at `at` (TypedArray#set: the cheapest copy for short pieces too). */
function copyBytes(src: Uint8Array, dst: Buffer, at: number): number {
  dst.set(src, at);
  return src.length;
}

/**
 * Encodes `s` as UTF-8 into `dst` at `at` (room checked by the caller); returns the bytes written.
 * Node's `utf8Write` skips the argument juggling of `Buffer#write` (a third of its cost for a
 * record-sized string); `write` is the fallback should it ever go away.
 */
const utf8Write: (dst: Buffer, s: string, at: number) => number =
  typeof (Buffer.prototype as unknown as { utf8Write?: unknown }).utf8Write === 'function'
    ? (dst, s, at) => (dst as unknown as { utf8Write(s: string, at: number): number }).utf8Write(s, at)
    : (dst, s, at) => dst.write(s, at, 'utf8');

function copyRange(src: Uint8Array, start: number, end: number, dst: Buffer, at: number): number {
  dst.set(start === 0 && end === src.length ? src : src.subarray(start, end), at);
  return end - start;
}

function toError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
