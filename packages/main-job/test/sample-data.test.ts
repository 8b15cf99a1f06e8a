import { expectedCounts, SAMPLE_STREAMS, sampleCatalog, sampleMessages } from '../src/sample-data.js';

const records = (n: number) =>
  [...sampleMessages(n)]
    .filter((g) => g.isRecord)
    .map((g) => JSON.parse(g.line).record as { stream: string; data: any });

describe('sample data', () => {
  test('deterministic: two runs give the same lines', () => {
    // emitted_at and trace times are wall-clock; everything else must repeat exactly.
    const run = () => [...sampleMessages(2000)].map((g) => g.line.replace(/"emitted_at":\d+/g, ''));
    expect(run()).toEqual(run());
  });

  test('covers nested objects, arrays, dates, nulls, unicode, large and small records', () => {
    const rs = records(20_000);
    const json = rs.map((r) => JSON.stringify(r.data));
    expect(new Set(rs.map((r) => r.stream))).toEqual(new Set(['users', 'orders', 'events']));
    expect(rs.some((r) => r.data.address && typeof r.data.address.geo === 'object')).toBe(true);
    expect(rs.some((r) => Array.isArray(r.data.items) && r.data.items.length > 1)).toBe(true);
    expect(rs.some((r) => r.data.email === null)).toBe(true);
    expect(json.some((j) => /[^\x00-\x7f]/.test(j))).toBe(true);
    expect(rs.some((r) => /^\d{4}-\d{2}-\d{2}$/.test(r.data.signup_date ?? ''))).toBe(true);
    const sizes = json.map((j) => Buffer.byteLength(j));
    expect(Math.max(...sizes)).toBeGreaterThan(15_000);
    expect(Math.min(...sizes)).toBeLessThan(300);
  });

  test('states every 5000 records of a stream, a final state and COMPLETE per stream', () => {
    const lines = [...sampleMessages(12_000)].map((g) => JSON.parse(g.line));
    const states = lines.filter((m) => m.type === 'STATE');
    const complete = lines.filter((m) => m.type === 'TRACE' && m.trace.stream_status.status === 'COMPLETE');
    expect(complete).toHaveLength(3);
    expect(states.length).toBeGreaterThanOrEqual(3);
    expect(lines.at(-1).type).toBe('TRACE');
  });

  test('expected counts: users repeat keys (dedup has work), others are unique', () => {
    const c = expectedCounts(10_000);
    const total = [...c.values()].reduce((s, v) => s + v.records, 0);
    expect(total).toBe(10_000);
    expect(c.get('users')!.distinctKeys).toBeLessThan(c.get('users')!.records);
    expect(c.get('orders')!.distinctKeys).toBe(c.get('orders')!.records);
  });

  test('catalog falls back to append for modes a connector lacks', () => {
    const cat = sampleCatalog(['append', 'overwrite']) as {
      streams: Array<{ destination_sync_mode: string }>;
    };
    expect(cat.streams.map((s) => s.destination_sync_mode)).toEqual(['append', 'overwrite', 'append']);
    expect(SAMPLE_STREAMS).toHaveLength(3);
  });
});
