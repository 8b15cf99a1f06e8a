import type cassandra from 'cassandra-driver';
import type { StreamPosition } from './cursor.js';
import type { TableSchema } from './schema.js';
import { timeuuidMicros } from './timeuuid.js';

/** A log row as the driver returns it: column name → value. */
export type LogRow = Record<string, unknown>;

export const Operation = {
  PREIMAGE: 0,
  UPDATE: 1,
  INSERT: 2,
  ROW_DELETE: 3,
  PARTITION_DELETE: 4,
  RANGE_DELETE_START_INCLUSIVE: 5,
  RANGE_DELETE_START_EXCLUSIVE: 6,
  RANGE_DELETE_END_INCLUSIVE: 7,
  RANGE_DELETE_END_EXCLUSIVE: 8,
  POSTIMAGE: 9,
  SERVICE_ROW_DELETE: -3,
  SERVICE_PARTITION_DELETE: -4,
} as const;

export type ChangeKind = 'insert' | 'update' | 'delete';

/**
 * One row-level change: the delta row(s) of one write to one row joined with that row's
 * preimage and postimage (when the table writes them).
 */
export interface CdcChange {
  readonly schema: TableSchema;
  readonly groupId: string;
  readonly streamId: Buffer;
  readonly streamHex: string;
  /** `cdc$time` of the write. */
  readonly time: Buffer;
  /** µs since the epoch of the write (the base write's timestamp). */
  readonly timeUs: number;
  readonly kind: ChangeKind;
  /** A partition delete (a table without clustering key): emitted as a row delete. */
  readonly partitionDelete: boolean;
  /** A delete Scylla wrote because a row or partition expired (operation -3 / -4). */
  readonly expired: boolean;
  /** `cdc$ttl` of the delta (seconds), null without TTL. */
  readonly ttl: number | null;
  /** The delta: merged when one write logged several delta rows for this row. */
  readonly delta: LogRow;
  readonly preimage: LogRow | undefined;
  readonly postimage: LogRow | undefined;
  /**
   * The stream's resume position after this change; set on the last change of a write only, so
   * a checkpoint never falls between the changes of one write.
   */
  readonly position: StreamPosition | undefined;
}

export type AssemblerSink = (change: CdcChange) => void;

const OP = 'cdc$operation';
const END = 'cdc$end_of_batch';
const TIME = 'cdc$time';
const SEQ = 'cdc$batch_seq_no';
const TTL = 'cdc$ttl';

/**
 * Groups the rows of one stream (in `cdc$time`, `cdc$batch_seq_no` order) into writes — all rows
 * of one `cdc$time`, closed by `cdc$end_of_batch` — and turns each write into changes. Nothing is
 * dropped on a timer: a write is complete when its last row arrives.
 */
export class WriteAssembler {
  private rows: LogRow[] = [];
  private time: Buffer | undefined;

  constructor(
    private schema: TableSchema,
    private readonly groupId: string,
    private readonly streamId: Buffer,
    private readonly streamHex: string,
    private readonly sink: AssemblerSink,
  ) {}

  setSchema(schema: TableSchema): void {
    this.schema = schema;
  }

  /** Forgets a partly received write (the read is restarted from the last position). */
  reset(): void {
    this.rows = [];
    this.time = undefined;
  }

  add(row: LogRow): void {
    const time = (row[TIME] as cassandra.types.TimeUuid).getBuffer();
    if (this.time === undefined) {
      // The common case: a write logged as one row.
      if (row[END] === true) {
        this.single(row, time);
        return;
      }
      this.time = time;
    } else if (!this.time.equals(time)) {
      this.flush();
      this.time = time;
    }
    this.rows.push(row);
    if (row[END] === true) this.flush();
  }

  private single(row: LogRow, time: Buffer): void {
    const us = timeuuidMicros(time);
    const position: StreamPosition = { time, us, seq: row[SEQ] as number };
    const change = this.change(row, undefined, undefined, position, time, us);
    if (change) this.sink(change);
  }

  /** End of the window: a write without `cdc$end_of_batch` (older Scylla) ends here. */
  end(): void {
    this.flush();
  }

  private flush(): void {
    const rows = this.rows;
    const time = this.time;
    this.rows = [];
    this.time = undefined;
    if (rows.length === 0 || time === undefined) return;
    const last = rows[rows.length - 1]!;
    const position: StreamPosition = { time, us: timeuuidMicros(time), seq: last[SEQ] as number };
    if (rows.length === 1) {
      const change = this.change(rows[0]!, undefined, undefined, position, time, position.us);
      if (change) this.sink(change);
      return;
    }
    this.flushGroup(rows, time, position);
  }

  private flushGroup(rows: LogRow[], time: Buffer, position: StreamPosition): void {
    const pre = new Map<string, LogRow>();
    const post = new Map<string, LogRow>();
    const deltas = new Map<string, LogRow[]>();
    for (const r of rows) {
      const op = r[OP] as number;
      const key = this.keyOf(r);
      if (op === Operation.PREIMAGE) pre.set(key, r);
      else if (op === Operation.POSTIMAGE) post.set(key, r);
      else {
        let list = deltas.get(key);
        if (!list) {
          list = [];
          deltas.set(key, list);
        }
        list.push(r);
      }
    }
    const out: CdcChange[] = [];
    for (const [key, list] of deltas) {
      const delta = list.length === 1 ? list[0]! : mergeDeltas(list);
      const change = this.change(delta, pre.get(key), post.get(key), undefined, time, position.us);
      if (change) out.push(change);
    }
    if (out.length === 0) return;
    const lastIndex = out.length - 1;
    out[lastIndex] = { ...out[lastIndex]!, position };
    for (const c of out) this.sink(c);
  }

  private keyOf(row: LogRow): string {
    let key = '';
    for (const c of this.schema.keyColumns) {
      const v = row[c.name];
      key += `${keyPart(v)}\u0000`;
    }
    return key;
  }

  private change(
    delta: LogRow,
    preimage: LogRow | undefined,
    postimage: LogRow | undefined,
    position: StreamPosition | undefined,
    time: Buffer,
    timeUs: number,
  ): CdcChange | undefined {
    const op = delta[OP] as number;
    let kind: ChangeKind;
    let partitionDelete = false;
    let expired = false;
    switch (op) {
      case Operation.INSERT:
        kind = 'insert';
        break;
      case Operation.UPDATE:
        kind = 'update';
        break;
      case Operation.ROW_DELETE:
        kind = 'delete';
        break;
      case Operation.SERVICE_ROW_DELETE:
        kind = 'delete';
        expired = true;
        break;
      case Operation.PARTITION_DELETE:
      case Operation.SERVICE_PARTITION_DELETE:
        // A partition delete is a row delete only when the table has no clustering key.
        if (this.schema.clustering.length > 0) return undefined;
        kind = 'delete';
        partitionDelete = true;
        expired = op === Operation.SERVICE_PARTITION_DELETE;
        break;
      default:
        // Range deletes (5-8) and stray images are not row-level changes.
        return undefined;
    }
    const ttl = delta[TTL];
    return {
      schema: this.schema,
      groupId: this.groupId,
      streamId: this.streamId,
      streamHex: this.streamHex,
      time,
      timeUs,
      kind,
      partitionDelete,
      expired,
      ttl: ttl === null || ttl === undefined ? null : Number(ttl),
      delta,
      preimage,
      postimage,
      position,
    };
  }
}

function keyPart(v: unknown): string {
  if (v === null || v === undefined) return '\u0001';
  if (Buffer.isBuffer(v)) return v.toString('hex');
  if (typeof v === 'object') return String(v) + (v instanceof Date ? v.getTime() : '');
  return String(v);
}

/**
 * Several delta rows of one write to one row (e.g. dead and live cells of a TTL'd statement, or
 * a static and a clustered part): one change whose operation is the strongest (delete > insert >
 * update), with cells, deletion flags and deleted elements combined.
 */
function mergeDeltas(rows: LogRow[]): LogRow {
  const merged: LogRow = {};
  let op: number = Operation.UPDATE;
  const rank = (o: number) =>
    o === Operation.ROW_DELETE ||
    o === Operation.PARTITION_DELETE ||
    o === Operation.SERVICE_ROW_DELETE ||
    o === Operation.SERVICE_PARTITION_DELETE
      ? 3
      : o === Operation.INSERT
        ? 2
        : o === Operation.UPDATE
          ? 1
          : 0;
  for (const r of rows) {
    for (const k of Object.keys(r)) {
      const v = r[k];
      if (v === null || v === undefined) {
        if (!(k in merged)) merged[k] = v;
        continue;
      }
      const prev = merged[k];
      if (k.startsWith('cdc$deleted_elements_') && prev instanceof Set && v instanceof Set) {
        merged[k] = new Set([...prev, ...v]);
      } else if (k === TTL && prev !== null && prev !== undefined) {
        merged[k] = prev;
      } else merged[k] = v;
    }
    const o = r[OP] as number;
    if (rank(o) > rank(op)) op = o;
  }
  merged[OP] = op;
  return merged;
}
