import { traceErrorMessage } from '../models/builders.js';
import type { AirbyteMessageOf } from '../models/message.js';
import type { StreamDescriptor } from '../models/stream-descriptor.js';
import { causeChain } from './cause-chain.js';
import { classifyError } from './classify.js';
import { errorMessage, errorMessageChain, errorStack } from './error-message.js';
import { isTributaryError } from './tributary-error.js';

/**
 * The TRACE ERROR message for a failure. `message` is the error's own message (what the user sees),
 * `internal_message` the messages of the whole cause chain (or the error's `internalMessage`), and
 * `stack_trace` the stacks including causes. All three pass through `redact`, so a secret that
 * leaked into an error text never reaches the platform.
 */
export function errorTraceMessage(
  err: unknown,
  redact: (s: string) => string = (s) => s,
  emittedAt?: number,
): AirbyteMessageOf<'TRACE'> {
  let streamDescriptor: StreamDescriptor | undefined;
  let internalMessage: string | undefined;
  for (const item of causeChain(err)) {
    if (!isTributaryError(item)) continue;
    streamDescriptor ??= item.streamDescriptor;
    internalMessage ??= item.internalMessage;
  }
  const opts: Parameters<typeof traceErrorMessage>[0] = {
    message: redact(errorMessage(err)),
    internalMessage: redact(internalMessage ?? errorMessageChain(err)),
    stackTrace: redact(errorStack(err)),
    failureType: classifyError(err),
  };
  if (streamDescriptor !== undefined) opts.streamDescriptor = streamDescriptor;
  if (emittedAt !== undefined) opts.emittedAt = emittedAt;
  return traceErrorMessage(opts);
}
