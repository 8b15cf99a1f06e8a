import { secret } from '@tributary/airbyte-protocol';
import { z } from 'zod';
import { parseFieldPath } from './partition-key.js';
import { parseStreamNameTemplate } from './naming.js';

import {
  DEFAULT_AGGREGATION_MAX_BYTES,
  MAX_RECORD_BYTES,
  MAX_RECORDS_PER_REQUEST,
  MAX_REQUEST_BYTES,
} from './limits.js';

export { DEFAULT_AGGREGATION_MAX_BYTES, MAX_RECORD_BYTES, MAX_RECORDS_PER_REQUEST, MAX_REQUEST_BYTES };
export const DEFAULT_MAX_IN_FLIGHT_PER_STREAM = 8;
export const DEFAULT_MAX_RETRIES = 20;

export const RECORD_FORMATS = ['upstream', 'nested'] as const;
export type RecordFormat = (typeof RECORD_FORMATS)[number];

export const STREAM_MODES = ['provisioned', 'on_demand'] as const;
export type StreamMode = (typeof STREAM_MODES)[number];

/**
 * The connector's configuration. The first six fields are the upstream connector's (same names,
 * defaults and secrets, so its saved configs work unchanged); upstream required all six, here the
 * credentials may be left out to use the AWS default chain, and the rest have defaults.
 */
export const configSchema = z
  .looseObject({
    endpoint: z
      .string()
      .optional()
      .meta({
        title: 'Endpoint',
        description:
          'Kinesis endpoint to connect to; empty for the regular AWS endpoint of the region. A host without a scheme gets https://; plain http:// is only accepted for loopback addresses (local emulators).',
        examples: ['kinesis.us-west-1.amazonaws.com'],
      }),
    region: z
      .string()
      .optional()
      .meta({
        title: 'Region',
        description:
          'AWS region of the streams; empty to use the AWS SDK default (AWS_REGION, the shared config file).',
        examples: ['us-west-1'],
      }),
    shardCount: z.int().min(1).max(100_000).default(5).meta({
      title: 'Shard Count',
      description:
        'Number of shards of the streams this connector creates (with the provisioned stream mode). Existing streams keep their shard count.',
    }),
    accessKey: secret(
      z.string().optional().meta({
        title: 'Access Key',
        description:
          'AWS access key id. Leave both keys empty to use the AWS default credential chain (environment, profile, web identity, container or instance role).',
      }),
    ),
    privateKey: secret(
      z
        .string()
        .optional()
        .meta({ title: 'Private Key', description: 'AWS secret access key belonging to the access key.' }),
    ),
    bufferSize: z.int().min(1).max(MAX_RECORDS_PER_REQUEST).default(100).meta({
      title: 'Buffer Size',
      description:
        'Most records sent in one PutRecords request (Kinesis allows 500 and 5 MiB per request). Each stream has its own buffer.',
    }),
    sessionToken: secret(
      z.string().optional().meta({
        title: 'Session Token',
        description: 'Session token of temporary credentials (with the two keys above).',
      }),
    ),
    roleArn: z
      .string()
      .optional()
      .meta({
        title: 'Role ARN',
        description: 'IAM role to assume with the credentials above (or the default chain) before writing.',
        examples: ['arn:aws:iam::123456789012:role/airbyte-kinesis-writer'],
      }),
    externalId: z
      .string()
      .optional()
      .meta({ title: 'External ID', description: 'External id the role trust policy requires, if any.' }),
    streamMode: z.enum(STREAM_MODES).default('provisioned').meta({
      title: 'Stream Mode',
      description:
        'Capacity mode of the streams this connector creates: "provisioned" with Shard Count shards, or "on_demand" (Kinesis scales the shards). Existing streams are left as they are.',
    }),
    partitionKeyField: z
      .string()
      .optional()
      .meta({
        title: 'Partition Key Field',
        description:
          'Path of the record field whose value is the partition key, with dots between levels (e.g. "customer.id"; write "\\." for a dot inside a name). Empty: the stream\'s primary key; streams without one get a random key per record, as upstream. Records with the same key go to the same shard and keep their order.',
        examples: ['id', 'customer.id'],
      }),
    recordFormat: z.enum(RECORD_FORMATS).default('upstream').meta({
      title: 'Record Format',
      description:
        '"upstream": the upstream connector\'s JSON {"_airbyte_ab_id", "_airbyte_data" (the record as a JSON string), "_airbyte_emitted_at"}. "nested": "_airbyte_data" as a JSON object beside the Destinations V2 metadata (_airbyte_raw_id, _airbyte_extracted_at, _airbyte_loaded_at, _airbyte_meta, _airbyte_generation_id).',
    }),
    aggregation: z.boolean().default(false).meta({
      title: 'KPL Aggregation',
      description:
        'Pack small records into Kinesis Producer Library aggregated records (up to Aggregation Max Bytes each): many more records per second per shard, but consumers must de-aggregate (the KCL, Lambda event source mappings and Firehose do).',
    }),
    aggregationMaxBytes: z.int().min(1024).max(MAX_RECORD_BYTES).default(DEFAULT_AGGREGATION_MAX_BYTES).meta({
      title: 'Aggregation Max Bytes',
      description:
        'Largest aggregated record (the KPL default is 51200). Larger records are sent on their own.',
    }),
    streamNameTemplate: z
      .string()
      .default('{namespace}_{stream}')
      .meta({
        title: 'Stream Name Template',
        description:
          'Name of the Kinesis stream of each Airbyte stream. {namespace} and {stream} are replaced by the names, normalised as upstream (letters, digits and _); other characters outside [A-Za-z0-9_.-] become _. The default gives the upstream names (a stream without namespace gets a leading _).',
        examples: ['{namespace}_{stream}', 'airbyte.{stream}'],
      }),
    createStreams: z.boolean().default(true).meta({
      title: 'Create Missing Streams',
      description:
        'Create streams that do not exist yet (otherwise a missing stream fails the sync). Streams are never deleted.',
    }),
    maxInFlightPerStream: z.int().min(1).max(64).default(DEFAULT_MAX_IN_FLIGHT_PER_STREAM).meta({
      title: 'Requests In Flight Per Stream',
      description: 'PutRecords requests sent at once for one stream.',
    }),
    maxRetries: z.int().min(0).max(100).default(DEFAULT_MAX_RETRIES).meta({
      title: 'Max Retries',
      description:
        'Retries of a record Kinesis did not accept (throttling, internal failures), with exponential backoff and jitter; past them the sync fails. Only the failed records are resent.',
    }),
    retryBaseDelayMs: z.int().min(1).max(60_000).default(200).meta({
      title: 'Retry Base Delay (ms)',
      description: 'First backoff delay; doubles per retry.',
      airbyte_hidden: true,
    }),
    retryMaxDelayMs: z
      .int()
      .min(1)
      .max(600_000)
      .default(10_000)
      .meta({ title: 'Retry Max Delay (ms)', description: 'Longest backoff delay.', airbyte_hidden: true }),
    workerThread: z.boolean().optional().meta({
      title: 'Sender Thread',
      description:
        "Run the stream senders (requests, per-key order, retries, the PutRecords calls) on a worker thread, in parallel with reading and formatting records. Unset: on when the connector may use at least 2 CPUs (its container's CPU quota counted), off on one CPU, where the thread would only cost CPU.",
      airbyte_hidden: true,
    }),
    verifyWritesOnCheck: z.boolean().default(false).meta({
      title: 'Check Writes',
      description:
        'Make "check" also create a uniquely named one-shard stream (tributary_check_…), put one record in it and delete that stream. Slow on AWS (about a minute) and needs kinesis:CreateStream and DeleteStream; otherwise check only lists and describes streams.',
    }),
  })
  .superRefine((value, ctx) => {
    if (value.partitionKeyField !== undefined && value.partitionKeyField.trim() !== '') {
      try {
        parseFieldPath(value.partitionKeyField);
      } catch (err) {
        ctx.addIssue({ code: 'custom', path: ['partitionKeyField'], message: (err as Error).message });
      }
    }
    try {
      parseStreamNameTemplate(value.streamNameTemplate);
    } catch (err) {
      ctx.addIssue({ code: 'custom', path: ['streamNameTemplate'], message: (err as Error).message });
    }
    if (value.retryMaxDelayMs < value.retryBaseDelayMs) {
      ctx.addIssue({
        code: 'custom',
        path: ['retryMaxDelayMs'],
        message: 'must be at least retryBaseDelayMs',
      });
    }
  });

export type KinesisConfig = z.output<typeof configSchema>;
