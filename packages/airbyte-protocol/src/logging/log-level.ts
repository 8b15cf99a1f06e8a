import type { LogLevel } from '../models/log.js';

/** pino level names and the protocol level each becomes. */
export const PROTOCOL_LEVEL_OF: Readonly<Record<string, LogLevel>> = {
  trace: 'TRACE',
  debug: 'DEBUG',
  info: 'INFO',
  warn: 'WARN',
  error: 'ERROR',
  fatal: 'FATAL',
};

const ACCEPTED = new Set([...Object.keys(PROTOCOL_LEVEL_OF), 'silent']);

/**
 * A pino level from a user-supplied name (e.g. `LOG_LEVEL=DEBUG`): case-insensitive, "warning" is
 * "warn"; anything unknown falls back to "info" rather than failing the connector over a log setting.
 */
export function resolveLogLevel(name: string | undefined): string {
  if (name === undefined) return 'info';
  const normalized = name.trim().toLowerCase();
  if (normalized === 'warning') return 'warn';
  return ACCEPTED.has(normalized) ? normalized : 'info';
}
