import type { AirbyteRecordMessage } from '@tributary/airbyte-protocol';
import {
  attributeValueSize,
  compareCursors,
  cursorAttribute,
  cursorOf,
  formatNumber,
  fromAttributeValue,
  isRejected,
  ItemMapper,
  itemSize,
  keyValue,
  MAX_ITEM_BYTES,
  type MappedItem,
  numberFromText,
  numberSize,
  primaryKeyPlan,
  significantDigits,
  utf8Length,
  ValueConverter,
} from '../src/item-mapping/index.js';

const record = (
  data: Record<string, unknown>,
  extra: Partial<AirbyteRecordMessage> = {},
): AirbyteRecordMessage => ({
  stream: 's',
  data,
  emitted_at: 1_700_000_000_123,
  ...extra,
});

const typed = (extra: Partial<ConstructorParameters<typeof ItemMapper>[0]> = {}) =>
  new ItemMapper({
    layout: 'typed',
    dedup: false,
    cursorField: [],
    generationId: 3,
    syncId: 42,
    syncStartedAt: 1_700_000_001_000,
    now: () => 1_700_000_002_000,
    ...extra,
  });

const ok = (r: ReturnType<ItemMapper['map']>): MappedItem => {
  if (isRejected(r)) throw new Error(`rejected: ${r.rejected}`);
  return r;
};

describe('sizes, the way DynamoDB counts them', () => {
  test('strings by UTF-8 bytes, numbers by digit pairs, containers 3 + 1 per element', () => {
    expect(utf8Length('abc')).toBe(3);
    expect(utf8Length('é')).toBe(2);
    expect(utf8Length('€')).toBe(3);
    expect(utf8Length('😀')).toBe(4);
    expect(utf8Length('x'.repeat(100) + '😀')).toBe(104);
    expect(significantDigits('1200')).toBe(2);
    expect(significantDigits('0.00120')).toBe(2);
    expect(significantDigits('-1.5e-7')).toBe(2);
    expect(significantDigits('0')).toBe(1);
    expect(numberSize('12345')).toBe(4);
    expect(attributeValueSize({ BOOL: true })).toBe(1);
    expect(attributeValueSize({ NULL: true })).toBe(1);
    expect(attributeValueSize({ L: [] })).toBe(3);
    expect(attributeValueSize({ L: [{ S: 'ab' }, { NULL: true }] })).toBe(3 + 3 + 2);
    expect(attributeValueSize({ M: { ab: { S: 'xyz' } } })).toBe(3 + 1 + 2 + 3);
    expect(itemSize({ id: { S: 'sz0' }, p: { S: 'xx' } })).toBe(2 + 3 + 1 + 2);
  });

  test('the converter measures what itemSize measures', () => {
    const conv = new ValueConverter();
    const value = { a: [1, 'two', { three: null, four: true }], ünï: 'cödé', n: -12.5e-3 };
    const av = conv.convert(value, 'f', 1);
    expect(conv.size).toBe(attributeValueSize(av));
    expect(fromAttributeValue(av)).toEqual(value);
  });
});

describe('values DynamoDB cannot hold', () => {
  test('numbers: out of range or infinite become NULL, recorded', () => {
    expect(formatNumber(1e21)).toBe('1e+21');
    expect(formatNumber(-0)).toBe('0');
    expect(formatNumber(9.99999999999999e125)).toBe('9.99999999999999e+125');
    expect(formatNumber(1e126)).toBe('overflow');
    expect(formatNumber(1e-131)).toBe('underflow');
    expect(formatNumber(Number.POSITIVE_INFINITY)).toBe('not_finite');
    expect(numberFromText('123456789012345678901234567890123456789')).toBeNull(); // 39 digits
    expect(numberFromText('12345678901234567890123456789012345678')).toBe(
      '12345678901234567890123456789012345678',
    );
    expect(numberFromText('+1.50')).toBe('1.50');
    expect(numberFromText('abc')).toBeNull();

    const m = ok(
      typed().map(record({ big: 1e200, tiny: 1e-200, inf: Number.POSITIVE_INFINITY, fine: 1e39, zero: -0 })),
    );
    expect(m.item.big).toEqual({ NULL: true });
    expect(m.item.tiny).toEqual({ NULL: true });
    expect(m.item.inf).toEqual({ NULL: true });
    expect(m.item.fine).toEqual({ N: '1e+39' });
    expect(m.item.zero).toEqual({ N: '0' });
    const meta = fromAttributeValue(m.item._airbyte_meta!) as any;
    expect(meta).toEqual({
      sync_id: 42,
      changes: [
        { field: 'big', change: 'NULLED', reason: 'DESTINATION_FIELD_SIZE_LIMITATION' },
        { field: 'tiny', change: 'NULLED', reason: 'DESTINATION_FIELD_SIZE_LIMITATION' },
        { field: 'inf', change: 'NULLED', reason: 'DESTINATION_FIELD_SIZE_LIMITATION' },
      ],
    });
  });

  test('BigInts (integers beyond 2^53, kept exact by the loader) are written digit for digit up to 38 digits', () => {
    const m = ok(
      typed().map(
        record({
          id: 12345678901234567891n,
          list: [-98765432109876543210n],
          wide: 1234567890123456789012345678901234567890n,
        }),
      ),
    );
    expect(m.item.id).toEqual({ N: '12345678901234567891' });
    expect(m.item.list).toEqual({ L: [{ N: '-98765432109876543210' }] });
    expect(m.item.wide).toEqual({ N: '1.2345678901234568e+39' });
    expect((fromAttributeValue(m.item._airbyte_meta!) as any).changes).toEqual([
      { field: 'wide', change: 'TRUNCATED', reason: 'DESTINATION_FIELD_SIZE_LIMITATION' },
    ]);
  });

  test('nesting beyond 31 levels under an attribute is kept as JSON text, recorded', () => {
    let deep: unknown = 'leaf';
    for (let i = 0; i < 40; i++) deep = { a: deep };
    const m = ok(typed().map(record({ deep, ok: { a: { b: 1 } } })));
    let v: any = m.item.deep;
    let depth = 0;
    while (v.M) {
      v = v.M.a;
      depth++;
    }
    expect(depth).toBe(31);
    expect(typeof v.S).toBe('string');
    expect(JSON.parse(v.S)).toBeDefined();
    const changes = (fromAttributeValue(m.item._airbyte_meta!) as any).changes;
    expect(changes).toEqual([
      { field: `deep${'.a'.repeat(31)}`, change: 'TRUNCATED', reason: 'DESTINATION_SERIALIZATION_ERROR' },
    ]);
    // In the raw layout _airbyte_data is a level itself.
    const raw = new ItemMapper({
      layout: 'raw',
      dedup: false,
      cursorField: [],
      generationId: 0,
      syncId: null,
      syncStartedAt: 1,
    });
    const r = ok(raw.map(record({ deep })));
    let rv: any = r.item._airbyte_data;
    let rdepth = 0;
    while (rv.M) {
      rv = rv.M.deep ?? rv.M.a;
      rdepth++;
    }
    expect(rdepth).toBe(31);
  });

  test('empty map keys are dropped, recorded; empty strings and empty containers are kept', () => {
    const m = ok(typed().map(record({ o: { '': 1, k: '' }, l: [], e: {}, '': 'top' })));
    expect(m.item.o).toEqual({ M: { k: { S: '' } } });
    expect(m.item.l).toEqual({ L: [] });
    expect(m.item.e).toEqual({ M: {} });
    expect((fromAttributeValue(m.item._airbyte_meta!) as any).changes).toEqual([
      { field: 'o[""]', change: 'NULLED', reason: 'DESTINATION_SERIALIZATION_ERROR' },
      { field: '', change: 'NULLED', reason: 'DESTINATION_SERIALIZATION_ERROR' },
    ]);
  });
});

describe('typed items', () => {
  test('fields become attributes, with the Destinations V2 metadata', () => {
    const m = ok(
      typed().map(
        record(
          { id: 1, name: 'Ada', 'Foo.Bar': 'dot', order: 2, nested: { x: [1, null] } },
          {
            meta: {
              changes: [{ field: 'name', change: 'TRUNCATED', reason: 'SOURCE_FIELD_SIZE_LIMITATION' }],
            },
          },
        ),
      ),
    );
    const item = fromAttributeValue({ M: m.item }) as any;
    expect(item).toEqual({
      id: 1,
      name: 'Ada',
      'Foo.Bar': 'dot',
      order: 2,
      nested: { x: [1, null] },
      _airbyte_raw_id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      _airbyte_extracted_at: 1_700_000_000_123,
      _airbyte_loaded_at: 1_700_000_002_000,
      _airbyte_generation_id: 3,
      _airbyte_meta: {
        sync_id: 42,
        changes: [{ field: 'name', change: 'TRUNCATED', reason: 'SOURCE_FIELD_SIZE_LIMITATION' }],
      },
    });
    expect(m.key).toEqual({ _airbyte_raw_id: m.item._airbyte_raw_id });
    expect(m.size).toBe(itemSize(m.item));
  });

  test('loaded time never precedes the sync start (overwrite compares them)', () => {
    const m = ok(typed({ now: () => 5 }).map(record({ a: 1 })));
    expect(m.item._airbyte_loaded_at).toEqual({ N: '1700000001000' });
  });

  test('TTL attribute in epoch seconds', () => {
    const m = ok(typed({ ttl: { attribute: 'expires', seconds: 60 } }).map(record({ a: 1 })));
    expect(m.item.expires).toEqual({ N: String(1_700_000_002 + 60) });
  });

  test('an item over 400 KB has its largest fields nulled until it fits, recorded', () => {
    const big = 'x'.repeat(300 * 1024);
    const mid = 'y'.repeat(150 * 1024);
    const m = ok(typed().map(record({ id: 1, big, mid, small: 'z' })));
    expect(m.item.big).toEqual({ NULL: true });
    expect(m.item.mid).toEqual({ S: mid });
    expect(m.size).toBeLessThanOrEqual(MAX_ITEM_BYTES);
    expect(m.size).toBe(itemSize(m.item));
    expect((fromAttributeValue(m.item._airbyte_meta!) as any).changes).toEqual([
      { field: 'big', change: 'NULLED', reason: 'DESTINATION_RECORD_SIZE_LIMITATION' },
    ]);
    const both = ok(
      typed().map(
        record({ a: 'a'.repeat(250 * 1024), b: 'b'.repeat(250 * 1024), c: 'c'.repeat(250 * 1024) }),
      ),
    );
    expect(['a', 'b', 'c'].filter((f) => 'NULL' in both.item[f]!)).toHaveLength(2);
    expect(both.size).toBeLessThanOrEqual(MAX_ITEM_BYTES);
  });

  test('an item that cannot fit is rejected (a key over the limit, metadata too large)', () => {
    const pk = primaryKeyPlan([['id']], { properties: { id: { type: 'string' } } });
    const dedup = typed({ dedup: true, primaryKey: pk, cursorField: [] });
    const r = dedup.map(record({ id: 'k'.repeat(3000) }));
    expect(isRejected(r)).toBe(true);
    const hugeChanges = Array.from({ length: 20_000 }, (_, i) => ({
      field: `f${'x'.repeat(20)}${i}`,
      change: 'NULLED' as const,
      reason: 'SOURCE_FIELD_SIZE_LIMITATION' as const,
    }));
    expect(isRejected(typed().map(record({ a: 1 }, { meta: { changes: hugeChanges } })))).toBe(true);
  });

  test('data fields named like metadata attributes are dropped, recorded', () => {
    const m = ok(typed().map(record({ _airbyte_raw_id: 'mine', a: 1 })));
    expect(m.item._airbyte_raw_id).not.toEqual({ S: 'mine' });
    expect((fromAttributeValue(m.item._airbyte_meta!) as any).changes).toEqual([
      { field: '_airbyte_raw_id', change: 'NULLED', reason: 'DESTINATION_SERIALIZATION_ERROR' },
    ]);
  });
});

describe('primary keys', () => {
  const schema = {
    properties: { id: { type: 'integer' }, cur: { type: 'string' }, d: { type: ['null', 'number'] } },
  };

  test('one field → HASH, two → HASH + RANGE, typed from the schema; more or nested → encoded', () => {
    expect(primaryKeyPlan([['id']], schema)).toEqual({
      kind: 'fields',
      attributes: [{ name: 'id', type: 'N', role: 'HASH' }],
    });
    expect(primaryKeyPlan([['cur'], ['d']], schema)).toEqual({
      kind: 'fields',
      attributes: [
        { name: 'cur', type: 'S', role: 'HASH' },
        { name: 'd', type: 'N', role: 'RANGE' },
      ],
    });
    expect(primaryKeyPlan([['id'], ['cur'], ['d']], schema).kind).toBe('encoded');
    expect(primaryKeyPlan([['a', 'b']], schema).kind).toBe('encoded');
  });

  test('key values in the key type, or a reason', () => {
    expect(keyValue(5, 'S', 'HASH')).toEqual({ ok: true, av: { S: '5' }, text: '5' });
    expect(keyValue('7', 'N', 'HASH')).toEqual({ ok: true, av: { N: '7' }, text: '7' });
    expect(keyValue('', 'S', 'HASH')).toEqual({ ok: false, reason: expect.stringMatching(/empty string/) });
    expect(keyValue(null, 'S', 'HASH')).toEqual({ ok: false, reason: 'is missing or null' });
    expect(keyValue('x', 'N', 'RANGE')).toEqual({ ok: false, reason: expect.stringMatching(/not a number/) });
    expect(keyValue('r'.repeat(1025), 'S', 'RANGE').ok).toBe(false);
  });

  test('dedup items: key, cursor, deletions', () => {
    const pk = primaryKeyPlan([['id'], ['cur'], ['d']], schema);
    const m = typed({ dedup: true, primaryKey: pk, cursorField: ['updated'] });
    const a = ok(m.map(record({ id: 1, cur: 'USD', d: 2.5, updated: '2020-01-02T00:00:00Z' })));
    expect(a.item._airbyte_pk).toEqual({ S: '[1,"USD",2.5]' });
    expect(a.key).toEqual({ _airbyte_pk: { S: '[1,"USD",2.5]' } });
    expect(a.item._airbyte_cursor).toEqual({ N: String(Date.parse('2020-01-02T00:00:00Z')) });
    const del = ok(
      m.map(record({ id: 1, cur: 'USD', d: 2.5, updated: '2020-01-03', _ab_cdc_deleted_at: '2020-01-03' })),
    );
    expect(del.deletion).toBe(true);
    expect(del.item).toEqual(del.key);
    expect(isRejected(m.map(record({ other: 1 })))).toBe(true);
  });
});

describe('cursors', () => {
  test('numbers, numeric text and dates order as numbers; null is oldest; text orders as text', () => {
    expect(compareCursors(cursorOf(2), cursorOf('10'))).toBeLessThan(0);
    expect(compareCursors(cursorOf('2020-01-02'), cursorOf('2020-01-01T23:00:00Z'))).toBeGreaterThan(0);
    expect(compareCursors(cursorOf(null), cursorOf(-1e300))).toBeLessThan(0);
    expect(compareCursors(cursorOf('b'), cursorOf('a'))).toBeGreaterThan(0);
    expect(compareCursors(cursorOf('a'), cursorOf(1))).toBe(0);
    expect(cursorAttribute(cursorOf(null))).toEqual({ N: '-9.9999999999999999999999999999999999999E+125' });
    expect(cursorAttribute(cursorOf(1e300))).toEqual({ N: '9.9999999999999999999999999999999999999E+125' });
    expect(cursorAttribute(cursorOf(true))).toEqual({ N: '1' });
  });
});

describe('raw items (upstream layout)', () => {
  test('_airbyte_ab_id, sync_time, _airbyte_data map, _airbyte_emitted_at, plus generation and load time', () => {
    const raw = new ItemMapper({
      layout: 'raw',
      dedup: false,
      cursorField: [],
      generationId: 0,
      syncId: null,
      syncStartedAt: 1_700_000_001_000,
      now: () => 1_700_000_002_000,
    });
    const m = ok(raw.map(record({ id: 1, s: 'x', o: { a: [true] } })));
    expect(fromAttributeValue({ M: m.item })).toEqual({
      _airbyte_ab_id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      sync_time: 1_700_000_001_000,
      _airbyte_data: { id: 1, s: 'x', o: { a: [true] } },
      _airbyte_emitted_at: 1_700_000_000_123,
      _airbyte_generation_id: 0,
      _airbyte_loaded_at: 1_700_000_002_000,
    });
    expect(m.size).toBe(itemSize(m.item));
    const big = ok(raw.map(record({ a: 'a'.repeat(300 * 1024), b: 'b'.repeat(200 * 1024) })));
    expect((big.item._airbyte_data as any).M.a).toEqual({ NULL: true });
    expect(fromAttributeValue(big.item._airbyte_meta!)).toEqual({
      sync_id: null,
      changes: [{ field: 'a', change: 'NULLED', reason: 'DESTINATION_RECORD_SIZE_LIMITATION' }],
    });
    expect(big.size).toBe(itemSize(big.item));
    expect(big.size).toBeLessThanOrEqual(MAX_ITEM_BYTES);
  });
});
