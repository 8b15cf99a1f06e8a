import { type KinesisClient, PutRecordsCommand } from '@aws-sdk/client-kinesis';
import {
  ConfigError,
  errorMessage,
  isRetryable,
  SystemError,
  TransientError,
} from '@tributary/airbyte-protocol';
import { abortPutRecordsWith, isLeanClient } from './put-records-codec.js';

/** One entry of a PutRecords request. */
export interface PutEntry {
  readonly Data: Uint8Array;
  readonly PartitionKey: string;
  readonly ExplicitHashKey?: string;
}

export interface PutResultEntry {
  readonly ErrorCode?: string | undefined;
  readonly ErrorMessage?: string | undefined;
  readonly SequenceNumber?: string | undefined;
  readonly ShardId?: string | undefined;
}

export interface PutResult {
  readonly FailedRecordCount?: number | undefined;
  readonly Records?: readonly PutResultEntry[] | undefined;
}

/** Sends one PutRecords request; the sender only needs this, which keeps it testable without AWS. */
export type PutRecordsFn = (entries: readonly PutEntry[], signal: AbortSignal) => Promise<PutResult>;

/** A request without an answer for this long is abandoned and its entries resent. */
export const REQUEST_TIMEOUT_MS = 120_000;

/** The error a request abandoned after REQUEST_TIMEOUT_MS fails with (retried like any timeout). */
export class RequestTimeoutError extends Error {
  constructor(ms: number) {
    super(`no answer to PutRecords within ${ms} ms`);
    this.name = 'TimeoutError';
  }
}

export function putRecordsWith(
  client: KinesisClient,
  streamName: string,
  timeoutMs: number = REQUEST_TIMEOUT_MS,
): PutRecordsFn {
  return async (entries, signal) => {
    // The HTTP handler's own request timeout only logs a warning; this one abandons the request.
    const timeout = AbortSignal.timeout(timeoutMs);
    const abortSignal = AbortSignal.any([signal, timeout]);
    try {
      if (isLeanClient(client)) {
        // An array of this call's own, under which its abort signal is registered.
        const records = entries.slice() as PutEntry[];
        abortPutRecordsWith(records, abortSignal);
        return await client.send(new PutRecordsCommand({ StreamName: streamName, Records: records }));
      }
      return await client.send(
        new PutRecordsCommand({ StreamName: streamName, Records: entries as PutEntry[] }),
        { abortSignal },
      );
    } catch (err) {
      if (timeout.aborted && !signal.aborted) throw new RequestTimeoutError(timeoutMs);
      throw err;
    }
  };
}

/** Error codes of entries and requests that mean "too fast, slow down". */
const THROTTLING = new Set([
  'ProvisionedThroughputExceededException',
  'KMSThrottlingException',
  'LimitExceededException',
  'ThrottlingException',
  'Throttling',
  'RequestLimitExceeded',
  'TooManyRequestsException',
]);

/** Entry error codes that no retry fixes: the stream's KMS key is unusable. */
const KMS_PERMANENT = new Set([
  'KMSAccessDeniedException',
  'KMSDisabledException',
  'KMSInvalidStateException',
  'KMSNotFoundException',
  'KMSOptInRequired',
]);

export function isThrottling(code: string | undefined): boolean {
  return code !== undefined && THROTTLING.has(code);
}

/**
 * What to do with an entry Kinesis refused: 'retry' (throttling, InternalFailure and any code not
 * known to be permanent) or an error that fails the sync.
 */
export function classifyEntryError(
  code: string,
  message: string | undefined,
  streamName: string,
): 'retry' | Error {
  if (KMS_PERMANENT.has(code)) {
    return new ConfigError(
      `Kinesis cannot encrypt records of stream ${streamName} with its KMS key (${code}${message ? `: ${message}` : ''}); fix the key or its policy`,
    );
  }
  return 'retry';
}

function errorName(err: unknown): string {
  if (typeof err === 'object' && err !== null) {
    const name = (err as { name?: unknown }).name;
    if (typeof name === 'string') return name;
  }
  return 'Error';
}

/**
 * What to do when a whole PutRecords request failed: 'retry' for throttling, server errors and
 * network trouble, otherwise the error that fails the sync, with a message saying what to fix.
 */
export function classifyRequestError(err: unknown, streamName: string): 'retry' | Error {
  const name = errorName(err);
  if (isThrottling(name) || isRetryable(err)) return 'retry';
  const detail = errorMessage(err);
  switch (name) {
    case 'ResourceNotFoundException':
      return new ConfigError(`Kinesis stream ${streamName} does not exist (any more): ${detail}`, {
        cause: err,
      });
    case 'AccessDeniedException':
      return new ConfigError(
        `the credentials may not write to stream ${streamName} (grant kinesis:PutRecords): ${detail}`,
        { cause: err },
      );
    case 'UnrecognizedClientException':
    case 'InvalidSignatureException':
    case 'IncompleteSignatureException':
    case 'InvalidClientTokenId':
    case 'ExpiredTokenException':
      return new ConfigError(`AWS refused the credentials (${name}): ${detail}`, { cause: err });
    case 'ResourceInUseException':
      // Stream being updated in a way that refuses writes (e.g. deleting): no point retrying blindly.
      return new TransientError(`stream ${streamName} is not writable now: ${detail}`, { cause: err });
    default:
      return new SystemError(`PutRecords to ${streamName} failed: ${name}: ${detail}`, { cause: err });
  }
}

export { errorName };
