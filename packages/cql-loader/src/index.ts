// @tributary/cql-loader: what the Cassandra and Scylla destinations share.
export {
  addressField,
  consistencyField,
  type CqlConfig,
  cqlConfigSchema,
  cqlConfigShape,
  datacentersField,
  DEFAULT_REQUEST_TIMEOUT_MS,
  DEFAULT_WRITE_CONCURRENCY,
  effectiveLayout,
  keyspaceField,
  type Layout,
  LAYOUTS,
  layoutField,
  MAX_TTL_SECONDS,
  nativeCollectionsField,
  parseDatacenterFactors,
  passwordField,
  portField,
  refineCqlConfig,
  replicationField,
  replicationStrategyField,
  requestTimeoutField,
  tlsField,
  ttlField,
  usernameField,
  writeConcurrencyField,
} from './config.js';
export {
  CONSISTENCY_LEVELS,
  type ClientOptionsInput,
  clientOptions,
  type ConsistencyName,
  connect,
  consistencyOf,
  contactPoints,
  detectDataCenter,
  type HostPort,
  parseAddress,
  sslOptions,
} from './connection.js';
export { checkCql } from './check.js';
export { type CqlDestinationOptions, createCqlDestination } from './destination.js';
export {
  type ColumnDef,
  createTableCql,
  ensureKeyspace,
  ensureTable,
  keyspaceExists,
  readTable,
  replicationClause,
  type TableInfo,
} from './ddl.js';
export { explainConnectionError, isRetryableCql, toTributaryError } from './errors.js';
export { DEFAULT_RETRY, type RetryPolicy, WriteExecutor, type WriteOp } from './executor.js';
export { murmur3Splits, removeOlderRows } from './finalize.js';
export {
  columnNameCandidate,
  columnNames,
  keyspaceName,
  MAX_TABLE_NAME,
  qualified,
  RAW_COLUMNS,
  tableNameCandidate,
  tableNames,
  TYPED_META_COLUMNS,
} from './naming.js';
export { RawRowBuilder, type RowBuilder, TypedRowBuilder, uuidFromKey } from './rows.js';
export { ordinalMicros, WriteTimestamps } from './timestamps.js';
export {
  type ChangeReason,
  convert,
  converterFor,
  cqlTypeFor,
  type FieldKind,
  fieldKind,
  MAX_CELL_BYTES,
  parseTimestampMs,
  reasonOf,
} from './types.js';
export {
  BATCH_RECORDS,
  CqlStreamLoader,
  CqlWriter,
  type CqlWriterOptions,
  cqlPipelineOptions,
} from './writer.js';
