export { checkConnection } from './check.js';
export {
  AWS_REGIONS,
  configSchema,
  type DynamoDbConfig,
  LAYOUTS,
  type Layout,
  resolveConnection,
  resolveLayout,
} from './config.js';
export { destination, DYNAMODB_PIPELINE_OPTIONS, spec } from './destination.js';
export {
  DEFAULT_RETRY,
  MAX_BATCH_ITEMS,
  RequestGate,
  type RetryPolicy,
  type WriteEntry,
} from './batch-writer.js';
export { TableManager } from './table-manager.js';
export { purgeOldItems, truncateFilter } from './finalize.js';
export { DynamoStreamLoader, MAX_TRACKED_KEYS } from './stream-loader.js';
export { checkTableName, sanitizePrefix, tableNameCandidate, tableNames } from './naming.js';
export * from './item-mapping/index.js';
