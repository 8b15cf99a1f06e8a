import { createHash } from 'node:crypto';
import fc from 'fast-check';
import {
  AggregateBuilder,
  AggregateDecodeError,
  decodeAggregate,
  deaggregate,
  encodeAggregate,
  isAggregated,
  KPL_MAGIC,
} from '../src/kpl-aggregation.js';
import { ProtoReader, ProtoWriter, varintSize } from '../src/protobuf.js';

const b = (s: string) => Buffer.from(s, 'utf8');

describe('protobuf pieces', () => {
  test('varints at the 7-bit boundaries and beyond 32 bits', () => {
    for (const n of [0, 1, 127, 128, 300, 16_383, 16_384, 2 ** 31, 2 ** 35 + 5, Number.MAX_SAFE_INTEGER]) {
      const w = new ProtoWriter(varintSize(n));
      w.varint(n);
      expect(w.pos).toBe(varintSize(n));
      expect(new ProtoReader(w.buf).varint()).toBe(n);
    }
    const w = new ProtoWriter(2);
    w.varint(300);
    expect([...w.buf]).toEqual([0xac, 0x02]);
  });

  test('truncated input is an error, not garbage', () => {
    expect(() => new ProtoReader(Buffer.from([0x80])).varint()).toThrow(/truncated/);
    expect(() => new ProtoReader(Buffer.from([0x0a, 0x05, 0x61])).bytes()).toThrow();
  });
});

describe('KPL aggregated records', () => {
  test('byte for byte: magic, protobuf, MD5 of the protobuf', () => {
    const agg = encodeAggregate([{ partitionKey: 'a', data: b('x') }]);
    // partition_key_table "a" | records { partition_key_index 0, data "x" }
    const proto = Buffer.from('0a01611a0508001a0178', 'hex');
    const md5 = createHash('md5').update(proto).digest();
    expect(agg).toEqual(Buffer.concat([KPL_MAGIC, proto, md5]));
  });

  test('tables hold each key once; explicit hash keys are indexed', () => {
    const agg = encodeAggregate([
      { partitionKey: 'k1', explicitHashKey: '42', data: b('one') },
      { partitionKey: 'k2', explicitHashKey: '42', data: b('two') },
      { partitionKey: 'k1', data: b('three') },
    ]);
    expect(agg.subarray(0, 4)).toEqual(KPL_MAGIC);
    expect(decodeAggregate(agg)).toEqual([
      { partitionKey: 'k1', explicitHashKey: '42', data: b('one') },
      { partitionKey: 'k2', explicitHashKey: '42', data: b('two') },
      { partitionKey: 'k1', data: b('three') },
    ]);
    // "k1" appears once in the encoding.
    expect(agg.toString('latin1').split('k1').length - 1).toBe(1);
  });

  test('tags survive a round trip', () => {
    const records = [{ partitionKey: 'p', data: b('d'), tags: [{ key: 'a', value: 'b' }, { key: 'c' }] }];
    expect(decodeAggregate(encodeAggregate(records))).toEqual(records);
  });

  test('a changed byte fails the MD5 check; a missing magic is refused', () => {
    const agg = encodeAggregate([
      { partitionKey: 'a', data: b('hello') },
      { partitionKey: 'b', data: b('world') },
    ]);
    const bad = Buffer.from(agg);
    bad[10] = bad[10]! ^ 0xff;
    expect(() => decodeAggregate(bad)).toThrow(AggregateDecodeError);
    expect(() => decodeAggregate(bad)).toThrow(/MD5/);
    expect(() => decodeAggregate(b('{"plain":"json"}'))).toThrow(/magic/);
    expect(isAggregated(b('{"a":1}'))).toBe(false);
  });

  test('a non-aggregated record de-aggregates to itself', () => {
    expect(deaggregate(b('{"a":1}'), 'pk')).toEqual([{ partitionKey: 'pk', data: b('{"a":1}') }]);
  });

  test('the builder predicts the exact encoded size before each add', () => {
    const builder = new AggregateBuilder();
    for (let i = 0; i < 300; i++) {
      const pk = i % 7 === 0 ? 'shared' : `key-${i}`;
      const data = Buffer.alloc(i * 3, i % 256);
      const ehk = i % 2 === 0 ? '170141183460469231731687303715884105728' : undefined;
      const predicted = builder.sizeWith(pk, data, ehk);
      builder.add(pk, data, ehk);
      expect(builder.size).toBe(predicted);
    }
    expect(builder.encode()).toHaveLength(builder.size);
  });

  test('property: decode(encode(records)) gives the records back, in order', () => {
    const userRecord = fc.record(
      {
        partitionKey: fc.string({ minLength: 1, maxLength: 40, unit: 'binary' }),
        explicitHashKey: fc.bigInt({ min: 0n, max: (1n << 128n) - 1n }).map(String),
        data: fc.uint8Array({ maxLength: 3000 }),
      },
      { requiredKeys: ['partitionKey', 'data'] },
    );
    fc.assert(
      fc.property(fc.array(userRecord, { minLength: 1, maxLength: 60 }), (records) => {
        const decoded = decodeAggregate(encodeAggregate(records));
        expect(decoded.map((r) => ({ ...r, data: Buffer.from(r.data) }))).toEqual(
          records.map((r) => ({ ...r, data: Buffer.from(r.data) })),
        );
      }),
      { numRuns: 150 },
    );
  });
});
