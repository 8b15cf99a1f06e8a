import type { FailureType } from '../models/trace.js';
import { causeChain, readProperty } from './cause-chain.js';
import { isTributaryError } from './tributary-error.js';

/**
 * Node socket and DNS error codes that mean "the network failed this time". ENOTFOUND is left out on
 * purpose: an unknown host name is almost always a typo in the config, not a blip.
 */
export const TRANSIENT_NETWORK_CODES: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
]);

/** Error names/codes AWS services use for throttling (the list smithy's retry strategy uses). */
export const THROTTLING_ERROR_NAMES: ReadonlySet<string> = new Set([
  'BandwidthLimitExceeded',
  'EC2ThrottledException',
  'LimitExceededException',
  'PriorRequestNotComplete',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  'RequestThrottled',
  'RequestThrottledException',
  'SlowDown',
  'ThrottledException',
  'Throttling',
  'ThrottlingException',
  'TooManyRequestsException',
  'TransactionInProgressException',
]);

/** Names of timeouts that are worth another try (AWS SDK and `AbortSignal.timeout()`). */
export const TRANSIENT_ERROR_NAMES: ReadonlySet<string> = new Set([
  'TimeoutError',
  'RequestTimeout',
  'RequestTimeoutException',
]);

/**
 * How the platform should see this failure. The outermost TributaryError in the `cause` chain decides;
 * otherwise anything {@link isRetryable} recognises is a transient_error and the rest a system_error.
 */
export function classifyError(err: unknown): FailureType {
  for (const item of causeChain(err)) {
    if (isTributaryError(item)) return item.failureType;
  }
  return isRetryable(err) ? 'transient_error' : 'system_error';
}

/**
 * Whether another attempt may succeed. Walks the `cause` chain; the first TributaryError found decides
 * (an explicit classification beats guessing), otherwise any retryable-looking error in the chain
 * makes the whole chain retryable.
 */
export function isRetryable(err: unknown): boolean {
  for (const item of causeChain(err)) {
    if (isTributaryError(item)) return item.retryable;
    if (looksRetryable(item)) return true;
  }
  return false;
}

function looksRetryable(item: unknown): boolean {
  if (typeof item !== 'object' || item === null) return false;
  // AWS SDK v3 marks retryable service errors with `$retryable: {}` (or `{ throttling: true }`).
  const retryableMark = readProperty(item, '$retryable');
  if (typeof retryableMark === 'object' && retryableMark !== null) return true;
  if (readProperty(item, 'retryable') === true) return true;

  const code = readProperty(item, 'code');
  if (typeof code === 'string' && (TRANSIENT_NETWORK_CODES.has(code) || THROTTLING_ERROR_NAMES.has(code))) {
    return true;
  }
  const name = readProperty(item, 'name');
  if (typeof name === 'string' && (THROTTLING_ERROR_NAMES.has(name) || TRANSIENT_ERROR_NAMES.has(name))) {
    return true;
  }
  const status = httpStatus(item);
  // 501 Not Implemented will not start working on the next try.
  if (status !== undefined && (status === 429 || (status >= 500 && status <= 599 && status !== 501))) {
    return true;
  }
  // Node's happy-eyeballs connect throws an AggregateError with one error per address tried.
  const errors = readProperty(item, 'errors');
  if (Array.isArray(errors) && errors.length > 0 && errors.every((inner) => isRetryable(inner))) return true;
  return false;
}

function httpStatus(item: object): number | undefined {
  const metadata = readProperty(item, '$metadata');
  const fromMetadata =
    typeof metadata === 'object' && metadata !== null ? readProperty(metadata, 'httpStatusCode') : undefined;
  if (typeof fromMetadata === 'number') return fromMetadata;
  const statusCode = readProperty(item, 'statusCode');
  return typeof statusCode === 'number' ? statusCode : undefined;
}
