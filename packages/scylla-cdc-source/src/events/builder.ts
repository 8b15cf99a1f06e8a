import type cassandra from 'cassandra-driver';
import type { CdcChange, LogRow } from '../reader/changes.js';
import type { CqlType } from '../reader/cql-type.js';
import type { ColumnInfo, TableSchema } from '../reader/schema.js';
import { type Converter, converterFor, type Json } from './convert.js';

export type OutputFormat = 'legacy' | 'advanced';
export type ImageMode = 'none' | 'full' | 'only-updated';
export type KeyPlacement = 'kafka-key' | 'payload-after' | 'payload-before' | 'payload-key' | 'kafka-headers';

export const DEFAULT_PLACEMENT: readonly KeyPlacement[] = ['kafka-key', 'payload-after', 'payload-before'];

export interface EventOptions {
  readonly format: OutputFormat;
  /** Logical name of the cluster (`topic.prefix` / `scylla.name`), in `source.name`. */
  readonly name: string;
  /** Legacy format: `before` from preimages (`experimental.preimages.enabled`). */
  readonly legacyPreimages?: boolean;
  /** Advanced format: `cdc.include.before`. */
  readonly before?: ImageMode;
  /** Advanced format: `cdc.include.after`. */
  readonly after?: ImageMode;
  /** Advanced format: `cdc.include.primary-key.placement`. */
  readonly placement?: readonly KeyPlacement[];
  /** Advanced format: `cdc.include.primary-key.payload-key-name`. */
  readonly payloadKeyName?: string;
  /** `source.version`. */
  readonly version: string;
  /**
   * Also put the key struct (placement kafka-key) into the value, as its last field under this
   * name: where a record without a separate key (an Airbyte record) carries it. Unset: not in the value.
   */
  readonly recordKeyField?: string;
  /** Top-level `ts_ms` (processing time); Date.now by default. */
  readonly now?: () => number;
}

/** A change event as Kafka would carry it: key struct, value payload and headers. */
export interface ChangeEvent {
  /** The key struct (PK/CK columns), or null when the placement leaves it out. */
  readonly key: { [k: string]: Json } | null;
  /** The Debezium envelope payload. */
  readonly value: { [k: string]: Json };
  /** `pk.<col>` / `ck.<col>` headers (placement `kafka-headers`). */
  readonly headers: ReadonlyArray<readonly [string, string]>;
}

export type Op = 'c' | 'u' | 'd' | 'r';

const NO_HEADERS: ReadonlyArray<readonly [string, string]> = Object.freeze([]);

interface ColumnPlan {
  readonly name: string;
  readonly isKey: boolean;
  readonly kind: ColumnInfo['kind'];
  readonly nonFrozen: boolean;
  /** Converts the column's log/image value (a non-frozen list's timeuuid-keyed map → values). */
  readonly plain: Converter;
  /** Element-level change of a non-frozen column: `{mode: 'MODIFY', added, removed}`. */
  readonly modify: ((value: unknown, removed: unknown) => Json) | undefined;
  readonly deleted: string;
  readonly deletedElements: string;
}

interface TablePlan {
  readonly schema: TableSchema;
  readonly columns: readonly ColumnPlan[];
  readonly valueColumns: readonly ColumnPlan[];
  /** Advanced key order: partition key, then clustering. */
  readonly keyAdvanced: readonly ColumnPlan[];
  /** Legacy key order: log order. */
  readonly keyLegacy: readonly ColumnPlan[];
}

/**
 * Builds Debezium-style change events from CDC changes, in the connector's legacy format (Cell
 * wrappers) or its advanced format (direct values, before/after image modes, primary key
 * placement). Plans are compiled once per table schema.
 */
export class EventBuilder {
  private readonly plans = new WeakMap<TableSchema, TablePlan>();
  private readonly before: ImageMode;
  private readonly after: ImageMode;
  private readonly placement: ReadonlySet<KeyPlacement>;
  private readonly payloadKeyName: string;
  private readonly now: () => number;
  private readonly withHeaders: boolean;
  private readonly recordKeyField: string | undefined;

  constructor(readonly options: EventOptions) {
    this.before = options.before ?? 'none';
    this.after = options.after ?? 'none';
    this.placement = new Set(
      options.format === 'legacy' ? DEFAULT_PLACEMENT : (options.placement ?? DEFAULT_PLACEMENT),
    );
    this.payloadKeyName = options.payloadKeyName ?? 'key';
    this.now = options.now ?? Date.now;
    this.withHeaders = this.placement.has('kafka-headers') && options.format === 'advanced';
    this.recordKeyField = this.placement.has('kafka-key') ? options.recordKeyField : undefined;
  }

  get keyInKafkaKey(): boolean {
    return this.placement.has('kafka-key');
  }

  plan(schema: TableSchema): TablePlan {
    let plan = this.plans.get(schema);
    if (!plan) {
      plan = compilePlan(schema);
      this.plans.set(schema, plan);
    }
    return plan;
  }

  /** The event of one CDC change. */
  build(change: CdcChange): ChangeEvent {
    const plan = this.plan(change.schema);
    const op: Op = change.kind === 'insert' ? 'c' : change.kind === 'update' ? 'u' : 'd';
    const legacy = this.options.format === 'legacy';
    let before: Json = null;
    let after: Json = null;
    if (legacy) {
      if (op === 'd') {
        before =
          this.options.legacyPreimages && change.preimage
            ? legacyImage(plan, change.preimage)
            : keysAndNulls(plan, change.delta, true, true);
      } else {
        after = legacyDelta(plan, change.delta);
        if (this.options.legacyPreimages && change.preimage) before = legacyImage(plan, change.preimage);
      }
    } else {
      const keyInBefore = this.placement.has('payload-before');
      const keyInAfter = this.placement.has('payload-after');
      if (op === 'd') {
        before =
          this.before !== 'none' && change.preimage
            ? image(plan, change.delta, change.preimage, undefined, keyInBefore, false, undefined)
            : keysAndNulls(plan, change.delta, keyInBefore, false);
      } else {
        const modified =
          this.before === 'only-updated' || this.after === 'only-updated'
            ? modifiedColumns(plan, change.delta)
            : undefined;
        if (this.after === 'none' || !change.postimage) {
          after = advancedDelta(plan, change.delta, keyInAfter);
        } else {
          after = image(
            plan,
            change.delta,
            change.postimage,
            undefined,
            keyInAfter,
            false,
            this.after === 'only-updated' ? modified : undefined,
          );
        }
        if (op === 'u' && this.before !== 'none' && change.preimage) {
          const fill = change.schema.cdc.preimage !== 'full' ? change.postimage : undefined;
          before = image(
            plan,
            change.delta,
            change.preimage,
            fill,
            keyInBefore,
            true,
            this.before === 'only-updated' ? modified : undefined,
          );
        }
      }
    }
    const keySource = change.postimage ?? change.preimage ?? change.delta;
    const key = this.keyStruct(plan, keySource);
    const source = this.source(change.schema, change.timeUs, 'false', change.expired);
    return {
      key: this.placement.has('kafka-key') ? key : null,
      value: this.envelope(source, before, after, key, op),
      headers: this.headers(plan, keySource),
    };
  }

  /** A snapshot read of a base table row (`op: r`). */
  buildSnapshot(schema: TableSchema, row: LogRow, timeUs: number): ChangeEvent {
    const plan = this.plan(schema);
    const legacy = this.options.format === 'legacy';
    const after: { [k: string]: Json } = {};
    const keyInAfter = legacy || this.placement.has('payload-after');
    for (const c of plan.columns) {
      const v = row[c.name];
      if (c.isKey) {
        if (keyInAfter) after[c.name] = v === null || v === undefined ? null : c.plain(v);
      } else if (legacy) {
        after[c.name] = { value: v === null || v === undefined ? null : snapshotValue(c, v) };
      } else after[c.name] = v === null || v === undefined ? null : snapshotValue(c, v);
    }
    const key = this.keyStruct(plan, row);
    const source = this.source(schema, timeUs, 'true', false);
    return {
      key: this.placement.has('kafka-key') ? key : null,
      value: this.envelope(source, null, after, key, 'r'),
      headers: this.headers(plan, row),
    };
  }

  private envelope(
    source: { [k: string]: Json },
    before: Json,
    after: Json,
    key: { [k: string]: Json },
    op: Op,
  ): { [k: string]: Json } {
    const value: { [k: string]: Json } = { source, before, after };
    if (this.options.format === 'advanced' && this.placement.has('payload-key'))
      value[this.payloadKeyName] = key;
    value.op = op;
    value.ts_ms = this.now();
    value.transaction = null;
    if (this.recordKeyField !== undefined) value[this.recordKeyField] = key;
    return value;
  }

  private source(
    schema: TableSchema,
    timeUs: number,
    snapshot: string,
    expired: boolean,
  ): { [k: string]: Json } {
    const source: { [k: string]: Json } = {
      version: this.options.version,
      connector: 'scylla',
      name: this.options.name,
      ts_ms: Math.floor(timeUs / 1000),
      ts_us: timeUs,
      snapshot,
      db: schema.keyspace,
      keyspace_name: schema.keyspace,
      table_name: schema.table,
    };
    if (expired) source.expired = true;
    return source;
  }

  private keyStruct(plan: TablePlan, row: LogRow): { [k: string]: Json } {
    const key: { [k: string]: Json } = {};
    const cols = this.options.format === 'legacy' ? plan.keyLegacy : plan.keyAdvanced;
    for (const c of cols) {
      const v = row[c.name];
      key[c.name] = v === null || v === undefined ? null : c.plain(v);
    }
    return key;
  }

  private headers(plan: TablePlan, row: LogRow): ReadonlyArray<readonly [string, string]> {
    if (!this.withHeaders) return NO_HEADERS;
    const out: Array<[string, string]> = [];
    for (const c of plan.keyAdvanced) {
      const v = row[c.name];
      if (v === null || v === undefined) continue;
      const j = c.plain(v);
      out.push([
        `${c.kind === 'partition_key' ? 'pk' : 'ck'}.${c.name}`,
        typeof j === 'string' ? j : JSON.stringify(j),
      ]);
    }
    return out;
  }
}

function compilePlan(schema: TableSchema): TablePlan {
  const columns = schema.columns.map((c): ColumnPlan => {
    const logType = c.nonFrozen && c.type.kind === 'list' ? null : c.type;
    const plain = logType
      ? converterFor(logType)
      : listFromCells(converterFor((c.type as { elem: CqlType }).elem));
    return {
      name: c.name,
      isKey: c.isKey,
      kind: c.kind,
      nonFrozen: c.nonFrozen,
      plain,
      modify: c.nonFrozen ? modifyConverter(c.type) : undefined,
      deleted: `cdc$deleted_${c.name}`,
      deletedElements: `cdc$deleted_elements_${c.name}`,
    };
  });
  const byName = new Map(columns.map((c) => [c.name, c]));
  return {
    schema,
    columns,
    valueColumns: columns.filter((c) => !c.isKey),
    keyAdvanced: schema.keyColumns.map((c) => byName.get(c.name)!).filter(Boolean),
    keyLegacy: columns.filter((c) => c.isKey),
  };
}

/** A non-frozen list as logged: cells keyed by timeuuid (in key order) → the list of values. */
function listFromCells(elem: Converter): Converter {
  return (v) => {
    const out: Json[] = [];
    if (v instanceof Map) {
      for (const e of v.values()) out.push(e === null || e === undefined ? null : elem(e));
    } else for (const e of v as Iterable<unknown>) out.push(e === null || e === undefined ? null : elem(e));
    return out;
  };
}

/** Snapshot rows come from the base table: a non-frozen list is already a plain array there. */
function snapshotValue(c: ColumnPlan, v: unknown): Json {
  if (c.nonFrozen && Array.isArray(v)) return c.plain(new Map(v.map((e, i) => [i, e])));
  return c.plain(v);
}

function modifyConverter(type: CqlType): (value: unknown, removed: unknown) => Json {
  switch (type.kind) {
    case 'list': {
      const elem = converterFor(type.elem);
      return (value, removed) => {
        const added: Json[] = [];
        if (value instanceof Map) {
          for (const [k, e] of value) {
            added.push({
              key: (k as cassandra.types.Uuid).toString(),
              value: e === null || e === undefined ? null : elem(e),
            });
          }
        }
        const gone: Json[] = [];
        if (removed) for (const k of removed as Iterable<cassandra.types.Uuid>) gone.push(k.toString());
        return { mode: 'MODIFY', added, removed: gone };
      };
    }
    case 'set': {
      const elem = converterFor(type.elem);
      return (value, removed) => {
        const added: Json[] = [];
        if (value) for (const e of value as Iterable<unknown>) added.push(elem(e));
        const gone: Json[] = [];
        if (removed) for (const e of removed as Iterable<unknown>) gone.push(elem(e));
        return { mode: 'MODIFY', added, removed: gone };
      };
    }
    case 'map': {
      const key = converterFor(type.key);
      const val = converterFor(type.value);
      return (value, removed) => {
        const added: Json[] = [];
        if (value instanceof Map) {
          for (const [k, e] of value)
            added.push({ key: key(k), value: e === null || e === undefined ? null : val(e) });
        }
        const gone: Json[] = [];
        if (removed) for (const k of removed as Iterable<unknown>) gone.push(key(k));
        return { mode: 'MODIFY', added, removed: gone };
      };
    }
    case 'udt': {
      const fields = (type.fields ?? []).map((f) => ({ name: f.name, conv: converterFor(f.type) }));
      return (value, removed) => {
        const added: { [k: string]: Json } = {};
        if (value) {
          const obj = value as Record<string, unknown>;
          for (const f of fields) {
            const e = obj[f.name];
            if (e !== null && e !== undefined) added[f.name] = f.conv(e);
          }
        }
        const gone: Json[] = [];
        if (removed)
          for (const i of removed as Iterable<number>) gone.push(fields[Number(i)]?.name ?? Number(i));
        return { mode: 'MODIFY', added, removed: gone };
      };
    }
    default:
      return (value) => (value === null || value === undefined ? null : String(value));
  }
}

function present(v: unknown): boolean {
  return v !== null && v !== undefined;
}

/** Whether a delta row modified a column: a value, a `cdc$deleted_` flag or deleted elements. */
function isModified(c: ColumnPlan, delta: LogRow): boolean {
  return present(delta[c.name]) || delta[c.deleted] === true || present(delta[c.deletedElements]);
}

function modifiedColumns(plan: TablePlan, delta: LogRow): Set<string> {
  const out = new Set<string>();
  for (const c of plan.valueColumns) if (isModified(c, delta)) out.add(c.name);
  return out;
}

/** A column's change in a delta row, as a value: the new value, null, or an element-level change. */
function deltaValue(c: ColumnPlan, delta: LogRow): Json {
  const v = delta[c.name];
  if (delta[c.deleted] === true || !c.nonFrozen) return present(v) ? c.plain(v) : null;
  return c.modify!(v, delta[c.deletedElements]);
}

/** Legacy `after`: key columns as values, every other column a Cell (`{value}`) or null when untouched. */
function legacyDelta(plan: TablePlan, delta: LogRow): { [k: string]: Json } {
  const out: { [k: string]: Json } = {};
  for (const c of plan.columns) {
    if (c.isKey) {
      const v = delta[c.name];
      out[c.name] = present(v) ? c.plain(v) : null;
    } else out[c.name] = isModified(c, delta) ? { value: deltaValue(c, delta) } : null;
  }
  return out;
}

/** Legacy `before` from a preimage: Cells for the columns the preimage carries. */
function legacyImage(plan: TablePlan, pre: LogRow): { [k: string]: Json } {
  const out: { [k: string]: Json } = {};
  for (const c of plan.columns) {
    const v = pre[c.name];
    if (c.isKey) out[c.name] = present(v) ? c.plain(v) : null;
    else if (present(v)) out[c.name] = { value: c.plain(v) };
    else if (pre[c.deleted] === true) out[c.name] = { value: null };
    else out[c.name] = null;
  }
  return out;
}

/** Advanced `after` without postimage: the key (per placement) and the columns the write modified. */
function advancedDelta(plan: TablePlan, delta: LogRow, withKey: boolean): { [k: string]: Json } {
  const out: { [k: string]: Json } = {};
  for (const c of plan.columns) {
    if (c.isKey) {
      if (withKey) {
        const v = delta[c.name];
        out[c.name] = present(v) ? c.plain(v) : null;
      }
    } else if (isModified(c, delta)) out[c.name] = deltaValue(c, delta);
  }
  return out;
}

/** Key columns (optionally) and every value column null: a delete without preimage. */
function keysAndNulls(
  plan: TablePlan,
  delta: LogRow,
  withKey: boolean,
  _legacy: boolean,
): { [k: string]: Json } {
  const out: { [k: string]: Json } = {};
  for (const c of plan.columns) {
    if (c.isKey) {
      if (withKey) {
        const v = delta[c.name];
        out[c.name] = present(v) ? c.plain(v) : null;
      }
    } else out[c.name] = null;
  }
  return out;
}

/**
 * A full row image (every column, null where the image has none). `fill` supplies the columns a
 * `preimage: true` image leaves out (unmodified, hence equal to the postimage); `only` restricts
 * value columns to the modified ones.
 */
function image(
  plan: TablePlan,
  delta: LogRow,
  img: LogRow,
  fill: LogRow | undefined,
  withKey: boolean,
  isPre: boolean,
  only: Set<string> | undefined,
): { [k: string]: Json } {
  const out: { [k: string]: Json } = {};
  for (const c of plan.columns) {
    if (c.isKey) {
      if (withKey) {
        const v = img[c.name] ?? delta[c.name];
        out[c.name] = present(v) ? c.plain(v) : null;
      }
      continue;
    }
    if (only && !only.has(c.name)) {
      out[c.name] = null;
      continue;
    }
    const v = img[c.name];
    if (present(v)) out[c.name] = c.plain(v);
    else if (isPre && img[c.deleted] !== true && fill && !isModified(c, delta)) {
      const f = fill[c.name];
      out[c.name] = present(f) ? c.plain(f) : null;
    } else out[c.name] = null;
  }
  return out;
}
