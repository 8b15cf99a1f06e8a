import {
  type AirbyteRecordMessage,
  type ConfiguredAirbyteCatalog,
  type DestinationWriter,
  errorMessage,
  type PipelineOptions,
  type StreamLoader,
  type StreamPlan,
  type WriteContext,
  type WriteOutcome,
} from '@tributary/airbyte-protocol';
import type cassandra from 'cassandra-driver';

type Logger = WriteContext['logger'];
import { type BatchLimits, batchBytesUnder, DEFAULT_WARN_THRESHOLD_BYTES, SINGLE_ROWS } from './batching.js';
import { type CqlConfig, effectiveLayout, type Layout } from './config.js';
import { connect, consistencyOf } from './connection.js';
import { ensureKeyspace, ensureTable } from './ddl.js';
import { toTributaryError } from './errors.js';
import {
  DEFAULT_RETRY,
  type RetryPolicy,
  type WriteExecutor as Executor,
  WriteExecutor,
  type WriteOp,
} from './executor.js';
import { removeOlderRows } from './finalize.js';
import { keyspaceName, tableKey, tableNames } from './naming.js';
import { batchWarnThresholdBytes, everyNodeHoldsEveryRow, replicationView } from './replicas.js';
import { RawRowBuilder, type RowBuilder, TypedRowBuilder } from './rows.js';

export interface CqlWriterOptions {
  /** Extra driver options (Scylla-specific settings, tests). */
  readonly driverOptions?: Partial<cassandra.ClientOptions>;
  readonly retry?: RetryPolicy;
  /** Overrides of the pipeline knobs (tests, bench). */
  readonly pipeline?: Partial<PipelineOptions>;
  /** "Cassandra" or "Scylla", for messages. */
  readonly product?: string;
}

/** Records per flush at most: big enough to keep the write window full, small enough to release states often. */
export const BATCH_RECORDS = 2000;

/**
 * Pipeline knobs for CQL: flushes of about `rowsInFlight` rows (at least 128, at most
 * BATCH_RECORDS), enough of them queued to keep the executor's window full. Little more is held:
 * records that wait long for the database outlive the young generation, and copying them is what
 * the garbage collector spends its time on.
 */
export function cqlPipelineOptions(rowsInFlight: number): Partial<PipelineOptions> {
  const perFlush = Math.max(128, Math.min(BATCH_RECORDS, rowsInFlight));
  return {
    maxBatchRecords: perFlush,
    maxBatchBytes: 2 * 1024 * 1024,
    maxBatchAgeMs: 1_000,
    maxConcurrentFlushes: Math.max(4, Math.ceil((2 * rowsInFlight) / perFlush) + 2),
    maxConcurrentFlushesPerStream: 3,
    // Input waiting for the database is all the memory a CQL sync needs; more only grows the heap.
    maxBufferedBytes: 8 * 1024 * 1024,
  };
}

/** One stream: converts records synchronously into write ops; a flush hands them to the shared executor. */
export class CqlStreamLoader implements StreamLoader {
  private batch: WriteOp[] = [];
  private rejectedWarned = false;
  rejected = 0;

  constructor(
    private readonly plan: StreamPlan,
    readonly keyspace: string,
    readonly table: string,
    private readonly rows: RowBuilder,
    private readonly executor: Executor,
    private readonly client: cassandra.Client,
    private readonly logger: Logger,
    private readonly batchLimits: BatchLimits = SINGLE_ROWS,
  ) {}

  write(record: AirbyteRecordMessage, _byteLength?: number, line?: string): WriteOutcome | undefined {
    const built = this.rows.build(record, Date.now(), line);
    if ('op' in built) {
      this.batch.push(built.op);
      return 'accepted';
    }
    this.rejected++;
    if (!this.rejectedWarned) {
      this.rejectedWarned = true;
      this.logger.warn(
        `stream ${this.plan.namespace ? `${this.plan.namespace}.` : ''}${this.plan.name}: rejecting records: ${built.rejected} ` +
          '(counted in rejectedRecordCount; the sync goes on; this warning is shown once per stream)',
      );
    }
    return 'rejected';
  }

  flush(): Promise<void> {
    const ops = this.batch;
    this.batch = [];
    return this.executor.submit(ops, this.batchLimits).catch((err: unknown) => {
      throw toTributaryError(err, `writing to ${this.keyspace}.${this.table}`);
    });
  }

  async finalize(): Promise<void> {
    const truncate = this.plan.truncate;
    if (!truncate) return;
    const started = Date.now();
    try {
      const removed = await removeOlderRows({
        client: this.client,
        executor: this.executor,
        keyspace: this.keyspace,
        table: this.table,
        keyColumns: this.rows.keyColumns(),
        generationColumn: this.rows.generationColumn,
        loadedAtColumn: this.rows.loadedAtColumn,
        timestampColumn: this.rows.timestampColumn,
        truncate,
      });
      const what =
        truncate.kind === 'below_generation'
          ? `of generations below ${truncate.generation}`
          : 'loaded before this sync';
      this.logger.info(
        `${this.keyspace}.${this.table}: removed ${removed} row(s) ${what} in ${((Date.now() - started) / 1000).toFixed(1)} s`,
      );
    } catch (err) {
      throw toTributaryError(err, `removing replaced rows from ${this.keyspace}.${this.table}`);
    }
  }
}

/**
 * The writer for one sync: one session, keyspaces and tables prepared up front, one executor
 * bounding writes in flight across all streams.
 */
export class CqlWriter implements DestinationWriter {
  readonly pipelineOptions: Partial<PipelineOptions>;
  private client: cassandra.Client | null = null;
  private executor: WriteExecutor | null = null;
  private readonly layout: Layout;
  private readonly tables: Map<string, string>;
  /** Per keyspace: how rows may be grouped into unlogged batches. */
  private readonly batchLimits = new Map<string, BatchLimits>();
  /** The server's batch size warning threshold (bytes), read once. */
  private warnThreshold: number | undefined;

  constructor(
    private readonly config: CqlConfig,
    private readonly catalog: ConfiguredAirbyteCatalog,
    private readonly ctx: WriteContext,
    private readonly options: CqlWriterOptions = {},
  ) {
    this.layout = effectiveLayout(config);
    this.pipelineOptions = {
      ...cqlPipelineOptions(config.write_concurrency),
      ...options.pipeline,
    };
    this.tables = tableNames(
      catalog.streams.map((s) => ({ name: s.stream.name, keyspace: this.keyspaceOf(s.stream.namespace) })),
      this.layout,
    );
  }

  private keyspaceOf(namespace: string | null | undefined): string {
    return keyspaceName(namespace, this.config.keyspace);
  }

  async setup(): Promise<void> {
    const { config, ctx } = this;
    const { logger } = ctx;
    logger.info(
      config.layout === undefined
        ? 'layout: raw (the config has no "layout" key, as configs made for the upstream connector; set "layout": "typed" for one column per field)'
        : `layout: ${this.layout}`,
    );
    const { client, localDataCenter } = await connect(config, this.options.driverOptions);
    this.client = client;
    logger.info(
      `connected to ${client.getState().getConnectedHosts().length} host(s), local data centre ${localDataCenter}, ` +
        `consistency ${config.consistency}, ${config.write_concurrency} rows in flight`,
    );
    this.executor = new WriteExecutor(
      client,
      config.write_concurrency,
      { prepare: true, isIdempotent: true, consistency: consistencyOf(config.consistency) },
      this.options.retry ?? DEFAULT_RETRY,
      (err, attempt, delayMs) => {
        if (attempt <= 2 || attempt % 4 === 0) {
          logger.warn(`write failed (${errorMessage(err)}); retry ${attempt} in ${delayMs} ms`);
        }
      },
    );
    const keyspaces = new Set(this.catalog.streams.map((s) => this.keyspaceOf(s.stream.namespace)));
    for (const ks of keyspaces) {
      await ensureKeyspace(client, ks, config, logger);
      this.batchLimits.set(ks, await this.batchLimitsFor(client, ks, localDataCenter));
    }
  }

  /**
   * Multi-row unlogged batches only where they cost the cluster nothing: when every node the
   * driver routes to holds every row of the keyspace, the coordinator applies the whole batch
   * locally. Elsewhere each row goes alone to one of its replicas (token-aware routing).
   */
  private async batchLimitsFor(
    client: cassandra.Client,
    keyspace: string,
    localDataCenter: string,
  ): Promise<BatchLimits> {
    const rows = this.config.write_batch_rows;
    if (rows <= 1) return SINGLE_ROWS;
    const view = await replicationView(client, keyspace, localDataCenter).catch(() => null);
    if (view && everyNodeHoldsEveryRow(view)) {
      this.warnThreshold ??= (await batchWarnThresholdBytes(client)) ?? DEFAULT_WARN_THRESHOLD_BYTES;
      const maxBytes = batchBytesUnder(this.warnThreshold);
      this.ctx.logger.info(
        `keyspace ${keyspace}: every node of ${localDataCenter} holds every row; rows go in unlogged batches of up to ${rows} ` +
          `and ${(maxBytes / 1024).toFixed(1)} KiB (the server warns above ${(this.warnThreshold / 1024).toFixed(1)} KiB)`,
      );
      return { maxRows: rows, maxBytes };
    }
    this.ctx.logger.info(
      `keyspace ${keyspace}: ${view ? `${view.localNodes} node(s) in ${localDataCenter}, not all replicas of every row` : 'replication unknown'}; one token-aware write per row`,
    );
    return SINGLE_ROWS;
  }

  async createStreamLoader(plan: StreamPlan): Promise<StreamLoader> {
    const client = this.client;
    const executor = this.executor;
    if (!client || !executor) throw new Error('CqlWriter.setup() must run first');
    const keyspace = this.keyspaceOf(plan.namespace);
    const table = this.tables.get(tableKey(keyspace, plan.name))!;
    const rowOptions = {
      keyspace,
      table,
      plan,
      ttlSeconds: this.config.ttl_seconds,
      nativeCollections: this.config.native_collections,
    };
    const rows: RowBuilder =
      this.layout === 'raw' ? new RawRowBuilder(rowOptions) : new TypedRowBuilder(rowOptions);
    try {
      const { info } = await ensureTable(client, keyspace, table, rows.wanted, rows.key, this.ctx.logger);
      const warning = rows.bind(info);
      if (warning) this.ctx.logger.warn(warning);
    } catch (err) {
      throw toTributaryError(err, `preparing table ${keyspace}.${table} for stream ${plan.name}`);
    }
    const mode = plan.dedup ? 'append_dedup' : plan.destinationSyncMode;
    const truncate = plan.truncate
      ? plan.truncate.kind === 'below_generation'
        ? `; at COMPLETE rows of generations < ${plan.truncate.generation} are removed`
        : '; at COMPLETE rows loaded before this sync are removed'
      : '';
    this.ctx.logger.info(
      `stream ${plan.name} → ${keyspace}.${table} (${mode}, generation ${plan.generationId}${truncate})`,
    );
    return new CqlStreamLoader(
      plan,
      keyspace,
      table,
      rows,
      executor,
      client,
      this.ctx.logger,
      this.batchLimits.get(keyspace),
    );
  }

  async teardown(): Promise<void> {
    const stats = this.executor?.stats;
    if (stats) {
      this.ctx.logger.info(
        `${stats.writes} row write(s) in ${stats.requests} request(s), ${stats.retries} retried attempt(s)`,
      );
    }
    await this.client
      ?.shutdown()
      .catch((err: unknown) => this.ctx.logger.warn(`closing the session: ${errorMessage(err)}`));
    this.client = null;
  }
}
