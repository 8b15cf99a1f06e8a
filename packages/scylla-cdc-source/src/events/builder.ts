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
  /** JSON text of `plain(v)` (v present), written without the intermediate value for scalars. */
  readonly text: (v: unknown) => string;
  /** `"name":` */
  readonly jsonName: string;
  /** `,"name":` */
  readonly nextJsonName: string;
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
  private readonly envelopeTexts = new WeakMap<TablePlan, EnvelopeTexts>();
  private readonly before: ImageMode;
  private readonly after: ImageMode;
  private readonly placement: ReadonlySet<KeyPlacement>;
  private readonly payloadKeyName: string;
  private readonly now: () => number;
  private readonly withHeaders: boolean;
  private readonly recordKeyField: string | undefined;
  private readonly keyText = new TextSink();
  private readonly firstText = new TextSink();
  private readonly secondText = new TextSink();
  private nowMs = -1;
  private lastSchema: TableSchema | undefined;
  private lastPlan: TablePlan | undefined;
  private lastTextsPlan: TablePlan | undefined;
  private lastTexts: EnvelopeTexts | undefined;
  private nowText = '';

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
    // Changes come in runs of one table: the last plan first.
    if (schema === this.lastSchema) return this.lastPlan!;
    let plan = this.plans.get(schema);
    if (!plan) {
      plan = compilePlan(schema);
      this.plans.set(schema, plan);
    }
    this.lastSchema = schema;
    this.lastPlan = plan;
    return plan;
  }

  /** The event of one CDC change. */
  build(change: CdcChange): ChangeEvent {
    const plan = this.plan(change.schema);
    const keySource = change.postimage ?? change.preimage ?? change.delta;
    const keySink = new ObjectSink();
    this.keyStruct(plan, keySource, keySink);
    const key = keySink.out;
    const parts = this.rows(plan, change, () => new ObjectSink());
    const source = this.source(change.schema, change.timeUs, 'false', change.expired);
    return {
      key: this.placement.has('kafka-key') ? key : null,
      value: this.envelope(source, parts.before?.out ?? null, parts.after?.out ?? null, key, parts.op),
      headers: this.headers(plan, keySource),
    };
  }

  /**
   * The value payload of one change as JSON text, equal to `JSON.stringify(build(change).value)`
   * but written directly (no intermediate objects): the fast path of the Airbyte source.
   */
  buildJson(change: CdcChange): string {
    const plan = this.plan(change.schema);
    const keySource = change.postimage ?? change.preimage ?? change.delta;
    const keySink = this.keyText.reset();
    this.keyStruct(plan, keySource, keySink);
    let sinks = 0;
    const parts = this.rows(plan, change, () =>
      sinks++ === 0 ? this.firstText.reset() : this.secondText.reset(),
    );
    return this.envelopeJson(
      plan,
      change.timeUs,
      false,
      change.expired,
      parts.before ? parts.before.text() : 'null',
      parts.after ? parts.after.text() : 'null',
      keySink.text(),
      parts.op,
    );
  }

  /** `before` and `after` of a change, written into sinks (undefined = null). */
  private rows<S extends Sink>(
    plan: TablePlan,
    change: CdcChange,
    sink: () => S,
  ): { op: Op; before: S | undefined; after: S | undefined } {
    const op: Op = change.kind === 'insert' ? 'c' : change.kind === 'update' ? 'u' : 'd';
    let before: S | undefined;
    let after: S | undefined;
    if (this.options.format === 'legacy') {
      if (op === 'd') {
        before = sink();
        if (this.options.legacyPreimages && change.preimage) legacyImage(plan, change.preimage, before);
        else keysAndNulls(plan, change.delta, true, before);
      } else {
        after = sink();
        legacyDelta(plan, change.delta, after);
        if (this.options.legacyPreimages && change.preimage) {
          before = sink();
          legacyImage(plan, change.preimage, before);
        }
      }
      return { op, before, after };
    }
    const keyInBefore = this.placement.has('payload-before');
    const keyInAfter = this.placement.has('payload-after');
    if (op === 'd') {
      before = sink();
      if (this.before !== 'none' && change.preimage) {
        image(plan, change.delta, change.preimage, undefined, keyInBefore, false, undefined, before);
      } else keysAndNulls(plan, change.delta, keyInBefore, before);
      return { op, before, after };
    }
    const modified =
      this.before === 'only-updated' || this.after === 'only-updated'
        ? modifiedColumns(plan, change.delta)
        : undefined;
    after = sink();
    if (this.after === 'none' || !change.postimage) advancedDelta(plan, change.delta, keyInAfter, after);
    else {
      const only = this.after === 'only-updated' ? modified : undefined;
      image(plan, change.delta, change.postimage, undefined, keyInAfter, false, only, after);
    }
    if (op === 'u' && this.before !== 'none' && change.preimage) {
      const fill = change.schema.cdc.preimage !== 'full' ? change.postimage : undefined;
      before = sink();
      const only = this.before === 'only-updated' ? modified : undefined;
      image(plan, change.delta, change.preimage, fill, keyInBefore, true, only, before);
    }
    return { op, before, after };
  }

  /** A snapshot read of a base table row (`op: r`). */
  buildSnapshot(schema: TableSchema, row: LogRow, timeUs: number): ChangeEvent {
    const plan = this.plan(schema);
    const after = new ObjectSink();
    this.snapshotRow(plan, row, after);
    const keySink = new ObjectSink();
    this.keyStruct(plan, row, keySink);
    const source = this.source(schema, timeUs, 'true', false);
    return {
      key: this.placement.has('kafka-key') ? keySink.out : null,
      value: this.envelope(source, null, after.out, keySink.out, 'r'),
      headers: this.headers(plan, row),
    };
  }

  /** `buildSnapshot(...).value` as JSON text. */
  buildSnapshotJson(schema: TableSchema, row: LogRow, timeUs: number): string {
    const plan = this.plan(schema);
    const after = new TextSink();
    this.snapshotRow(plan, row, after);
    const keySink = new TextSink();
    this.keyStruct(plan, row, keySink);
    return this.envelopeJson(plan, timeUs, true, false, 'null', after.text(), keySink.text(), 'r');
  }

  private snapshotRow(plan: TablePlan, row: LogRow, sink: Sink): void {
    const legacy = this.options.format === 'legacy';
    const keyInAfter = legacy || this.placement.has('payload-after');
    for (const c of plan.columns) {
      const v = row[c.name];
      if (c.isKey) {
        if (keyInAfter) sink.value(c, v);
      } else if (legacy) sink.cell(c, present(v) ? snapshotValue(c, v) : null);
      else sink.put(c, present(v) ? snapshotValue(c, v) : null);
    }
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

  private envelopeJson(
    plan: TablePlan,
    timeUs: number,
    snapshot: boolean,
    expired: boolean,
    before: string,
    after: string,
    key: string,
    op: Op,
  ): string {
    const t = this.texts(plan);
    const us = `${timeUs}`;
    // ts_ms is ts_us without its last three digits (a positive integer of µs since 1970).
    const ms =
      timeUs >= 1000 && Number.isSafeInteger(timeUs) ? us.slice(0, -3) : `${Math.floor(timeUs / 1000)}`;
    const now = this.now();
    if (now !== this.nowMs) {
      this.nowMs = now;
      this.nowText = `${now}`;
    }
    let out =
      t.sourceHead +
      ms +
      ',"ts_us":' +
      us +
      (snapshot ? t.sourceTailSnapshot : t.sourceTail) +
      (expired ? ',"expired":true}' : '}') +
      ',"before":' +
      before +
      ',"after":' +
      after;
    if (t.payloadKey !== undefined) out += t.payloadKey + key;
    out += `,"op":"${op}","ts_ms":${this.nowText},"transaction":null`;
    if (t.recordKey !== undefined) out += t.recordKey + key;
    return `${out}}`;
  }

  private texts(plan: TablePlan): EnvelopeTexts {
    if (plan === this.lastTextsPlan) return this.lastTexts!;
    let t = this.envelopeTexts.get(plan);
    if (!t) {
      const q = JSON.stringify;
      const schema = plan.schema;
      const tail = `,"db":${q(schema.keyspace)},"keyspace_name":${q(schema.keyspace)},"table_name":${q(schema.table)}`;
      t = {
        sourceHead: `{"source":{"version":${q(this.options.version)},"connector":"scylla","name":${q(this.options.name)},"ts_ms":`,
        sourceTail: `,"snapshot":"false"${tail}`,
        sourceTailSnapshot: `,"snapshot":"true"${tail}`,
        payloadKey:
          this.options.format === 'advanced' && this.placement.has('payload-key')
            ? `,${q(this.payloadKeyName)}:`
            : undefined,
        recordKey: this.recordKeyField !== undefined ? `,${q(this.recordKeyField)}:` : undefined,
      };
      this.envelopeTexts.set(plan, t);
    }
    this.lastTextsPlan = plan;
    this.lastTexts = t;
    return t;
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

  private keyStruct(plan: TablePlan, row: LogRow, sink: Sink): void {
    const cols = this.options.format === 'legacy' ? plan.keyLegacy : plan.keyAdvanced;
    for (const c of cols) {
      const v = row[c.name];
      sink.value(c, v);
    }
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

interface EnvelopeTexts {
  readonly sourceHead: string;
  readonly sourceTail: string;
  readonly sourceTailSnapshot: string;
  readonly payloadKey: string | undefined;
  readonly recordKey: string | undefined;
}

/** Where the row builders put fields: an object, or JSON text. */
interface Sink {
  /** `"name": value` */
  put(c: ColumnPlan, value: Json): void;
  /** `"name": {"value": value}` (a legacy Cell) */
  cell(c: ColumnPlan, value: Json): void;
  /** `"name":` the column's value (`c.plain(v)`), null when absent. */
  value(c: ColumnPlan, v: unknown): void;
  /** A legacy Cell of the column's value (`c.plain(v)`), `{"value": null}` when absent. */
  cellValue(c: ColumnPlan, v: unknown): void;
}

class ObjectSink implements Sink {
  readonly out: { [k: string]: Json } = {};
  put(c: ColumnPlan, value: Json): void {
    this.out[c.name] = value;
  }
  cell(c: ColumnPlan, value: Json): void {
    this.out[c.name] = { value };
  }
  value(c: ColumnPlan, v: unknown): void {
    this.out[c.name] = present(v) ? c.plain(v) : null;
  }
  cellValue(c: ColumnPlan, v: unknown): void {
    this.out[c.name] = { value: present(v) ? c.plain(v) : null };
  }
}

/**
 * Writes the fields as JSON text, straight from the column values (scalars never become
 * intermediate JSON values); reused (`reset`) for every event, as building is synchronous.
 */
class TextSink implements Sink {
  private s = '';
  private first = true;
  reset(): this {
    this.s = '';
    this.first = true;
    return this;
  }
  private name(c: ColumnPlan): string {
    if (this.first) {
      this.first = false;
      return c.jsonName;
    }
    return c.nextJsonName;
  }
  put(c: ColumnPlan, value: Json): void {
    this.s += this.name(c) + jsonText(value);
  }
  cell(c: ColumnPlan, value: Json): void {
    this.s += `${this.name(c)}{"value":${jsonText(value)}}`;
  }
  value(c: ColumnPlan, v: unknown): void {
    this.s += this.name(c) + (v === null || v === undefined ? 'null' : c.text(v));
  }
  cellValue(c: ColumnPlan, v: unknown): void {
    this.s += `${this.name(c)}{"value":${v === null || v === undefined ? 'null' : c.text(v)}}`;
  }
  text(): string {
    return `{${this.s}}`;
  }
}

/** JSON text of a value, with the common scalars written without JSON.stringify. */
function jsonText(v: Json): string {
  switch (typeof v) {
    case 'number':
      return Number.isFinite(v) ? String(v) : 'null';
    case 'boolean':
      return v ? 'true' : 'false';
    case 'string':
      return JSON.stringify(v);
    default:
      return v === null ? 'null' : JSON.stringify(v);
  }
}

const MIN_SAFE = BigInt(Number.MIN_SAFE_INTEGER);
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/** `jsonText(plain(v))` with the common scalar types written directly. */
function textConverterFor(type: CqlType, plain: Converter): (v: unknown) => string {
  if (type.kind === 'native') {
    switch (type.name) {
      case 'ascii':
      case 'text':
      case 'varchar':
        return (v) => JSON.stringify(v as string);
      case 'int':
      case 'smallint':
      case 'tinyint':
        return (v) => `${v as number}`;
      case 'boolean':
        return (v) => (v ? 'true' : 'false');
      case 'bigint':
      case 'counter':
        // A safe integer prints the same as a bigint and as a number.
        return (v) =>
          typeof v === 'bigint' && v >= MIN_SAFE && v <= MAX_SAFE ? v.toString() : jsonText(plain(v));
    }
  }
  return (v) => jsonText(plain(v));
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
      text: logType ? textConverterFor(logType, plain) : (v) => jsonText(plain(v)),
      jsonName: `${JSON.stringify(c.name)}:`,
      nextJsonName: `,${JSON.stringify(c.name)}:`,
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
  return (
    present(delta[c.name]) || delta[c.deleted] === true || (c.nonFrozen && present(delta[c.deletedElements]))
  );
}

function modifiedColumns(plan: TablePlan, delta: LogRow): Set<string> {
  const out = new Set<string>();
  for (const c of plan.valueColumns) if (isModified(c, delta)) out.add(c.name);
  return out;
}

/** Legacy `after`: key columns as values, every other column a Cell (`{value}`) or null when untouched. */
function legacyDelta(plan: TablePlan, delta: LogRow, sink: Sink): void {
  for (const c of plan.columns) {
    if (c.isKey) {
      const v = delta[c.name];
      sink.value(c, v);
    } else if (isModified(c, delta)) {
      if (!c.nonFrozen || delta[c.deleted] === true) sink.cellValue(c, delta[c.name]);
      else sink.cell(c, c.modify!(delta[c.name], delta[c.deletedElements]));
    } else sink.put(c, null);
  }
}

/** Legacy `before` from a preimage: Cells for the columns the preimage carries. */
function legacyImage(plan: TablePlan, pre: LogRow, sink: Sink): void {
  for (const c of plan.columns) {
    const v = pre[c.name];
    if (c.isKey) sink.value(c, v);
    else if (present(v)) sink.cellValue(c, v);
    else if (pre[c.deleted] === true) sink.cell(c, null);
    else sink.put(c, null);
  }
}

/** Advanced `after` without postimage: the key (per placement) and the columns the write modified. */
function advancedDelta(plan: TablePlan, delta: LogRow, withKey: boolean, sink: Sink): void {
  for (const c of plan.columns) {
    if (c.isKey) {
      if (withKey) {
        const v = delta[c.name];
        sink.value(c, v);
      }
    } else if (isModified(c, delta)) {
      if (!c.nonFrozen || delta[c.deleted] === true) sink.value(c, delta[c.name]);
      else sink.put(c, c.modify!(delta[c.name], delta[c.deletedElements]));
    }
  }
}

/** Key columns (optionally) and every value column null: a delete without preimage. */
function keysAndNulls(plan: TablePlan, delta: LogRow, withKey: boolean, sink: Sink): void {
  for (const c of plan.columns) {
    if (c.isKey) {
      if (withKey) {
        const v = delta[c.name];
        sink.value(c, v);
      }
    } else sink.put(c, null);
  }
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
  sink: Sink,
): void {
  for (const c of plan.columns) {
    if (c.isKey) {
      if (withKey) {
        const v = img[c.name] ?? delta[c.name];
        sink.value(c, v);
      }
      continue;
    }
    if (only && !only.has(c.name)) {
      sink.put(c, null);
      continue;
    }
    const v = img[c.name];
    if (present(v)) sink.value(c, v);
    else if (isPre && img[c.deleted] !== true && fill && !isModified(c, delta)) {
      const f = fill[c.name];
      sink.put(c, present(f) ? c.plain(f) : null);
    } else sink.put(c, null);
  }
}
