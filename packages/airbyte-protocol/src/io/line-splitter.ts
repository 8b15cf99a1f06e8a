import { isAscii } from 'node:buffer';
import { StringDecoder } from 'node:string_decoder';

/**
 * Receives one line (without its '\n' or trailing '\r'), its 1-based line number and its exact
 * UTF-8 length in bytes. Returning `false` pauses the splitter: no further line is delivered
 * until `resume()`.
 */
// biome-ignore lint/suspicious/noConfusingVoidType: handlers that return nothing must type-check.
export type LineHandler = (line: string, lineNo: number, byteLength: number) => boolean | void;

const LF = '\n';
const CR = 13;
const BOM = 0xfeff;

/**
 * Splits a byte stream into lines, as fast as Node allows (see performance notes: a
 * StringDecoder per chunk plus string `indexOf('\n')` beat readline by ~25%).
 *
 * - Any line length: a line spanning many chunks is carried as a partial tail; only the new
 *   chunk is scanned, so a long line costs O(length), not O(length x chunks).
 * - Multi-byte UTF-8 characters split across chunks are reassembled by the StringDecoder.
 * - CRLF: a trailing '\r' is stripped, also when '\r' and '\n' arrive in different chunks.
 * - Blank lines (only ASCII spaces, tabs and other control characters) are skipped but still
 *   count for line numbers.
 * - A UTF-8 byte order mark at the very start of the input is dropped.
 * - `end()` delivers a final line that has no '\n'.
 *
 * The byte length is exact. It is free for lines inside an all-ASCII Buffer chunk (one
 * `isAscii` check per chunk); other lines pay one `Buffer.byteLength` (~10% of a JSON.parse).
 *
 * Do not mix Buffer and string chunks in the middle of a multi-byte character: string chunks
 * bypass the decoder. If `onLine` throws, the exception propagates out of `push()`/`resume()`/
 * `end()` and the remaining text of that chunk is dropped; discard the splitter then.
 */
export class LineSplitter {
  readonly #onLine: LineHandler;
  readonly #decoder = new StringDecoder('utf8');
  /** Start of the current line: text seen after the last '\n'; never contains '\n'. */
  #carry = '';
  #carryAscii = true;
  /** Decoded text not scanned yet because the splitter is paused; may contain '\n'. */
  #pending = '';
  #pendingAscii = true;
  /** The decoder holds no partial character (the previous Buffer chunk ended in ASCII). */
  #cleanBoundary = true;
  #lineNo = 0;
  #paused = false;
  #ending = false;
  #finished = false;
  #discarded = false;

  constructor(onLine: LineHandler) {
    this.#onLine = onLine;
  }

  /** Number of the last line delivered or skipped (blank); 0 before the first line. */
  get lineCount(): number {
    return this.#lineNo;
  }

  get paused(): boolean {
    return this.#paused;
  }

  /** True once `end()` was called and every line, including the last one, was delivered. */
  get finished(): boolean {
    return this.#finished;
  }

  /** Feeds one chunk. Lines complete in it are delivered synchronously (unless paused). */
  push(chunk: Buffer | string): void {
    if (this.#discarded) return;
    if (this.#ending) throw new Error('LineSplitter.push() after end()');
    let text: string;
    let ascii: boolean;
    if (typeof chunk === 'string') {
      text = chunk;
      ascii = false;
    } else {
      if (chunk.length === 0) return;
      ascii = this.#cleanBoundary && isAscii(chunk);
      this.#cleanBoundary = chunk[chunk.length - 1]! < 0x80;
      text = this.#decoder.write(chunk);
    }
    if (text.length === 0) return;
    if (this.#paused) {
      this.#pending += text;
      this.#pendingAscii &&= ascii;
      return;
    }
    this.#scan(text, ascii);
  }

  /** Stops delivering lines, also in the middle of a chunk; text keeps being buffered. */
  pause(): void {
    this.#paused = true;
  }

  /** Delivers the buffered lines (which may pause again), then continues normally. */
  resume(): void {
    if (!this.#paused || this.#discarded) return;
    this.#paused = false;
    const text = this.#pending;
    const ascii = this.#pendingAscii;
    this.#pending = '';
    this.#pendingAscii = true;
    if (text.length > 0) this.#scan(text, ascii);
    if (this.#ending && !this.#paused) this.#finish();
  }

  /** Marks the end of input: flushes the decoder and delivers the last, unterminated line. */
  end(): void {
    if (this.#ending || this.#discarded) return;
    this.#ending = true;
    const rest = this.#decoder.end();
    if (rest.length > 0) {
      if (this.#paused) {
        this.#pending += rest;
        this.#pendingAscii = false;
      } else {
        this.#scan(rest, false);
      }
    }
    if (!this.#paused) this.#finish();
  }

  /**
   * Drops everything buffered and not delivered yet, and ignores all later calls (used when a
   * reader is stopped). Safe to call from inside `onLine`: no further line is delivered.
   */
  discard(): void {
    this.#discarded = true;
    this.#carry = '';
    this.#pending = '';
    this.#paused = true;
  }

  #finish(): void {
    if (this.#finished) return;
    const last = this.#carry;
    this.#carry = '';
    this.#finished = true;
    if (last.length > 0) this.#emit(last, this.#carryAscii);
  }

  #scan(text: string, ascii: boolean): void {
    let nl = text.indexOf(LF);
    if (nl === -1) {
      // V8 concatenates into a rope: appending is O(1) and the old tail is never rescanned.
      if (this.#carry.length === 0) this.#carryAscii = ascii;
      else this.#carryAscii &&= ascii;
      this.#carry += text;
      return;
    }
    let first: string;
    let firstAscii = ascii;
    if (this.#carry.length === 0) {
      first = text.slice(0, nl);
    } else {
      first = this.#carry + text.slice(0, nl);
      firstAscii = ascii && this.#carryAscii;
      this.#carry = '';
    }
    let start = nl + 1;
    if (!this.#emit(first, firstAscii) || this.#paused) {
      this.#suspend(text, start, ascii);
      return;
    }
    nl = text.indexOf(LF, start);
    while (nl !== -1) {
      const line = text.slice(start, nl);
      start = nl + 1;
      if (!this.#emit(line, ascii) || this.#paused) {
        this.#suspend(text, start, ascii);
        return;
      }
      nl = text.indexOf(LF, start);
    }
    if (start < text.length) {
      this.#carry = text.slice(start);
      this.#carryAscii = ascii;
    }
  }

  /** Keeps the unscanned rest of `text` for `resume()`. */
  #suspend(text: string, start: number, ascii: boolean): void {
    this.#paused = true;
    if (this.#discarded || start >= text.length) return;
    // Only reached from #scan, which runs with nothing pending, so this replaces ''.
    this.#pending = text.slice(start);
    this.#pendingAscii = ascii;
  }

  /** Returns false when the handler asked to pause. */
  #emit(raw: string, ascii: boolean): boolean {
    const lineNo = ++this.#lineNo;
    let line = raw;
    let len = line.length;
    if (len > 0 && line.charCodeAt(len - 1) === CR) {
      line = line.slice(0, --len);
    }
    if (lineNo === 1 && len > 0 && line.charCodeAt(0) === BOM) {
      line = line.slice(1);
      len--;
    }
    if (len === 0) return true;
    // Records start with '{', so the blank-line check costs one charCodeAt on the hot path.
    if (line.charCodeAt(0) <= 32 && isBlank(line)) return true;
    return this.#onLine(line, lineNo, ascii ? len : Buffer.byteLength(line, 'utf8')) !== false;
  }
}

function isBlank(line: string): boolean {
  for (let i = 0; i < line.length; i++) {
    if (line.charCodeAt(i) > 32) return false;
  }
  return true;
}
