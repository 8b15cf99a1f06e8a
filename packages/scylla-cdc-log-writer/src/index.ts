// @tributary/scylla-cdc-log-writer: writes a Scylla-shaped CDC log on Cassandra for tests and the main job.
export {
  CdcLogWriter,
  type ApplyOptions,
  type CdcOptions,
  type Mutation,
  type Row,
  type WriterOptions,
} from './writer.js';
export { CollectionOp, canon } from './values.js';
export { type CqlType, parseCqlType, formatCqlType } from './cql-type.js';
export { murmur3Token, partitionKeyBytes } from './murmur3.js';
export {
  createGenerationLayout,
  createTabletLayout,
  type GenerationLayout,
  makeStreamId,
  shardOf,
  streamForToken,
  streamIdToken,
  streamIdVnode,
  type VnodeStreams,
} from './streams.js';
export { MicrosClock, timeuuidAtMicros, timeuuidMicros } from './time.js';
export { LOG_SUFFIX, loadTableDef, logColumns, createLogTableCql, type TableDef } from './schema.js';
