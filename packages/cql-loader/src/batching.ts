import type { WriteOp } from './executor.js';

/** How rows may be grouped into one unlogged batch request. */
export interface BatchLimits {
  /** Rows per request; 1 sends every row alone. */
  readonly maxRows: number;
  /** Estimated value bytes per request; a row larger than this goes alone. */
  readonly maxBytes: number;
}

/**
 * Cassandra logs a warning for every batch whose mutations pass `batch_size_warn_threshold`
 * (5 KiB by default) and refuses batches past `batch_size_fail_threshold` (50 KiB). Batches are
 * sized to 90% of the server's warning threshold (read at setup, this default when unknown).
 */
export const DEFAULT_WARN_THRESHOLD_BYTES = 5 * 1024;

/** What a batch may hold, in the server's own measure, under a warning threshold. */
export function batchBytesUnder(warnThresholdBytes: number): number {
  return Math.max(1024, Math.floor(warnThresholdBytes * 0.9));
}

/**
 * Server bytes one cell adds to a mutation beside its value (write timestamp, TTL and deletion
 * time, as Cassandra's `Cell.dataSize` counts them); row estimates add it per value.
 */
export const CELL_OVERHEAD_BYTES = 16;

/**
 * A size setting as the server shows it: `5KiB`, `50 KiB`, `1MiB`, `512B`, or a bare number in
 * `bareUnit` (the old `*_in_kb` settings and Scylla's). Null when unreadable.
 */
export function parseSizeSetting(value: string, bareUnit: 'KiB' | 'B' = 'KiB'): number | null {
  const m = /^\s*"?(\d+(?:\.\d+)?)\s*(B|KiB|KB|MiB|MB)?"?\s*$/i.exec(value);
  if (!m) return null;
  const unit = (m[2] ?? bareUnit).toLowerCase();
  const factor = unit === 'b' ? 1 : unit === 'kib' || unit === 'kb' ? 1024 : 1024 * 1024;
  return Math.round(Number(m[1]) * factor);
}

export const SINGLE_ROWS: BatchLimits = {
  maxRows: 1,
  maxBytes: batchBytesUnder(DEFAULT_WARN_THRESHOLD_BYTES),
};

/** Consecutive ops grouped into requests within the limits, order kept. */
export function groupOps(ops: readonly WriteOp[], limits: BatchLimits): WriteOp[][] {
  const out: WriteOp[][] = [];
  if (limits.maxRows <= 1) {
    for (const op of ops) out.push([op]);
    return out;
  }
  let current: WriteOp[] = [];
  let bytes = 0;
  for (const op of ops) {
    const size = op.bytes ?? 0;
    if (current.length > 0 && (current.length >= limits.maxRows || bytes + size > limits.maxBytes)) {
      out.push(current);
      current = [];
      bytes = 0;
    }
    current.push(op);
    bytes += size;
  }
  if (current.length > 0) out.push(current);
  return out;
}
