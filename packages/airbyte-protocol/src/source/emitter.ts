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
  /** Records per stream since its last state (a counter object per stream: no map update per record). */
  private readonly sinceState = new Map<string, { n: number }>();
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
    this.counter(key).n++;
    this.totalSinceState++;
    this.recordsEmitted++;
    return this.out.write({ type: 'RECORD', record });
  }

  /**
   * A writer for RECORDs whose `data` the source has already serialised (a JSON object text), so
   * no object graph is built or walked by JSON.stringify: the fastest path for high-volume sources.
   * The text is encoded straight into the output buffer between the record's ready-made head and
   * tail bytes. The returned function has the same counting and backpressure contract as `record`.
   */
  recordWriter(stream: string, namespace?: string | null): (dataJson: string, emittedAt?: number) => boolean {
    const frame = this.recordFrame(stream, namespace);
    return (dataJson, emittedAt) => {
      frame.count();
      return this.out.writeFramed(frame.head, dataJson, frame.tail(emittedAt ?? this.now()));
    };
  }

  /**
   * Like `recordWriter`, for `data` already encoded: the UTF-8 bytes `bytes[start, end)` of a
   * JSON object text (they are copied into the output buffer as they are, not decoded).
   */
  recordBytesWriter(
    stream: string,
    namespace?: string | null,
  ): (bytes: Uint8Array, start: number, end: number, emittedAt?: number) => boolean {
    const frame = this.recordFrame(stream, namespace);
    return (bytes, start, end, emittedAt) => {
      frame.count();
      return this.out.writeFramed(frame.head, bytes, frame.tail(emittedAt ?? this.now()), start, end);
    };
  }

  private counter(key: string): { n: number } {
    let counter = this.sinceState.get(key);
    if (counter === undefined) {
      counter = { n: 0 };
      this.sinceState.set(key, counter);
    }
    return counter;
  }

  /** A RECORD line around its data: the bytes before, and after it for a given `emitted_at`. */
  private recordFrame(stream: string, namespace?: string | null) {
    const key = namespace ? `${namespace}.${stream}` : stream;
    const head = Buffer.from(`{"type":"RECORD","record":{"stream":${JSON.stringify(stream)},"data":`);
    const suffix = namespace ? `,"namespace":${JSON.stringify(namespace)}}}` : '}}';
    const counter = this.counter(key);
    // emitted_at changes once per millisecond at most: its tail is encoded once per value.
    let at = Number.NaN;
    let tail = Buffer.alloc(0);
    return {
      head,
      tail: (emittedAt: number): Buffer => {
        if (emittedAt !== at) {
          at = emittedAt;
          tail = Buffer.from(`,"emitted_at":${emittedAt}${suffix}`);
        }
        return tail;
      },
      count: (): void => {
        counter.n++;
        this.totalSinceState++;
        this.recordsEmitted++;
      },
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
      const counter = this.sinceState.get(key);
      count = counter?.n ?? 0;
      if (counter) counter.n = 0;
      this.totalSinceState -= count;
    } else {
      count = this.totalSinceState;
      for (const counter of this.sinceState.values()) counter.n = 0;
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
