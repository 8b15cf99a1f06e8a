export { backoffDelay } from './backoff.js';
export { abortableSleep, type RetryOptions, retry } from './retry.js';
