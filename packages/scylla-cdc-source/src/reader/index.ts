// The CDC log reader, usable without the Airbyte source.
export {
  CdcReader,
  readerClientOptions,
  type CdcReaderOptions,
  type ReaderItem,
  type ReaderLogger,
  type TableStart,
} from './reader.js';
export { type CdcChange, type ChangeKind, type LogRow, Operation, WriteAssembler } from './changes.js';
export { type CursorJson, isCursorJson, type StreamPosition, TableCursor } from './cursor.js';
export { CdcConfigError, isTransientCqlError } from './errors.js';
export {
  type GenerationSource,
  type StreamGroup,
  TabletStreams,
  VnodeGenerations,
  vnodeIndexOf,
} from './generations.js';
export {
  type CdcTableOptions,
  type ColumnInfo,
  LOG_TABLE_SUFFIX,
  loadTableSchema,
  parseCdcOptions,
  SCYLLA_SYSTEM_KEYSPACES,
  type SystemKeyspaces,
  type TableSchema,
  usesTablets,
} from './schema.js';
export { type CqlType, parseCqlType } from './cql-type.js';
export { compareTimeuuid, maxTimeuuidAt, minTimeuuidAt, timeuuidMicros } from './timeuuid.js';
