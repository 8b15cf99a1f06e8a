import { mapBounded, type TruncatePlan } from '@tributary/airbyte-protocol';
import cassandra from 'cassandra-driver';
import type { WriteExecutor, WriteOp } from './executor.js';
import { q, qualified } from './naming.js';

const Long = cassandra.types.Long;

export interface RemoveOlderParams {
  readonly client: cassandra.Client;
  readonly executor: WriteExecutor;
  readonly keyspace: string;
  readonly table: string;
  readonly keyColumns: readonly string[];
  readonly generationColumn: string;
  readonly loadedAtColumn: string;
  /** A column every row has, written with the row: its WRITETIME dates the row. */
  readonly timestampColumn: string;
  readonly truncate: TruncatePlan;
  /** Token sub-ranges scanned in parallel. */
  readonly splits?: number;
  readonly scanConcurrency?: number;
  readonly fetchSize?: number;
}

const MIN_TOKEN = -(2n ** 63n);
const MAX_TOKEN = 2n ** 63n - 1n;

/** `n` contiguous Murmur3 token ranges covering the ring: [lo, hi] inclusive of both ends for the first. */
export function murmur3Splits(n: number): Array<[bigint, bigint]> {
  const span = MAX_TOKEN - MIN_TOKEN;
  const out: Array<[bigint, bigint]> = [];
  let lo = MIN_TOKEN;
  for (let i = 1; i <= n; i++) {
    const hi = i === n ? MAX_TOKEN : MIN_TOKEN + (span * BigInt(i)) / BigInt(n);
    out.push([lo, hi]);
    lo = hi;
  }
  return out;
}

function isStale(row: cassandra.types.Row, plan: TruncatePlan): boolean {
  if (plan.kind === 'below_generation') {
    const g = row.get('g') as cassandra.types.Long | number | null;
    if (g === null || g === undefined) return true;
    const n = typeof g === 'number' ? g : g.toNumber();
    return n < plan.generation;
  }
  const loaded = row.get('l') as Date | null;
  return loaded === null || loaded === undefined || loaded.getTime() < plan.syncStartedAt;
}

/**
 * Removes the rows an overwrite or truncate refresh replaces, once the stream is COMPLETE: scans
 * the table by token ranges and deletes every row of an older generation (or loaded before this
 * sync started, for platforms without refreshes). Each delete carries the row's own WRITETIME,
 * so a newer write of the same key made meanwhile survives. Returns the number of rows removed.
 */
export async function removeOlderRows(p: RemoveOlderParams): Promise<number> {
  const table = qualified(p.keyspace, p.table);
  const keys = p.keyColumns.map(q);
  const token = `token(${keys.join(', ')})`;
  const select =
    `SELECT ${keys.join(', ')}, ${q(p.generationColumn)} AS g, ${q(p.loadedAtColumn)} AS l, ` +
    `WRITETIME(${q(p.timestampColumn)}) AS w FROM ${table}`;
  const where = `WHERE ${keys.map((k) => `${k} = ?`).join(' AND ')}`;
  const remove = `DELETE FROM ${table} ${where}`;
  const removeAt = `DELETE FROM ${table} USING TIMESTAMP ? ${where}`;
  const tokenizer = (p.client.metadata as unknown as { tokenizer?: { constructor?: { name?: string } } })
    .tokenizer;
  const murmur3 = tokenizer?.constructor?.name === 'Murmur3Tokenizer';
  const ranges: Array<{ query: string; params: unknown[] }> = murmur3
    ? murmur3Splits(p.splits ?? 32).map(([lo, hi], i) => ({
        query: `${select} WHERE ${token} ${i === 0 ? '>=' : '>'} ? AND ${token} <= ?`,
        params: [Long.fromString(lo.toString()), Long.fromString(hi.toString())],
      }))
    : [{ query: select, params: [] }];
  let removed = 0;
  await mapBounded(ranges, p.scanConcurrency ?? 4, async (range) => {
    let pageState: string | undefined;
    do {
      const rs = await p.client.execute(range.query, range.params, {
        prepare: true,
        fetchSize: p.fetchSize ?? 2000,
        ...(pageState ? { pageState } : {}),
      });
      const ops: WriteOp[] = [];
      for (const row of rs.rows) {
        if (!isStale(row, p.truncate)) continue;
        const w = row.get('w') as cassandra.types.Long | null;
        const key = p.keyColumns.map((k) => row.get(k));
        ops.push(w === null ? { query: remove, params: key } : { query: removeAt, params: [w, ...key] });
      }
      await p.executor.submit(ops);
      removed += ops.length;
      pageState = rs.pageState ?? undefined;
    } while (pageState);
  });
  return removed;
}
