import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { Progress } from './progress.js';
import { sampleMessages } from './sample-data.js';

export interface WriteRun {
  readonly exitCode: number | null;
  readonly statesEchoed: number;
  readonly lastState: unknown;
  readonly records: number;
  readonly bytes: number;
  readonly seconds: number;
  readonly errors: string[];
}

/** Calls `onLine` for each complete line of a child's output (a last line without newline included). */
export function forEachLine(stream: Readable, onLine: (line: string) => void): void {
  let tail = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    tail += chunk;
    let start = 0;
    let nl = tail.indexOf('\n', start);
    while (nl >= 0) {
      onLine(tail.slice(start, nl));
      start = nl + 1;
      nl = tail.indexOf('\n', start);
    }
    tail = tail.slice(start);
  });
  stream.on('end', () => {
    if (tail !== '') onLine(tail);
    tail = '';
  });
}

/**
 * Runs a destination's real `write` command as a child process, streaming the sample messages
 * to its stdin with backpressure, and counts the states it echoes on stdout.
 */
export async function runWrite(opts: {
  label: string;
  /** The connector command, e.g. [node, dist/bin.js] or [deployed/entrypoint.sh]. */
  command: readonly string[];
  workDir: string;
  config: Record<string, unknown>;
  catalog: Record<string, unknown>;
  records: number;
  /** Progress on stderr (default true). */
  progress?: boolean;
}): Promise<WriteRun> {
  const configPath = join(opts.workDir, `${opts.label}-config.json`);
  const catalogPath = join(opts.workDir, `${opts.label}-catalog.json`);
  writeFileSync(configPath, JSON.stringify(opts.config, null, 2));
  writeFileSync(catalogPath, JSON.stringify(opts.catalog, null, 2));
  const [cmd, ...args] = opts.command;
  const child = spawn(cmd!, [...args, 'write', '--config', configPath, '--catalog', catalogPath], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const progress = new Progress(opts.label, opts.progress === false ? null : process.stderr);
  let statesEchoed = 0;
  let lastState: unknown = null;
  const errors: string[] = [];
  forEachLine(child.stdout, (line) => {
    if (!line.startsWith('{')) return;
    const msg = JSON.parse(line) as {
      type: string;
      state?: unknown;
      trace?: { error?: { message: string } };
      log?: { level: string; message: string };
    };
    if (msg.type === 'STATE') {
      statesEchoed++;
      lastState = msg.state;
    } else if (msg.type === 'TRACE' && msg.trace?.error) errors.push(msg.trace.error.message);
    else if (msg.type === 'LOG' && (msg.log?.level === 'ERROR' || msg.log?.level === 'FATAL'))
      errors.push(msg.log.message);
  });
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  child.stdin.on('error', () => undefined); // the child may exit early; its exit code tells why
  let buf = '';
  for (const g of sampleMessages(opts.records)) {
    buf += `${g.line}\n`;
    if (g.isRecord) progress.records++;
    if (buf.length >= 64 * 1024) {
      progress.bytes += Buffer.byteLength(buf);
      if (!child.stdin.write(buf)) await new Promise((r) => child.stdin.once('drain', r));
      buf = '';
      if (child.exitCode !== null) break;
    }
  }
  progress.bytes += Buffer.byteLength(buf);
  child.stdin.end(buf);
  const exitCode = await exited;
  progress.done();
  return {
    exitCode,
    statesEchoed,
    lastState,
    records: progress.records,
    bytes: progress.bytes,
    seconds: progress.seconds,
    errors,
  };
}
