import { randomUUID } from 'node:crypto';
import {
  type AirbyteRecordMessage,
  inexactDataText,
  parseExactJson,
  type StreamLoader,
  type WriteOutcome,
} from '@tributary/airbyte-protocol';
import { MAX_RECORD_BYTES } from './limits.js';
import type { PartitionKeyOf } from './partition-key.js';
import type { RecordSerializer } from './record-format.js';
import type { RecordSink } from './record-sink.js';

export interface LoaderLogger {
  warn(msg: string): void;
  info(msg: string): void;
}

export interface KinesisLoaderParams {
  /** `namespace.name` of the Airbyte stream, for messages. */
  readonly label: string;
  readonly streamName: string;
  /** The stream's sender, on this thread or on the sender thread. */
  readonly sink: RecordSink;
  /** Null: every record gets a random key. */
  readonly keyOf: PartitionKeyOf | null;
  readonly serialize: RecordSerializer;
  /**
   * Keyless records are handed over without a key (aggregation packs them under one key per
   * aggregate) instead of with their random id as key.
   */
  readonly keylessWithoutKey: boolean;
  readonly logger: LoaderLogger;
}

/**
 * One Airbyte stream into one Kinesis stream. `write` turns a record into its Kinesis form at once
 * (key, JSON text), rejects it when Kinesis never could take it (data plus partition key over
 * 1 MiB), and hands it to the stream's sender, which sends full requests right away; `flush`
 * resolves when Kinesis accepted every record written before it.
 */
export class KinesisStreamLoader implements StreamLoader {
  private rejected = 0;
  private withoutKey = 0;

  constructor(private readonly p: KinesisLoaderParams) {}

  write(record: AirbyteRecordMessage, _byteLength: number, line: string): WriteOutcome {
    // Exact numbers: when parsing rounded an integer beyond 2^53, the data's own text from the
    // line is written and its digits key the record (one walk over the data decides).
    const sourceText = inexactDataText(record.data, line);
    const data =
      sourceText === undefined ? record.data : (parseExactJson(sourceText) as Record<string, unknown>);
    const key = this.p.keyOf === null ? null : this.p.keyOf(data);
    const id = randomUUID();
    const text = this.p.serialize(record, id, sourceText ?? JSON.stringify(record.data));
    let pk: string | null = key;
    if (key === null) {
      if (this.p.keyOf !== null && this.withoutKey++ === 0) {
        this.p.logger.warn(
          `stream ${this.p.label}: a record has no value for its partition key; such records get a random key (no order among them)`,
        );
      }
      pk = this.p.keylessWithoutKey ? null : id;
    }
    const tooLarge = this.p.sink.add(pk, text);
    if (tooLarge > 0) {
      if (this.rejected++ < 10) {
        this.p.logger.warn(
          `stream ${this.p.label}: record of ${tooLarge} bytes (data + partition key) is over Kinesis' limit of ${MAX_RECORD_BYTES} bytes; rejected (counted in rejectedRecordCount)`,
        );
      }
      return 'rejected';
    }
    return 'accepted';
  }

  flush(): Promise<void> {
    return this.p.sink.flush();
  }

  async close(): Promise<void> {
    const s = await this.p.sink.close();
    this.p.logger.info(
      `stream ${this.p.label} → ${this.p.streamName}: ${s.recordsAcked} records accepted in ${s.requests} requests, ${s.entriesRetried} entries resent (${s.throttled} throttled), ${this.rejected} rejected as too large`,
    );
  }
}
