// Debezium-style change events (the connector's legacy and advanced formats).
export {
  type ChangeEvent,
  DEFAULT_PLACEMENT,
  EventBuilder,
  type EventOptions,
  type ImageMode,
  type KeyPlacement,
  type Op,
  type OutputFormat,
} from './builder.js';
export {
  converterFor,
  decimalText,
  durationText,
  float32,
  inetText,
  int64,
  type Json,
  javaDecimalString,
} from './convert.js';
export { eventJsonSchema, primaryKeyPaths } from './json-schema.js';
export { extractNewRecordState, flattenColumns } from './smt.js';
