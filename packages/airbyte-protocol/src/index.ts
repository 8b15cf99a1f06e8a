/**
 * @tributary/airbyte-protocol — the public surface.
 *
 * Curated on purpose: everything exported here is supported API. Modules not re-exported here
 * are internal and may change without notice.
 */

// Protocol models: types, zod schemas, decoding and message builders.
export * from './models/index.js';

// Fast newline-delimited JSON in and out.
export {
  type LineHandler,
  LineSplitter,
  type NdjsonReaderHandle,
  type NdjsonReaderHandlers,
  type NdjsonReadStats,
  NdjsonWriter,
  type NdjsonWriterOptions,
  startNdjsonReader,
} from './io/index.js';

// Config as a zod schema, the connector spec generated from it, validation.
export {
  type BuildSpecOptions,
  buildSpec,
  ConfigValidationError,
  configJsonSchema,
  type JsonSchema,
  secret,
  secretValues,
  validateConfig,
} from './spec/index.js';

// Typed, classified errors and retries with backoff and jitter.
export {
  ConfigError,
  classifyError,
  errorMessage,
  errorTraceMessage,
  isRetryable,
  isTributaryError,
  SystemError,
  TransientError,
  TributaryError,
  type TributaryErrorOptions,
} from './errors/index.js';
export { abortableSleep, backoffDelay, type RetryOptions, retry } from './retry/index.js';

// Logging through pino as protocol LOG messages, with secrets redacted.
export {
  createProtocolLogger,
  createRedactor,
  type ProtocolLoggerOptions,
  type Redactor,
} from './logging/index.js';

// Names: upstream normalisation, collision-free truncation, quoting.
export {
  type IdentifierRules,
  identifierFor,
  NameRegistry,
  quoteIdentifier,
  shortHash,
  toAlphanumericAndUnderscore,
  truncateWithHash,
  uniqueNames,
} from './naming/index.js';

// Destination side: the interface a destination implements and the pipeline that runs it.
export type {
  ConnectorContext,
  Destination,
  DestinationWriter,
  StreamLoader,
  WriteContext,
  WriteOutcome,
} from './pipeline/destination.js';
export { DEFAULT_PIPELINE_OPTIONS, type PipelineOptions } from './pipeline/options.js';
export {
  InterruptedError,
  runWritePipeline,
  type WritePipelineParams,
  type WriteSummary,
} from './pipeline/write-pipeline.js';
export { type ReleasedState, StateLedger } from './pipeline/state-ledger.js';
export { planStream, type StreamPlan, type TruncatePlan } from './refresh/index.js';

// From a stream's JSON schema to abstract column types, and value coercion into them.
export {
  type AbstractKind,
  type AbstractType,
  abstractTypeOf,
  type CoerceFailureReason,
  type CoerceOptions,
  type CoerceResult,
  type ColumnSpec,
  coerceValue,
  columnsOf,
  type DateValue,
  describeSchema,
  parseDate,
  parseTimeNtz,
  parseTimestampNtz,
  parseTimestampTz,
  parseTimeTz,
  type TimeNtzValue,
  type TimestampNtzValue,
  type TimestampTzValue,
  type TimeTzValue,
} from './schema/index.js';

// Record envelope: legacy raw columns, Destinations V2 metadata, CDC helpers.
export { type LegacyRawRow, legacyRawRow } from './envelope/legacy-raw.js';
export {
  hasInexactNumbers,
  inexactDataText,
  parseExactJson,
  recordDataExact,
  recordDataJson,
  recordDataText,
  stringifyExact,
} from './envelope/raw-data.js';
export { type AirbyteMeta, DV2_COLUMN_NAMES, type Dv2Columns, dv2Columns } from './envelope/dv2-meta.js';
export { CDC_DELETED_AT, cursorOrdinal, isCdcDeletion, valueAtPath } from './envelope/cdc.js';

// Command line runners (the Airbyte Docker interface).
export type { ConnectorBase } from './runner/run-connector.js';
export { mainDestination, runDestination } from './runner/run-destination.js';
export { type ProcessIo, processIo } from './runner/process-io.js';

// Source side.
export type { Source } from './source/source.js';
export { type EmitterOptions, SourceEmitter } from './source/emitter.js';
export { mainSource, runSource } from './source/run-source.js';

// Small concurrency helpers connectors share.
export { mapBounded } from './util/map-bounded.js';
export { Semaphore } from './util/semaphore.js';
