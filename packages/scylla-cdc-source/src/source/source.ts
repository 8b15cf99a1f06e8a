import {
  type AirbyteCatalog,
  type AirbyteConnectionStatus,
  type AirbyteStateMessage,
  type AirbyteStream,
  buildSpec,
  type ConfiguredAirbyteCatalog,
  ConfigError,
  type ConnectorContext,
  type Source,
  type SourceEmitter,
  streamStateMessage,
  TransientError,
} from '@tributary/airbyte-protocol';
import cassandra from 'cassandra-driver';
type Logger = ConnectorContext['logger'];
import { EventBuilder, type EventOptions, type KeyPlacement } from '../events/builder.js';
import { eventJsonSchema, primaryKeyPaths } from '../events/json-schema.js';
import { type CursorJson, isCursorJson, TableCursor } from '../reader/cursor.js';
import { CdcConfigError, isTransientCqlError } from '../reader/errors.js';
import { VnodeGenerations } from '../reader/generations.js';
import { CdcReader, readerClientOptions, type ReaderItem } from '../reader/reader.js';
import {
  loadTableSchema,
  SCYLLA_SYSTEM_KEYSPACES,
  type SystemKeyspaces,
  type TableSchema,
  usesTablets,
} from '../reader/schema.js';
import { VERSION } from '../version.js';
import {
  contactPoints,
  logicalName,
  parseUntil,
  type ScyllaCdcConfig,
  scyllaCdcConfigSchema,
  splitList,
  tableNames,
} from './config.js';
import { EventBytes } from './event-bytes.js';
import { estimateRows, type SnapshotState, scanQuery, tokenRange } from './snapshot.js';

export const DOCUMENTATION_URL = 'https://www.npmjs.com/package/@tributary/scylla-cdc-source';

export const scyllaCdcSpec = buildSpec(scyllaCdcConfigSchema, {
  documentationUrl: DOCUMENTATION_URL,
  title: 'Scylla CDC Source Spec',
  supportsIncremental: true,
  protocol_version: '0.18.0',
});

/** Where an Airbyte record carries the event's key (placement kafka-key). */
export const RECORD_KEY_FIELD = '_key';

const SNAPSHOT_RANGES = 64;
const SNAPSHOT_CONCURRENCY = 4;

export function systemKeyspaces(config: ScyllaCdcConfig): SystemKeyspaces {
  const ks = config['tributary.system.keyspace'];
  return ks ? { generations: ks, schema: ks, tablets: ks } : SCYLLA_SYSTEM_KEYSPACES;
}

export function eventOptions(config: ScyllaCdcConfig): EventOptions {
  return {
    format: config['cdc.output.format'],
    name: logicalName(config),
    legacyPreimages: config['experimental.preimages.enabled'],
    before: config['cdc.include.before'],
    after: config['cdc.include.after'],
    placement: splitList(config['cdc.include.primary-key.placement']) as KeyPlacement[],
    payloadKeyName: config['cdc.include.primary-key.payload-key-name'],
    version: VERSION,
    recordKeyField: RECORD_KEY_FIELD,
  };
}

export function createClient(config: ScyllaCdcConfig): cassandra.Client {
  const lb = cassandra.policies.loadBalancing;
  const localDc = config['scylla.local.dc'];
  const options: cassandra.ClientOptions = {
    contactPoints: contactPoints(config),
    queryOptions: { consistency: consistencyOf(config), prepare: true },
    socketOptions: { readTimeout: 30_000, connectTimeout: 10_000 },
    pooling: {
      coreConnectionsPerHost: { [cassandra.types.distance.local]: 1, [cassandra.types.distance.remote]: 1 },
    },
    policies: {
      loadBalancing: localDc
        ? new lb.TokenAwarePolicy(new lb.DCAwareRoundRobinPolicy(localDc))
        : new lb.TokenAwarePolicy(new lb.RoundRobinPolicy()),
    },
  };
  if (localDc) options.localDataCenter = localDc;
  const user = config['scylla.user'];
  if (user !== undefined) options.credentials = { username: user, password: config['scylla.password'] ?? '' };
  return new cassandra.Client(readerClientOptions(options));
}

export function consistencyOf(config: ScyllaCdcConfig): number {
  const name = config['scylla.consistency.level'];
  const key = name.toLowerCase().replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
  return (cassandra.types.consistencies as unknown as Record<string, number>)[key]!;
}

/** The table checks `check` and `read` share: CDC on, images the chosen modes need, a generation. */
async function validateTable(
  client: cassandra.Client,
  config: ScyllaCdcConfig,
  keyspace: string,
  table: string,
): Promise<TableSchema> {
  const system = systemKeyspaces(config);
  const schema = await loadTableSchema(client, keyspace, table, system);
  const id = schema.id;
  const advanced = config['cdc.output.format'] === 'advanced';
  const enable = (opt: string) =>
    `ALTER TABLE ${keyspace}.${table} WITH cdc = {'enabled': true, '${opt}': true${
      opt === 'postimage' && schema.cdc.preimage
        ? `, 'preimage': ${schema.cdc.preimage === 'full' ? "'full'" : 'true'}`
        : ''
    }${opt === 'preimage' && schema.cdc.postimage ? ", 'postimage': true" : ''}}`;
  if (advanced && config['cdc.include.before'] !== 'none' && schema.cdc.preimage === false) {
    throw new CdcConfigError(
      `cdc.include.before=${config['cdc.include.before']} needs preimages, but ${id} has CDC without 'preimage'. ` +
        `Run: ${enable('preimage')}, or set cdc.include.before=none.`,
    );
  }
  if (advanced && config['cdc.include.after'] !== 'none' && !schema.cdc.postimage) {
    throw new CdcConfigError(
      `cdc.include.after=${config['cdc.include.after']} needs postimages, but ${id} has CDC without 'postimage'. ` +
        `Run: ${enable('postimage')}, or set cdc.include.after=none.`,
    );
  }
  if (!advanced && config['experimental.preimages.enabled'] && schema.cdc.preimage === false) {
    throw new CdcConfigError(
      `experimental.preimages.enabled needs preimages, but ${id} has CDC without 'preimage'. Run: ${enable('preimage')}.`,
    );
  }
  return schema;
}

function asConfigError(err: unknown): unknown {
  if (err instanceof CdcConfigError) return new ConfigError(err.message, { cause: err });
  if (isTransientCqlError(err)) return new TransientError((err as Error).message, { cause: err });
  if (err instanceof cassandra.errors.AuthenticationError) {
    return new ConfigError(`authentication failed: ${err.message}`, { cause: err });
  }
  return err;
}

/**
 * Records are normally serialised by the event builder, encoded to UTF-8 as they are built
 * ({@link EventBytes}) and written with the emitter's `recordBytesWriter` (no object graph for
 * JSON.stringify to walk, no string waiting in the queue, no second encoding).
 * TRIBUTARY_SCYLLA_CDC_OBJECT_RECORDS=1 builds objects and uses `emitter.record()` instead; a
 * test checks both paths emit the same records.
 */
const OBJECT_RECORDS = (): boolean => process.env.TRIBUTARY_SCYLLA_CDC_OBJECT_RECORDS === '1';

/** CPU time (user + system) of this process so far, in ms. */
function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

type EncodedItem = Extract<ReaderItem, { kind: 'encoded' }>;

interface StreamRuntime {
  readonly keyspace: string;
  readonly table: string;
  readonly id: string;
  readonly descriptor: { name: string; namespace: string };
  cursor: TableCursor | undefined;
  /** The cursor of the --state file, as saved: where the reader resumes. */
  readonly savedCursor: CursorJson | undefined;
  snapshot: SnapshotState | undefined;
  lastStateVersion: number;
  lastEmittedUs: number | undefined;
  emitted: number;
  running: boolean;
  done: boolean;
  /** Log rows per µs seen so far (for ESTIMATE). */
  firstUs: number | undefined;
  /** Emits one RECORD from the serialised payload; false: await `emitter.drained()`. */
  readonly writeRecord: (dataJson: string) => boolean;
  /** The same from the payload's UTF-8 bytes. */
  readonly writeRecordBytes: (bytes: Uint8Array, start: number, end: number) => boolean;
}

export class ScyllaCdcSource implements Source<ScyllaCdcConfig> {
  readonly name = 'scylla-cdc-source';
  readonly configSchema = scyllaCdcConfigSchema;
  readonly spec = scyllaCdcSpec;

  async check(config: ScyllaCdcConfig, ctx: ConnectorContext): Promise<AirbyteConnectionStatus> {
    const client = createClient(config);
    try {
      await client.connect();
      const problems: string[] = [];
      for (const { keyspace, table } of tableNames(config)) {
        try {
          const schema = await validateTable(client, config, keyspace, table);
          const tablets = await usesTablets(client, keyspace, systemKeyspaces(config));
          if (!tablets) {
            const gens = await new VnodeGenerations(
              client,
              systemKeyspaces(config),
              consistencyOf(config),
            ).timestamps();
            if (gens.length === 0) problems.push(`${schema.id}: no CDC generation found`);
          }
        } catch (err) {
          if (err instanceof CdcConfigError) problems.push(err.message);
          else throw err;
        }
      }
      if (problems.length > 0) return { status: 'FAILED', message: problems.join('; ') };
      ctx.logger.info(`check: ${tableNames(config).length} table(s) ready for CDC`);
      return { status: 'SUCCEEDED' };
    } catch (err) {
      throw asConfigError(err);
    } finally {
      await client.shutdown();
    }
  }

  async discover(config: ScyllaCdcConfig, _ctx: ConnectorContext): Promise<AirbyteCatalog> {
    const client = createClient(config);
    const options = eventOptions(config);
    try {
      await client.connect();
      const streams: AirbyteStream[] = [];
      for (const { keyspace, table } of tableNames(config)) {
        const schema = await validateTable(client, config, keyspace, table);
        streams.push({
          name: table,
          namespace: keyspace,
          json_schema: eventJsonSchema(schema, options),
          supported_sync_modes: ['incremental'],
          source_defined_cursor: true,
          default_cursor_field: ['source', 'ts_us'],
          source_defined_primary_key: primaryKeyPaths(schema, options),
          is_resumable: true,
        });
      }
      return { streams };
    } catch (err) {
      throw asConfigError(err);
    } finally {
      await client.shutdown();
    }
  }

  async read(
    config: ScyllaCdcConfig,
    catalog: ConfiguredAirbyteCatalog,
    state: AirbyteStateMessage[],
    emitter: SourceEmitter,
    ctx: ConnectorContext,
  ): Promise<void> {
    const run = new ReadRun(config, catalog, state, emitter, ctx);
    await run.run();
  }
}

/** One `read`: optional snapshot, then the CDC log until stopped (or caught up to `tributary.read.until`). */
class ReadRun {
  private readonly logger: Logger;
  private readonly client: cassandra.Client;
  private readonly builder: EventBuilder;
  private readonly streams: StreamRuntime[] = [];
  private readonly startedAt = Date.now();
  private readonly untilMs: number | undefined;
  private lastFlush = Date.now();
  private readonly serialised: boolean;
  /** The encoded events of the queued items, in queue order (serialised mode). */
  private readonly eventBytes = new EventBytes();
  private lastLag = Date.now();
  private reader: CdcReader | undefined;

  constructor(
    private readonly config: ScyllaCdcConfig,
    catalog: ConfiguredAirbyteCatalog,
    state: AirbyteStateMessage[],
    private readonly emitter: SourceEmitter,
    private readonly ctx: ConnectorContext,
  ) {
    this.logger = ctx.logger;
    this.client = createClient(config);
    this.builder = new EventBuilder(eventOptions(config));
    this.serialised = !OBJECT_RECORDS();
    const until = config['tributary.read.until'];
    this.untilMs = until === undefined ? undefined : parseUntil(until, this.startedAt);
    const saved = new Map<string, Record<string, unknown>>();
    for (const s of state) {
      const d = s.stream?.stream_descriptor;
      if (s.type === 'STREAM' && d)
        saved.set(
          `${d.namespace ?? ''}.${d.name}`,
          (s.stream?.stream_state ?? {}) as Record<string, unknown>,
        );
    }
    const allowed = new Set(splitList(config['scylla.table.names']));
    for (const cs of catalog.streams) {
      const namespace = cs.stream.namespace ?? '';
      const name = cs.stream.name;
      const id = `${namespace}.${name}`;
      if (!allowed.has(id)) {
        throw new ConfigError(`stream ${id} is not among scylla.table.names (${[...allowed].join(', ')})`);
      }
      const st = saved.get(id);
      const cdc = st?.cdc;
      const snap = st?.snapshot as SnapshotState | undefined;
      this.streams.push({
        keyspace: namespace,
        table: name,
        id,
        descriptor: { name, namespace },
        cursor: isCursorJson(cdc) ? TableCursor.fromJson(cdc) : undefined,
        savedCursor: isCursorJson(cdc) ? cdc : undefined,
        snapshot:
          snap && typeof snap.started_us === 'number' ? { ...snap, done: [...(snap.done ?? [])] } : undefined,
        lastStateVersion: -1,
        lastEmittedUs: undefined,
        emitted: 0,
        running: false,
        done: false,
        firstUs: undefined,
        writeRecord: this.emitter.recordWriter(name, namespace),
        writeRecordBytes: this.emitter.recordBytesWriter(name, namespace),
      });
    }
  }

  async run(): Promise<void> {
    const { ctx } = this;
    try {
      await this.client.connect();
      for (const s of this.streams) {
        await validateTable(this.client, this.config, s.keyspace, s.table);
        this.emitter.streamStatus(s.descriptor, 'STARTED');
      }
      await this.snapshots();
      if (ctx.signal.aborted) return;
      const lookback = this.config['scylla.initial.lookback.ms'];
      this.reader = new CdcReader({
        client: this.client,
        tables: this.streams.map((s) => ({
          keyspace: s.keyspace,
          table: s.table,
          cursor: s.savedCursor,
          startUs: s.snapshot
            ? s.snapshot.started_us
            : lookback > 0
              ? (this.startedAt - lookback) * 1000
              : undefined,
        })),
        system: systemKeyspaces(this.config),
        queryWindowMs: this.config['scylla.query.time.window.size'],
        confidenceWindowMs: this.config['scylla.confidence.window.size'],
        minimalWaitMs: this.config['scylla.minimal.wait.for.window.time'],
        fetchSize: this.config['scylla.query.options.fetch.size'],
        consistency: consistencyOf(this.config),
        idlePollMs: this.config['tributary.idle.poll.interval.ms'],
        rowBudget: this.config['tributary.catch.up.row.budget'],
        concurrency: this.config['tributary.reader.concurrency'],
        queryConcurrency: this.config['tributary.query.concurrency'],
        maxQueueSize: this.config['max.queue.size'],
        generationRefreshMs: this.config['tributary.generation.refresh.interval.ms'],
        untilUs: this.untilMs === undefined ? undefined : this.untilMs * 1000,
        // Events are built where the rows are read, so the rows do not wait in the queue; their
        // text is encoded at once, and the queued item carries its length in bytes.
        encode: this.serialised
          ? (change) => this.eventBytes.push(this.builder.buildJson(change))
          : (change) => this.builder.build(change).value,
        logger: {
          info: (m) => this.logger.info(m),
          warn: (m) => this.logger.warn(m),
          debug: (m) => this.logger.debug(m),
        },
      });
      await this.reader.start();
      for (const s of this.streams) s.cursor = this.reader.initialCursor(s.id);
      const onAbort = () => void this.reader?.stop();
      ctx.signal.addEventListener('abort', onAbort, { once: true });
      try {
        await this.consume(this.reader);
      } finally {
        ctx.signal.removeEventListener('abort', onAbort);
      }
      this.flushStates(true);
      if (!ctx.signal.aborted) {
        for (const s of this.streams) this.emitter.streamStatus(s.descriptor, 'COMPLETE');
      }
    } catch (err) {
      if (this.reader) this.flushStates(true);
      for (const s of this.streams) this.emitter.streamStatus(s.descriptor, 'INCOMPLETE');
      throw asConfigError(err);
    } finally {
      await this.reader?.stop();
      this.logLag(true);
      await this.client.shutdown();
    }
  }

  private async consume(reader: CdcReader): Promise<void> {
    const maxBatch = this.config['max.batch.size'];
    const pollMs = this.config['poll.interval.ms'];
    const byId = new Map(this.streams.map((s) => [s.id, s]));
    while (!this.ctx.signal.aborted) {
      const items = await reader.poll(maxBatch, pollMs);
      if (items === null) break;
      let s: StreamRuntime | undefined;
      for (const item of items) {
        if (item.kind === 'encoded') {
          if (s === undefined || s.id !== item.table) s = byId.get(item.table)!;
          if (!this.emitEncoded(s, item)) await this.emitter.drained();
        } else if (item.kind === 'change') {
          throw new Error('the reader queued a change it was asked to encode');
        } else this.applyProgress(byId.get(item.table)!, item);
      }
      // Let I/O run between batches: the driver sends the prefetched page requests and reads
      // the answers while the next batch is written, so Scylla and this process work at once.
      await new Promise<void>((resolve) => setImmediate(resolve));
      const now = Date.now();
      if (now - this.lastFlush >= this.config['offset.flush.interval.ms']) this.flushStates(false);
      if (now - this.lastLag >= this.config['tributary.lag.log.interval.ms']) this.logLag(false);
    }
  }

  /** Writes one change (no promise per change); false: await `emitter.drained()` before the next. */
  private emitEncoded(s: StreamRuntime, item: EncodedItem): boolean {
    if (!s.running) {
      s.running = true;
      this.emitter.streamStatus(s.descriptor, 'RUNNING');
    }
    let ok: boolean;
    if (this.serialised) {
      const length = item.payload as number;
      const bytes = this.eventBytes.take(length);
      const start = this.eventBytes.offset;
      ok = s.writeRecordBytes(bytes, start, start + length);
    } else {
      ok = this.emitter.record(s.table, item.payload as Record<string, unknown>, s.keyspace);
    }
    s.emitted++;
    s.lastEmittedUs = item.timeUs;
    s.firstUs ??= item.timeUs;
    if (item.position) s.cursor!.advanceStream(item.groupId, item.streamHex, item.position);
    return ok;
  }

  private applyProgress(
    s: StreamRuntime,
    item: Exclude<ReaderItem, { kind: 'change' } | { kind: 'encoded' }>,
  ): void {
    const c = s.cursor!;
    switch (item.kind) {
      case 'window':
        if (item.generation === c.generation) c.advanceGroup(item.group, item.watermarkUs);
        break;
      case 'generation':
        c.switchGeneration(item.generation, item.watermarkUs);
        c.setGroups(item.groups);
        break;
      case 'done':
        s.done = true;
        break;
    }
  }

  private streamState(s: StreamRuntime): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    if (s.cursor) out.cdc = s.cursor.toJson();
    if (s.snapshot) out.snapshot = { ...s.snapshot, done: [...s.snapshot.done].sort((a, b) => a - b) };
    return out;
  }

  private flushStates(force: boolean): void {
    this.lastFlush = Date.now();
    for (const s of this.streams) {
      const version = (s.cursor?.version ?? 0) + (s.snapshot?.done.length ?? 0) * 1e9;
      if (!force && version === s.lastStateVersion) continue;
      if (!s.cursor && !s.snapshot) continue;
      s.lastStateVersion = version;
      const state = streamStateMessage(s.descriptor, this.streamState(s) as never).state;
      this.emitter.state(state);
      this.estimate(s);
    }
  }

  /** ESTIMATE: changes emitted so far plus the remaining log time at the rate seen so far. */
  private estimate(s: StreamRuntime): void {
    if (!this.reader || s.firstUs === undefined || s.lastEmittedUs === undefined) return;
    const endUs = this.untilMs !== undefined ? this.untilMs * 1000 : Date.now() * 1000;
    const span = s.lastEmittedUs - s.firstUs;
    if (span <= 0) return;
    const rate = s.emitted / span;
    const remaining = Math.max(0, endUs - s.lastEmittedUs) * rate;
    this.emitter.estimate(s.descriptor, Math.round(s.emitted + remaining));
  }

  private logLag(final: boolean): void {
    this.lastLag = Date.now();
    if (final && this.reader) {
      const st = this.reader.stats;
      this.logger.info(
        `log read: ${st.rows} rows, ${st.queries} queries, ${st.pages} pages, ${st.windows} windows, ` +
          `${st.retries} retries; process CPU ${Math.round(cpuMs())} ms`,
      );
    }
    for (const s of this.streams) {
      const now = Date.now();
      const reader = this.reader;
      let watermarkUs: number | undefined;
      try {
        watermarkUs = reader?.watermarkOf(s.id);
      } catch {
        watermarkUs = undefined;
      }
      const lag = s.lastEmittedUs !== undefined ? now - Math.floor(s.lastEmittedUs / 1000) : undefined;
      const behind = watermarkUs !== undefined ? now - Math.floor(watermarkUs / 1000) : undefined;
      this.logger.info(
        `${final ? 'final ' : ''}lag ${s.id}: ${lag === undefined ? 'no change emitted yet' : `${lag} ms since the last emitted change`}` +
          `${behind === undefined ? '' : `, log read up to ${behind} ms ago`}, ${s.emitted} changes emitted`,
      );
    }
  }

  // ---- snapshot --------------------------------------------------------------------------------

  private async snapshots(): Promise<void> {
    if (this.config['snapshot.mode'] !== 'initial') return;
    for (const s of this.streams) {
      if (s.cursor && !s.snapshot) continue; // CDC already running for this table
      if (s.snapshot?.complete) continue;
      s.snapshot ??= { started_us: Date.now() * 1000, ranges: SNAPSHOT_RANGES, done: [], complete: false };
      await this.snapshotTable(s, s.snapshot);
      if (this.ctx.signal.aborted) return;
    }
  }

  private async snapshotTable(s: StreamRuntime, snap: SnapshotState): Promise<void> {
    const schema = await loadTableSchema(this.client, s.keyspace, s.table, systemKeyspaces(this.config));
    const estimate = await estimateRows(this.client, schema);
    if (estimate !== undefined) this.emitter.estimate(s.descriptor, estimate);
    this.logger.info(
      `${s.id}: snapshot of ${snap.ranges - snap.done.length} of ${snap.ranges} token ranges (started ${new Date(
        Math.floor(snap.started_us / 1000),
      ).toISOString()})`,
    );
    if (!s.running) {
      s.running = true;
      this.emitter.streamStatus(s.descriptor, 'RUNNING');
    }
    const query = scanQuery(schema);
    const pending = [...Array(snap.ranges).keys()].filter((i) => !snap.done.includes(i));
    const fetchSize = this.config['scylla.query.options.fetch.size'] || 5000;
    let next = 0;
    const worker = async () => {
      while (next < pending.length && !this.ctx.signal.aborted) {
        const i = pending[next++]!;
        const [lo, hi] = tokenRange(i, snap.ranges);
        let pageState: string | undefined;
        do {
          const rs = await this.client.execute(query, [lo, hi], {
            prepare: true,
            fetchSize,
            pageState,
            consistency: consistencyOf(this.config),
            isIdempotent: true,
          });
          for (const row of rs.rows) {
            const r = row as unknown as Record<string, unknown>;
            if (this.serialised) {
              const json = this.builder.buildSnapshotJson(schema, r, snap.started_us);
              if (!s.writeRecord(json)) await this.emitter.drained();
            } else {
              const data = this.builder.buildSnapshot(schema, r, snap.started_us).value as Record<
                string,
                unknown
              >;
              if (!this.emitter.record(s.table, data, s.keyspace)) await this.emitter.drained();
            }
            s.emitted++;
          }
          pageState = rs.pageState;
          if (this.ctx.signal.aborted) return;
        } while (pageState);
        snap.done.push(i);
        if (Date.now() - this.lastFlush >= this.config['offset.flush.interval.ms']) this.flushStates(false);
      }
    };
    await Promise.all(Array.from({ length: SNAPSHOT_CONCURRENCY }, worker));
    if (this.ctx.signal.aborted) return;
    snap.complete = true;
    this.logger.info(`${s.id}: snapshot complete, ${s.emitted} rows`);
    this.flushStates(true);
  }
}

export const scyllaCdcSource = new ScyllaCdcSource();
