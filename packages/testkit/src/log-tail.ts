import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

/** Removes terminal colour/cursor escape sequences (Maven and some servers colour their output). */
export function stripAnsi(text: string): string {
  return text.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '');
}

/** The last `lines` lines of `text` (a trailing newline does not count as an empty line). */
export function lastLines(text: string, lines: number): string {
  const all = text.split(/\r?\n/);
  if (all.length > 0 && all[all.length - 1] === '') all.pop();
  return all.slice(-lines).join('\n');
}

/**
 * The last `lines` lines of a log file, reading at most `maxBytes` from its end so that a huge log
 * does not get loaded whole. Returns '' for a missing file.
 */
export function tailFile(path: string, lines = 40, maxBytes = 256 * 1024): string {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return '';
  }
  try {
    const size = fstatSync(fd).size;
    const length = Math.min(size, maxBytes);
    const buf = Buffer.alloc(length);
    readSync(fd, buf, 0, length, size - length);
    let text = stripAnsi(buf.toString('utf8'));
    // Started mid-file: drop the (probably partial) first line.
    if (length < size) text = text.slice(text.indexOf('\n') + 1);
    return lastLines(text, lines);
  } finally {
    closeSync(fd);
  }
}
