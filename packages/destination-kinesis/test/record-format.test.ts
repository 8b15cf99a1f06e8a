import { type AirbyteRecordMessage, recordDataJson } from '@tributary/airbyte-protocol';
import { emittedAtClock, recordSerializer } from '../src/record-format.js';

const record: AirbyteRecordMessage = {
  stream: 's',
  data: { id: 1, text: 'line\nbreak "quoted" \u2028 é', nested: { a: [1, null] } },
  emitted_at: 1_700_000_000_123,
  meta: { changes: [{ field: 'x', change: 'NULLED', reason: 'SOURCE_FIELD_SIZE_LIMITATION' }] },
};

describe('record formats', () => {
  test('upstream: exactly {_airbyte_ab_id, _airbyte_data (a JSON string), _airbyte_emitted_at (seconds)}', () => {
    const text = recordSerializer(
      'upstream',
      { syncId: 1, generationId: 0 },
      () => '1700000001.123456789',
    )(record, '0f8e4c1a-1b2c-4d5e-8f90-123456789abc');
    expect(text).toBe(
      `{"_airbyte_ab_id":"0f8e4c1a-1b2c-4d5e-8f90-123456789abc","_airbyte_data":${JSON.stringify(JSON.stringify(record.data))},"_airbyte_emitted_at":1700000001.123456789}`,
    );
    const parsed = JSON.parse(text);
    expect(Object.keys(parsed)).toEqual(['_airbyte_ab_id', '_airbyte_data', '_airbyte_emitted_at']);
    expect(typeof parsed._airbyte_data).toBe('string');
    expect(JSON.parse(parsed._airbyte_data)).toEqual(record.data);
  });

  test('nested: the data as an object beside the Destinations V2 metadata', () => {
    const parsed = JSON.parse(recordSerializer('nested', { syncId: 42, generationId: 3 })(record, 'id-1'));
    expect(Object.keys(parsed)).toEqual([
      '_airbyte_raw_id',
      '_airbyte_extracted_at',
      '_airbyte_loaded_at',
      '_airbyte_meta',
      '_airbyte_generation_id',
      '_airbyte_data',
    ]);
    expect(parsed).toMatchObject({
      _airbyte_raw_id: 'id-1',
      _airbyte_extracted_at: 1_700_000_000_123,
      _airbyte_meta: { sync_id: 42, changes: record.meta!.changes },
      _airbyte_generation_id: 3,
      _airbyte_data: record.data,
    });
    expect(typeof parsed._airbyte_loaded_at).toBe('number');
  });

  test('the data text as the source sent it is used verbatim: integers beyond 2^53 stay exact', () => {
    const line =
      '{"type":"RECORD","record":{"stream":"s","data":{"id":12345678901234567891,"price":1.10},"emitted_at":1}}';
    const parsed = JSON.parse(line).record as AirbyteRecordMessage;
    const dataText = recordDataJson(parsed.data, line);
    const upstream = JSON.parse(
      recordSerializer('upstream', { syncId: 1, generationId: 0 })(parsed, 'id-1', dataText),
    );
    expect(upstream._airbyte_data).toBe('{"id":12345678901234567891,"price":1.10}');
    const nested = recordSerializer('nested', { syncId: 1, generationId: 0 })(parsed, 'id-2', dataText);
    expect(nested).toContain(',"_airbyte_data":{"id":12345678901234567891,"price":1.10}}');
    expect(JSON.parse(nested)._airbyte_raw_id).toBe('id-2');
    // Without the text, the parsed data (rounded by JSON.parse) is serialised.
    expect(
      JSON.parse(recordSerializer('upstream', { syncId: 1, generationId: 0 })(parsed, 'x'))._airbyte_data,
    ).toBe('{"id":12345678901234567000,"price":1.1}');
  });

  test('the emitted-at clock: epoch seconds, nine fraction digits, never going back', () => {
    const clock = emittedAtClock();
    const before = Date.now() / 1000;
    let last = 0;
    for (let i = 0; i < 10_000; i++) {
      const v = clock();
      expect(v).toMatch(/^\d{10}\.\d{9}$/);
      const n = Number(v);
      expect(n).toBeGreaterThanOrEqual(last);
      last = n;
    }
    expect(last).toBeGreaterThanOrEqual(before - 0.002);
    expect(last).toBeLessThanOrEqual(Date.now() / 1000 + 0.002);
  });
});
