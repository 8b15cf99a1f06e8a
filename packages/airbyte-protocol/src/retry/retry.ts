import { classifyError, isRetryable as defaultIsRetryable } from '../errors/classify.js';
import { errorMessage } from '../errors/error-message.js';
import {
  ConfigError,
  isTributaryError,
  SystemError,
  TransientError,
  type TributaryError,
  type TributaryErrorOptions,
} from '../errors/tributary-error.js';
import { backoffDelay } from './backoff.js';

export interface RetryOptions {
  /** Total attempts including the first one (>= 1). */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** Which errors are worth another attempt; defaults to the package's `isRetryable`. */
  isRetryable?: (err: unknown) => boolean;
  /** Called before each wait, with the error, the number of the attempt that failed and the delay. */
  onRetry?: (err: unknown, attempt: number, delayMs: number) => void;
  /** Stops waiting and attempting; the signal's reason is thrown. */
  signal?: AbortSignal;
  /** For tests: a source of numbers in [0, 1). */
  random?: () => number;
  /** For tests: replaces the real timer. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/**
 * Calls `fn(attempt)` (attempt = 1, 2, …) until it resolves, an error is not retryable, or
 * `maxAttempts` is reached, waiting a jittered exponential backoff between attempts.
 *
 * A non-retryable error is rethrown as it is. When the attempts run out, the last error is wrapped
 * (as `cause`) in an error of the same failure type whose message gives the attempt count: a
 * TransientError in the usual case, a ConfigError/SystemError if the last error was explicitly
 * classified as such. The wrapper is marked not retryable so that nested retry loops do not
 * multiply their attempts; its failure type still tells the platform the sync may be retried.
 */
export async function retry<T>(fn: (attempt: number) => Promise<T>, opts: RetryOptions): Promise<T> {
  if (!Number.isInteger(opts.maxAttempts) || opts.maxAttempts < 1) {
    throw new RangeError(`retry: maxAttempts must be an integer >= 1, got ${opts.maxAttempts}`);
  }
  const retryable = opts.isRetryable ?? defaultIsRetryable;
  const sleep = opts.sleep ?? abortableSleep;
  const random = opts.random ?? Math.random;
  for (let attempt = 1; ; attempt++) {
    opts.signal?.throwIfAborted();
    try {
      return await fn(attempt);
    } catch (err) {
      if (opts.signal?.aborted || !retryable(err)) throw err;
      if (attempt >= opts.maxAttempts) throw exhausted(err, attempt);
      const delayMs = backoffDelay(attempt, opts.baseDelayMs, opts.maxDelayMs, random);
      opts.onRetry?.(err, attempt, delayMs);
      await sleep(delayMs, opts.signal);
    }
  }
}

function exhausted(last: unknown, attempts: number): TributaryError {
  const message = `${errorMessage(last)} (gave up after ${attempts} attempt${attempts === 1 ? '' : 's'})`;
  const options: TributaryErrorOptions = { cause: last, retryable: false };
  if (isTributaryError(last) && last.streamDescriptor !== undefined) {
    options.streamDescriptor = last.streamDescriptor;
  }
  if (isTributaryError(last)) {
    const kind = classifyError(last);
    if (kind === 'config_error') return new ConfigError(message, options);
    if (kind === 'system_error') return new SystemError(message, options);
  }
  return new TransientError(message, options);
}

/** setTimeout as a promise that rejects with the signal's reason when aborted. */
export function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
