import { type AirbyteRecordMessage, dv2Columns, type StreamPlan } from '@tributary/airbyte-protocol';
import type { RecordFormat } from './config.js';

/**
 * Serialises one record into the JSON text put in Kinesis; `id` is its `_airbyte_ab_id`/`_airbyte_raw_id`,
 * `dataText` the JSON text of its data (`recordDataJson`: exact numbers), when known.
 */
export type RecordSerializer = (record: AirbyteRecordMessage, id: string, dataText?: string) => string;

/**
 * The destination's clock as upstream wrote `_airbyte_emitted_at`: epoch seconds with a
 * nine-digit fraction (how Jackson writes a `java.time.Instant` as a timestamp), e.g.
 * `1700000000.123456789`. Anchored to the wall clock once, then advanced by the monotonic clock,
 * so values never go backwards within a sync (the last digits are below the clock's resolution).
 */
export function emittedAtClock(): () => string {
  // performance.now() is monotonic with sub-microsecond resolution and allocates nothing.
  const originMs = Date.now() - performance.now();
  return () => {
    const ms = originMs + performance.now();
    const seconds = Math.floor(ms / 1000);
    const nanos = Math.min(999_999_999, Math.round((ms - seconds * 1000) * 1_000_000));
    return `${seconds}.${String(nanos).padStart(9, '0')}`;
  };
}

/**
 * The data is written as `dataText` when given (`recordDataJson`: integers beyond 2^53 digit for
 * digit, which JSON.parse rounds), else re-serialised from the parsed object.
 *
 * `upstream`: exactly the upstream connector's record,
 * `{"_airbyte_ab_id":"<uuid>","_airbyte_data":"<the record's data as a JSON string>","_airbyte_emitted_at":<seconds>}`.
 *
 * `nested`: `_airbyte_data` as an object, with the Destinations V2 metadata:
 * `{"_airbyte_raw_id","_airbyte_extracted_at" (the record's emitted_at, epoch ms),"_airbyte_loaded_at" (epoch ms),
 * "_airbyte_meta":{"sync_id","changes"},"_airbyte_generation_id","_airbyte_data":{…}}`.
 */
export function recordSerializer(
  format: RecordFormat,
  plan: Pick<StreamPlan, 'syncId' | 'generationId'>,
  clock: () => string = emittedAtClock(),
): RecordSerializer {
  if (format === 'upstream') {
    return (record, id, dataText = JSON.stringify(record.data)) =>
      `{"_airbyte_ab_id":"${id}","_airbyte_data":${JSON.stringify(dataText)},"_airbyte_emitted_at":${clock()}}`;
  }
  return (record, id, dataText = JSON.stringify(record.data)) => {
    const meta = dv2Columns(record, plan);
    return `${JSON.stringify({
      _airbyte_raw_id: id,
      _airbyte_extracted_at: meta._airbyte_extracted_at,
      _airbyte_loaded_at: meta._airbyte_loaded_at,
      _airbyte_meta: meta._airbyte_meta,
      _airbyte_generation_id: meta._airbyte_generation_id,
    }).slice(0, -1)},"_airbyte_data":${dataText}}`;
  };
}
