import {
  type AirbyteConnectionStatus,
  buildSpec,
  type ConfiguredAirbyteCatalog,
  type ConnectorContext,
  type Destination,
  type DestinationWriter,
  Semaphore,
  type StreamPlan,
  type WriteContext,
} from '@tributary/airbyte-protocol';
import { check } from './check.js';
import { kinesisClientFor } from './client.js';
import { configSchema, type KinesisConfig } from './config.js';
import { availableCpus } from './cpus.js';
import { kinesisStreamNames, streamIdKey } from './naming.js';
import { partitionKeyFunction, partitionKeyPaths } from './partition-key.js';
import { putRecordsWith, REQUEST_TIMEOUT_MS } from './put-records.js';
import { recordSerializer } from './record-format.js';
import { LocalSink, type RecordSink } from './record-sink.js';
import { type SenderMode, StreamSender } from './sender.js';
import { type ShardDescription, ShardMap } from './shard-map.js';
import { type EnsuredStream, ensureStream, listShards } from './stream-manager.js';
import { KinesisStreamLoader } from './stream-loader.js';
import { SenderThread } from './sender-thread.js';

export const DOCUMENTATION_URL = 'https://www.npmjs.com/package/@tributary/destination-kinesis';

export const kinesisSpec = buildSpec(configSchema, {
  documentationUrl: DOCUMENTATION_URL,
  title: 'Kinesis Destination Spec',
  supportsIncremental: true,
  supportsNormalization: false,
  supportsDBT: false,
  // Overwrite is accepted and appends: a Kinesis stream cannot be truncated. No dedup.
  supported_destination_sync_modes: ['append', 'overwrite'],
});

function label(plan: Pick<StreamPlan, 'namespace' | 'name'>): string {
  return plan.namespace ? `${plan.namespace}.${plan.name}` : plan.name;
}

/** The writer of one sync: a Kinesis client shared by the streams, a sender and loader per stream. */
export async function openWriter(
  config: KinesisConfig,
  catalog: ConfiguredAirbyteCatalog,
  ctx: WriteContext,
): Promise<DestinationWriter> {
  const names = kinesisStreamNames(
    catalog.streams.map((s) => ({ namespace: s.stream.namespace ?? null, name: s.stream.name })),
    config.streamNameTemplate,
  );
  const streamCount = Math.max(1, catalog.streams.length);
  const maxSockets = Math.min(256, Math.max(16, streamCount * config.maxInFlightPerStream));
  // Control-plane calls (create, describe, list shards) on one client; PutRecords on another (with
  // the lean codec), in this thread or in a worker thread.
  const client = kinesisClientFor(config, { maxSockets: 8 });
  const cpus = availableCpus();
  const onWorker = config.workerThread ?? cpus >= 2;
  ctx.logger.info(
    `senders and PutRecords calls on ${onWorker ? 'a worker thread' : 'the main thread'} (${config.workerThread === undefined ? `${cpus} CPU${cpus === 1 ? '' : 's'} available` : 'workerThread set'})`,
  );
  const log = {
    info: (m: string) => ctx.logger.info(m),
    warn: (m: string) => ctx.logger.warn(m),
  };
  // Every stream is described (and created when missing) from the start, 8 at a time, instead of
  // when the pipeline asks for its loader (4 at a time): the first records go out sooner. Each
  // loader awaits its own stream (and reports its failure).
  const describing = new Semaphore(8);
  const ensured = new Map<string, Promise<EnsuredStream>>();
  for (const name of new Set(names.values())) {
    const done = describing.run(() =>
      ensureStream(client, name, {
        create: config.createStreams,
        mode: config.streamMode,
        shardCount: config.shardCount,
        logger: log,
        signal: ctx.signal,
      }),
    );
    done.catch(() => undefined);
    ensured.set(name, done);
  }
  const thread = onWorker
    ? new SenderThread({ config, maxSockets, requestTimeoutMs: REQUEST_TIMEOUT_MS }, log)
    : null;
  const dataClient = thread ? null : kinesisClientFor(config, { maxSockets, putRecordsOnly: true });
  return {
    pipelineOptions: {
      // The sender sends full requests as records arrive; a flush only marks what a state waits
      // for and sends the partial rest, so flushes are cheap and many may be open at once.
      maxBatchRecords: Math.max(1_000, config.bufferSize * config.maxInFlightPerStream * 4),
      maxBatchAgeMs: 500,
      // A state waits at most ~0.2 s for the flush that lets it out.
      stateFlushDelayMs: 100,
      tickMs: 100,
      maxConcurrentFlushesPerStream: 64,
      maxConcurrentFlushes: 4_096,
    },
    async createStreamLoader(plan) {
      const name = names.get(streamIdKey({ namespace: plan.namespace, name: plan.name }));
      if (name === undefined) throw new Error(`internal: no stream name for ${label(plan)}`);
      if (plan.destinationSyncMode === 'overwrite' || plan.truncate !== null) {
        ctx.logger.info(
          `stream ${label(plan)}: ${plan.destinationSyncMode} appends to Kinesis stream ${name} (a Kinesis stream cannot be truncated; nothing is deleted)`,
        );
      } else if (plan.destinationSyncMode === 'append_dedup') {
        ctx.logger.warn(
          `stream ${label(plan)}: append_dedup is not supported by Kinesis; records are appended`,
        );
      }
      const stream = await ensured.get(name)!;
      const paths = partitionKeyPaths(config.partitionKeyField, plan.primaryKey);
      const keyOf = partitionKeyFunction(paths);
      let mode: SenderMode;
      let shards: ShardDescription[] | undefined;
      if (config.aggregation) {
        if (keyOf === null) mode = 'aggregate-unordered';
        else {
          mode = 'aggregate-by-shard';
          shards = await listShards(client, name, ctx.signal);
        }
      } else mode = keyOf === null ? 'unordered' : 'per-key';
      const senderOptions = {
        streamName: name,
        mode,
        maxRecordsPerRequest: config.bufferSize,
        maxInFlight: config.maxInFlightPerStream,
        maxRetries: config.maxRetries,
        retryBaseDelayMs: config.retryBaseDelayMs,
        retryMaxDelayMs: config.retryMaxDelayMs,
        aggregationMaxBytes: config.aggregationMaxBytes,
      };
      const sink: RecordSink = thread
        ? thread.open({ ...senderOptions, ...(shards ? { shards } : {}) }, Math.max(100, config.bufferSize))
        : new LocalSink(
            new StreamSender({
              ...senderOptions,
              put: putRecordsWith(dataClient!, name),
              ...(shards ? { shardMap: new ShardMap(shards) } : {}),
              logger: log,
            }),
          );
      const keyText = paths.length === 0 ? 'random per record' : paths.map((p) => p.join('.')).join(' + ');
      ctx.logger.info(
        `stream ${label(plan)} → Kinesis stream ${name} (${stream.summary.StreamStatus}, ${stream.summary.OpenShardCount ?? '?'} open shards); partition key: ${keyText}; ${mode}`,
      );
      return new KinesisStreamLoader({
        label: label(plan),
        streamName: name,
        sink,
        keyOf,
        serialize: recordSerializer(config.recordFormat, plan),
        keylessWithoutKey: mode === 'aggregate-unordered',
        logger: log,
      });
    },
    async teardown() {
      client.destroy();
      dataClient?.destroy();
      await thread?.close();
    },
  };
}

/** The Airbyte destination for Amazon Kinesis Data Streams. */
export const kinesisDestination: Destination<KinesisConfig> = {
  name: 'destination-kinesis',
  configSchema: configSchema as unknown as Destination<KinesisConfig>['configSchema'],
  spec: kinesisSpec,
  check: (config: KinesisConfig, ctx: ConnectorContext): Promise<AirbyteConnectionStatus> =>
    check(config, ctx),
  open: openWriter,
};
