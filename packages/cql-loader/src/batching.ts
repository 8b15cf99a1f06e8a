import type { WriteOp } from './executor.js';

/** How rows may be grouped into one unlogged batch request. */
export interface BatchLimits {
  /** Rows per request; 1 sends every row alone. */
  readonly maxRows: number;
  /** Estimated value bytes per request; a row larger than this goes alone. */
  readonly maxBytes: number;
}

/**
 * Cassandra warns (server log) about batches over 5 KiB of mutations by default
 * (`batch_size_warn_threshold`) and refuses them over 50 KiB; 4 KiB of estimated values stays clear.
 */
export const DEFAULT_BATCH_BYTES = 4 * 1024;

export const SINGLE_ROWS: BatchLimits = { maxRows: 1, maxBytes: DEFAULT_BATCH_BYTES };

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
