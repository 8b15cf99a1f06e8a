import cassandra from 'cassandra-driver';
import type { CqlType } from './cql-type.js';
import { formatCqlType, isNonFrozen, quoteName } from './cql-type.js';
import { murmur3Token, partitionKeyBytes } from './murmur3.js';
import {
  type ColumnDef,
  createLogTableCql,
  deletedElementsType,
  LOG_SUFFIX,
  loadTableDef,
  logColumns,
  type TableDef,
} from './schema.js';
import {
  createGenerationLayout,
  createTabletLayout,
  type GenerationLayout,
  shardOf,
  streamForToken,
  streamIdToken,
  streamIdVnode,
  type VnodeStreams,
} from './streams.js';
import { MicrosClock, timeuuidAtMicros } from './time.js';
import { CollectionOp, canon, elements, isEmptyCollection, mapEntries } from './values.js';

export type Row = Record<string, unknown>;

interface ValueEncoder {
  encode(value: unknown, typeInfo: object): Buffer;
}

/** The `cdc` table option as Scylla spells it. */
export interface CdcOptions {
  /** false, true (only the modified columns) or 'full' (the whole row). Default false. */
  preimage?: boolean | 'full';
  /** Default false. */
  postimage?: boolean;
  /** 'full' (default) or 'keys' (delta rows carry only the primary key). */
  delta?: 'full' | 'keys';
  /** TTL of log rows in seconds; 0 = none. Default 86400. */
  ttl?: number;
}

export type Mutation =
  | { type: 'insert'; values: Row; ttl?: number }
  | { type: 'update'; key: Row; set: Record<string, unknown>; ttl?: number }
  /** Row delete; with `columns`, deletes only those columns or elements (`{column, key}` = `DELETE m[key]`). */
  | { type: 'delete'; key: Row; columns?: (string | { column: string; key: unknown })[] }
  | { type: 'partition-delete'; key: Row }
  | {
      type: 'range-delete';
      /** The partition key and a (possibly empty) prefix of the clustering key fixed by equality. */
      key: Row;
      /** Bound on the next clustering column. */
      start?: { value: unknown; inclusive: boolean };
      end?: { value: unknown; inclusive: boolean };
    }
  /** A row removed by per-row TTL expiry (operation -3); the base row is deleted. */
  | { type: 'expire-row'; key: Row }
  /** A partition removed by expiry (operation -4). */
  | { type: 'expire-partition'; key: Row };

export interface WriterOptions {
  /** Keyspace emulating system_distributed / system_schema / system for the CDC tables. */
  systemKeyspace?: string;
  /** Token ranges per generation. Default 8. */
  vnodes?: number;
  /** Streams per token range (shards of the owning node). Default 2. */
  shards?: number;
  ignoreMsbBits?: number;
  /** Scylla >= 2026.1 writes a preimage for partition deletes of tables without clustering key. Default true. */
  partitionDeletePreimage?: boolean;
  /** Replication of the emulated system keyspace. */
  replication?: string;
}

export interface ApplyOptions {
  /** Write timestamp in µs; default: a strictly increasing wall clock. */
  timestamp?: bigint;
}

/** A log row before it is written: column name → value (absent = not set). */
type LogRow = Map<string, unknown>;

interface TableState {
  def: TableDef;
  cdc: Required<CdcOptions>;
  logColumnNames: string[];
  insertLog?: string;
  keyTypes: CqlType[];
}

interface ListEntry {
  key: cassandra.types.TimeUuid;
  value: unknown;
}

const OP = {
  preimage: 0,
  update: 1,
  insert: 2,
  rowDelete: 3,
  partitionDelete: 4,
  rangeLeftInclusive: 5,
  rangeLeftExclusive: 6,
  rangeRightInclusive: 7,
  rangeRightExclusive: 8,
  postimage: 9,
  serviceRowDelete: -3,
  servicePartitionDelete: -4,
} as const;

/** 2010-01-01, the reference point Cassandra counts prepended list cells back from. */
const PREPEND_REFERENCE_US = 1262304000000000n;

/**
 * Writes to a base table on Cassandra and, beside it, exactly the rows Scylla's CDC would write
 * to `<table>_scylla_cdc_log`; keeps emulated generation tables (`cdc_generation_timestamps`,
 * `cdc_streams_descriptions_v2`) and the table's CDC options (`scylla_tables.cdc`) in one
 * keyspace. For tests and the main job only.
 */
export class CdcLogWriter {
  readonly client: cassandra.Client;
  readonly systemKeyspace: string;
  private readonly vnodes: number;
  private readonly shards: number;
  private readonly ignoreMsbBits: number;
  private readonly partitionDeletePreimage: boolean;
  private readonly replication: string;
  private readonly tables = new Map<string, TableState>();
  private readonly tabletKeyspaces = new Map<string, number>();
  private readonly tabletSets = new Map<string, GenerationLayout[]>();
  private generations: GenerationLayout[] = [];
  private readonly clock = new MicrosClock();
  private readonly listClock = new MicrosClock();
  private prependCounter = 0n;
  private readonly lists = new Map<string, ListEntry[]>();
  private readonly encoder: ValueEncoder;

  constructor(clientOptions: cassandra.ClientOptions, opts: WriterOptions = {}) {
    this.client = new cassandra.Client({
      ...clientOptions,
      encoding: { ...clientOptions.encoding, map: Map, set: Set, useUndefinedAsUnset: true },
    });
    this.systemKeyspace = opts.systemKeyspace ?? 'tributary_cdc_system';
    this.vnodes = opts.vnodes ?? 8;
    this.shards = opts.shards ?? 2;
    this.ignoreMsbBits = opts.ignoreMsbBits ?? 12;
    this.partitionDeletePreimage = opts.partitionDeletePreimage ?? true;
    this.replication = opts.replication ?? "{'class': 'SimpleStrategy', 'replication_factor': 1}";
    // The driver's value encoder (exported by the package, missing from its typings).
    const { Encoder } = cassandra as unknown as {
      Encoder: new (version: number, options: object) => ValueEncoder;
    };
    this.encoder = new Encoder(4, { encoding: { map: Map, set: Set } });
  }

  private get ks(): string {
    return quoteName(this.systemKeyspace);
  }

  /** Creates the emulated system tables (idempotent) and loads the generations already there. */
  async setup(): Promise<void> {
    await this.client.connect();
    await this.client.execute(
      `CREATE KEYSPACE IF NOT EXISTS ${this.ks} WITH replication = ${this.replication}`,
    );
    await this.client.execute(
      `CREATE TABLE IF NOT EXISTS ${this.ks}.cdc_generation_timestamps (key text, time timestamp, expired timestamp, ` +
        'PRIMARY KEY (key, time)) WITH CLUSTERING ORDER BY (time DESC)',
    );
    await this.client.execute(
      `CREATE TABLE IF NOT EXISTS ${this.ks}.cdc_streams_descriptions_v2 (time timestamp, range_end bigint, ` +
        'streams frozen<set<blob>>, PRIMARY KEY (time, range_end))',
    );
    await this.client.execute(
      `CREATE TABLE IF NOT EXISTS ${this.ks}.scylla_tables (keyspace_name text, table_name text, version uuid, ` +
        'partitioner text, cdc map<text, text>, PRIMARY KEY (keyspace_name, table_name))',
    );
    await this.client.execute(
      `CREATE TABLE IF NOT EXISTS ${this.ks}.scylla_keyspaces (keyspace_name text PRIMARY KEY, initial_tablets int)`,
    );
    await this.client.execute(
      `CREATE TABLE IF NOT EXISTS ${this.ks}.cdc_timestamps (keyspace_name text, table_name text, timestamp timestamp, ` +
        'PRIMARY KEY ((keyspace_name, table_name), timestamp)) WITH CLUSTERING ORDER BY (timestamp DESC)',
    );
    await this.client.execute(
      `CREATE TABLE IF NOT EXISTS ${this.ks}.cdc_streams (keyspace_name text, table_name text, timestamp timestamp, ` +
        'stream_state tinyint, stream_id blob, PRIMARY KEY ((keyspace_name, table_name), timestamp, stream_state, stream_id))',
    );
    await this.loadGenerations();
  }

  /** Marks a keyspace as using tablets (`scylla_keyspaces.initial_tablets`): its tables get per-table stream sets. */
  async useTablets(keyspace: string, initialTablets = 4): Promise<void> {
    await this.client.execute(
      `INSERT INTO ${this.ks}.scylla_keyspaces (keyspace_name, initial_tablets) VALUES (?, ?)`,
      [keyspace, initialTablets],
      { prepare: true },
    );
    this.tabletKeyspaces.set(keyspace, initialTablets);
  }

  /** Stream sets of a tablets table, oldest first. */
  tabletLayouts(keyspace: string, table: string): readonly GenerationLayout[] {
    return this.tabletSets.get(`${keyspace}.${table}`) ?? [];
  }

  /**
   * A new stream set for a tablets table (after a tablet split or merge): from `startMs` the
   * table's writes go to `tablets` new streams. `cdc_streams` lists the new set as current (0),
   * the old streams as closed (1) and the new ones as opened (2) at that timestamp.
   */
  async changeTablets(
    keyspace: string,
    table: string,
    opts: { startMs?: number; tablets: number },
  ): Promise<GenerationLayout> {
    const key = `${keyspace}.${table}`;
    const sets = this.tabletSets.get(key) ?? [];
    const startMs = opts.startMs ?? Date.now();
    const previous = sets[sets.length - 1];
    if (previous && previous.startMs >= startMs)
      throw new Error('a new stream set must start after the last one');
    const layout = createTabletLayout(startMs, opts.tablets);
    const time = new Date(startMs);
    const insert = `INSERT INTO ${this.ks}.cdc_streams (keyspace_name, table_name, timestamp, stream_state, stream_id) VALUES (?, ?, ?, ?, ?)`;
    const rows: [number, Buffer][] = [];
    for (const v of layout.vnodes) rows.push([0, v.streams[0]!], [2, v.streams[0]!]);
    if (previous) for (const v of previous.vnodes) rows.push([1, v.streams[0]!]);
    await Promise.all(
      rows.map(([state, id]) =>
        this.client.execute(insert, [keyspace, table, time, state, id], { prepare: true }),
      ),
    );
    await this.client.execute(
      `INSERT INTO ${this.ks}.cdc_timestamps (keyspace_name, table_name, timestamp) VALUES (?, ?, ?)`,
      [keyspace, table, time],
      { prepare: true },
    );
    sets.push(layout);
    this.tabletSets.set(key, sets);
    return layout;
  }

  async close(): Promise<void> {
    await this.client.shutdown();
  }

  /** Generations known to this writer (oldest first). */
  get generationLayouts(): readonly GenerationLayout[] {
    return this.generations;
  }

  private async loadGenerations(): Promise<void> {
    const ts = await this.client.execute(
      `SELECT time FROM ${this.ks}.cdc_generation_timestamps WHERE key = 'timestamps'`,
    );
    const layouts: GenerationLayout[] = [];
    for (const row of ts.rows) {
      const startMs = (row.time as Date).getTime();
      const rs = await this.client.execute(
        `SELECT range_end, streams FROM ${this.ks}.cdc_streams_descriptions_v2 WHERE time = ?`,
        [row.time],
        { prepare: true },
      );
      let shardCount = 1;
      const vnodes: VnodeStreams[] = rs.rows.map((r) => {
        const streams = [...(r.streams as Set<Buffer>)];
        shardCount = streams.length;
        const byShard: Buffer[] = [];
        for (const s of streams) byShard[shardOf(streamIdToken(s), streams.length, this.ignoreMsbBits)] = s;
        return {
          rangeEnd: BigInt((r.range_end as cassandra.types.Long).toString()),
          vnodeIndex: streamIdVnode(streams[0]!),
          streams:
            byShard.length === streams.length && !byShard.includes(undefined as never) ? byShard : streams,
        };
      });
      vnodes.sort((a, b) => (a.rangeEnd < b.rangeEnd ? -1 : 1));
      layouts.push({ startMs, shardCount, ignoreMsbBits: this.ignoreMsbBits, vnodes });
    }
    layouts.sort((a, b) => a.startMs - b.startMs);
    this.generations = layouts;
  }

  /**
   * Opens a generation starting at `startMs` (default: now). Like Scylla, the stream descriptions
   * are written first and the timestamp last, so a reader never sees a partial generation.
   */
  async createGeneration(
    opts: { startMs?: number; vnodes?: number; shards?: number } = {},
  ): Promise<GenerationLayout> {
    const startMs = opts.startMs ?? Date.now();
    const last = this.generations[this.generations.length - 1];
    if (last && last.startMs >= startMs) {
      throw new Error(
        `a new generation must start after the last one (${new Date(last.startMs).toISOString()})`,
      );
    }
    const layout = createGenerationLayout(
      startMs,
      opts.vnodes ?? this.vnodes,
      opts.shards ?? this.shards,
      this.ignoreMsbBits,
    );
    const time = new Date(startMs);
    const insert = `INSERT INTO ${this.ks}.cdc_streams_descriptions_v2 (time, range_end, streams) VALUES (?, ?, ?)`;
    await Promise.all(
      layout.vnodes.map((v) =>
        this.client.execute(
          insert,
          [time, cassandra.types.Long.fromString(v.rangeEnd.toString()), new Set(v.streams)],
          { prepare: true },
        ),
      ),
    );
    await this.client.execute(
      `INSERT INTO ${this.ks}.cdc_generation_timestamps (key, time) VALUES ('timestamps', ?)`,
      [time],
      { prepare: true },
    );
    this.generations.push(layout);
    return layout;
  }

  /** Runs a CREATE TABLE and enables CDC on the new table. */
  async createTable(cql: string, keyspace: string, table: string, cdc: CdcOptions = {}): Promise<void> {
    await this.client.execute(cql);
    await this.enableCdc(keyspace, table, cdc);
  }

  /**
   * `ALTER TABLE ... WITH cdc = {...}` as Scylla does it: creates (or completes) the log table and
   * records the options in `scylla_tables.cdc`.
   */
  async enableCdc(keyspace: string, table: string, cdc: CdcOptions = {}): Promise<void> {
    const def = await loadTableDef(this.client, keyspace, table);
    await this.client.execute(createLogTableCql(def));
    const options: Required<CdcOptions> = {
      preimage: cdc.preimage ?? false,
      postimage: cdc.postimage ?? false,
      delta: cdc.delta ?? 'full',
      ttl: cdc.ttl ?? 86400,
    };
    await this.recordCdcOptions(keyspace, table, {
      enabled: 'true',
      preimage: String(options.preimage),
      postimage: String(options.postimage),
      delta: options.delta,
      ttl: String(options.ttl),
    });
    this.tables.set(`${keyspace}.${table}`, this.tableState(def, options));
    const tablets = this.tabletKeyspaces.get(keyspace);
    if (tablets !== undefined && this.tabletLayouts(keyspace, table).length === 0) {
      await this.changeTablets(keyspace, table, { startMs: Date.now() - 1000, tablets });
    }
  }

  /** Writes the `cdc` option map of a table (e.g. `{enabled: 'false'}` to emulate a table without CDC). */
  async recordCdcOptions(keyspace: string, table: string, cdc: Record<string, string>): Promise<void> {
    await this.client.execute(
      `INSERT INTO ${this.ks}.scylla_tables (keyspace_name, table_name, partitioner, cdc) VALUES (?, ?, ?, ?)`,
      [keyspace, table, 'org.apache.cassandra.dht.Murmur3Partitioner', new Map(Object.entries(cdc))],
      { prepare: true },
    );
  }

  /**
   * `ALTER TABLE` on the base table (e.g. `ADD c int`, `DROP c`), followed by the matching change
   * of the log table, as Scylla keeps the two in step.
   */
  async alterTable(keyspace: string, table: string, alteration: string): Promise<void> {
    const state = await this.table(keyspace, table);
    const before = new Map(logColumns(state.def).map((c) => [c.name, c]));
    await this.client.execute(`ALTER TABLE ${quoteName(keyspace)}.${quoteName(table)} ${alteration}`);
    const def = await loadTableDef(this.client, keyspace, table);
    const after = new Map(logColumns(def).map((c) => [c.name, c]));
    const log = `${quoteName(keyspace)}.${quoteName(table + LOG_SUFFIX)}`;
    const dropped = [...before.keys()].filter((n) => !after.has(n));
    const added = [...after.values()].filter((c) => !before.has(c.name));
    if (dropped.length > 0) {
      await this.client.execute(`ALTER TABLE ${log} DROP (${dropped.map(quoteName).join(', ')})`);
    }
    if (added.length > 0) {
      await this.client.execute(
        `ALTER TABLE ${log} ADD (${added.map((c) => `${quoteName(c.name)} ${formatCqlType(c.type)}`).join(', ')})`,
      );
    }
    this.tables.set(`${keyspace}.${table}`, this.tableState(def, state.cdc));
  }

  private tableState(def: TableDef, cdc: Required<CdcOptions>): TableState {
    const logColumnNames = logColumns(def).map((c) => c.name);
    return {
      def,
      cdc,
      logColumnNames,
      insertLog:
        `INSERT INTO ${quoteName(def.keyspace)}.${quoteName(def.name + LOG_SUFFIX)} ` +
        `(${logColumnNames.map(quoteName).join(', ')}) VALUES (${logColumnNames.map(() => '?').join(', ')}) ` +
        'USING TTL ? AND TIMESTAMP ?',
      keyTypes: def.partitionKey.map((c) => c.type),
    };
  }

  private async table(keyspace: string, table: string): Promise<TableState> {
    const state = this.tables.get(`${keyspace}.${table}`);
    if (state) return state;
    const rs = await this.client.execute(
      `SELECT cdc FROM ${this.ks}.scylla_tables WHERE keyspace_name = ? AND table_name = ?`,
      [keyspace, table],
      { prepare: true },
    );
    const cdc = rs.rows[0]?.cdc as Map<string, string> | undefined;
    if (cdc?.get('enabled') !== 'true') throw new Error(`CDC is not enabled on ${keyspace}.${table}`);
    const pre = cdc.get('preimage');
    const def = await loadTableDef(this.client, keyspace, table);
    const s = this.tableState(def, {
      preimage: pre === 'full' ? 'full' : pre === 'true',
      postimage: cdc.get('postimage') === 'true',
      delta: cdc.get('delta') === 'keys' ? 'keys' : 'full',
      ttl: Number(cdc.get('ttl') ?? 86400),
    });
    this.tables.set(`${keyspace}.${table}`, s);
    return s;
  }

  /** The Murmur3 token of a partition key, as the partitioner computes it. */
  tokenOf(def: TableDef, key: Row): bigint {
    const parts = def.partitionKey.map((c) => {
      const v = key[c.name];
      if (v === undefined || v === null) throw new Error(`missing partition key column ${c.name}`);
      const dataTypes = cassandra.types.dataTypes as unknown as { getByName(name: string): object };
      return this.encoder.encode(v, dataTypes.getByName(formatCqlType(c.type)));
    });
    return murmur3Token(partitionKeyBytes(parts));
  }

  /** The stream a write to `key` at `micros` goes to. */
  streamFor(def: TableDef, key: Row, micros: bigint): Buffer {
    return streamForToken(this.generationAt(micros, def), this.tokenOf(def, key));
  }

  private generationAt(micros: bigint, def?: TableDef): GenerationLayout {
    const ms = Number(micros / 1000n);
    let found: GenerationLayout | undefined;
    const tablets = def ? this.tabletSets.get(`${def.keyspace}.${def.name}`) : undefined;
    for (const g of tablets ?? this.generations) if (g.startMs <= ms) found = g;
    if (!found)
      throw new Error(
        `no CDC generation is operating at ${new Date(ms).toISOString()}; call createGeneration first`,
      );
    return found;
  }

  /** Applies one mutation: the base table write and its CDC log rows. Returns the write timestamp (µs). */
  async apply(keyspace: string, table: string, mutation: Mutation, opts: ApplyOptions = {}): Promise<bigint> {
    return this.batch(keyspace, table, [mutation], opts);
  }

  /**
   * An unlogged batch: all mutations share one timestamp; the log rows of each base partition
   * share one `cdc$time` and are numbered by `cdc$batch_seq_no` (preimages, deltas, postimages).
   */
  async batch(
    keyspace: string,
    table: string,
    mutations: Mutation[],
    opts: ApplyOptions = {},
  ): Promise<bigint> {
    const state = await this.table(keyspace, table);
    const ts = opts.timestamp ?? this.clock.next();
    this.clock.observe(ts + 1n);
    const byPartition = new Map<string, Mutation[]>();
    for (const m of mutations) {
      const key = this.partitionKeyOf(state.def, m);
      const k = canon(key);
      byPartition.set(k, [...(byPartition.get(k) ?? []), m]);
    }
    for (const group of byPartition.values()) await this.applyPartition(state, group, ts);
    return ts;
  }

  private partitionKeyOf(def: TableDef, m: Mutation): Row {
    const src = m.type === 'insert' ? m.values : m.key;
    const key: Row = {};
    for (const c of def.partitionKey) key[c.name] = src[c.name];
    return key;
  }

  private async applyPartition(state: TableState, mutations: Mutation[], ts: bigint): Promise<void> {
    const def = state.def;
    // Per time offset (0 = T, 1 = T+1 for collection-wide tombstones): pre, delta, post rows.
    const groups = new Map<number, { pre: LogRow[]; delta: LogRow[]; post: LogRow[] }>();
    const group = (offset: number) => {
      let g = groups.get(offset);
      if (!g) {
        g = { pre: [], delta: [], post: [] };
        groups.set(offset, g);
      }
      return g;
    };
    const postReads: Array<{ key: Row; offset: number }> = [];
    for (const m of mutations) {
      const rowKey = this.rowKeyOf(def, m);
      const fullKey = def.clustering.every((c) => rowKey[c.name] !== undefined && rowKey[c.name] !== null);
      const wantsPre =
        state.cdc.preimage !== false &&
        fullKey &&
        (m.type === 'insert' ||
          m.type === 'update' ||
          m.type === 'delete' ||
          m.type === 'expire-row' ||
          ((m.type === 'partition-delete' || m.type === 'expire-partition') &&
            def.clustering.length === 0 &&
            this.partitionDeletePreimage));
      let before: Row | undefined;
      if (fullKey && m.type !== 'range-delete' && (wantsPre || this.needsListCells(def, m))) {
        before = await this.readRow(def, rowKey);
      }
      // The list cells as they were, for the preimage (the delta below moves them on).
      const listsBefore = before ? this.snapshotLists(state, rowKey, before) : undefined;
      const deltas = this.deltaRows(state, m, before);
      for (const d of deltas) group(d.offset).delta.push(...d.rows);
      const firstOffset = Math.min(...deltas.map((d) => d.offset));
      const lastOffset = Math.max(...deltas.map((d) => d.offset));
      if (wantsPre && before) {
        const modified = new Set<string>();
        for (const d of deltas)
          for (const r of d.rows) for (const name of modifiedColumns(def, r)) modified.add(name);
        group(firstOffset).pre.push(this.preimageRow(state, rowKey, before, modified, listsBefore!));
      }
      if (state.cdc.postimage && (m.type === 'insert' || m.type === 'update') && fullKey) {
        postReads.push({ key: rowKey, offset: lastOffset });
      }
    }
    await this.writeBase(def, mutations, ts);
    for (const p of postReads) {
      const after = await this.readRow(def, p.key);
      group(p.offset).post.push(this.postimageRow(state, p.key, after));
    }
    const writes: Promise<unknown>[] = [];
    for (const [offset, g] of [...groups.entries()].sort((a, b) => a[0] - b[0])) {
      const micros = ts + BigInt(offset);
      const stream = this.streamFor(def, this.partitionKeyOf(def, mutations[0]!), micros);
      const time = timeuuidAtMicros(micros);
      const rows = [...g.pre, ...g.delta, ...g.post];
      rows.forEach((r, seq) => {
        r.set('cdc$stream_id', stream);
        r.set('cdc$time', time);
        r.set('cdc$batch_seq_no', seq);
        r.set('cdc$end_of_batch', seq === rows.length - 1 ? true : undefined);
        writes.push(this.writeLogRow(state, r, micros));
      });
    }
    await Promise.all(writes);
  }

  /** Whether a mutation needs the current list cells (removal by value or by index). */
  private needsListCells(def: TableDef, m: Mutation): boolean {
    const isList = (name: string) => {
      const c = def.columns.get(name);
      return c !== undefined && c.type.kind === 'list' && !c.type.frozen;
    };
    if (m.type === 'update') {
      return Object.entries(m.set).some(
        ([name, v]) =>
          isList(name) && v instanceof CollectionOp && (v.kind === 'remove' || v.kind === 'setIndex'),
      );
    }
    if (m.type === 'delete') return (m.columns ?? []).some((c) => typeof c !== 'string' && isList(c.column));
    return false;
  }

  private snapshotLists(state: TableState, rowKey: Row, before: Row): Map<string, ListEntry[]> {
    const out = new Map<string, ListEntry[]>();
    for (const c of state.def.regular) {
      if (c.type.kind === 'list' && !c.type.frozen) {
        out.set(
          c.name,
          this.currentList(state, rowKey, c.name, before).map((e) => ({ ...e })),
        );
      }
    }
    return out;
  }

  private writeLogRow(state: TableState, row: LogRow, micros: bigint): Promise<unknown> {
    const params: unknown[] = state.logColumnNames.map((n) => row.get(n));
    params.push(state.cdc.ttl, cassandra.types.Long.fromString(micros.toString()));
    return this.client.execute(state.insertLog!, params, { prepare: true });
  }

  private rowKeyOf(def: TableDef, m: Mutation): Row {
    const src = m.type === 'insert' ? m.values : m.key;
    const key: Row = {};
    for (const c of [...def.partitionKey, ...def.clustering]) {
      if (src[c.name] !== undefined) key[c.name] = src[c.name];
    }
    return key;
  }

  private keyString(def: TableDef, key: Row): string {
    return `${def.keyspace}.${def.name}|${canon([...def.partitionKey, ...def.clustering].map((c) => key[c.name]))}`;
  }

  private async readRow(def: TableDef, key: Row): Promise<Row | undefined> {
    const cols = [...def.partitionKey, ...def.clustering];
    const rs = await this.client.execute(
      `SELECT * FROM ${quoteName(def.keyspace)}.${quoteName(def.name)} WHERE ${cols
        .map((c) => `${quoteName(c.name)} = ?`)
        .join(' AND ')}`,
      cols.map((c) => key[c.name]),
      { prepare: true },
    );
    const row = rs.rows[0];
    if (!row) return undefined;
    const out: Row = {};
    for (const c of def.columns.values()) out[c.name] = row[c.name];
    return out;
  }

  // ---- delta rows ----------------------------------------------------------------------------

  private deltaRows(
    state: TableState,
    m: Mutation,
    before: Row | undefined,
  ): Array<{ offset: number; rows: LogRow[] }> {
    const def = state.def;
    const keyRow = (op: number, key: Row, staticRow = false): LogRow => {
      const r: LogRow = new Map();
      r.set('cdc$operation', op);
      for (const c of def.partitionKey) r.set(c.name, key[c.name]);
      for (const c of def.clustering) r.set(c.name, staticRow ? undefined : (key[c.name] ?? undefined));
      return r;
    };
    const rowKey = this.rowKeyOf(def, m);
    switch (m.type) {
      case 'partition-delete':
        this.forgetLists(def, rowKey, true);
        return [{ offset: 0, rows: [keyRow(OP.partitionDelete, rowKey)] }];
      case 'expire-partition':
        this.forgetLists(def, rowKey, true);
        return [{ offset: 0, rows: [keyRow(OP.servicePartitionDelete, rowKey)] }];
      case 'expire-row':
        this.forgetLists(def, rowKey, false);
        return [{ offset: 0, rows: [keyRow(OP.serviceRowDelete, rowKey)] }];
      case 'range-delete': {
        const prefix = def.clustering.filter((c) => m.key[c.name] !== undefined);
        const bounded = def.clustering[prefix.length];
        if (!bounded) throw new Error('a range delete needs a clustering column to bound');
        const left = keyRow(
          m.start?.inclusive === false ? OP.rangeLeftExclusive : OP.rangeLeftInclusive,
          rowKey,
        );
        const right = keyRow(
          m.end?.inclusive === false ? OP.rangeRightExclusive : OP.rangeRightInclusive,
          rowKey,
        );
        left.set(bounded.name, m.start?.value);
        right.set(bounded.name, m.end?.value);
        return [{ offset: 0, rows: [left, right] }];
      }
      case 'delete': {
        if (!m.columns || m.columns.length === 0) {
          this.forgetLists(def, rowKey, false);
          return [{ offset: 0, rows: [keyRow(OP.rowDelete, rowKey)] }];
        }
        const effects = new Effects();
        for (const c of m.columns) {
          if (typeof c === 'string') this.assign(state, effects, rowKey, this.column(def, c), null);
          else this.deleteElement(state, effects, rowKey, this.column(def, c.column), c.key, before);
        }
        return effects.rows(rowKey, OP.update, undefined, keyRow, state.cdc.delta);
      }
      case 'insert':
      case 'update': {
        const effects = new Effects();
        const values = m.type === 'insert' ? m.values : m.set;
        for (const [name, value] of Object.entries(values)) {
          const col = this.column(def, name);
          if (col.kind === 'partition_key' || col.kind === 'clustering') continue;
          if (value instanceof CollectionOp) this.collectionOp(state, effects, rowKey, col, value, before);
          else this.assign(state, effects, rowKey, col, value);
        }
        return effects.rows(
          rowKey,
          m.type === 'insert' ? OP.insert : OP.update,
          m.ttl,
          keyRow,
          state.cdc.delta,
        );
      }
    }
  }

  private column(def: TableDef, name: string): ColumnDef {
    const c = def.columns.get(name);
    if (!c) throw new Error(`unknown column ${name} in ${def.keyspace}.${def.name}`);
    return c;
  }

  /** `X = value` (INSERT or UPDATE SET), also `X = null` and `DELETE X`. */
  private assign(state: TableState, fx: Effects, rowKey: Row, col: ColumnDef, value: unknown): void {
    const type = col.type;
    const isStatic = col.kind === 'static';
    if (!isNonFrozen(type)) {
      if (value === null || value === undefined) fx.dead(0, isStatic, `cdc$deleted_${col.name}`, true);
      else fx.live(0, isStatic, col.name, value);
      return;
    }
    // A non-frozen collection or UDT: overwriting writes a tombstone at T-1 plus the new cells at T
    // (logged at T); `X = null` / `DELETE X` writes a tombstone at T, logged at T+1.
    if (value === null || value === undefined) {
      fx.dead(1, isStatic, `cdc$deleted_${col.name}`, true);
      if (type.kind === 'list') this.lists.set(this.listKey(state.def, rowKey, col.name), []);
      return;
    }
    fx.dead(0, isStatic, `cdc$deleted_${col.name}`, true);
    if (isEmptyCollection(value) && type.kind !== 'udt') {
      if (type.kind === 'list') this.lists.set(this.listKey(state.def, rowKey, col.name), []);
      return;
    }
    switch (type.kind) {
      case 'list': {
        const entries = elements(value).map((v) => ({ key: this.nextListKey(), value: v }));
        this.lists.set(this.listKey(state.def, rowKey, col.name), entries);
        fx.live(0, isStatic, col.name, new Map(entries.map((e) => [e.key, e.value])));
        return;
      }
      case 'set':
        fx.live(0, isStatic, col.name, new Set(elements(value)));
        return;
      case 'map':
        fx.live(0, isStatic, col.name, new Map(mapEntries(value)));
        return;
      case 'udt': {
        const udt = state.def.udts.get(type.name);
        const full: Row = {};
        for (const f of udt?.fieldNames ?? []) full[f] = (value as Row)[f] ?? null;
        fx.live(0, isStatic, col.name, full);
        return;
      }
    }
  }

  private collectionOp(
    state: TableState,
    fx: Effects,
    rowKey: Row,
    col: ColumnDef,
    op: CollectionOp,
    before: Row | undefined,
  ): void {
    const type = col.type;
    const isStatic = col.kind === 'static';
    const name = col.name;
    const delElements = `cdc$deleted_elements_${name}`;
    if (!isNonFrozen(type)) throw new Error(`${name} is not a non-frozen collection or UDT`);
    switch (type.kind) {
      case 'list': {
        const entries = this.currentList(state, rowKey, name, before);
        if (op.kind === 'add' || op.kind === 'prepend') {
          const values = elements(op.value);
          const added =
            op.kind === 'add'
              ? values.map((v) => ({ key: this.nextListKey(), value: v }))
              : values.map((v, i) => ({ key: this.prependKey(values.length - i), value: v }));
          if (op.kind === 'add') entries.push(...added);
          else entries.unshift(...added);
          fx.liveMap(
            0,
            isStatic,
            name,
            added.map((e) => [e.key, e.value]),
          );
        } else if (op.kind === 'remove') {
          const removeSet = new Set(elements(op.value).map(canon));
          const removed = entries.filter((e) => removeSet.has(canon(e.value)));
          for (const r of removed) entries.splice(entries.indexOf(r), 1);
          if (removed.length > 0)
            fx.deadSet(
              0,
              isStatic,
              delElements,
              removed.map((e) => e.key),
            );
        } else if (op.kind === 'setIndex') {
          const e = entries[op.index!];
          if (!e) throw new Error(`list index ${op.index} out of bound`);
          e.value = op.value;
          if (op.value === null) fx.deadSet(0, isStatic, delElements, [e.key]);
          else fx.liveMap(0, isStatic, name, [[e.key, op.value]]);
        } else if (op.kind === 'deleteIndex') {
          const e = entries[op.index!];
          if (!e) throw new Error(`list index ${op.index} out of bound`);
          entries.splice(op.index!, 1);
          fx.deadSet(0, isStatic, delElements, [e.key]);
        } else throw new Error(`${op.kind} does not apply to a list`);
        return;
      }
      case 'set':
        if (op.kind === 'add') fx.liveSet(0, isStatic, name, elements(op.value));
        else if (op.kind === 'remove') fx.deadSet(0, isStatic, delElements, elements(op.value));
        else throw new Error(`${op.kind} does not apply to a set`);
        return;
      case 'map':
        if (op.kind === 'add') {
          const live: [unknown, unknown][] = [];
          const dead: unknown[] = [];
          for (const [k, v] of mapEntries(op.value)) {
            if (v === null) dead.push(k);
            else live.push([k, v]);
          }
          if (live.length > 0) fx.liveMap(0, isStatic, name, live);
          if (dead.length > 0) fx.deadSet(0, isStatic, delElements, dead);
        } else if (op.kind === 'remove') fx.deadSet(0, isStatic, delElements, elements(op.value));
        else throw new Error(`${op.kind} does not apply to a map`);
        return;
      case 'udt': {
        if (op.kind !== 'setField') throw new Error(`${op.kind} does not apply to a UDT`);
        const udt = state.def.udts.get(type.name);
        const index = udt?.fieldNames.indexOf(op.field!) ?? -1;
        if (!udt || index < 0) throw new Error(`unknown field ${op.field} of ${type.name}`);
        if (op.value === null || op.value === undefined) fx.deadSet(0, isStatic, delElements, [index]);
        else fx.liveField(0, isStatic, name, udt.fieldNames, op.field!, op.value);
        return;
      }
    }
  }

  private deleteElement(
    state: TableState,
    fx: Effects,
    rowKey: Row,
    col: ColumnDef,
    key: unknown,
    before: Row | undefined,
  ): void {
    const isStatic = col.kind === 'static';
    const delElements = `cdc$deleted_elements_${col.name}`;
    if (col.type.kind === 'list' && !col.type.frozen) {
      const entries = this.currentList(state, rowKey, col.name, before);
      const e = entries[key as number];
      if (!e) throw new Error(`list index ${String(key)} out of bound`);
      entries.splice(key as number, 1);
      fx.deadSet(0, isStatic, delElements, [e.key]);
    } else if (col.type.kind === 'udt' && !col.type.frozen) {
      const udt = state.def.udts.get(col.type.name);
      fx.deadSet(0, isStatic, delElements, [udt?.fieldNames.indexOf(String(key)) ?? -1]);
    } else fx.deadSet(0, isStatic, delElements, [key]);
  }

  // ---- list cell keys --------------------------------------------------------------------------

  private listKey(def: TableDef, rowKey: Row, column: string): string {
    return `${this.keyString(def, rowKey)}|${column}`;
  }

  private nextListKey(): cassandra.types.TimeUuid {
    return timeuuidAtMicros(this.listClock.next());
  }

  private prependKey(distance: number): cassandra.types.TimeUuid {
    this.prependCounter += BigInt(distance);
    const now = BigInt(Date.now()) * 1000n;
    return timeuuidAtMicros(PREPEND_REFERENCE_US - (now - PREPEND_REFERENCE_US) - this.prependCounter);
  }

  /** The cells of a list column (timeuuid key, value), kept since Cassandra does not expose the keys. */
  private currentList(state: TableState, rowKey: Row, column: string, before: Row | undefined): ListEntry[] {
    const k = this.listKey(state.def, rowKey, column);
    let entries = this.lists.get(k);
    if (before !== undefined) {
      const actual = elements(before[column]);
      if (!entries || canon(entries.map((e) => e.value)) !== canon(actual)) {
        entries = actual.map((v) => ({ key: this.nextListKey(), value: v }));
      }
    }
    entries ??= [];
    this.lists.set(k, entries);
    return entries;
  }

  private forgetLists(def: TableDef, rowKey: Row, partition: boolean): void {
    const pk = `${def.keyspace}.${def.name}|${canon(def.partitionKey.map((c) => rowKey[c.name])).slice(0, -1)}`;
    const prefixes = partition ? [`${pk},`, `${pk}]`] : [`${this.keyString(def, rowKey)}|`];
    for (const k of [...this.lists.keys()]) if (prefixes.some((p) => k.startsWith(p))) this.lists.delete(k);
  }

  /** The log form of a column value read from the base table (lists become timeuuid-keyed maps). */
  private imageValue(state: TableState, rowKey: Row, col: ColumnDef, value: unknown): unknown {
    if (col.type.kind === 'list' && !col.type.frozen) {
      if (value === null || value === undefined) return undefined;
      const entries = this.currentList(state, rowKey, col.name, { [col.name]: value });
      return new Map(entries.map((e) => [e.key, e.value]));
    }
    if (col.type.kind === 'udt' && value !== null && value !== undefined) {
      const udt = state.def.udts.get(col.type.name);
      const full: Row = {};
      for (const f of udt?.fieldNames ?? []) full[f] = (value as Row)[f] ?? null;
      return full;
    }
    return value === null ? undefined : value;
  }

  private preimageRow(
    state: TableState,
    rowKey: Row,
    before: Row,
    modified: Set<string>,
    lists: Map<string, ListEntry[]>,
  ): LogRow {
    const def = state.def;
    const r: LogRow = new Map();
    r.set('cdc$operation', OP.preimage);
    for (const c of [...def.partitionKey, ...def.clustering]) r.set(c.name, rowKey[c.name]);
    for (const c of def.regular) {
      if (state.cdc.preimage !== 'full' && !modified.has(c.name)) continue;
      const listCells = lists.get(c.name);
      const v = listCells
        ? listCells.length > 0
          ? new Map(listCells.map((e) => [e.key, e.value]))
          : undefined
        : this.imageValue(state, rowKey, c, before[c.name]);
      if (v === undefined || isEmptyCollection(v)) r.set(`cdc$deleted_${c.name}`, true);
      else r.set(c.name, v);
    }
    return r;
  }

  private postimageRow(state: TableState, rowKey: Row, after: Row | undefined): LogRow {
    const def = state.def;
    const r: LogRow = new Map();
    r.set('cdc$operation', OP.postimage);
    for (const c of [...def.partitionKey, ...def.clustering]) r.set(c.name, rowKey[c.name]);
    if (after) {
      for (const c of def.regular) {
        const v = this.imageValue(state, rowKey, c, after[c.name]);
        if (v !== undefined) r.set(c.name, v);
      }
    }
    return r;
  }

  // ---- base table ------------------------------------------------------------------------------

  private async writeBase(def: TableDef, mutations: Mutation[], ts: bigint): Promise<void> {
    const t = cassandra.types.Long.fromString(ts.toString());
    const table = `${quoteName(def.keyspace)}.${quoteName(def.name)}`;
    const keyCols = [...def.partitionKey, ...def.clustering];
    const where = (key: Row, cols: readonly ColumnDef[]) => ({
      cql: cols.map((c) => `${quoteName(c.name)} = ?`).join(' AND '),
      params: cols.map((c) => key[c.name]),
    });
    const queries: { query: string; params: unknown[] }[] = [];
    for (const m of mutations) {
      switch (m.type) {
        case 'insert': {
          const names = Object.keys(m.values);
          const params = names.map((n) => toBaseValue(this.column(def, n), m.values[n]));
          queries.push({
            query: `INSERT INTO ${table} (${names.map(quoteName).join(', ')}) VALUES (${names
              .map(() => '?')
              .join(', ')}) USING TIMESTAMP ?${m.ttl ? ' AND TTL ?' : ''}`,
            params: [...params, t, ...(m.ttl ? [m.ttl] : [])],
          });
          break;
        }
        case 'update': {
          const sets: string[] = [];
          const params: unknown[] = [];
          for (const [name, value] of Object.entries(m.set)) {
            const col = this.column(def, name);
            const q = quoteName(name);
            if (value instanceof CollectionOp) {
              switch (value.kind) {
                case 'add':
                  if (col.type.kind === 'map') {
                    const live = mapEntries(value.value).filter(([, v]) => v !== null);
                    const dead = mapEntries(value.value).filter(([, v]) => v === null);
                    if (live.length > 0) {
                      sets.push(`${q} = ${q} + ?`);
                      params.push(new Map(live));
                    }
                    for (const [k] of dead) {
                      sets.push(`${q}[?] = null`);
                      params.push(k);
                    }
                  } else {
                    sets.push(`${q} = ${q} + ?`);
                    params.push(
                      col.type.kind === 'set' ? new Set(elements(value.value)) : elements(value.value),
                    );
                  }
                  break;
                case 'prepend':
                  sets.push(`${q} = ? + ${q}`);
                  params.push(elements(value.value));
                  break;
                case 'remove':
                  sets.push(`${q} = ${q} - ?`);
                  params.push(
                    col.type.kind === 'list' ? elements(value.value) : new Set(elements(value.value)),
                  );
                  break;
                case 'setIndex':
                  sets.push(`${q}[${value.index}] = ?`);
                  params.push(value.value);
                  break;
                case 'deleteIndex':
                  throw new Error('deleteIndex belongs in a delete mutation: {column, key: index}');
                case 'setField':
                  sets.push(`${q}.${quoteName(value.field!)} = ?`);
                  params.push(value.value);
                  break;
              }
            } else {
              sets.push(`${q} = ?`);
              params.push(toBaseValue(col, value));
            }
          }
          const w = where(m.key, keyCols);
          queries.push({
            query: `UPDATE ${table} USING TIMESTAMP ?${m.ttl ? ' AND TTL ?' : ''} SET ${sets.join(', ')} WHERE ${w.cql}`,
            params: [t, ...(m.ttl ? [m.ttl] : []), ...params, ...w.params],
          });
          break;
        }
        case 'delete':
        case 'expire-row': {
          const cols =
            m.type === 'delete' && m.columns && m.columns.length > 0
              ? m.columns.map((c) => (typeof c === 'string' ? quoteName(c) : `${quoteName(c.column)}[?]`))
              : [];
          const elemParams =
            m.type === 'delete' && m.columns
              ? m.columns.filter((c) => typeof c !== 'string').map((c) => (c as { key: unknown }).key)
              : [];
          const w = where(m.key, keyCols);
          queries.push({
            query: `DELETE ${cols.join(', ')} FROM ${table} USING TIMESTAMP ? WHERE ${w.cql}`,
            params: [...elemParams, t, ...w.params],
          });
          break;
        }
        case 'partition-delete':
        case 'expire-partition': {
          const w = where(m.key, def.partitionKey);
          queries.push({
            query: `DELETE FROM ${table} USING TIMESTAMP ? WHERE ${w.cql}`,
            params: [t, ...w.params],
          });
          break;
        }
        case 'range-delete': {
          const prefix = def.clustering.filter((c) => m.key[c.name] !== undefined);
          const bounded = def.clustering[prefix.length]!;
          const w = where(m.key, [...def.partitionKey, ...prefix]);
          let cql = w.cql;
          const params = [...w.params];
          if (m.start) {
            cql += ` AND ${quoteName(bounded.name)} ${m.start.inclusive ? '>=' : '>'} ?`;
            params.push(m.start.value);
          }
          if (m.end) {
            cql += ` AND ${quoteName(bounded.name)} ${m.end.inclusive ? '<=' : '<'} ?`;
            params.push(m.end.value);
          }
          queries.push({
            query: `DELETE FROM ${table} USING TIMESTAMP ? WHERE ${cql}`,
            params: [t, ...params],
          });
          break;
        }
      }
    }
    if (queries.length === 1)
      await this.client.execute(queries[0]!.query, queries[0]!.params, { prepare: true });
    else await this.client.batch(queries, { prepare: true, logged: false });
  }

  // ---- bulk ------------------------------------------------------------------------------------

  /**
   * Fast preparation of many INSERTs (no images, one row each): base rows written concurrently,
   * log rows in unlogged single-partition batches per stream. Timestamps start at `startMicros`
   * and grow by `stepMicros`.
   */
  async bulkInsert(
    keyspace: string,
    table: string,
    rows: Row[],
    opts: {
      startMicros: bigint;
      stepMicros?: bigint;
      concurrency?: number;
      batchSize?: number;
      skipBase?: boolean;
    },
  ): Promise<void> {
    const state = await this.table(keyspace, table);
    const def = state.def;
    const step = opts.stepMicros ?? 1n;
    const concurrency = opts.concurrency ?? 64;
    const batchSize = opts.batchSize ?? 64;
    const byStream = new Map<string, { query: string; params: unknown[] }[]>();
    const baseNames = [...def.columns.keys()];
    const baseInsert = `INSERT INTO ${quoteName(def.keyspace)}.${quoteName(def.name)} (${baseNames
      .map(quoteName)
      .join(', ')}) VALUES (${baseNames.map(() => '?').join(', ')}) USING TIMESTAMP ?`;
    const tasks: (() => Promise<unknown>)[] = [];
    rows.forEach((values, i) => {
      const micros = opts.startMicros + BigInt(i) * step;
      const deltas = this.deltaRows(state, { type: 'insert', values }, undefined);
      const stream = this.streamFor(def, values, micros);
      const time = timeuuidAtMicros(micros);
      const log = deltas[0]!.rows[0]!;
      log.set('cdc$stream_id', stream);
      log.set('cdc$time', time);
      log.set('cdc$batch_seq_no', 0);
      log.set('cdc$end_of_batch', true);
      const params: unknown[] = state.logColumnNames.map((n) => log.get(n));
      params.push(state.cdc.ttl, cassandra.types.Long.fromString(micros.toString()));
      const hex = stream.toString('hex');
      let list = byStream.get(hex);
      if (!list) {
        list = [];
        byStream.set(hex, list);
      }
      list.push({ query: state.insertLog!, params });
      if (list.length >= batchSize) {
        const batch = list.splice(0, list.length);
        tasks.push(() => this.client.batch(batch, { prepare: true, logged: false }));
      }
      if (!opts.skipBase) {
        const ts = cassandra.types.Long.fromString(micros.toString());
        const params2 = baseNames.map((n) => toBaseValue(def.columns.get(n)!, values[n]));
        tasks.push(() => this.client.execute(baseInsert, [...params2, ts], { prepare: true }));
      }
    });
    for (const list of byStream.values()) {
      if (list.length > 0) tasks.push(() => this.client.batch(list, { prepare: true, logged: false }));
    }
    let next = 0;
    const worker = async () => {
      while (next < tasks.length) {
        const task = tasks[next++]!;
        // Writes are idempotent (fixed timestamps and timeuuids): retry timeouts of a busy server.
        for (let attempt = 1; ; attempt++) {
          try {
            await task();
            break;
          } catch (err) {
            if (attempt >= 10 || !isOverload(err)) throw err;
            await new Promise((r) => setTimeout(r, Math.min(5000, 50 * 2 ** attempt)));
          }
        }
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
  }
}

function isOverload(err: unknown): boolean {
  if (err instanceof cassandra.errors.OperationTimedOutError) return true;
  if (err instanceof cassandra.errors.NoHostAvailableError) return true;
  const codes = cassandra.types.responseErrorCodes;
  const code = (err as { code?: number }).code;
  return (
    err instanceof cassandra.errors.ResponseError &&
    (code === codes.writeTimeout || code === codes.overloaded || code === codes.unavailableException)
  );
}

function toBaseValue(col: ColumnDef, value: unknown): unknown {
  if (value === undefined) return undefined;
  if (col.type.kind === 'set' && Array.isArray(value)) return new Set(value);
  if (col.type.kind === 'map' && value !== null && !(value instanceof Map) && typeof value === 'object') {
    return new Map(Object.entries(value as Row));
  }
  return value;
}

/** Columns a delta row touches: a value, a `cdc$deleted_` flag or deleted elements. */
function modifiedColumns(def: TableDef, row: LogRow): string[] {
  const out: string[] = [];
  for (const c of def.regular) {
    if (
      row.get(c.name) !== undefined ||
      row.get(`cdc$deleted_${c.name}`) !== undefined ||
      row.get(`cdc$deleted_elements_${c.name}`) !== undefined
    ) {
      out.push(c.name);
    }
  }
  if (row.get('cdc$operation') === OP.rowDelete || row.get('cdc$operation') === OP.serviceRowDelete) {
    return def.regular.map((c) => c.name);
  }
  if (
    row.get('cdc$operation') === OP.partitionDelete ||
    row.get('cdc$operation') === OP.servicePartitionDelete
  ) {
    return def.regular.map((c) => c.name);
  }
  return out;
}

/**
 * Cell effects of one statement on one row, split the way Scylla splits a mutation into log rows:
 * by time offset (collection-wide tombstones of `X = null` are logged at T+1), by static vs
 * clustered row, and, under a TTL, dead cells apart from live ones.
 */
class Effects {
  private readonly parts = new Map<
    string,
    { offset: number; isStatic: boolean; live: boolean; cells: Map<string, unknown> }
  >();

  private part(offset: number, isStatic: boolean, live: boolean) {
    const k = `${offset}|${isStatic}|${live}`;
    let p = this.parts.get(k);
    if (!p) {
      p = { offset, isStatic, live, cells: new Map() };
      this.parts.set(k, p);
    }
    return p.cells;
  }

  live(offset: number, isStatic: boolean, name: string, value: unknown): void {
    this.part(offset, isStatic, true).set(name, value);
  }
  dead(offset: number, isStatic: boolean, name: string, value: unknown): void {
    this.part(offset, isStatic, false).set(name, value);
  }
  liveMap(offset: number, isStatic: boolean, name: string, entries: [unknown, unknown][]): void {
    const cells = this.part(offset, isStatic, true);
    const m = (cells.get(name) as Map<unknown, unknown> | undefined) ?? new Map();
    for (const [k, v] of entries) m.set(k, v);
    cells.set(name, m);
  }
  liveSet(offset: number, isStatic: boolean, name: string, values: unknown[]): void {
    const cells = this.part(offset, isStatic, true);
    const s = (cells.get(name) as Set<unknown> | undefined) ?? new Set();
    for (const v of values) s.add(v);
    cells.set(name, s);
  }
  liveField(
    offset: number,
    isStatic: boolean,
    name: string,
    fields: readonly string[],
    field: string,
    value: unknown,
  ): void {
    const cells = this.part(offset, isStatic, true);
    let u = cells.get(name) as Row | undefined;
    if (!u) {
      u = {};
      for (const f of fields) u[f] = null;
    }
    u[field] = value;
    cells.set(name, u);
  }
  deadSet(offset: number, isStatic: boolean, name: string, values: unknown[]): void {
    const cells = this.part(offset, isStatic, false);
    const s = (cells.get(name) as Set<unknown> | undefined) ?? new Set();
    for (const v of values) s.add(v);
    cells.set(name, s);
  }

  /**
   * The delta rows. Without a TTL, live and dead cells of one (offset, static) share a row; with
   * a TTL the dead cells get their own row (cdc$ttl null) before the live one. An INSERT's row
   * marker makes its clustered row an insert even when no column is set.
   */
  rows(
    key: Row,
    op: number,
    ttl: number | undefined,
    keyRow: (op: number, key: Row, staticRow?: boolean) => LogRow,
    delta: 'full' | 'keys',
  ): Array<{ offset: number; rows: LogRow[] }> {
    if (op === OP.insert && ![...this.parts.values()].some((p) => p.offset === 0 && !p.isStatic)) {
      this.part(0, false, true);
    }
    const byOffset = new Map<number, LogRow[]>();
    const offsets = [...new Set([...this.parts.values()].map((p) => p.offset))].sort();
    for (const offset of offsets) {
      const rows: LogRow[] = [];
      for (const isStatic of [true, false]) {
        const live = this.parts.get(`${offset}|${isStatic}|true`);
        const dead = this.parts.get(`${offset}|${isStatic}|false`);
        if (!live && !dead) continue;
        const rowOp = op === OP.insert && !isStatic ? OP.insert : OP.update;
        const make = (cells: Map<string, unknown>[], rowTtl: number | undefined, rowOpFor: number) => {
          const r = keyRow(rowOpFor, key, isStatic);
          if (delta === 'full') for (const c of cells) for (const [n, v] of c) r.set(n, v);
          r.set('cdc$ttl', rowTtl ? cassandra.types.Long.fromNumber(rowTtl) : undefined);
          return r;
        };
        if (ttl && live && dead) {
          rows.push(make([dead.cells], undefined, OP.update));
          rows.push(make([live.cells], ttl, rowOp));
        } else {
          const cells = [dead?.cells, live?.cells].filter((c): c is Map<string, unknown> => c !== undefined);
          rows.push(make(cells, live ? ttl : undefined, rowOp));
        }
      }
      byOffset.set(offset, rows);
    }
    return [...byOffset.entries()].map(([offset, rows]) => ({ offset, rows }));
  }
}

export { deletedElementsType };
