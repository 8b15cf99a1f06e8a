import { randomUUID } from 'node:crypto';
import {
  type AirbyteRecordMessage,
  recordDataText,
  type StreamLoader,
  type WriteOutcome,
} from '@tributary/airbyte-protocol';
import { MAX_RECORD_BYTES } from './config.js';
import type { PartitionKeyOf } from './partition-key.js';
import type { RecordSerializer } from './record-format.js';
import type { StreamSender } from './sender.js';

/** UTF-8 length of a UUID, the partition key of keyless records. */
const UUID_BYTES = 36;

export interface LoaderLogger {
  warn(msg: string): void;
  info(msg: string): void;
}

export interface KinesisLoaderParams {
  /** `namespace.name` of the Airbyte stream, for messages. */
  readonly label: string;
  readonly streamName: string;
  readonly sender: StreamSender;
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
 * (key, JSON bytes), rejects it when Kinesis never could take it (data plus partition key over
 * 1 MiB), and hands it to the stream's sender, which sends full requests right away; `flush`
 * resolves when Kinesis accepted every record written before it.
 */
export class KinesisStreamLoader implements StreamLoader {
  private rejected = 0;
  private withoutKey = 0;

  constructor(private readonly p: KinesisLoaderParams) {}

  write(record: AirbyteRecordMessage, _bytes: number, line: string): WriteOutcome {
    const key = this.p.keyOf === null ? null : this.p.keyOf(record.data);
    const id = randomUUID();
    // The data's own text from the input line: exact numbers, and no second serialisation.
    const data = Buffer.from(this.p.serialize(record, id, recordDataText(line)), 'utf8');
    let pk: string | null;
    let pkBytes: number;
    if (key !== null) {
      pk = key;
      pkBytes = Buffer.byteLength(key, 'utf8');
    } else {
      if (this.p.keyOf !== null && this.withoutKey++ === 0) {
        this.p.logger.warn(
          `stream ${this.p.label}: a record has no value for its partition key; such records get a random key (no order among them)`,
        );
      }
      pk = this.p.keylessWithoutKey ? null : id;
      pkBytes = UUID_BYTES;
    }
    const bytes = data.length + pkBytes;
    if (bytes > MAX_RECORD_BYTES) {
      if (this.rejected++ < 10) {
        this.p.logger.warn(
          `stream ${this.p.label}: record of ${bytes} bytes (data + partition key) is over Kinesis' limit of ${MAX_RECORD_BYTES} bytes; rejected (counted in rejectedRecordCount)`,
        );
      }
      return 'rejected';
    }
    this.p.sender.add(pk, data, bytes);
    return 'accepted';
  }

  flush(): Promise<void> {
    return this.p.sender.flush();
  }

  async close(): Promise<void> {
    this.p.sender.close();
    const s = this.p.sender.stats;
    this.p.logger.info(
      `stream ${this.p.label} → ${this.p.streamName}: ${s.recordsAcked} records accepted in ${s.requests} requests, ${s.entriesRetried} entries resent (${s.throttled} throttled), ${this.rejected} rejected as too large`,
    );
  }
}
