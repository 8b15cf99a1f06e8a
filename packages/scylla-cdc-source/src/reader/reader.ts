import { setMaxListeners } from 'node:events';
import cassandra from 'cassandra-driver';
import { type CdcChange, WriteAssembler } from './changes.js';
import { type CursorJson, type StreamPosition, TableCursor } from './cursor.js';
import { backoffMs, CdcConfigError, isTransientCqlError, quoteIdent, sleep } from './errors.js';
import { type GenerationSource, type StreamGroup, TabletStreams, VnodeGenerations } from './generations.js';
import { BoundedQueue } from './queue.js';
import {
  loadTableSchema,
  SCYLLA_SYSTEM_KEYSPACES,
  type SystemKeyspaces,
  type TableSchema,
  usesTablets,
} from './schema.js';
import { compareTimeuuid, maxTimeuuidAt, timeuuidMicros } from './timeuuid.js';

export interface ReaderLogger {
  info(msg: string): void;
  warn(msg: string): void;
  debug(msg: string): void;
}

const SILENT: ReaderLogger = { info() {}, warn() {}, debug() {} };

export interface TableStart {
  readonly keyspace: string;
  readonly table: string;
  /** A saved position (from a previous run's state). */
  readonly cursor?: CursorJson | null;
  /**
   * Without a cursor, read changes from this µs on. Default: the start of the first generation,
   * moved up to `now - cdc ttl` (older rows are gone).
   */
  readonly startUs?: number;
}

export interface CdcReaderOptions {
  /**
   * A connected client. Decoding as the reader expects needs `encoding: { map: Map, set: Set,
   * useBigIntAsLong: true, useBigIntAsVarint: true }` (see {@link readerClientOptions}).
   */
  readonly client: cassandra.Client;
  readonly tables: readonly TableStart[];
  readonly system?: SystemKeyspaces;
  /** Width of a query window (ms). Default 30000. */
  readonly queryWindowMs?: number;
  /** Changes younger than this are not read yet (ms). Default 30000. */
  readonly confidenceWindowMs?: number;
  /** Minimum pause between two windows of one group (ms). Default 0. */
  readonly minimalWaitMs?: number;
  /** Rows per page; 0 = driver default (5000). */
  readonly fetchSize?: number;
  /** Consistency of log reads. Default QUORUM. */
  readonly consistency?: number;
  /** Once caught up, how often a group looks for new changes (ms). Default 1000. */
  readonly idlePollMs?: number;
  /**
   * Catch-up: a group whose windows return fewer rows than half this budget doubles its window
   * (up to `maxWindowMs`); one returning more than the budget halves it. Default 50000.
   */
  readonly rowBudget?: number;
  /** Largest catch-up window (ms). Default 1 day. */
  readonly maxWindowMs?: number;
  /** Groups read at the same time. Default 8. */
  readonly concurrency?: number;
  /** CQL queries in flight at most. Default 32. */
  readonly queryConcurrency?: number;
  /** Items buffered between readers and consumer (max.queue.size). Default 8192. */
  readonly maxQueueSize?: number;
  /** Stop each table once every change up to this µs has been delivered. */
  readonly untilUs?: number;
  /** How often new generations are looked up (ms). Default 5000. */
  readonly generationRefreshMs?: number;
  /** 'auto' (default) asks `scylla_keyspaces`; true/false forces the model. */
  readonly tablets?: 'auto' | boolean;
  readonly retry?: { baseMs?: number; maxMs?: number; maxAttempts?: number };
  readonly logger?: ReaderLogger;
  /** Wall clock in ms (tests). */
  readonly now?: () => number;
  /**
   * Turns each change into its output as soon as its write is assembled, in the reader, and
   * queues an `encoded` item (the payload and the change's position) instead of the change:
   * the log rows die young instead of waiting in the queue (far less garbage-collector work).
   */
  readonly encode?: (change: CdcChange) => unknown;
}

/** Client options the reader's decoding relies on, merged over the caller's. */
export function readerClientOptions(options: cassandra.ClientOptions): cassandra.ClientOptions {
  return {
    ...options,
    encoding: {
      ...options.encoding,
      map: Map,
      set: Set,
      useBigIntAsLong: true,
      useBigIntAsVarint: true,
    },
  };
}

export type ReaderItem =
  | { readonly kind: 'change'; readonly change: CdcChange }
  /** A change already turned into its output by `encode` (the log rows are not kept). */
  | {
      readonly kind: 'encoded';
      readonly table: string;
      readonly groupId: string;
      readonly streamHex: string;
      readonly timeUs: number;
      readonly position: StreamPosition | undefined;
      readonly payload: unknown;
    }
  /** Every change of `group` up to `watermarkUs` has been delivered. */
  | {
      readonly kind: 'window';
      readonly table: string;
      readonly generation: number;
      readonly group: string;
      readonly watermarkUs: number;
      readonly rows: number;
    }
  /** The table moved on to a new generation (all changes of the previous one were delivered). */
  | {
      readonly kind: 'generation';
      readonly table: string;
      readonly generation: number;
      readonly watermarkUs: number;
      readonly groups: readonly string[];
    }
  /** Every change up to `untilUs` of this table was delivered. */
  | { readonly kind: 'done'; readonly table: string };

interface StreamRun {
  readonly id: Buffer;
  readonly hex: string;
  pos: StreamPosition | undefined;
  assembler: WriteAssembler;
}

interface GroupRun {
  readonly table: TableRun;
  readonly id: string;
  readonly streams: StreamRun[];
  watermark: number;
  windowUs: number;
  readyAt: number;
  busy: boolean;
}

interface TableRun {
  readonly id: string;
  readonly keyspace: string;
  readonly table: string;
  schema: TableSchema;
  schemaReload: Promise<void> | undefined;
  readonly source: GenerationSource;
  generation: number;
  /** Start of the next generation (ms), once known. */
  nextGeneration: number | undefined;
  groups: GroupRun[];
  done: boolean;
  switching: boolean;
  query: string;
  limitedQuery: string;
  /** Newest cdc$time delivered (µs) — for lag. */
  lastChangeUs: number | undefined;
}

const US = 1000;

/**
 * Reads the CDC log of some tables: per table, the current generation's stream groups are read
 * window by window (`cdc$time > lo AND cdc$time <= hi`, one query per stream); rows are assembled
 * into changes per write; progress is tracked per stream. Changes and progress go through a
 * bounded queue that the consumer drains with {@link CdcReader.poll}.
 */
export class CdcReader {
  private readonly client: cassandra.Client;
  private readonly system: SystemKeyspaces;
  private readonly windowUs: number;
  private readonly confidenceUs: number;
  private readonly minimalWaitMs: number;
  private readonly fetchSize: number;
  /** Smallest page worth asking for while the queue is nearly full. */
  private readonly minPageRows: number;
  private readonly consistency: number;
  private readonly idlePollMs: number;
  private readonly rowBudget: number;
  private readonly maxWindowUs: number;
  private readonly concurrency: number;
  private readonly generationRefreshMs: number;
  private readonly retryBase: number;
  private readonly retryMax: number;
  private readonly retryAttempts: number;
  private readonly logger: ReaderLogger;
  private readonly now: () => number;
  private readonly queue: BoundedQueue<ReaderItem>;
  private readonly querySlots: Slots;
  private readonly tables: TableRun[] = [];
  private readonly abort = new AbortController();
  private vnodeSource: VnodeGenerations | undefined;
  private workers: Promise<void>[] = [];
  private failure: unknown;
  private finished = false;
  private started = false;
  private wakeWorkers = new Set<() => void>();
  private generationTimer: NodeJS.Timeout | undefined;
  /** Rows read from the log and queries run (for tests and metrics). */
  readonly stats = { rows: 0, queries: 0, pages: 0, maxRowsPerPage: 0, windows: 0, retries: 0 };

  constructor(private readonly opts: CdcReaderOptions) {
    this.client = opts.client;
    this.system = opts.system ?? SCYLLA_SYSTEM_KEYSPACES;
    this.windowUs = (opts.queryWindowMs ?? 30_000) * US;
    this.confidenceUs = (opts.confidenceWindowMs ?? 30_000) * US;
    this.minimalWaitMs = opts.minimalWaitMs ?? 0;
    this.fetchSize = opts.fetchSize && opts.fetchSize > 0 ? opts.fetchSize : 5000;
    this.consistency = opts.consistency ?? cassandra.types.consistencies.quorum;
    this.idlePollMs = opts.idlePollMs ?? 1000;
    this.rowBudget = opts.rowBudget ?? 50_000;
    this.maxWindowUs = (opts.maxWindowMs ?? 86_400_000) * US;
    this.concurrency = Math.max(1, opts.concurrency ?? 8);
    this.generationRefreshMs = opts.generationRefreshMs ?? 5000;
    this.retryBase = opts.retry?.baseMs ?? 50;
    this.retryMax = opts.retry?.maxMs ?? 30_000;
    this.retryAttempts = opts.retry?.maxAttempts ?? 20;
    this.logger = opts.logger ?? SILENT;
    this.now = opts.now ?? Date.now;
    this.queue = new BoundedQueue(Math.max(1, opts.maxQueueSize ?? 8192));
    this.querySlots = new Slots(Math.max(1, opts.queryConcurrency ?? 32));
    this.minPageRows = Math.min(
      this.fetchSize,
      Math.max(1, Math.floor(this.queue.capacity / Math.max(1, opts.queryConcurrency ?? 32))),
    );
    // Every query waiting out a backoff listens for the stop.
    setMaxListeners(0, this.abort.signal);
  }

  /** Loads schemas, generations and positions, then starts reading in the background. */
  async start(): Promise<void> {
    if (this.started) throw new Error('reader already started');
    this.started = true;
    for (const t of this.opts.tables) this.tables.push(await this.openTable(t));
    for (let i = 0; i < this.concurrency; i++) this.workers.push(this.worker());
    this.scheduleGenerationRefresh();
  }

  /** The position each table starts from, as a cursor the consumer advances with the items it takes. */
  initialCursor(table: string): TableCursor {
    const t = this.tableRun(table);
    const c = new TableCursor(t.generation, t.groups[0]?.watermark ?? t.generation * US - 1);
    for (const g of t.groups) {
      c.advanceGroup(g.id, g.watermark);
      for (const s of g.streams) if (s.pos) c.advanceStream(g.id, s.hex, s.pos);
    }
    c.setGroups(t.groups.map((g) => g.id));
    return c;
  }

  schemaOf(table: string): TableSchema {
    return this.tableRun(table).schema;
  }

  /** Lowest group watermark (µs) of a table: every change up to it has been read. */
  watermarkOf(table: string): number {
    const t = this.tableRun(table);
    return Math.min(...t.groups.map((g) => g.watermark));
  }

  /**
   * Up to `max` items, waiting up to `waitMs` for the first; [] on timeout; null once every
   * table is done (bounded runs) and everything was taken. Throws the reader's failure.
   */
  async poll(max: number, waitMs: number): Promise<ReaderItem[] | null> {
    if (this.queue.size === 0) {
      if (this.failure !== undefined) throw this.failure;
      if (this.finished) return null;
      await this.queue.waitForItems(waitMs);
    }
    if (this.queue.size === 0) {
      if (this.failure !== undefined) throw this.failure;
      if (this.finished) return null;
    }
    return this.queue.take(max);
  }

  /** Stops reading; resolves when every worker has stopped. Items already queued stay available. */
  async stop(): Promise<void> {
    this.abort.abort();
    if (this.generationTimer) clearTimeout(this.generationTimer);
    this.queue.releaseAll();
    this.wakeAll();
    await Promise.allSettled(this.workers);
  }

  get queueSize(): number {
    return this.queue.size;
  }

  // ---- setup -----------------------------------------------------------------------------------

  private tableRun(id: string): TableRun {
    const t = this.tables.find((x) => x.id === id);
    if (!t) throw new Error(`table ${id} is not read`);
    return t;
  }

  private async openTable(start: TableStart): Promise<TableRun> {
    const schema = await loadTableSchema(this.client, start.keyspace, start.table, this.system);
    const tablets =
      this.opts.tablets === 'auto' || this.opts.tablets === undefined
        ? await usesTablets(this.client, start.keyspace, this.system)
        : this.opts.tablets;
    let source: GenerationSource;
    if (tablets) {
      source = new TabletStreams(this.client, this.system, start.keyspace, start.table, this.consistency);
    } else {
      this.vnodeSource ??= new VnodeGenerations(this.client, this.system, this.consistency);
      source = this.vnodeSource;
    }
    const timestamps = await source.timestamps();
    if (timestamps.length === 0) {
      throw new CdcConfigError(
        `no CDC generation found for ${schema.id} (${tablets ? `${this.system.tablets}.cdc_timestamps` : `${this.system.generations}.cdc_generation_timestamps`} is empty)`,
      );
    }
    const nowUs = this.now() * US;
    const cursor = start.cursor ?? undefined;
    let generation: number;
    let defaultWatermark: number;
    if (cursor && timestamps.includes(cursor.generation)) {
      generation = cursor.generation;
      defaultWatermark = cursor.watermark_us;
    } else {
      let startUs = start.startUs;
      if (cursor) {
        this.logger.warn(
          `${schema.id}: the saved generation ${new Date(cursor.generation).toISOString()} is no longer listed; ` +
            'resuming from the generation that covers the saved position',
        );
        startUs = cursor.watermark_us + 1;
      }
      if (startUs === undefined) {
        startUs = timestamps[0]! * US;
        if (schema.cdc.ttl > 0) startUs = Math.max(startUs, nowUs - schema.cdc.ttl * 1_000_000);
      }
      generation = timestamps[0]!;
      for (const ts of timestamps) if (ts * US <= startUs) generation = ts;
      defaultWatermark = Math.max(generation * US, startUs) - 1;
    }
    const next = timestamps.find((ts) => ts > generation);
    const run: TableRun = {
      id: schema.id,
      keyspace: start.keyspace,
      table: start.table,
      schema,
      schemaReload: undefined,
      source,
      generation,
      nextGeneration: next,
      groups: [],
      done: false,
      switching: false,
      query: this.queryText(schema),
      limitedQuery: `${this.queryText(schema)} LIMIT ?`,
      lastChangeUs: undefined,
    };
    const groups = await source.groups(generation);
    const restored = cursor && cursor.generation === generation ? TableCursor.fromJson(cursor) : undefined;
    run.groups = groups.map((g) => this.groupRun(run, g, restored, defaultWatermark));
    this.logger.info(
      `${schema.id}: reading generation ${new Date(generation).toISOString()} (${tablets ? 'tablets' : 'vnodes'}, ` +
        `${groups.length} groups, ${groups.reduce((n, g) => n + g.streams.length, 0)} streams) from ` +
        `${new Date(Math.floor(Math.min(...run.groups.map((g) => g.watermark)) / US)).toISOString()}`,
    );
    return run;
  }

  private queryText(schema: TableSchema): string {
    return (
      `SELECT * FROM ${quoteIdent(schema.keyspace)}.${quoteIdent(schema.logTable)} ` +
      'WHERE "cdc$stream_id" = ? AND "cdc$time" > ? AND "cdc$time" <= ?'
    );
  }

  private groupRun(
    table: TableRun,
    g: StreamGroup,
    cursor: TableCursor | undefined,
    watermark: number,
  ): GroupRun {
    const run: GroupRun = {
      table,
      id: g.id,
      streams: [],
      watermark: cursor ? cursor.watermarkOf(g.id) : watermark,
      windowUs: this.windowUs,
      readyAt: 0,
      busy: false,
    };
    const encode = this.opts.encode;
    const queue = this.queue;
    for (const id of g.streams) {
      const hex = id.toString('hex');
      const pos = cursor?.positionOf(hex);
      const stream: StreamRun = {
        id,
        hex,
        pos: pos && pos.us > run.watermark ? pos : undefined,
        assembler: undefined as unknown as WriteAssembler,
      };
      stream.assembler = new WriteAssembler(table.schema, g.id, id, hex, (change) => {
        const item: ReaderItem =
          encode === undefined
            ? { kind: 'change', change }
            : {
                kind: 'encoded',
                table: change.schema.id,
                groupId: change.groupId,
                streamHex: change.streamHex,
                timeUs: change.timeUs,
                position: change.position,
                payload: encode(change),
              };
        if (change.position) stream.pos = change.position;
        table.lastChangeUs = change.timeUs;
        queue.push(item);
      });
      run.streams.push(stream);
    }
    return run;
  }

  // ---- scheduling ------------------------------------------------------------------------------

  private get stopping(): boolean {
    return this.abort.signal.aborted || this.failure !== undefined || this.finished;
  }

  private horizonUs(): number {
    return this.now() * US - this.confidenceUs;
  }

  /** The upper bound (µs, inclusive) of a group's next window. */
  private upperBound(g: GroupRun, horizon: number): number {
    let hi = Math.min(g.watermark + g.windowUs, horizon);
    const t = g.table;
    if (t.nextGeneration !== undefined) hi = Math.min(hi, t.nextGeneration * US - 1);
    if (this.opts.untilUs !== undefined) hi = Math.min(hi, this.opts.untilUs);
    return hi;
  }

  private pick(): GroupRun | number {
    const now = this.now();
    const horizon = this.horizonUs();
    let best: GroupRun | undefined;
    let soonest = Number.POSITIVE_INFINITY;
    for (const t of this.tables) {
      if (t.done || t.switching) continue;
      for (const g of t.groups) {
        if (g.busy) continue;
        const hi = this.upperBound(g, horizon);
        if (hi <= g.watermark) continue;
        if (g.readyAt > now) {
          soonest = Math.min(soonest, g.readyAt);
          continue;
        }
        if (!best || g.watermark < best.watermark) best = g;
      }
    }
    return best ?? soonest;
  }

  private async worker(): Promise<void> {
    while (!this.stopping) {
      const g = this.pick();
      if (typeof g === 'number') {
        const wait = Number.isFinite(g) ? Math.max(1, g - this.now()) : this.idlePollMs;
        await this.idle(Math.min(wait, this.idlePollMs));
        this.checkTables();
        continue;
      }
      g.busy = true;
      try {
        await this.readWindow(g);
      } catch (err) {
        if (!this.stopping) this.fail(err);
      } finally {
        g.busy = false;
      }
      this.checkTables();
      this.wakeAll();
    }
  }

  /**
   * Waits up to `ms`, or until `wakeAll()`. A woken waiter must not remove itself from the set
   * being woken (removing from an array under iteration skipped every other worker, which then
   * slept out its whole idle poll: a second of dead time at the end of every bounded read).
   */
  private idle(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      const wakers = this.wakeWorkers;
      function done() {
        clearTimeout(timer);
        wakers.delete(done);
        resolve();
      }
      wakers.add(done);
    });
  }

  private wakeAll(): void {
    const w = this.wakeWorkers;
    if (w.size === 0) return;
    this.wakeWorkers = new Set();
    for (const f of w) f();
  }

  private fail(err: unknown): void {
    if (this.failure === undefined) {
      this.failure = err;
      this.abort.abort();
      this.queue.releaseAll();
      this.queue.wake();
      this.wakeAll();
    }
  }

  /** Generation switches and completion of bounded runs. */
  private checkTables(): void {
    if (this.stopping) return;
    for (const t of this.tables) {
      if (t.done || t.switching) continue;
      if (t.groups.some((g) => g.busy)) continue;
      const minWatermark = Math.min(...t.groups.map((g) => g.watermark));
      const until = this.opts.untilUs;
      if (t.nextGeneration !== undefined && minWatermark >= t.nextGeneration * US - 1) {
        if (until !== undefined && until < t.nextGeneration * US) this.finishTable(t);
        else this.switchGeneration(t);
      } else if (until !== undefined && minWatermark >= until) {
        // Before finishing, make sure no generation we do not know yet starts before `until`.
        this.confirmAndFinish(t);
      }
    }
    if (this.tables.every((t) => t.done)) {
      this.finished = true;
      this.queue.wake();
      this.wakeAll();
    }
  }

  private finishTable(t: TableRun): void {
    t.done = true;
    this.queue.push({ kind: 'done', table: t.id });
    this.logger.info(`${t.id}: caught up to the end of the bounded read`);
  }

  private confirmAndFinish(t: TableRun): void {
    t.switching = true;
    void this.refreshGenerations(t)
      .then(() => {
        t.switching = false;
        if (t.nextGeneration === undefined || t.nextGeneration * US > this.opts.untilUs!) this.finishTable(t);
        this.checkTables();
        this.wakeAll();
      })
      .catch((err) => this.fail(err));
  }

  private switchGeneration(t: TableRun): void {
    const next = t.nextGeneration!;
    t.switching = true;
    void (async () => {
      const groups = await this.withRetry(`${t.id}: streams of generation ${next}`, () =>
        t.source.groups(next),
      );
      const timestamps = await this.withRetry(`${t.id}: generations`, () => t.source.timestamps());
      const watermark = next * US - 1;
      const previous = t.generation;
      t.generation = next;
      t.nextGeneration = timestamps.find((ts) => ts > next);
      t.groups = groups.map((g) => this.groupRun(t, g, undefined, watermark));
      this.queue.push({
        kind: 'generation',
        table: t.id,
        generation: next,
        watermarkUs: watermark,
        groups: t.groups.map((g) => g.id),
      });
      this.logger.info(
        `${t.id}: generation ${new Date(previous).toISOString()} fully read; switched to ` +
          `${new Date(next).toISOString()} (${groups.length} groups)`,
      );
      t.switching = false;
      this.checkTables();
      this.wakeAll();
    })().catch((err) => this.fail(err));
  }

  private scheduleGenerationRefresh(): void {
    if (this.stopping) return;
    this.generationTimer = setTimeout(() => {
      void Promise.all(this.tables.filter((t) => !t.done).map((t) => this.refreshGenerations(t)))
        .then(() => {
          this.checkTables();
          this.wakeAll();
        })
        .catch((err) => this.logger.warn(`looking up CDC generations failed: ${(err as Error).message}`))
        .finally(() => this.scheduleGenerationRefresh());
    }, this.generationRefreshMs);
    this.generationTimer.unref();
  }

  private async refreshGenerations(t: TableRun): Promise<void> {
    const timestamps = await this.withRetry(`${t.id}: generations`, () => t.source.timestamps());
    const next = timestamps.find((ts) => ts > t.generation);
    if (next !== t.nextGeneration) {
      t.nextGeneration = next;
      if (next !== undefined) {
        this.logger.info(`${t.id}: new CDC generation ${new Date(next).toISOString()} found`);
      }
    }
  }

  // ---- reading ---------------------------------------------------------------------------------

  private async readWindow(g: GroupRun): Promise<void> {
    const lo = g.watermark;
    const horizon = this.horizonUs();
    const hi = this.upperBound(g, horizon);
    if (hi <= lo) return;
    // The row budget bounds a window: each stream reads at most its share (LIMIT); a stream that
    // hits it covers only up to its last complete write, and the group's watermark stops there.
    const limit = Math.max(10, Math.ceil(this.rowBudget / g.streams.length));
    const results = await Promise.all(g.streams.map((s) => this.readStream(g, s, lo, hi, limit)));
    if (this.stopping) return;
    let rows = 0;
    let covered = hi;
    for (const r of results) {
      rows += r.rows;
      covered = Math.min(covered, r.covered);
    }
    g.watermark = covered;
    for (const s of g.streams) if (s.pos && s.pos.us <= covered) s.pos = undefined;
    if (this.queue.full) await this.queue.space();
    this.queue.push({
      kind: 'window',
      table: g.table.id,
      generation: g.table.generation,
      group: g.id,
      watermarkUs: covered,
      rows,
    });
    this.stats.windows++;
    // Catch-up: a sparse window grows the next one (at least doubling it, up to 8 times or the
    // size that should hold half the budget at the density just seen); a window cut by the
    // budget shrinks the next one to what it covered.
    if (covered < hi) {
      g.windowUs = Math.max(this.windowUs, covered - lo);
    } else if (hi === lo + g.windowUs && rows < this.rowBudget / 2 && g.windowUs < this.maxWindowUs) {
      const fit = rows === 0 ? g.windowUs * 8 : Math.floor(((this.rowBudget / 2) * (hi - lo)) / rows);
      g.windowUs = Math.min(this.maxWindowUs, g.windowUs * 8, Math.max(g.windowUs * 2, fit));
    }
    const caughtUp = covered >= horizon;
    g.readyAt = this.now() + (caughtUp ? Math.max(this.idlePollMs, this.minimalWaitMs) : this.minimalWaitMs);
  }

  /**
   * Reads one stream's rows in (lo, hi], resuming after its position, at most `limit` rows.
   * Returns the rows read and how far (µs) the stream is covered: `hi`, or just before the last
   * row's time when the limit cut the read (that write may be incomplete; it is read again).
   */
  private async readStream(
    g: GroupRun,
    s: StreamRun,
    lo: number,
    hi: number,
    limit: number,
  ): Promise<{ rows: number; covered: number }> {
    let rows = 0;
    for (let attempt = 1; ; attempt++) {
      try {
        await this.querySlots.acquire();
        try {
          const from = s.pos && s.pos.us > lo ? s.pos.us - 1 : lo;
          const r = await this.readStreamOnce(g, s, lo, hi, limit);
          rows += r.rows;
          if (r.covered <= from && r.covered < hi) {
            // Not even one whole write fits the limit: read this window without one.
            const all = await this.readStreamOnce(g, s, lo, hi, 0);
            return { rows: rows + all.rows, covered: all.covered };
          }
          return { rows, covered: r.covered };
        } finally {
          this.querySlots.release();
        }
      } catch (err) {
        s.assembler.reset();
        if (this.stopping) return { rows, covered: lo };
        if (!isTransientCqlError(err) || attempt >= this.retryAttempts) throw err;
        const delay = backoffMs(attempt, this.retryBase, this.retryMax);
        this.stats.retries++;
        this.logger.warn(
          `${g.table.id}: reading stream ${s.hex} failed (attempt ${attempt}), retrying in ${delay} ms: ${(err as Error).message}`,
        );
        await sleep(delay, this.abort.signal);
      }
    }
  }

  private async readStreamOnce(
    g: GroupRun,
    s: StreamRun,
    lo: number,
    hi: number,
    limit: number,
  ): Promise<{ rows: number; covered: number }> {
    const t = g.table;
    const from = s.pos && s.pos.us > lo ? s.pos.us - 1 : lo;
    const params: unknown[] = [s.id, maxTimeuuidAt(from), maxTimeuuidAt(hi)];
    if (limit > 0) params.push(limit);
    const query = limit > 0 ? t.limitedQuery : t.query;
    const options: cassandra.QueryOptions = {
      prepare: true,
      consistency: this.consistency,
      isIdempotent: true,
    };
    const queue = this.queue;
    const stopped = { rows: 0, covered: lo };
    // Every page has room reserved in the queue for its changes before it is asked for (as many
    // rows as fit, up to the fetch size), so a page is taken in one go as soon as it arrives and
    // its rows are dropped at once: decoded rows never wait for room. The next page is asked for
    // while this one is taken when there is room for it.
    let reserved = 0;
    const request = (size: number, pageState: string | undefined) => {
      this.stats.queries++;
      const rs = this.client.execute(query, params, { ...options, fetchSize: size, pageState });
      rs.catch(() => {});
      return { rs, size };
    };
    const reserve = async (pageState: string | undefined) => {
      const size = await queue.reserve(this.minPageRows, this.fetchSize);
      reserved += size;
      return size === 0 || this.stopping ? undefined : request(size, pageState);
    };
    try {
      let next = await reserve(undefined);
      let rows = 0;
      let last: Record<string, unknown> | undefined;
      while (next !== undefined) {
        const page = next;
        next = undefined;
        const rs = await page.rs;
        this.stats.pages++;
        if (rs.pageState) {
          const size = queue.tryReserve(this.minPageRows, this.fetchSize);
          if (size > 0) {
            reserved += size;
            next = request(size, rs.pageState);
          }
        }
        if (rs.columns && !this.sameSchema(t, rs.columns)) await this.reloadSchema(t);
        const pageRows = rs.rows as unknown as Record<string, unknown>[];
        if (pageRows.length > this.stats.maxRowsPerPage) this.stats.maxRowsPerPage = pageRows.length;
        rows += pageRows.length;
        this.stats.rows += pageRows.length;
        const pos = s.pos;
        for (let i = 0; i < pageRows.length; i++) {
          const row = pageRows[i]!;
          if (pos !== undefined && !this.after(row, pos)) continue;
          s.assembler.add(row);
        }
        if (pageRows.length > 0) last = pageRows[pageRows.length - 1];
        queue.release(page.size);
        reserved -= page.size;
        if (this.stopping) return stopped;
        if (next === undefined && rs.pageState) next = await reserve(rs.pageState);
      }
      if (this.stopping) return stopped;
      if (limit > 0 && rows >= limit && last !== undefined) {
        // Cut by the limit: the last write may go on past it. Forget its rows; it is read again.
        s.assembler.reset();
        const lastUs = timeuuidMicros((last.cdc$time as cassandra.types.TimeUuid).getBuffer());
        return { rows, covered: lastUs - 1 };
      }
      s.assembler.end();
      return { rows, covered: hi };
    } finally {
      if (reserved > 0) queue.release(reserved);
    }
  }

  /** Whether a row comes after a stream position (time, then batch_seq_no). */
  private after(row: Record<string, unknown>, pos: StreamPosition): boolean {
    const time = (row.cdc$time as cassandra.types.TimeUuid).getBuffer();
    const us = timeuuidMicros(time);
    if (us !== pos.us) return us > pos.us;
    const c = compareTimeuuid(time, pos.time);
    if (c !== 0) return c > 0;
    return (row.cdc$batch_seq_no as number) > pos.seq;
  }

  private sameSchema(t: TableRun, columns: ReadonlyArray<{ name: string }>): boolean {
    const sig = t.schema.logSignature;
    // Cheap check first: the column count, then the names.
    let n = 0;
    for (let i = 0; i < sig.length; i++) if (sig.charCodeAt(i) === 44) n++;
    if (columns.length !== n + 1) return false;
    return (
      columns
        .map((c) => c.name)
        .sort()
        .join(',') === sig
    );
  }

  private reloadSchema(t: TableRun): Promise<void> {
    t.schemaReload ??= (async () => {
      try {
        const schema = await this.withRetry(`${t.id}: schema`, () =>
          loadTableSchema(this.client, t.keyspace, t.table, this.system),
        );
        if (schema.logSignature !== t.schema.logSignature) {
          this.logger.info(
            `${t.id}: table schema changed; now reading columns ${schema.columns.map((c) => c.name).join(', ')}`,
          );
        }
        t.schema = schema;
        for (const g of t.groups) for (const s of g.streams) s.assembler.setSchema(schema);
      } finally {
        t.schemaReload = undefined;
      }
    })();
    return t.schemaReload;
  }

  private async withRetry<T>(what: string, fn: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await fn();
      } catch (err) {
        if (this.abort.signal.aborted || !isTransientCqlError(err) || attempt >= this.retryAttempts)
          throw err;
        const delay = backoffMs(attempt, this.retryBase, this.retryMax);
        this.logger.warn(
          `${what} failed (attempt ${attempt}), retrying in ${delay} ms: ${(err as Error).message}`,
        );
        await sleep(delay, this.abort.signal);
      }
    }
  }

  /** Newest change time delivered per table (µs), for lag. */
  lastChangeUs(table: string): number | undefined {
    return this.tableRun(table).lastChangeUs;
  }
}

/** A counting semaphore for queries in flight. */
class Slots {
  private free: number;
  private readonly waiters: Array<() => void> = [];
  constructor(size: number) {
    this.free = size;
  }
  acquire(): Promise<void> {
    if (this.free > 0) {
      this.free--;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiters.push(resolve));
  }
  release(): void {
    const w = this.waiters.shift();
    if (w) w();
    else this.free++;
  }
}
