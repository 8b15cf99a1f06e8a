import type { StreamDescriptor } from '../models/stream-descriptor.js';
import type { FailureType } from '../models/trace.js';

export interface TributaryErrorOptions {
  /** The underlying error, kept for logs and for classification (`classifyError` walks it). */
  cause?: unknown;
  /** Overrides the default (`true` for transient errors, `false` otherwise). */
  retryable?: boolean;
  /** The stream the failure belongs to, reported in the TRACE error message. */
  streamDescriptor?: StreamDescriptor;
  /** Detail for engineers (shown as `internal_message`); the error message itself is for the user. */
  internalMessage?: string;
}

// A registered symbol rather than `instanceof`: when two copies of this package end up in one
// node_modules tree, errors thrown by one copy must still be recognised by the other.
const BRAND = Symbol.for('@tributary/airbyte-protocol/TributaryError');

/**
 * Base class of every error this project raises on purpose. `failureType` is what the platform sees
 * in the TRACE error message; `retryable` is what retry loops look at.
 */
export class TributaryError extends Error {
  readonly failureType: FailureType;
  readonly retryable: boolean;
  readonly streamDescriptor?: StreamDescriptor;
  readonly internalMessage?: string;

  constructor(message: string, options: TributaryErrorOptions & { failureType: FailureType }) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'TributaryError';
    this.failureType = options.failureType;
    this.retryable = options.retryable ?? options.failureType === 'transient_error';
    if (options.streamDescriptor !== undefined) this.streamDescriptor = options.streamDescriptor;
    if (options.internalMessage !== undefined) this.internalMessage = options.internalMessage;
  }
}
Object.defineProperty(TributaryError.prototype, BRAND, { value: true });

/** The user's configuration (or catalog, or state file) is wrong; retrying will not help. */
export class ConfigError extends TributaryError {
  constructor(message: string, options: TributaryErrorOptions = {}) {
    super(message, { ...options, failureType: 'config_error' });
    this.name = 'ConfigError';
  }
}

/** A temporary condition (network blip, throttling, node restart); retrying may succeed. */
export class TransientError extends TributaryError {
  constructor(message: string, options: TributaryErrorOptions = {}) {
    super(message, { ...options, failureType: 'transient_error' });
    this.name = 'TransientError';
  }
}

/** A bug or an unexpected state of the connector or the remote system. */
export class SystemError extends TributaryError {
  constructor(message: string, options: TributaryErrorOptions = {}) {
    super(message, { ...options, failureType: 'system_error' });
    this.name = 'SystemError';
  }
}

/** `true` for any TributaryError, also one created by another copy of this package. */
export function isTributaryError(err: unknown): err is TributaryError {
  return typeof err === 'object' && err !== null && (err as { [BRAND]?: unknown })[BRAND] === true;
}
