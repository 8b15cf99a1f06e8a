import type { NdjsonWriter } from '../io/ndjson-writer.js';
import type {
  AirbyteRecordMessage,
  AirbyteStateMessage,
  AirbyteStreamStatus,
  StreamDescriptor,
} from '../models/index.js';
import { estimateMessage, streamStatusMessage } from '../models/index.js';

export interface EmitterOptions {
  /** Minimum interval between checkpoints suggested by `checkpointDue` (ms). */
  readonly checkpointIntervalMs?: number;
  /** ... or after this many records since the last state. */
  readonly checkpointRecords?: number;
  readonly now?: () => number;
}

/**
 * Writes a source's output with backpressure: `record` returns false when stdout is saturated,
 * and the source then awaits `drained()` before emitting more (no promise per record).
 * Counts records per stream so states can carry `sourceStats.recordCount`.
 */
export class SourceEmitter {
  private readonly sinceState = new Map<string, number>();
  private totalSinceState = 0;
  private lastCheckpointAt: number;
  private readonly interval: number;
  private readonly everyRecords: number;
  private readonly now: () => number;
  recordsEmitted = 0;
  statesEmitted = 0;

  constructor(
    private readonly out: NdjsonWriter,
    opts: EmitterOptions = {},
  ) {
    this.now = opts.now ?? Date.now;
    this.interval = opts.checkpointIntervalMs ?? 60_000;
    this.everyRecords = opts.checkpointRecords ?? 100_000;
    this.lastCheckpointAt = this.now();
  }

  /** Emits one RECORD; false means: await `drained()` before the next. */
  record(
    stream: string,
    data: Record<string, unknown>,
    namespace?: string | null,
    emittedAt?: number,
  ): boolean {
    const record: AirbyteRecordMessage = { stream, data, emitted_at: emittedAt ?? this.now() };
    if (namespace) record.namespace = namespace;
    const key = namespace ? `${namespace}.${stream}` : stream;
    this.sinceState.set(key, (this.sinceState.get(key) ?? 0) + 1);
    this.totalSinceState++;
    this.recordsEmitted++;
    return this.out.write({ type: 'RECORD', record });
  }

  /**
   * A writer for RECORDs whose `data` the source has already serialised (a JSON object text), so
   * no object graph is built or walked by JSON.stringify: the fastest path for high-volume sources.
   * The returned function has the same counting and backpressure contract as `record`.
   */
  recordWriter(stream: string, namespace?: string | null): (dataJson: string, emittedAt?: number) => boolean {
    const key = namespace ? `${namespace}.${stream}` : stream;
    const prefix = `{"type":"RECORD","record":{"stream":${JSON.stringify(stream)},"data":`;
    const suffix = namespace ? `,"namespace":${JSON.stringify(namespace)}}}` : '}}';
    return (dataJson, emittedAt) => {
      this.sinceState.set(key, (this.sinceState.get(key) ?? 0) + 1);
      this.totalSinceState++;
      this.recordsEmitted++;
      return this.out.writeLine(`${prefix}${dataJson},"emitted_at":${emittedAt ?? this.now()}${suffix}`);
    };
  }

  drained(): Promise<void> {
    return this.out.drained();
  }

  /** True when a checkpoint is due by time or record count. */
  checkpointDue(): boolean {
    return this.totalSinceState >= this.everyRecords || this.now() - this.lastCheckpointAt >= this.interval;
  }

  /**
   * Emits a STATE with `sourceStats.recordCount`: for a STREAM state the records of that stream
   * since its previous state, otherwise all records since the previous state.
   */
  state(state: AirbyteStateMessage): boolean {
    let count: number;
    const desc = state.type === 'STREAM' ? state.stream?.stream_descriptor : undefined;
    if (desc) {
      const key = desc.namespace ? `${desc.namespace}.${desc.name}` : desc.name;
      count = this.sinceState.get(key) ?? 0;
      this.sinceState.delete(key);
      this.totalSinceState -= count;
    } else {
      count = this.totalSinceState;
      this.sinceState.clear();
      this.totalSinceState = 0;
    }
    this.lastCheckpointAt = this.now();
    this.statesEmitted++;
    return this.out.write({ type: 'STATE', state: { ...state, sourceStats: { recordCount: count } } });
  }

  streamStatus(descriptor: StreamDescriptor, status: AirbyteStreamStatus): boolean {
    return this.out.write(streamStatusMessage(descriptor, status));
  }

  estimate(descriptor: StreamDescriptor, rowEstimate?: number, byteEstimate?: number): boolean {
    const msg = estimateMessage({
      name: descriptor.name,
      namespace: descriptor.namespace ?? undefined,
      type: 'STREAM',
      rowEstimate,
      byteEstimate,
    });
    return this.out.write(msg);
  }

  /** Any other ready-made message (LOG, TRACE, CONTROL). */
  raw(message: unknown): boolean {
    return this.out.write(message);
  }

  flush(): Promise<void> {
    return this.out.flush();
  }
}
