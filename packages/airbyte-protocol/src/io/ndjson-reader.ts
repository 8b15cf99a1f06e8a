import { type LineReaderHandle, type LineReadStats, readLines } from './line-reader.js';

export interface NdjsonReaderHandlers {
  /**
   * One parsed JSON object per line, delivered synchronously from the stream's 'data' event.
   * `byteLength` is the exact UTF-8 length of the line without its terminator; `line` is the
   * line's text (e.g. for `recordDataText`).
   * Return `false` to pause delivery (and the input) until `handle.resume()`. Throwing stops the
   * reader and rejects `done` with the error.
   */
  // biome-ignore lint/suspicious/noConfusingVoidType: handlers that return nothing must type-check.
  onValue(value: unknown, lineNo: number, byteLength: number, line: string): boolean | void;
  /**
   * A line that is not valid JSON, or valid JSON but not an object (`42`, `"x"`, `[1]`, `null`).
   * It is skipped and counted; `preview` holds at most the first 80 characters of the line.
   */
  onMalformed?(lineNo: number, error: string, preview: string): void;
}

export interface NdjsonReadStats extends LineReadStats {
  /** Lines delivered to `onValue`. */
  values: number;
  /** Lines counted as malformed (reported to `onMalformed` when given). */
  malformed: number;
}

export type NdjsonReaderHandle = LineReaderHandle<NdjsonReadStats>;

export const MALFORMED_PREVIEW_CHARS = 80;
const MAX_ERROR_CHARS = 200;

/**
 * Reads NDJSON from a stream (usually `process.stdin`): bytes go through a LineSplitter and
 * each line through `JSON.parse`, synchronously, with no promise per line. Malformed lines never
 * crash the reader and are never dropped silently.
 */
export function startNdjsonReader(
  input: NodeJS.ReadableStream,
  handlers: NdjsonReaderHandlers,
): NdjsonReaderHandle {
  const { onValue, onMalformed } = handlers;
  let values = 0;
  let malformed = 0;
  const reject = (lineNo: number, error: string, line: string): void => {
    malformed++;
    onMalformed?.call(handlers, lineNo, error, previewLine(line));
  };
  const lines = readLines(input, (line, lineNo, byteLength) => {
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (error) {
      reject(lineNo, errorText(error), line);
      return undefined;
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      reject(lineNo, `expected a JSON object, got ${describe(value)}`, line);
      return undefined;
    }
    values++;
    return onValue.call(handlers, value, lineNo, byteLength, line);
  });
  const withCounts = (stats: LineReadStats): NdjsonReadStats => ({ ...stats, values, malformed });
  return {
    done: lines.done.then(withCounts),
    get stats() {
      return withCounts(lines.stats);
    },
    get paused() {
      return lines.paused;
    },
    pause: () => lines.pause(),
    resume: () => lines.resume(),
    stop: () => lines.stop(),
  };
}

/** First 80 characters of a line, marked with '…' when cut. */
export function previewLine(line: string): string {
  if (line.length <= MALFORMED_PREVIEW_CHARS) return line;
  return line.slice(0, MALFORMED_PREVIEW_CHARS - 1) + '…';
}

function errorText(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.length <= MAX_ERROR_CHARS ? text : text.slice(0, MAX_ERROR_CHARS - 1) + '…';
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return `a ${typeof value}`;
}
