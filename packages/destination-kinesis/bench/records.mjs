// The bench's records, shared by the bench (the destination's NDJSON input) and the SDK ceiling
// (the same records as ready-made Kinesis entries).

/** Data of record i: ~`bytes` of JSON. */
export function data(i, bytes) {
  const base = {
    id: i,
    name: `user ${i}`,
    email: `user${i}@example.com`,
    score: (i % 1000) / 7,
    active: i % 3 === 0,
  };
  const pad = Math.max(0, bytes - JSON.stringify(base).length - 10);
  return { ...base, pad: 'x'.repeat(pad) };
}

/**
 * The destination's exact Kinesis entries for records 0..n-1 (upstream format, primary key as
 * partition key), by stream (record i goes to stream i % streams, as in the NDJSON input).
 */
export function entries(n, bytes, streams) {
  const perStream = [...Array(streams)].map(() => []);
  for (let i = 0; i < n; i++) {
    const d = data(i, bytes);
    const text = `{"_airbyte_ab_id":"${'0'.repeat(8)}-0000-4000-8000-${String(i).padStart(12, '0')}","_airbyte_data":${JSON.stringify(JSON.stringify(d))},"_airbyte_emitted_at":1700000000.123456789}`;
    perStream[i % streams].push({ Data: Buffer.from(text), PartitionKey: String(i) });
  }
  return perStream;
}
