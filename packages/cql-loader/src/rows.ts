import { createHash } from 'node:crypto';
import {
  type AirbyteRecordMessage,
  ConfigError,
  isCdcDeletion,
  recordDataExact,
  recordDataJson,
  type StreamPlan,
  stringifyExact,
  valueAtPath,
} from '@tributary/airbyte-protocol';
import type cassandra from 'cassandra-driver';
import type { ColumnDef, TableInfo } from './ddl.js';
import { randomRowId } from './ids.js';
import { CELL_OVERHEAD_BYTES } from './batching.js';
import type { WriteOp } from './executor.js';
import { columnNames, q, qualified, RAW_COLUMNS, TYPED_META_COLUMNS } from './naming.js';
import { WriteTimestamps } from './timestamps.js';
import { type ChangeReason, type Converter, converterFor, cqlTypeFor, fieldKind, reasonOf } from './types.js';

/** What a row builder makes of one record. */
export type BuiltRow = { op: WriteOp } | { rejected: string };

export interface RowBuilder {
  /** Columns the table should have and its key, before the table is created or altered. */
  readonly wanted: readonly ColumnDef[];
  readonly key: readonly string[];
  /** Binds to the table as it exists (actual column types and key); returns a warning, if any. */
  bind(info: TableInfo): string | null;
  /** `line`: the message's NDJSON line (the raw layout takes exact numbers from it). */
  build(record: AirbyteRecordMessage, loadedAt: number, line?: string): BuiltRow;
  /** The column whose WRITETIME dates a row (always written with the row). */
  readonly timestampColumn: string;
  /** The generation and load-time columns (finalisation reads them). */
  readonly generationColumn: string;
  readonly loadedAtColumn: string;
  /** The key columns of the table as bound. */
  keyColumns(): readonly string[];
}

export interface RowBuilderOptions {
  readonly keyspace: string;
  readonly table: string;
  readonly plan: StreamPlan;
  readonly ttlSeconds?: number | undefined;
  readonly nativeCollections?: boolean;
}

/**
 * The USING clause of an insert: a bound write timestamp for upserts (dedup decides by it, and
 * being in the statement it survives grouping into batches) and the optional TTL.
 */
function usingClause(timestamped: boolean, ttl: number | undefined): string {
  const parts = [...(timestamped ? ['TIMESTAMP ?'] : []), ...(ttl ? [`TTL ${Math.trunc(ttl)}`] : [])];
  return parts.length === 0 ? '' : ` USING ${parts.join(' AND ')}`;
}

/**
 * Bytes a value adds to a batch as the server counts them, roughly: strings by length, anything
 * else a fixed 8, plus the cell's own overhead.
 */
function sizeOf(v: unknown): number {
  return (typeof v === 'string' ? v.length : 8) + CELL_OVERHEAD_BYTES;
}

/** The metadata columns of a typed row (ids, times, generation; `_airbyte_meta` is added by length). */
export const TYPED_META_BYTES = 130;
/** The raw layout's columns beside `_airbyte_data`. */
export const RAW_META_BYTES = 110;

function propertiesOf(jsonSchema: unknown): Array<[string, unknown]> {
  if (typeof jsonSchema !== 'object' || jsonSchema === null) return [];
  const props = (jsonSchema as { properties?: unknown }).properties;
  if (typeof props !== 'object' || props === null || Array.isArray(props)) return [];
  return Object.entries(props as Record<string, unknown>);
}

/** Name-based (version 5 style) UUID of a stream's primary key, so the raw layout can upsert. */
export function uuidFromKey(scope: string, keyJson: string): string {
  const h = createHash('sha1').update(scope).update('\u0000').update(keyJson).digest();
  h[6] = (h[6]! & 0x0f) | 0x50;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const hex = h.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The JSON of a record's primary key values, or null when one of them is null or missing. */
function keyJsonOf(data: Record<string, unknown>, primaryKey: readonly string[][]): string | null {
  const values: unknown[] = [];
  for (const path of primaryKey) {
    const v = valueAtPath(data, path);
    if (v === undefined || v === null) return null;
    values.push(v);
  }
  return stringifyExact(values);
}

/** Largest record accepted by the raw layout (Cassandra's mutation limit is 16 MiB by default). */
export const MAX_RAW_DATA_BYTES = 15 * 1024 * 1024;

/**
 * The upstream layout: `_airbyte_ab_id uuid PRIMARY KEY, _airbyte_data text, _airbyte_emitted_at
 * timestamp`, plus `_airbyte_generation_id bigint` and `_airbyte_loaded_at timestamp` for
 * no-downtime overwrite. Dedup streams upsert by a UUID derived from the primary key.
 */
export class RawRowBuilder implements RowBuilder {
  readonly wanted: ColumnDef[] = [
    { name: RAW_COLUMNS.id, type: 'uuid' },
    { name: RAW_COLUMNS.data, type: 'text' },
    { name: RAW_COLUMNS.emittedAt, type: 'timestamp' },
    { name: RAW_COLUMNS.generationId, type: 'bigint' },
    { name: RAW_COLUMNS.loadedAt, type: 'timestamp' },
  ];
  readonly key = [RAW_COLUMNS.id];
  readonly timestampColumn = RAW_COLUMNS.emittedAt;
  readonly generationColumn = RAW_COLUMNS.generationId;
  readonly loadedAtColumn = RAW_COLUMNS.loadedAt;
  private readonly insert: string;
  private readonly remove: string;
  private readonly scope: string;
  private readonly timestamps = new WriteTimestamps();
  private readonly hasCursor: boolean;
  private readonly upsert: boolean;

  constructor(private readonly opts: RowBuilderOptions) {
    const t = qualified(opts.keyspace, opts.table);
    const cols = this.wanted.map((c) => q(c.name)).join(', ');
    this.upsert = opts.plan.dedup;
    this.insert = `INSERT INTO ${t} (${cols}) VALUES (?, ?, ?, ?, ?)${usingClause(this.upsert, opts.ttlSeconds)}`;
    this.remove = `DELETE FROM ${t} USING TIMESTAMP ? WHERE ${q(RAW_COLUMNS.id)} = ?`;
    this.scope = `${opts.plan.namespace ?? ''}\u0000${opts.plan.name}`;
    this.hasCursor = opts.plan.cursorField.length > 0;
  }

  bind(info: TableInfo): string | null {
    const key = [...info.partitionKey, ...info.clusteringKey];
    if (key.length !== 1 || key[0] !== RAW_COLUMNS.id) {
      throw new ConfigError(
        `table ${this.opts.keyspace}.${this.opts.table} has key (${key.join(', ')}), not (${RAW_COLUMNS.id}): ` +
          'it was not created by this connector in the raw layout; rename or drop it, or use another keyspace',
      );
    }
    return null;
  }

  keyColumns(): readonly string[] {
    return this.key;
  }

  build(record: AirbyteRecordMessage, loadedAt: number, line?: string): BuiltRow {
    const { plan } = this.opts;
    const data = record.data;
    let id: string | ReturnType<typeof randomRowId>;
    let timestamp: cassandra.types.Long | undefined;
    if (this.upsert) {
      const keyJson = keyJsonOf(data, plan.primaryKey);
      if (keyJson === null) return { rejected: 'a primary key value is null or missing' };
      id = uuidFromKey(this.scope, keyJson);
      const cursor = this.hasCursor ? valueAtPath(data, plan.cursorField) : undefined;
      timestamp = this.timestamps.next(keyJson, cursor, this.hasCursor, record.emitted_at);
      if (isCdcDeletion(data))
        return { op: { query: this.remove, params: [timestamp, id], bytes: RAW_META_BYTES } };
    } else {
      id = randomRowId();
    }
    // Integers beyond 2^53 as the source wrote them (JSON.parse rounded them in `data`).
    const json = line === undefined ? JSON.stringify(data) : recordDataJson(data, line);
    if (json.length * 3 > MAX_RAW_DATA_BYTES && Buffer.byteLength(json, 'utf8') > MAX_RAW_DATA_BYTES) {
      return { rejected: `the record is larger than ${MAX_RAW_DATA_BYTES} bytes` };
    }
    const params: unknown[] = [id, json, record.emitted_at, plan.generationId, loadedAt];
    if (timestamp !== undefined) params.push(timestamp);
    return { op: { query: this.insert, params, bytes: json.length + RAW_META_BYTES } };
  }
}

interface DataColumn {
  readonly field: string;
  readonly name: string;
  readonly wantedType: string;
  /** A primary key path of more than one element (the value is read at that path). */
  readonly path?: readonly string[];
  conv: Converter;
}

/**
 * One column per top-level field of the stream's JSON schema plus the Destinations V2 metadata
 * columns. Append/overwrite key on `_airbyte_raw_id`; append_dedup keys on the primary key.
 */
export class TypedRowBuilder implements RowBuilder {
  readonly wanted: ColumnDef[];
  readonly key: string[];
  readonly timestampColumn = TYPED_META_COLUMNS.extractedAt;
  readonly generationColumn = TYPED_META_COLUMNS.generationId;
  readonly loadedAtColumn = TYPED_META_COLUMNS.loadedAt;
  private readonly columns: DataColumn[] = [];
  private readonly keyIndexes: number[] = [];
  private boundKey: string[] = [];
  private insert = '';
  private remove = '';
  private upsert = false;
  private readonly timestamps = new WriteTimestamps();
  private readonly hasCursor: boolean;
  private readonly emptyMeta: string;
  private static readonly META_COUNT = 5;

  constructor(private readonly opts: RowBuilderOptions) {
    const { plan } = opts;
    const props = propertiesOf(plan.jsonSchema);
    const topLevelPk = plan.primaryKey.filter((p) => p.length === 1).map((p) => p[0]!);
    const nestedPk = plan.primaryKey.filter((p) => p.length > 1);
    const fields = [...props.map(([f]) => f)];
    for (const f of topLevelPk) if (!fields.includes(f)) fields.push(f);
    const nestedNames = nestedPk.map((p) => p.join('.'));
    const names = columnNames([...fields, ...nestedNames]);
    const schemaOf = new Map(props);
    for (const f of fields) {
      const type = schemaOf.has(f) ? cqlTypeFor(fieldKind(schemaOf.get(f)), opts.nativeCollections) : 'text';
      this.columns.push({ field: f, name: names.get(f)!, wantedType: type, conv: converterFor(type) });
    }
    nestedPk.forEach((path, i) => {
      const field = nestedNames[i]!;
      this.columns.push({
        field,
        name: names.get(field)!,
        wantedType: 'text',
        path,
        conv: converterFor('text'),
      });
    });
    this.wanted = [
      { name: TYPED_META_COLUMNS.rawId, type: 'uuid' },
      { name: TYPED_META_COLUMNS.extractedAt, type: 'timestamp' },
      { name: TYPED_META_COLUMNS.loadedAt, type: 'timestamp' },
      { name: TYPED_META_COLUMNS.meta, type: 'text' },
      { name: TYPED_META_COLUMNS.generationId, type: 'bigint' },
      ...this.columns.map((c) => ({ name: c.name, type: c.wantedType })),
    ];
    this.key = plan.dedup
      ? plan.primaryKey.map((p) => (p.length === 1 ? names.get(p[0]!)! : names.get(p.join('.'))!))
      : [TYPED_META_COLUMNS.rawId];
    this.hasCursor = plan.cursorField.length > 0;
    this.emptyMeta = JSON.stringify({ sync_id: plan.syncId, changes: [] });
  }

  bind(info: TableInfo): string | null {
    const { keyspace, table, plan, ttlSeconds } = this.opts;
    for (const c of this.columns) {
      const actual = info.columns.get(c.name);
      if (actual !== undefined) c.conv = converterFor(actual);
    }
    const key = [...info.partitionKey, ...info.clusteringKey];
    this.boundKey = key;
    let warning: string | null = null;
    const keyedOnRawId = key.length === 1 && key[0] === TYPED_META_COLUMNS.rawId;
    if (plan.dedup && keyedOnRawId) {
      warning =
        `table ${keyspace}.${table} was created for append (key ${TYPED_META_COLUMNS.rawId}); records are appended, ` +
        'not deduplicated; drop the table (or use another keyspace) to deduplicate';
    } else if (!plan.dedup && !keyedOnRawId) {
      warning = `table ${keyspace}.${table} is keyed on (${key.join(', ')}): records upsert by that key`;
    }
    this.upsert = !keyedOnRawId;
    this.keyIndexes.length = 0;
    if (this.upsert) {
      for (const k of key) {
        const i = this.columns.findIndex((c) => c.name === k);
        if (i < 0) {
          throw new ConfigError(
            `table ${keyspace}.${table} is keyed on column ${k}, which no field of the stream maps to; ` +
              'drop the table or use another keyspace',
          );
        }
        this.keyIndexes.push(i);
      }
    }
    const t = qualified(keyspace, table);
    const names = [...this.wanted.map((c) => q(c.name))];
    this.insert = `INSERT INTO ${t} (${names.join(', ')}) VALUES (${names.map(() => '?').join(', ')})${usingClause(this.upsert, ttlSeconds)}`;
    if (this.upsert) {
      this.remove = `DELETE FROM ${t} USING TIMESTAMP ? WHERE ${key.map((k) => `${q(k)} = ?`).join(' AND ')}`;
    }
    return warning;
  }

  keyColumns(): readonly string[] {
    return this.boundKey;
  }

  build(record: AirbyteRecordMessage, loadedAt: number, line?: string): BuiltRow {
    const { plan } = this.opts;
    // Integers beyond 2^53 (64-bit ids) as the source sent them: JSON.parse rounded them in `data`.
    const data = line === undefined ? record.data : recordDataExact(record.data, line);
    const cols = this.columns;
    const base = TypedRowBuilder.META_COUNT;
    // Upserts bind their write timestamp last (USING TIMESTAMP ?).
    const params: unknown[] = new Array(base + cols.length + (this.upsert ? 1 : 0));
    // Unset (not null) for absent values of fresh rows: no tombstones. Upserts replace the row.
    const absent = this.upsert ? null : undefined;
    let changes: Array<{ field: string; change: 'NULLED'; reason: ChangeReason }> | null = null;
    let bytes = TYPED_META_BYTES;
    for (let i = 0; i < cols.length; i++) {
      const c = cols[i]!;
      const v = c.path ? valueAtPath(data, c.path) : data[c.field];
      if (v === undefined || v === null) {
        params[base + i] = absent;
        continue;
      }
      try {
        const value = c.conv(v);
        params[base + i] = value;
        bytes += sizeOf(value);
      } catch (err) {
        params[base + i] = absent;
        if (changes === null) changes = [];
        changes.push({ field: c.field, change: 'NULLED', reason: reasonOf(err) });
      }
    }
    if (this.upsert) {
      const keyValues: unknown[] = [];
      for (const i of this.keyIndexes) {
        const kv = params[base + i];
        if (kv === null || kv === undefined)
          return { rejected: 'a primary key value is null, missing or does not fit its column' };
        keyValues.push(kv);
      }
      const keyJson = stringifyExact(
        this.keyIndexes.map((i) =>
          cols[i]!.path ? valueAtPath(data, cols[i]!.path!) : data[cols[i]!.field],
        ),
      );
      const cursor = this.hasCursor ? valueAtPath(data, plan.cursorField) : undefined;
      const timestamp = this.timestamps.next(keyJson, cursor, this.hasCursor, record.emitted_at);
      if (plan.dedup && isCdcDeletion(data))
        return { op: { query: this.remove, params: [timestamp, ...keyValues], bytes } };
      params[params.length - 1] = timestamp;
    }
    const sourceChanges = record.meta?.changes;
    params[0] = randomRowId();
    params[1] = record.emitted_at;
    params[2] = loadedAt;
    params[3] =
      changes === null &&
      (sourceChanges === undefined || sourceChanges === null || sourceChanges.length === 0)
        ? this.emptyMeta
        : JSON.stringify({ sync_id: plan.syncId, changes: [...(sourceChanges ?? []), ...(changes ?? [])] });
    params[4] = plan.generationId;
    return { op: { query: this.insert, params, bytes: bytes + (params[3] as string).length } };
  }
}
