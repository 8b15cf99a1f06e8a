import type cassandra from 'cassandra-driver';
import { quoteIdent } from '../reader/errors.js';
import type { TableSchema } from '../reader/schema.js';

/** Snapshot progress of one table, saved in its stream state. */
export interface SnapshotState {
  /** µs at which the snapshot started: CDC resumes from here once the scan is done. */
  started_us: number;
  /** The ring is cut into this many equal token ranges. */
  ranges: number;
  /** Indexes of the ranges fully emitted. */
  done: number[];
  complete: boolean;
}

const MIN = -(1n << 63n);
const SPAN = 1n << 64n;

/** The (start, end] token bounds of range `i` of `n` equal ranges (Murmur3 tokens). */
export function tokenRange(i: number, n: number): [bigint, bigint] {
  const start = MIN + (SPAN * BigInt(i)) / BigInt(n);
  const end = i === n - 1 ? (1n << 63n) - 1n : MIN + (SPAN * BigInt(i + 1)) / BigInt(n);
  return [start, end];
}

export function scanQuery(schema: TableSchema): string {
  const pk = schema.partitionKey.map((c) => quoteIdent(c.name)).join(', ');
  return (
    `SELECT * FROM ${quoteIdent(schema.keyspace)}.${quoteIdent(schema.table)} ` +
    `WHERE token(${pk}) > ? AND token(${pk}) <= ?`
  );
}

/** Estimated partitions of a table from `system.size_estimates` (undefined when unknown). */
export async function estimateRows(
  client: cassandra.Client,
  schema: TableSchema,
): Promise<number | undefined> {
  try {
    const rs = await client.execute(
      'SELECT partitions_count FROM system.size_estimates WHERE keyspace_name = ? AND table_name = ?',
      [schema.keyspace, schema.table],
      { prepare: true },
    );
    if (rs.rows.length === 0) return undefined;
    let total = 0;
    for (const r of rs.rows) total += Number(r.partitions_count ?? 0);
    return total;
  } catch {
    return undefined;
  }
}
