import { MAX_RECORD_BYTES } from './limits.js';
import type { SenderStats, StreamSender } from './sender.js';

/** UTF-8 length of a UUID, the partition key of keyless records. */
export const UUID_BYTES = 36;

/** Bytes Kinesis counts for a partition key (null: a random UUID, or the aggregate's key). */
export function partitionKeyBytes(pk: string | null): number {
  return pk === null ? UUID_BYTES : Buffer.byteLength(pk, 'utf8');
}

/**
 * Where a stream loader puts its records: a StreamSender in this thread (LocalSink) or on the
 * sender thread (RemoteSink).
 */
export interface RecordSink {
  /**
   * Takes a record (partition key, JSON text); returns 0, or, for a record over MAX_RECORD_BYTES
   * (data plus partition key, as Kinesis counts it), which is not taken, its size.
   */
  add(pk: string | null, text: string): number;
  /** Resolves once Kinesis accepted every record added before it; rejects when the stream failed. */
  flush(): Promise<void>;
  /** Stops the sender; its statistics. */
  close(): Promise<SenderStats>;
}

/** A StreamSender on this thread. */
export class LocalSink implements RecordSink {
  constructor(private readonly sender: StreamSender) {}

  add(pk: string | null, text: string): number {
    const data = Buffer.from(text, 'utf8');
    const bytes = data.length + partitionKeyBytes(pk);
    if (bytes > MAX_RECORD_BYTES) return bytes;
    this.sender.add(pk, data, bytes);
    return 0;
  }

  flush(): Promise<void> {
    return this.sender.flush();
  }

  async close(): Promise<SenderStats> {
    this.sender.close();
    return this.sender.stats;
  }
}
