export { PROTOCOL_LEVEL_OF, resolveLogLevel } from './log-level.js';
export { toProtocolLogLine } from './protocol-line.js';
export { createProtocolLogger, type ProtocolLoggerOptions } from './protocol-logger.js';
export { combineRedactors, createRedactor, MIN_SECRET_LENGTH, REDACTED, type Redactor } from './redactor.js';
