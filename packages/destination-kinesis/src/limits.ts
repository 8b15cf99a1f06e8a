// Kinesis limits (PutRecords API reference), in a module of their own: the sender thread needs
// them without loading the config schema (and zod with it).

export const MAX_RECORDS_PER_REQUEST = 500;
export const MAX_REQUEST_BYTES = 5 * 1024 * 1024;
/** Data plus partition key of one record. */
export const MAX_RECORD_BYTES = 1024 * 1024;
/** The KPL's default (`AggregationMaxSize`). */
export const DEFAULT_AGGREGATION_MAX_BYTES = 51_200;
