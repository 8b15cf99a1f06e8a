import { ScanCommand } from '@aws-sdk/client-dynamodb';
import {
  buildSpec,
  type ConfiguredAirbyteCatalog,
  type Destination,
  type DestinationWriter,
  type PipelineOptions,
  type StreamPlan,
  type WriteContext,
} from '@tributary/airbyte-protocol';
import { RequestGate } from './batch-writer.js';
import { checkConnection } from './check.js';
import { createClient } from './client.js';
import { configSchema, type DynamoDbConfig, resolveConnection, resolveLayout } from './config.js';
import {
  type KeyAttribute,
  primaryKeyPlan,
  type PrimaryKeyPlan,
  RAW_ID_KEY,
  RAW_KEY,
} from './item-mapping/keys.js';
import { ItemMapper } from './item-mapping/mapper.js';
import { tableNameFor, tableNames } from './naming.js';
import { DynamoStreamLoader, type KeyBudget, MAX_TRACKED_KEYS } from './stream-loader.js';
import { TableManager } from './table-manager.js';

export const DOCUMENTATION_URL = 'https://www.npmjs.com/package/@tributary/destination-dynamodb';

/**
 * Batching for DynamoDB: flushes of ~1000 records (40 BatchWriteItem calls) keep the request
 * semaphore busy without holding much in memory; states wait at most a second for their records.
 */
export const DYNAMODB_PIPELINE_OPTIONS: Partial<PipelineOptions> = {
  maxBatchRecords: 1_000,
  maxBatchBytes: 4 * 1024 * 1024,
  maxBatchAgeMs: 1_000,
  stateFlushDelayMs: 500,
  maxConcurrentFlushes: 12,
  maxConcurrentFlushesPerStream: 8,
  maxBufferedBytes: 8 * 1024 * 1024,
};

const SCAN_SEGMENTS = 4;

export const spec = buildSpec(configSchema, {
  documentationUrl: DOCUMENTATION_URL,
  title: 'DynamoDB Destination Spec',
  supportsIncremental: true,
  supported_destination_sync_modes: ['overwrite', 'append', 'append_dedup'],
  extra: { supportsRefreshes: true },
});

async function tableIsEmpty(gate: RequestGate, table: string): Promise<boolean> {
  const out = await gate.call('Scan', table, () =>
    gate.client.send(new ScanCommand({ TableName: table, Limit: 1, ConsistentRead: true })),
  );
  return (out.Items?.length ?? 0) === 0 && out.LastEvaluatedKey === undefined;
}

async function open(
  config: DynamoDbConfig,
  catalog: ConfiguredAirbyteCatalog,
  ctx: WriteContext,
): Promise<DestinationWriter> {
  const { logger } = ctx;
  const { layout, explicit } = resolveLayout(config);
  logger.info(
    explicit
      ? `item layout: ${layout}`
      : 'item layout: raw (the config has no "layout" field, as configs of the upstream connector; set layout to "typed" for one attribute per field)',
  );
  const { endpoint, region } = resolveConnection(config);
  const where = endpoint ?? `DynamoDB in ${region}`;
  const client = createClient(config, { maxSockets: config.max_concurrent_requests + 8 });
  const gate = new RequestGate(
    client,
    config.max_concurrent_requests,
    { maxAttempts: config.retry_max_attempts, baseDelayMs: 50, maxDelayMs: 20_000 },
    where,
    logger,
  );
  const tables = new TableManager(gate, config.billing_mode, logger);
  const names = tableNames(
    config.dynamodb_table_name_prefix,
    catalog.streams.map((s) => ({ name: s.stream.name, namespace: s.stream.namespace ?? null })),
  );
  const ttl = config.ttl_seconds
    ? { attribute: config.ttl_attribute, seconds: config.ttl_seconds }
    : undefined;
  const loaders: DynamoStreamLoader[] = [];
  const keyBudget: KeyBudget = { used: 0, max: MAX_TRACKED_KEYS };
  const t0 = Date.now();

  return {
    pipelineOptions: DYNAMODB_PIPELINE_OPTIONS,
    async createStreamLoader(plan: StreamPlan) {
      const table = tableNameFor(names, plan);
      const dedup = layout === 'typed' && plan.dedup;
      if (layout === 'raw' && plan.dedup) {
        logger.warn(
          `stream ${plan.name}: append_dedup needs the typed layout (raw items are keyed by a random id); appending instead`,
        );
      }
      let pk: PrimaryKeyPlan | undefined = dedup
        ? primaryKeyPlan(plan.primaryKey, plan.jsonSchema)
        : undefined;
      const desired: readonly KeyAttribute[] = layout === 'raw' ? RAW_KEY : pk ? pk.attributes : RAW_ID_KEY;
      const ensured = await tables.ensure(table, desired, pk?.kind === 'fields');
      if (pk?.kind === 'fields') pk = { kind: 'fields', attributes: ensured.keySchema };
      if (ttl) await tables.ensureTtl(table, ttl.attribute);
      const mapper = new ItemMapper({
        layout,
        dedup,
        ...(pk ? { primaryKey: pk } : {}),
        cursorField: plan.cursorField,
        generationId: plan.generationId,
        syncId: plan.syncId,
        syncStartedAt: ctx.syncStartedAt,
        ...(ttl ? { ttl } : {}),
      });
      const tableWasEmpty = dedup ? ensured.created || (await tableIsEmpty(gate, table)) : false;
      logger.info(
        `stream ${plan.namespace ? `${plan.namespace}.` : ''}${plan.name} → table ${table} ` +
          `(${plan.destinationSyncMode}${dedup ? `, key ${ensured.keySchema.map((k) => k.name).join(' + ')}` : ''}` +
          `${plan.truncate ? `, truncate ${plan.truncate.kind}` : ''})`,
      );
      const loader = new DynamoStreamLoader({
        plan,
        table,
        keySchema: ensured.keySchema,
        mapper,
        gate,
        logger,
        tableWasEmpty,
        dedup,
        scanSegments: SCAN_SEGMENTS,
        keyBudget,
      });
      loaders.push(loader);
      return loader;
    },
    async teardown(outcome) {
      const s = gate.stats;
      const totals = loaders.reduce(
        (acc, l) => {
          acc.rejected += l.stats.rejected;
          acc.superseded += l.stats.superseded;
          acc.stale += l.stats.staleRefused;
          acc.conditional += l.stats.conditionalWrites;
          return acc;
        },
        { rejected: 0, superseded: 0, stale: 0, conditional: 0 },
      );
      logger.info(
        `DynamoDB: ${s.itemsWritten} item writes in ${s.requests} requests, ${s.unprocessed} unprocessed item(s) and ` +
          `${s.retriedErrors} throttled/failed request(s) retried, ${totals.rejected} record(s) rejected` +
          (totals.conditional + totals.superseded > 0
            ? `, dedup: ${totals.superseded} superseded in memory, ${totals.conditional} conditional writes (${totals.stale} lost to a later cursor)`
            : '') +
          `; ${((Date.now() - t0) / 1000).toFixed(1)} s, ${outcome.success ? 'success' : 'failed'}`,
      );
      client.destroy();
    },
  };
}

export const destination: Destination<DynamoDbConfig> = {
  name: 'destination-dynamodb',
  configSchema: configSchema as unknown as Destination<DynamoDbConfig>['configSchema'],
  spec,
  check: checkConnection,
  open,
};
