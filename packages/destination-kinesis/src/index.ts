// Public API of @tributary/destination-kinesis.
export { CHECK_STREAM_PREFIX, check } from './check.js';
export { describeAwsError, kinesisClientFor } from './client.js';
export {
  configSchema,
  DEFAULT_AGGREGATION_MAX_BYTES,
  type KinesisConfig,
  MAX_RECORD_BYTES,
  MAX_RECORDS_PER_REQUEST,
  MAX_REQUEST_BYTES,
  RECORD_FORMATS,
  type RecordFormat,
  STREAM_MODES,
  type StreamMode,
} from './config.js';
export { DOCUMENTATION_URL, kinesisDestination, kinesisSpec, openWriter } from './destination.js';
export {
  AggregateBuilder,
  AggregateDecodeError,
  decodeAggregate,
  deaggregate,
  encodeAggregate,
  isAggregated,
  KPL_MAGIC,
  type UserRecord,
  type UserRecordTag,
} from './kpl-aggregation.js';
export {
  kinesisStreamNames,
  MAX_STREAM_NAME_LENGTH,
  parseStreamNameTemplate,
  renderStreamName,
  type StreamId,
  streamIdKey,
} from './naming.js';
export {
  parseFieldPath,
  partitionKeyFunction,
  partitionKeyPaths,
  type PartitionKeyOf,
} from './partition-key.js';
export { type PutEntry, type PutRecordsFn, type PutResult, putRecordsWith } from './put-records.js';
export { emittedAtClock, recordSerializer, type RecordSerializer } from './record-format.js';
export { type SenderMode, type SenderOptions, type SenderSettings, StreamSender } from './sender.js';
export { hashKeyBytes, partitionKeyHash, ShardMap } from './shard-map.js';
export { ensureStream, listShards } from './stream-manager.js';
