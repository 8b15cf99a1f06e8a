import cassandra from 'cassandra-driver';
import {
  converterFor,
  decimalText,
  durationText,
  float32,
  inetText,
  int64,
  javaDecimalString,
} from '../src/events/convert.js';
import { parseCqlType } from '../src/reader/cql-type.js';
import { TableCursor } from '../src/reader/cursor.js';
import { vnodeIndexOf } from '../src/reader/generations.js';
import { BoundedQueue } from '../src/reader/queue.js';
import { compareTimeuuid, maxTimeuuidAt, minTimeuuidAt, timeuuidMicros } from '../src/reader/timeuuid.js';
import { parseUntil, scyllaCdcConfigSchema } from '../src/source/config.js';
import { tokenRange } from '../src/source/snapshot.js';

const { types } = cassandra;

describe('timeuuid', () => {
  test('µs of a timeuuid, exact', () => {
    for (const ms of [0, 1, 1_611_578_778_701, 1_795_257_560_273, 4_102_444_800_000]) {
      const u = types.TimeUuid.fromDate(new Date(ms), 7);
      expect(timeuuidMicros(u.getBuffer())).toBe(ms * 1000);
    }
    const u = types.TimeUuid.fromString('a2325a20-e596-11f1-a8cf-ed1d140c496a');
    expect(timeuuidMicros(u.getBuffer())).toBe(Math.floor(u.getDate().getTime() * 1000 + 0));
  });

  test('min and max at a µs bracket every timeuuid of that µs, ordered as Cassandra orders them', () => {
    const us = 1_611_578_778_701_813;
    const lo = minTimeuuidAt(us).getBuffer();
    const hi = maxTimeuuidAt(us).getBuffer();
    expect(timeuuidMicros(lo)).toBe(us);
    expect(timeuuidMicros(hi)).toBe(us);
    const mid = Buffer.from(lo);
    mid.fill(0x11, 8);
    expect(compareTimeuuid(lo, mid)).toBeLessThan(0);
    expect(compareTimeuuid(mid, hi)).toBeLessThan(0);
    expect(compareTimeuuid(hi, minTimeuuidAt(us + 1).getBuffer())).toBeLessThan(0);
    // LSB bytes compare as signed bytes: 0x80 < 0x00 < 0x7f
    const a = Buffer.from(lo);
    const b = Buffer.from(lo);
    a[8] = 0x80;
    b[8] = 0x00;
    expect(compareTimeuuid(a, b)).toBeLessThan(0);
  });
});

describe('value mapping (CQL → JSON, as the connector maps to Kafka Connect)', () => {
  test('decimal as Java BigDecimal.toString()', () => {
    expect(javaDecimalString(1234567n, 2)).toBe('12345.67');
    expect(javaDecimalString(-5n, 3)).toBe('-0.005');
    expect(javaDecimalString(123n, 0)).toBe('123');
    expect(javaDecimalString(123n, -2)).toBe('1.23E+4');
    expect(javaDecimalString(1n, 10)).toBe('1E-10');
    expect(javaDecimalString(12n, 8)).toBe('1.2E-7');
    expect(javaDecimalString(1n, 6)).toBe('0.000001');
    expect(decimalText(types.BigDecimal.fromString('12345.67'))).toBe('12345.67');
  });

  test('duration as the Java driver prints it', () => {
    expect(durationText(new types.Duration(0, 1, types.Long.fromString('45000000000000')))).toBe('1d12h30m');
    expect(durationText(new types.Duration(14, 0, 0))).toBe('1y2mo');
    expect(durationText(new types.Duration(0, 0, types.Long.fromString('1001001'))).toString()).toBe(
      '1ms1us1ns',
    );
    expect(durationText(new types.Duration(0, 0, 0))).toBe('');
    expect(durationText(new types.Duration(-1, -2, types.Long.fromNumber(-3)))).toBe('-1mo2d3ns');
  });

  test('inet as Java getHostAddress(): IPv6 uncompressed', () => {
    expect(inetText(Buffer.from([127, 0, 0, 1]))).toBe('127.0.0.1');
    expect(inetText((types.InetAddress.fromString('::1') as unknown as { buffer: Buffer }).buffer)).toBe(
      '0:0:0:0:0:0:0:1',
    );
    expect(
      inetText(
        (types.InetAddress.fromString('2001:db8::ff00:42:8329') as unknown as { buffer: Buffer }).buffer,
      ),
    ).toBe('2001:db8:0:0:0:ff00:42:8329');
  });

  test('float at float32 precision, int64 exact', () => {
    // biome-ignore lint/suspicious/noApproximativeNumericConstant: the documented float value
    expect(float32(Math.fround(2.71828))).toBe(2.71828);
    expect(float32(Math.fround(0.1))).toBe(0.1);
    expect(float32(Math.fround(1e10))).toBe(1e10);
    expect(int64(1234567890123n)).toBe(1234567890123);
    expect(int64(9223372036854775807n)).toBe('9223372036854775807');
  });

  test('every native type and the containers', () => {
    const conv = (t: string, v: unknown) => converterFor(parseCqlType(t))(v);
    expect(conv('blob', Buffer.from([0xca, 0xfe, 0xba, 0xbe]))).toBe('yv66vg==');
    expect(conv('date', types.LocalDate.fromString('2024-06-10'))).toBe(19884);
    expect(conv('time', types.LocalTime.fromString('12:34:56.789'))).toBe(45296789000000);
    expect(conv('timestamp', new Date(1718022896789))).toBe(1718022896789);
    expect(conv('timeuuid', types.TimeUuid.fromString('81d4a030-4632-11f0-9484-409dd8f36eba'))).toBe(
      '81d4a030-4632-11f0-9484-409dd8f36eba',
    );
    expect(conv('varint', 999999999n)).toBe('999999999');
    expect(conv('tinyint', 5)).toBe(5);
    // biome-ignore lint/suspicious/noApproximativeNumericConstant: the documented double value
    expect(conv('double', 3.14159)).toBe(3.14159);
    expect(conv('list<int>', [10, 20, 30])).toEqual([10, 20, 30]);
    expect(conv('set<text>', new Set(['x', 'y']))).toEqual(['x', 'y']);
    expect(conv('map<int, text>', new Map([[1, 'one']]))).toEqual([{ key: 1, value: 'one' }]);
    expect(conv('tuple<int, text>', new types.Tuple(1, 'tuple1'))).toEqual({ field_0: 1, field_1: 'tuple1' });
    expect(conv('vector<float, 3>', [1, 2.5, 3])).toEqual([1, 2.5, 3]);
    const udt = parseCqlType('frozen<address>');
    (udt as { fields?: unknown }).fields = [
      { name: 'a', type: parseCqlType('int') },
      { name: 'b', type: parseCqlType('text') },
    ];
    expect(converterFor(udt)({ a: 42, b: 'foo' })).toEqual({ a: 42, b: 'foo' });
    expect(converterFor(udt)({ a: null, b: null })).toBeNull();
  });
});

test('CQL type strings', () => {
  expect(parseCqlType('frozen<map<text, frozen<list<int>>>>')).toEqual({
    kind: 'map',
    frozen: true,
    key: { kind: 'native', name: 'text' },
    value: { kind: 'list', frozen: true, elem: { kind: 'native', name: 'int' } },
  });
  expect(parseCqlType('list<text>')).toMatchObject({ kind: 'list', frozen: false });
  expect(parseCqlType('"MyType"')).toEqual({ kind: 'udt', frozen: false, name: 'MyType' });
});

test('vnode index of a stream id (bits 4..25 of the low half, version 1)', () => {
  const id = Buffer.alloc(16);
  id.writeBigUInt64BE((123n << 26n) | (77n << 4n) | 1n, 8);
  expect(vnodeIndexOf(id)).toBe(77);
  id[15] = (id[15]! & 0xf0) | 2;
  expect(vnodeIndexOf(id)).toBeUndefined();
});

test('cursor: compact JSON round trip; positions dropped once their group passes them', () => {
  const c = new TableCursor(1000, 999_999);
  c.setGroups(['v0', 'v1', 'v2']);
  c.advanceGroup('v0', 5_000_000);
  c.advanceGroup('v1', 5_000_000);
  const time = minTimeuuidAt(5_500_000).getBuffer();
  c.advanceStream('v2', 'aa', { time, us: 5_500_000, seq: 2 });
  const json = c.toJson();
  expect(json).toEqual({
    generation: 1000,
    watermark_us: 5_000_000,
    groups: { v2: 999_999 },
    streams: {
      aa: [types.TimeUuid.fromString(types.Uuid.fromString(toUuid(time)).toString()).toString(), 2],
    },
  });
  const back = TableCursor.fromJson(json);
  back.setGroups(['v0', 'v1', 'v2']);
  expect(back.watermarkOf('v0')).toBe(5_000_000);
  expect(back.watermarkOf('v2')).toBe(999_999);
  expect(back.positionOf('aa')).toEqual({ time, us: 5_500_000, seq: 2 });
  back.advanceGroup('v2', 6_000_000);
  expect(back.positionOf('aa')).toBeUndefined();
});

function toUuid(b: Buffer): string {
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

test('config: defaults, until parsing, validation', () => {
  const c = scyllaCdcConfigSchema.parse({
    'topic.prefix': 'P',
    'scylla.cluster.ip.addresses': '127.0.0.1:9042',
    'scylla.table.names': 'ks.t',
  });
  expect(c['scylla.query.time.window.size']).toBe(30000);
  expect(c['cdc.output.format']).toBe('legacy');
  expect(parseUntil('now', 42)).toBe(42);
  expect(parseUntil('1700000000000', 0)).toBe(1700000000000);
  expect(parseUntil('2024-01-01T00:00:00Z', 0)).toBe(1704067200000);
  expect(parseUntil('soon', 0)).toBeUndefined();
  expect(() =>
    scyllaCdcConfigSchema.parse({
      'scylla.name': 'P',
      'scylla.cluster.ip.addresses': 'h',
      'scylla.table.names': 'ks.t',
      'scylla.user': 'u',
    }),
  ).toThrow(/both scylla.user and scylla.password/);
});

test('snapshot token ranges cover the ring without gaps', () => {
  let previous = -(1n << 63n);
  for (let i = 0; i < 64; i++) {
    const [lo, hi] = tokenRange(i, 64);
    expect(lo).toBe(previous);
    expect(hi > lo).toBe(true);
    previous = hi;
  }
  expect(previous).toBe((1n << 63n) - 1n);
});

test('the README configuration table matches the spec (keys, required, defaults)', async () => {
  const { readFileSync } = await import('node:fs');
  const { scyllaCdcSpec } = await import('../src/source/source.js');
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
  const section = readme.slice(readme.indexOf('## Configuration'), readme.indexOf('## Streams and records'));
  const rows = section
    .split('\n')
    .filter((l) => l.startsWith('| `'))
    .map((l) => l.split('|').map((c) => c.trim()));
  const spec = scyllaCdcSpec.connectionSpecification as {
    properties: Record<string, { default?: unknown }>;
    required: string[];
  };
  const documented = rows.map((r) => r[1]!.replaceAll('`', ''));
  expect(documented).toEqual(Object.keys(spec.properties));
  for (const r of rows) {
    const key = r[1]!.replaceAll('`', '');
    expect([key, r[2] === 'yes']).toEqual([key, spec.required.includes(key)]);
    const def = spec.properties[key]!.default;
    expect([key, r[3]!.replaceAll('`', '')]).toEqual([key, def === undefined ? '' : String(def)]);
  }
});

test('cursor: a round trip never moves a group that is not listed (regression: lost changes after a restart)', () => {
  const json = { generation: 1, watermark_us: 100, groups: { v1: 300, v2: 200, v3: 250 } };
  const c = TableCursor.fromJson(json);
  const again = TableCursor.fromJson(c.toJson());
  for (const g of ['v0', 'v1', 'v2', 'v3'])
    expect([g, again.watermarkOf(g)]).toEqual([g, TableCursor.fromJson(json).watermarkOf(g)]);
  // Once every group is known, the most common watermark may become the default.
  c.setGroups(['v0', 'v1', 'v2', 'v3']);
  c.advanceGroup('v0', 300);
  c.advanceGroup('v2', 300);
  expect(c.toJson()).toEqual({ generation: 1, watermark_us: 300, groups: { v3: 250 } });
});

describe('bounded queue: room reserved for pages on their way', () => {
  test('a reservation takes what is free, up to its maximum; items and reservations share the capacity', async () => {
    const q = new BoundedQueue<number>(10);
    expect(await q.reserve(2, 6)).toBe(6);
    expect(q.tryReserve(2, 6)).toBe(4);
    expect(q.tryReserve(1, 6)).toBe(0);
    q.release(6);
    for (let i = 0; i < 5; i++) q.push(i);
    // 10 - 5 items - 4 reserved: 1 free, below the minimum of 2.
    expect(q.tryReserve(2, 6)).toBe(0);
    let got = -1;
    const waiting = q.reserve(2, 6).then((n) => {
      got = n;
    });
    await Promise.resolve();
    expect(got).toBe(-1);
    q.take(3); // 2 items + 4 reserved: 4 free
    await waiting;
    expect(got).toBe(4);
  });

  test('with nothing reserved, any free room is taken; releaseAll ends every wait with 0', async () => {
    const q = new BoundedQueue<number>(4);
    for (let i = 0; i < 3; i++) q.push(i);
    expect(q.tryReserve(3, 5)).toBe(1);
    const waiting = q.reserve(1, 5);
    q.releaseAll();
    expect(await waiting).toBe(0);
    expect(q.tryReserve(1, 5)).toBe(0);
  });
});
