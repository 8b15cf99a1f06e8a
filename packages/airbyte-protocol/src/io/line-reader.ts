import { type LineHandler, LineSplitter } from './line-splitter.js';

export interface LineReadStats {
  /** Lines seen, blank ones included (the number of the last line delivered or skipped). */
  lines: number;
  /** Bytes received from the input, including any not delivered because of `stop()`. */
  bytes: number;
}

export interface LineReaderHandle<S extends LineReadStats = LineReadStats> {
  /** Resolves at the end of input or after `stop()`; rejects on an input error or a handler throw. */
  readonly done: Promise<S>;
  /** Counters so far. */
  readonly stats: Readonly<S>;
  readonly paused: boolean;
  /** Stops delivery immediately, even mid-chunk, and pauses the input. */
  pause(): void;
  /** Delivers the lines held back (synchronously, may pause again), then resumes the input. */
  resume(): void;
  /**
   * Stops reading for good (e.g. on SIGTERM): detaches from the input, drops lines not yet
   * delivered, and resolves `done` with the counts so far. Safe to call from a line handler.
   */
  stop(): void;
}

/**
 * Reads lines from a stream (usually `process.stdin`) through a {@link LineSplitter}: no
 * readline, no promise per line. Lines are delivered synchronously from the 'data' event;
 * a handler returning `false` pauses the input until `resume()`, and a handler that throws
 * stops the reader and rejects `done` (never an uncaught exception).
 */
export function readLines(input: NodeJS.ReadableStream, onLine: LineHandler): LineReaderHandle {
  return new LineReader(input, onLine);
}

class LineReader implements LineReaderHandle {
  readonly done: Promise<LineReadStats>;
  readonly #input: NodeJS.ReadableStream;
  readonly #splitter: LineSplitter;
  #bytes = 0;
  #resolve!: (stats: LineReadStats) => void;
  #reject!: (error: unknown) => void;
  #settled = false;
  #inputEnded = false;

  constructor(input: NodeJS.ReadableStream, onLine: LineHandler) {
    this.#input = input;
    this.#splitter = new LineSplitter(onLine);
    this.done = new Promise<LineReadStats>((resolve, reject) => {
      this.#resolve = resolve;
      this.#reject = reject;
    });
    input.on('data', this.#onData);
    input.on('end', this.#onEnd);
    // A destroyed stream emits 'close' without 'end': treat it as the end of input.
    input.on('close', this.#onEnd);
    input.on('error', this.#onError);
    // A stream paused before it was handed over would not flow just because of the listener.
    input.resume();
  }

  get stats(): Readonly<LineReadStats> {
    return { lines: this.#splitter.lineCount, bytes: this.#bytes };
  }

  get paused(): boolean {
    return this.#splitter.paused;
  }

  pause(): void {
    if (this.#settled) return;
    this.#splitter.pause();
    this.#input.pause();
  }

  resume(): void {
    if (this.#settled) return;
    this.#guard(() => this.#splitter.resume());
    if (this.#settled || this.#splitter.paused) return;
    if (this.#inputEnded) this.#finishIfDone();
    else this.#input.resume();
  }

  stop(): void {
    if (this.#settled) return;
    this.#settle();
    this.#resolve(this.stats);
  }

  readonly #onData = (chunk: Buffer | string): void => {
    if (this.#settled) return;
    this.#bytes += typeof chunk === 'string' ? Buffer.byteLength(chunk, 'utf8') : chunk.length;
    this.#guard(() => this.#splitter.push(chunk));
    // A handler asked for backpressure: hold the input until resume().
    if (!this.#settled && this.#splitter.paused) this.#input.pause();
  };

  readonly #onEnd = (): void => {
    if (this.#settled || this.#inputEnded) return;
    this.#inputEnded = true;
    this.#guard(() => this.#splitter.end());
    this.#finishIfDone();
  };

  readonly #onError = (error: unknown): void => {
    if (this.#settled) return;
    this.#settle();
    this.#reject(error);
  };

  /** Runs splitter work; a handler exception stops the reader and rejects `done`. */
  #guard(work: () => void): void {
    try {
      work();
    } catch (error) {
      if (this.#settled) return;
      this.#settle();
      this.#reject(error);
    }
  }

  #finishIfDone(): void {
    if (this.#settled || !this.#inputEnded || !this.#splitter.finished) return;
    this.#settle();
    this.#resolve(this.stats);
  }

  /** Detaches from the input; after this no handler is called again. */
  #settle(): void {
    this.#settled = true;
    this.#splitter.discard();
    const input = this.#input;
    input.removeListener('data', this.#onData);
    input.removeListener('end', this.#onEnd);
    input.removeListener('close', this.#onEnd);
    input.removeListener('error', this.#onError);
    // Keep a listener so a late stream error cannot become an uncaught exception.
    input.on('error', ignoreError);
    input.pause();
  }
}

function ignoreError(): void {}
