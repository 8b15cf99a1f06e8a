import { pino, stdSerializers, type Logger } from 'pino';
import { resolveLogLevel } from './log-level.js';
import { toProtocolLogLine } from './protocol-line.js';
import type { Redactor } from './redactor.js';

export interface ProtocolLoggerOptions {
  /** pino level name; defaults to `LOG_LEVEL` from the environment, then "info". */
  level?: string;
  /** Receives each LOG message as one serialised line, without a trailing newline. */
  write: (line: string) => void;
  /** Applied to every message and stack trace. Pass `(s) => current(s)` to swap secrets in later. */
  redact?: Redactor;
  /** Fields added to every line (rendered into the message as `key=value`). */
  bindings?: Record<string, unknown>;
}

/**
 * A pino logger whose output is Airbyte protocol LOG messages. Synchronous: pino writes to an
 * in-process destination that converts each JSON line (no transports, no worker threads), so a log
 * line is in `write` before the logging call returns and is ordered with the records around it.
 */
export function createProtocolLogger(opts: ProtocolLoggerOptions): Logger {
  const redact = opts.redact ?? ((text: string) => text);
  const destination = {
    write(chunk: string): void {
      // pino writes one line per call, ending in "\n"; split anyway in case that ever changes.
      for (const line of chunk.split('\n')) {
        if (line !== '') opts.write(toProtocolLogLine(line, redact));
      }
    },
  };
  const logger = pino(
    {
      level: resolveLogLevel(opts.level ?? process.env.LOG_LEVEL),
      base: null,
      timestamp: false,
      formatters: { level: (label) => ({ level: label }) },
      serializers: { err: stdSerializers.err, error: stdSerializers.err },
    },
    destination,
  );
  return opts.bindings === undefined ? logger : logger.child(opts.bindings);
}
