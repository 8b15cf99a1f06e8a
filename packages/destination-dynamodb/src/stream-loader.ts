import { DeleteItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import {
  type AirbyteRecordMessage,
  isRetryable,
  recordDataExact,
  type StreamLoader,
  type StreamPlan,
  type WriteOutcome,
} from '@tributary/airbyte-protocol';
import type { Logger } from './logger.js';
import { awsErrorName } from './aws-errors.js';
import type { RequestGate, WriteEntry } from './batch-writer.js';
import { purgeOldItems } from './finalize.js';
import type { AttributeMap } from './item-mapping/attribute-value.js';
import { compareCursors, CURSOR_ATTRIBUTE, type Cursor, cursorAttribute } from './item-mapping/cursor.js';
import type { KeyAttribute } from './item-mapping/keys.js';
import { isRejected, type ItemMapper, type MappedItem, META } from './item-mapping/mapper.js';

/**
 * Keys remembered (with the cursor last written) across all dedup streams of a sync; a stream
 * that would go beyond forgets its keys, and conditions take over for it.
 */
export const MAX_TRACKED_KEYS = 500_000;

/** The memory budget dedup loaders share. */
export interface KeyBudget {
  used: number;
  readonly max: number;
}
const MAX_REJECTION_LOGS = 10;

export interface LoaderOptions {
  readonly plan: StreamPlan;
  readonly table: string;
  readonly keySchema: readonly KeyAttribute[];
  readonly mapper: ItemMapper;
  readonly gate: RequestGate;
  readonly logger: Logger;
  /** Dedup streams only: whether the table held no item when the sync started. */
  readonly tableWasEmpty: boolean;
  readonly dedup: boolean;
  readonly scanSegments: number;
  /** Shared by the dedup loaders of one sync. */
  readonly keyBudget?: KeyBudget;
}

/** Counts shared with the destination's final log line. */
export interface LoaderStats {
  rejected: number;
  /** Dedup: records superseded by a later cursor (within a flush or known in memory). */
  superseded: number;
  /** Dedup: conditional writes DynamoDB refused because the table held a later cursor. */
  staleRefused: number;
  conditionalWrites: number;
  purged: number;
}

/**
 * One stream's loader. `write` maps the record to an item synchronously (rejecting what can never
 * be an item); `flush` hands every item since the last flush to DynamoDB and resolves when all are
 * acknowledged.
 *
 * Append and overwrite streams: items (keyed by a fresh id) go out as parallel BatchWriteItem
 * calls; several flushes of a stream may be in flight.
 *
 * Dedup streams (items keyed by the primary key; the later cursor wins, `_ab_cdc_deleted_at`
 * deletes): flushes of one stream run one after the other, so two writes of one key are never in
 * flight together. In a flush only the latest record per key is kept (BatchWriteItem refuses
 * repeated keys). Then each survivor goes either
 * - the fast way, an unconditional put or delete in a BatchWriteItem, when nothing newer can be in
 *   the table: the table was empty when the sync started, this sync already wrote that key with an
 *   older or equal cursor (remembered in memory), or the stream has no cursor (arrival order wins);
 * - or the safe way, a PutItem/DeleteItem with the condition "absent, of an older generation, or
 *   not of a later cursor", when the table may hold a later version written by an earlier sync.
 * A record older than what this sync already wrote for its key is dropped without a request.
 */
export class DynamoStreamLoader implements StreamLoader {
  readonly stats: LoaderStats = {
    rejected: 0,
    superseded: 0,
    staleRefused: 0,
    conditionalWrites: 0,
    purged: 0,
  };
  private entries: WriteEntry[] = [];
  private items: MappedItem[] = [];
  private chain: Promise<void> = Promise.resolve();
  private readonly written = new Map<string, Cursor>();
  private unknownKeysSafe: boolean;
  private readonly hasCursor: boolean;
  private readonly budget: KeyBudget;

  constructor(private readonly o: LoaderOptions) {
    this.budget = o.keyBudget ?? { used: 0, max: MAX_TRACKED_KEYS };
    this.hasCursor = o.plan.cursorField.length > 0;
    this.unknownKeysSafe = o.tableWasEmpty || !this.hasCursor;
  }

  write(record: AirbyteRecordMessage, _byteLength?: number, line?: string): WriteOutcome {
    // Integers beyond 2^53 (64-bit ids) as the source sent them: JSON.parse rounded them in `data`.
    const data = line === undefined ? record.data : recordDataExact(record.data, line);
    const mapped = this.o.mapper.map(data === record.data ? record : { ...record, data });
    if (isRejected(mapped)) {
      this.stats.rejected++;
      if (this.stats.rejected <= MAX_REJECTION_LOGS) {
        this.o.logger.warn(
          `stream ${this.o.plan.name}: record rejected (counted in rejectedRecordCount): ${mapped.rejected}` +
            (this.stats.rejected === MAX_REJECTION_LOGS ? '; further rejections are only counted' : ''),
        );
      }
      return 'rejected';
    }
    if (this.o.dedup) this.items.push(mapped);
    else this.entries.push({ put: mapped.item, wire: mapped.wire });
    return 'accepted';
  }

  flush(): Promise<void> {
    if (!this.o.dedup) {
      const entries = this.entries;
      this.entries = [];
      return this.o.gate.batchWrite(this.o.table, entries);
    }
    const items = this.items;
    this.items = [];
    const run = this.chain.then(() => this.flushDedup(items));
    this.chain = run.catch(() => undefined);
    return run;
  }

  private async flushDedup(items: MappedItem[]): Promise<void> {
    // Latest record per key; on equal cursors the later arrival wins.
    const latest = new Map<string, MappedItem>();
    for (const item of items) {
      const prev = latest.get(item.keyText);
      if (prev === undefined || compareCursors(item.cursor, prev.cursor) >= 0) latest.set(item.keyText, item);
    }
    this.stats.superseded += items.length - latest.size;

    const fast: WriteEntry[] = [];
    const fastItems: MappedItem[] = [];
    const slow: MappedItem[] = [];
    for (const item of latest.values()) {
      const known = this.written.get(item.keyText);
      if (known !== undefined) {
        if (this.hasCursor && compareCursors(item.cursor, known) < 0) {
          this.stats.superseded++;
          continue;
        }
      } else if (!this.unknownKeysSafe) {
        slow.push(item);
        continue;
      }
      fast.push(item.deletion ? { delete: item.key, wire: item.wire } : { put: item.item, wire: item.wire });
      fastItems.push(item);
    }

    const accepted: MappedItem[] = [];
    await Promise.all([
      this.o.gate.batchWrite(this.o.table, fast),
      Promise.all(
        slow.map(async (item) => {
          if (await this.writeConditionally(item)) accepted.push(item);
        }),
      ),
    ]);
    if (!this.hasCursor) return; // arrival order needs no memory
    for (const item of fastItems) this.remember(item);
    for (const item of accepted) this.remember(item);
  }

  private remember(item: MappedItem): void {
    const budget = this.budget;
    if (!this.written.has(item.keyText)) {
      if (budget.used >= budget.max) {
        // Memory bound: forget, and let conditions decide for keys not remembered from now on.
        budget.used -= this.written.size;
        this.written.clear();
        this.unknownKeysSafe = false;
      }
      budget.used++;
    }
    this.written.set(item.keyText, item.cursor);
  }

  /** A conditional put or delete; false when the table holds a later version (the record loses). */
  private async writeConditionally(item: MappedItem): Promise<boolean> {
    const hashName = this.o.keySchema[0]!.name;
    const condition = {
      ConditionExpression: 'attribute_not_exists(#h) OR #g < :g OR NOT (#c > :c)',
      ExpressionAttributeNames: { '#h': hashName, '#g': META.generationId, '#c': CURSOR_ATTRIBUTE },
      ExpressionAttributeValues: {
        ':g': { N: String(this.o.plan.generationId) },
        ':c': cursorAttribute(item.cursor),
      },
    };
    const table = this.o.table;
    const notStale = (err: unknown) =>
      awsErrorName(err) !== 'ConditionalCheckFailedException' && isRetryable(err);
    this.stats.conditionalWrites++;
    try {
      if (item.deletion) {
        await this.o.gate.call(
          'DeleteItem',
          table,
          () =>
            this.o.gate.client.send(
              new DeleteItemCommand({ TableName: table, Key: item.key as AttributeMap, ...condition }),
            ),
          notStale,
        );
      } else {
        await this.o.gate.call(
          'PutItem',
          table,
          () =>
            this.o.gate.client.send(
              new PutItemCommand({ TableName: table, Item: item.item as AttributeMap, ...condition }),
            ),
          notStale,
        );
      }
      return true;
    } catch (err) {
      if (awsErrorName((err as { cause?: unknown }).cause) === 'ConditionalCheckFailedException') {
        this.stats.staleRefused++;
        return false;
      }
      throw err;
    }
  }

  async finalize(): Promise<void> {
    const truncate = this.o.plan.truncate;
    if (!truncate) return;
    const t0 = Date.now();
    const result = await purgeOldItems(
      this.o.gate,
      this.o.table,
      this.o.keySchema,
      truncate,
      this.o.scanSegments,
    );
    this.stats.purged = result.deleted;
    const what =
      truncate.kind === 'below_generation'
        ? `of generations below ${truncate.generation}`
        : `loaded before this sync started`;
    this.o.logger.info(
      `stream ${this.o.plan.name}: removed ${result.deleted} item(s) ${what} from ${this.o.table} ` +
        `(scanned ${result.scanned}, ${((Date.now() - t0) / 1000).toFixed(1)} s)`,
    );
  }
}
