// Drives a connector bin as a child process the way a platform does: arguments, NDJSON on stdin,
// one protocol message per stdout line. Shared by the connector test suites.
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** One parsed stdout line (a protocol message, or `{ type: 'NOT_JSON', text }` with `nonJson: 'keep'`). */
// biome-ignore lint/suspicious/noExplicitAny: tests read message fields without narrowing them first
export type Message = Record<string, any>;
/** A field of a message: as loosely typed as the message. */
type Field = Message[string];

/** The run as it goes, for inputs that wait on the output (see `RunInput`). */
export interface LiveRun {
  /** Every stdout line parsed so far. */
  readonly lines: Message[];
  /** True once the process has exited. */
  readonly closed: boolean;
  /** Resolves true once `predicate(lines)` holds, false if the process closes first. */
  waitFor(predicate: (lines: Message[]) => boolean): Promise<boolean>;
}

/**
 * What goes to stdin, piece by piece with backpressure (a piece waits for 'drain' when the pipe is
 * full). A function receives the live run, so an input can wait on the output before its next piece.
 */
export type RunInput =
  | string
  | Iterable<string>
  | AsyncIterable<string>
  | ((run: LiveRun) => Iterable<string> | AsyncIterable<string>);

export interface RunConnectorOptions {
  /** The program and its leading arguments, e.g. `[process.execPath, binPath]`. */
  command: readonly string[];
  args?: readonly string[];
  /** Without input, stdin is /dev/null. */
  input?: RunInput;
  /** Pause after each input piece. */
  pauseMs?: number;
  /** Never close stdin (the process must exit or be killed on its own). */
  keepStdinOpen?: boolean;
  /** Added to the parent's environment; an `undefined` value removes the variable. */
  env?: Record<string, string | undefined>;
  cwd?: string;
  /**
   * Called for each stdout line (with every line so far) until it answers a signal, or true for
   * SIGKILL; the signal is then sent (after `killDelayMs`) and input stops.
   */
  killWhen?: (lines: Message[], last: Message) => NodeJS.Signals | boolean;
  killDelayMs?: number;
  /** SIGKILL and reject (with the last messages and stderr) when the run takes longer. */
  timeoutMs?: number;
  /** A stdout line that is not JSON: reject (default), or keep it as `{ type: 'NOT_JSON', text }`. */
  nonJson?: 'throw' | 'keep';
}

export interface ConnectorRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Every non-blank stdout line, parsed, in order. */
  lines: Message[];
  stdout: string;
  stderr: string;
  /** Wall time from spawn to close. */
  ms: number;
  /** The messages of one type. */
  ofType(type: string): Message[];
  /** The `state` of each STATE message. */
  states(): Field[];
  /** The `trace` of each TRACE message. */
  traces(): Field[];
  /** The message of each LOG message. */
  logs(): string[];
  /** The `record` of each RECORD message. */
  records(): Field[];
}

function runResult(
  code: number | null,
  signal: NodeJS.Signals | null,
  lines: Message[],
  stdout: string,
  stderr: string,
  ms: number,
): ConnectorRun {
  const ofType = (type: string) => lines.filter((l) => l.type === type);
  return {
    code,
    signal,
    lines,
    stdout,
    stderr,
    ms,
    ofType,
    states: () => ofType('STATE').map((l) => l.state),
    traces: () => ofType('TRACE').map((l) => l.trace),
    logs: () => ofType('LOG').map((l) => l.log.message as string),
    records: () => ofType('RECORD').map((l) => l.record),
  };
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Runs the connector to its exit and resolves with everything it printed. */
export function runConnector(opts: RunConnectorOptions): Promise<ConnectorRun> {
  const [program, ...leading] = opts.command;
  if (program === undefined) throw new Error('runConnector: an empty command');
  const argv = [...leading, ...(opts.args ?? [])];
  let env: NodeJS.ProcessEnv | undefined;
  if (opts.env) {
    env = { ...process.env, ...opts.env };
    for (const [k, v] of Object.entries(opts.env)) if (v === undefined) delete env[k];
  }
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(program, argv, {
      stdio: [opts.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
      ...(env ? { env } : {}),
      ...(opts.cwd ? { cwd: opts.cwd } : {}),
    });
    const lines: Message[] = [];
    let stdout = '';
    let tail = '';
    let stderr = '';
    let killed = false;
    let closed = false;
    let failed = false;
    const waiters = new Set<() => void>();
    const wake = () => {
      for (const w of [...waiters]) w();
    };
    const fail = (err: Error) => {
      if (failed) return;
      failed = true;
      child.kill('SIGKILL');
      reject(err);
    };
    const timer =
      opts.timeoutMs === undefined
        ? undefined
        : setTimeout(() => {
            fail(
              new Error(
                `${argv.join(' ')} timed out after ${opts.timeoutMs} ms; last messages: ${JSON.stringify(lines.slice(-5))}\n${stderr}`,
              ),
            );
          }, opts.timeoutMs);

    const onLine = (text: string) => {
      let message: Message;
      try {
        message = JSON.parse(text) as Message;
      } catch {
        if (opts.nonJson !== 'keep') {
          fail(new Error(`${argv.join(' ')} printed a line that is not JSON: ${text}\n${stderr}`));
          return;
        }
        message = { type: 'NOT_JSON', text };
      }
      lines.push(message);
      if (killed || !opts.killWhen) return;
      const answer = opts.killWhen(lines, message);
      if (answer === false) return;
      killed = true;
      const sig = answer === true ? 'SIGKILL' : answer;
      if (opts.killDelayMs) setTimeout(() => child.kill(sig), opts.killDelayMs);
      else child.kill(sig);
    };
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      tail += chunk;
      for (let i = tail.indexOf('\n'); i >= 0; i = tail.indexOf('\n')) {
        const line = tail.slice(0, i);
        tail = tail.slice(i + 1);
        if (line.trim()) onLine(line);
      }
      wake();
    });
    child.stderr!.setEncoding('utf8').on('data', (c: string) => {
      stderr += c;
    });
    child.on('error', (err) => fail(err));
    child.on('close', (code, signal) => {
      closed = true;
      if (timer) clearTimeout(timer);
      wake();
      if (!failed) resolve(runResult(code, signal, lines, stdout, stderr, Date.now() - started));
    });

    if (opts.input === undefined) return;
    const stdin = child.stdin!;
    stdin.on('error', () => undefined); // EPIPE once the process is gone
    const live: LiveRun = {
      lines,
      get closed() {
        return closed;
      },
      waitFor(predicate) {
        return new Promise<boolean>((done) => {
          const check = () => {
            if (predicate(lines)) done(true);
            else if (closed) done(false);
            else return;
            waiters.delete(check);
          };
          waiters.add(check);
          check();
        });
      },
    };
    const input = opts.input;
    const pieces = typeof input === 'string' ? [input] : typeof input === 'function' ? input(live) : input;
    const feed = async () => {
      for await (const piece of pieces) {
        if (killed || closed) return;
        if (!stdin.write(piece)) await new Promise((r) => stdin.once('drain', r));
        if (opts.pauseMs) await sleep(opts.pauseMs);
      }
      if (!opts.keepStdinOpen && !killed && !closed) stdin.end();
    };
    feed().catch((err: Error) => fail(err));
  });
}

/** Writes `value` as JSON to `dir/name` and returns the path. */
export function writeJsonFile(dir: string, name: string, value: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify(value));
  return path;
}

/** A fresh temporary directory (`<tmp>/<prefix>XXXXXX`). */
export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

// ---- protocol messages for tests ----

/** The `emitted_at` of records unless given: a fixed instant, so runs are reproducible. */
export const TEST_EMITTED_AT = 1_700_000_000_000;

export interface RecordOptions {
  namespace?: string;
  /** Default `TEST_EMITTED_AT`. */
  emittedAt?: number;
  meta?: Record<string, unknown>;
}

function descriptor(name: string, namespace: string | undefined): Record<string, unknown> {
  return namespace === undefined ? { name } : { name, namespace };
}

export function recordMessage(stream: string, data: unknown, opts: RecordOptions = {}): Message {
  const record: Record<string, unknown> = { stream, data, emitted_at: opts.emittedAt ?? TEST_EMITTED_AT };
  if (opts.namespace !== undefined) record.namespace = opts.namespace;
  if (opts.meta) record.meta = opts.meta;
  return { type: 'RECORD', record };
}

export function streamStateMessage(stream: string, state: unknown, namespace?: string): Message {
  return {
    type: 'STATE',
    state: {
      type: 'STREAM',
      stream: { stream_descriptor: descriptor(stream, namespace), stream_state: state },
    },
  };
}

export function globalStateMessage(shared: unknown): Message {
  return { type: 'STATE', state: { type: 'GLOBAL', global: { shared_state: shared, stream_states: [] } } };
}

export type StreamStatus = 'STARTED' | 'RUNNING' | 'COMPLETE' | 'INCOMPLETE';

export function streamStatusMessage(
  stream: string,
  status: StreamStatus,
  opts: { namespace?: string; emittedAt?: number } = {},
): Message {
  return {
    type: 'TRACE',
    trace: {
      type: 'STREAM_STATUS',
      emitted_at: opts.emittedAt ?? Date.now(),
      stream_status: { stream_descriptor: descriptor(stream, opts.namespace), status },
    },
  };
}

/** A message as one NDJSON line, newline included. */
export const line = (message: unknown): string => `${JSON.stringify(message)}\n`;

export const recordLine = (stream: string, data: unknown, opts?: RecordOptions): string =>
  line(recordMessage(stream, data, opts));
export const streamStateLine = (stream: string, state: unknown, namespace?: string): string =>
  line(streamStateMessage(stream, state, namespace));
export const globalStateLine = (shared: unknown): string => line(globalStateMessage(shared));
export const streamStatusLine = (
  stream: string,
  status: StreamStatus,
  opts?: { namespace?: string; emittedAt?: number },
): string => line(streamStatusMessage(stream, status, opts));
