import { logMessage } from '../models/builders.js';
import { PROTOCOL_LEVEL_OF } from './log-level.js';
import type { Redactor } from './redactor.js';

type SerializedError = { message?: unknown; stack?: unknown; code?: unknown };

/**
 * Turns one pino JSON line into one protocol LOG line: `{"type":"LOG","log":{"level":"INFO",…}}`.
 * Bound and per-call fields are appended to the message as ` key=value` (strings with spaces, quotes
 * or `=` JSON-quoted, other values as compact JSON); an `err`/`error` object becomes `stack_trace`
 * and its message is added to the text. Message and stack go through `redact`.
 */
export function toProtocolLogLine(pinoLine: string, redact: Redactor): string {
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(pinoLine) as Record<string, unknown>;
  } catch {
    return JSON.stringify(logMessage('INFO', redact(pinoLine)));
  }
  const { level, msg, ...fields } = entry;
  const protocolLevel = (typeof level === 'string' && PROTOCOL_LEVEL_OF[level]) || 'INFO';
  let message = typeof msg === 'string' ? msg : msg === undefined ? '' : JSON.stringify(msg);

  let stack: string | undefined;
  for (const key of ['err', 'error']) {
    const err = fields[key];
    if (!isSerializedError(err)) continue;
    delete fields[key];
    message = withErrorMessage(message, typeof err.message === 'string' ? err.message : '');
    if (typeof err.code === 'string') message += ` code=${err.code}`;
    if (stack === undefined && typeof err.stack === 'string') stack = err.stack;
  }

  for (const [key, value] of Object.entries(fields)) {
    if (value === undefined) continue;
    message += `${message === '' ? '' : ' '}${key}=${renderValue(value)}`;
  }
  return JSON.stringify(
    logMessage(protocolLevel, redact(message), stack === undefined ? undefined : redact(stack)),
  );
}

// pino's error serializer folds the causes into the error's message ("outer: inner"), while
// `logger.error(err)` uses the plain message as msg: keep the longer text once.
function withErrorMessage(message: string, errMessage: string): string {
  if (errMessage === '' || message.includes(errMessage)) return message;
  if (message === '' || errMessage.startsWith(message)) return errMessage;
  return `${message}: ${errMessage}`;
}

function isSerializedError(value: unknown): value is SerializedError {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    ('stack' in value || 'message' in value) &&
    (typeof (value as SerializedError).stack === 'string' ||
      typeof (value as SerializedError).message === 'string')
  );
}

const BARE = /^[^\s"=]+$/;

function renderValue(value: unknown): string {
  if (typeof value === 'string') return BARE.test(value) ? value : JSON.stringify(value);
  return JSON.stringify(value) ?? String(value);
}
