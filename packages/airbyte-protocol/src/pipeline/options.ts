/** Batching, memory and concurrency bounds of the destination pipeline. */
export interface PipelineOptions {
  /** Flush a stream's batch once it holds this many records. */
  readonly maxBatchRecords: number;
  /** ... or this many bytes of input (the JSON line lengths). */
  readonly maxBatchBytes: number;
  /** ... or once its first record is this old (ms). */
  readonly maxBatchAgeMs: number;
  /** Flush the streams a pending state waits on once the state is this old (ms). */
  readonly stateFlushDelayMs: number;
  /** Flushes in flight across all streams. */
  readonly maxConcurrentFlushes: number;
  /** Flushes in flight for one stream (1 keeps a stream's batches strictly ordered). */
  readonly maxConcurrentFlushesPerStream: number;
  /** Input bytes held in batches and in-flight flushes before reading pauses. */
  readonly maxBufferedBytes: number;
  /** Interval of the timer that checks batch ages and pending states (ms). */
  readonly tickMs: number;
}

export const DEFAULT_PIPELINE_OPTIONS: PipelineOptions = {
  maxBatchRecords: 10_000,
  maxBatchBytes: 8 * 1024 * 1024,
  maxBatchAgeMs: 5_000,
  stateFlushDelayMs: 1_000,
  maxConcurrentFlushes: 8,
  maxConcurrentFlushesPerStream: 4,
  maxBufferedBytes: 256 * 1024 * 1024,
  tickMs: 250,
};

export function resolvePipelineOptions(
  ...layers: Array<Partial<PipelineOptions> | undefined>
): PipelineOptions {
  const merged: Record<string, number> = { ...DEFAULT_PIPELINE_OPTIONS };
  for (const layer of layers) {
    if (!layer) continue;
    for (const [k, v] of Object.entries(layer)) if (typeof v === 'number' && v > 0) merged[k] = v;
  }
  return merged as unknown as PipelineOptions;
}
