import cassandra from 'cassandra-driver';

/** A problem the user has to fix (no CDC on the table, missing images, unknown table). */
export class CdcConfigError extends Error {
  override readonly name = 'CdcConfigError';
}

export function quoteIdent(name: string): string {
  return /^[a-z_][a-z0-9_]*$/.test(name) ? name : `"${name.replaceAll('"', '""')}"`;
}

const codes = cassandra.types.responseErrorCodes;
const TRANSIENT_RESPONSE_CODES = new Set<number>([
  codes.unavailableException,
  codes.overloaded,
  codes.isBootstrapping,
  codes.readTimeout,
  codes.writeTimeout,
  codes.readFailure,
  codes.truncateError,
  codes.serverError,
]);

/** Errors worth retrying with backoff: timeouts, unavailable/overloaded replicas, lost connections. */
export function isTransientCqlError(err: unknown): boolean {
  if (err instanceof cassandra.errors.NoHostAvailableError) return true;
  if (err instanceof cassandra.errors.OperationTimedOutError) return true;
  if (err instanceof cassandra.errors.BusyConnectionError) return true;
  if (err instanceof cassandra.errors.ResponseError) return TRANSIENT_RESPONSE_CODES.has(err.code);
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && ['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT'].includes(code);
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted || ms <= 0) {
      resolve();
      return;
    }
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}

/** Full-jitter exponential backoff (ms) for the attempt that just failed (1-based). */
export function backoffMs(attempt: number, baseMs: number, maxMs: number): number {
  const cap = Math.min(maxMs, baseMs * 2 ** Math.min(attempt - 1, 30));
  return Math.floor(Math.random() * (cap + 1));
}
