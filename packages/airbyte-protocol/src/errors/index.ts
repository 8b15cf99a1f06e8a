export {
  classifyError,
  isRetryable,
  THROTTLING_ERROR_NAMES,
  TRANSIENT_ERROR_NAMES,
  TRANSIENT_NETWORK_CODES,
} from './classify.js';
export { errorTraceMessage } from './error-trace.js';
export { errorMessage, errorMessageChain, errorStack } from './error-message.js';
export {
  ConfigError,
  isTributaryError,
  SystemError,
  TransientError,
  TributaryError,
  type TributaryErrorOptions,
} from './tributary-error.js';
