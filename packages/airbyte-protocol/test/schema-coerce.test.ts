/// <reference types="jest" />
import fc from 'fast-check';
import type { AbstractType } from '../src/schema/abstract-type.js';
import { type CoerceOptions, coerceValue } from '../src/schema/coerce.js';
import { parseTimestampTz } from '../src/schema/temporal.js';

const t = (kind: AbstractType['kind']) => ({ kind }) as AbstractType;
const ok = (value: unknown) => ({ ok: true, value });
const SERIAL = { ok: false, reason: 'DESTINATION_SERIALIZATION_ERROR' };
const SIZE = { ok: false, reason: 'DESTINATION_FIELD_SIZE_LIMITATION' };

function coerce(kind: AbstractType['kind'], value: unknown, opts?: CoerceOptions) {
  return coerceValue(t(kind), value, opts);
}

describe('coerceValue: null and pass-through', () => {
  it.each(['integer', 'number', 'string', 'date', 'timestamp_tz', 'object', 'union'] as const)(
    '%s passes null and undefined through',
    (kind) => {
      expect(coerce(kind, null)).toEqual(ok(null));
      expect(coerce(kind, undefined)).toEqual(ok(undefined));
    },
  );

  it('passes anything through union and unknown', () => {
    for (const v of [1, 'x', { a: 1 }, [1], true]) {
      expect(coerce('unknown', v)).toEqual(ok(v));
      expect(coerceValue({ kind: 'union', options: [t('string'), t('integer')] }, v)).toEqual(ok(v));
    }
  });
});

describe('coerceValue: integer', () => {
  it.each([
    [42, ok(42)],
    [0, ok(0)],
    [-1, ok(-1)],
    [-0, ok(0)],
    [1.0, ok(1)],
    ['42', ok(42)],
    ['+7', ok(7)],
    ['-007', ok(-7)],
    [Number.MAX_SAFE_INTEGER, ok(Number.MAX_SAFE_INTEGER)],
    [12n, ok(12)],
    ['99999999999999999999999999999999', ok(99999999999999999999999999999999n)],
    ['-99999999999999999999999999999999', ok(-99999999999999999999999999999999n)],
    // JSON.parse already made this 1e32; the bigint is that double's exact value.
    [JSON.parse('99999999999999999999999999999999'), ok(BigInt(1e32))],
    [1.5, SERIAL],
    [Number.NaN, SERIAL],
    [Number.POSITIVE_INFINITY, SERIAL],
    ['1.5', SERIAL],
    ['1e3', SERIAL],
    [' 1', SERIAL],
    ['', SERIAL],
    ['foo', SERIAL],
    [true, SERIAL],
    [{}, SERIAL],
  ])('%p -> %p', (value, expected) => {
    expect(coerce('integer', value)).toEqual(expected);
  });

  it('maxIntegerBits turns out-of-range values into DESTINATION_FIELD_SIZE_LIMITATION', () => {
    const int64 = { maxIntegerBits: 64 };
    expect(coerce('integer', JSON.parse('99999999999999999999999999999999'), int64)).toEqual(SIZE);
    expect(coerce('integer', '-99999999999999999999999999999999', int64)).toEqual(SIZE);
    expect(coerce('integer', '9223372036854775807', int64)).toEqual(ok(9223372036854775807n));
    expect(coerce('integer', '9223372036854775808', int64)).toEqual(SIZE);
    expect(coerce('integer', '-9223372036854775808', int64)).toEqual(ok(-9223372036854775808n));
    expect(coerce('integer', 2 ** 31, { maxIntegerBits: 32 })).toEqual(SIZE);
    expect(coerce('integer', -(2 ** 31), { maxIntegerBits: 32 })).toEqual(ok(-(2 ** 31)));
  });
});

describe('coerceValue: number', () => {
  it.each([
    [42.1, ok(42.1)],
    [0.0, ok(0)],
    [-0.0, ok(0)],
    [-1.0, ok(-1)],
    [1e39, ok(1e39)],
    [-2e39, ok(-2e39)],
    [JSON.parse('50000.0000000000000001'), ok(50000)],
    ['3.25', ok(3.25)],
    ['-1e39', ok(-1e39)],
    ['.5', ok(0.5)],
    ['5.', ok(5)],
    [10n, ok(10)],
    ['1e400', SIZE],
    [Number.NaN, SERIAL],
    [Number.POSITIVE_INFINITY, SERIAL],
    [Number.NEGATIVE_INFINITY, SERIAL],
    ['NaN', SERIAL],
    ['Infinity', SERIAL],
    ['foo', SERIAL],
    ['', SERIAL],
    ['1,5', SERIAL],
    [false, SERIAL],
  ])('%p -> %p', (value, expected) => {
    expect(coerce('number', value)).toEqual(expected);
  });

  it('keeps -0 out of the output', () => {
    const r = coerce('number', -0);
    expect(r.ok && Object.is(r.value, 0)).toBe(true);
  });

  it('maxAbsNumber limits the magnitude', () => {
    expect(coerce('number', 1e39, { maxAbsNumber: 1e38 })).toEqual(SIZE);
    expect(coerce('number', -2e39, { maxAbsNumber: 1e38 })).toEqual(SIZE);
    expect(coerce('number', 1e38, { maxAbsNumber: 1e38 })).toEqual(ok(1e38));
  });
});

describe('coerceValue: boolean and string', () => {
  it.each([
    [true, ok(true)],
    [false, ok(false)],
    ['true', ok(true)],
    ['FALSE', ok(false)],
    ['foo', SERIAL],
    [1, SERIAL],
    [0, SERIAL],
  ])('boolean %p -> %p', (value, expected) => {
    expect(coerce('boolean', value)).toEqual(expected);
  });

  it('accepts strings and, by default, primitives as text', () => {
    expect(coerce('string', 'foo\nbar')).toEqual(ok('foo\nbar'));
    expect(coerce('string', 42)).toEqual(ok('42'));
    expect(coerce('string', true)).toEqual(ok('true'));
    expect(coerce('string', 5n)).toEqual(ok('5'));
    expect(coerce('string', {})).toEqual(SERIAL);
    expect(coerce('string', [1])).toEqual(SERIAL);
  });

  it('stringify: all serialises containers; none accepts only strings', () => {
    expect(coerce('string', {}, { stringify: 'all' })).toEqual(ok('{}'));
    expect(coerce('string', [1, 'a'], { stringify: 'all' })).toEqual(ok('[1,"a"]'));
    expect(coerce('string', 42, { stringify: 'none' })).toEqual(SERIAL);
    expect(coerce('string', 'x', { stringify: 'none' })).toEqual(ok('x'));
  });
});

describe('coerceValue: object and array', () => {
  it('requires the matching container', () => {
    expect(coerce('object', { a: 1 })).toEqual(ok({ a: 1 }));
    expect(coerce('object', [1])).toEqual(SERIAL);
    expect(coerce('object', '{}')).toEqual(SERIAL);
    expect(coerce('array', [1])).toEqual(ok([1]));
    expect(coerce('array', { 0: 1 })).toEqual(SERIAL);
    expect(coerce('array', 'x')).toEqual(SERIAL);
  });
});

describe('coerceValue: date', () => {
  it.each([
    ['2023-01-23', { epochDay: 19380, iso: '2023-01-23' }],
    ['1970-01-01', { epochDay: 0, iso: '1970-01-01' }],
    ['1969-12-31', { epochDay: -1, iso: '1969-12-31' }],
    ['2024-02-29', { epochDay: 19782, iso: '2024-02-29' }],
    ['0001-01-01', { epochDay: -719162, iso: '0001-01-01' }],
    ['-0044-03-15', { epochDay: -735525, iso: '-000044-03-15' }],
    // A date-time gives its date as written, not shifted to UTC.
    ['2023-01-23T23:30:00-05:00', { epochDay: 19380, iso: '2023-01-23' }],
    ['2023-01-23 01:00:00', { epochDay: 19380, iso: '2023-01-23' }],
  ])('%p -> %p', (value, expected) => {
    expect(coerce('date', value)).toEqual(ok(expected));
  });

  it.each([
    '2023-02-29',
    '2023-13-01',
    '2023-00-10',
    '2023-01-32',
    '2023-1-23',
    '23-01-23',
    'foo',
    '',
    '2023-01-23-01',
  ])('rejects %p', (value) => {
    expect(coerce('date', value)).toEqual(SERIAL);
  });

  it('rejects non-strings', () => {
    expect(coerce('date', 19380)).toEqual(SERIAL);
    expect(coerce('date', {})).toEqual(SERIAL);
  });
});

describe('coerceValue: timestamp_tz', () => {
  it.each([
    ['2023-01-23T11:34:56-01:00', 1674477296000, 0, -60, '2023-01-23T12:34:56Z'],
    ['2023-01-23T11:34:00-01:00', 1674477240000, 0, -60, '2023-01-23T12:34:00Z'],
    ['2023-01-23T12:34:56Z', 1674477296000, 0, 0, '2023-01-23T12:34:56Z'],
    ['2023-01-23T12:34:56z', 1674477296000, 0, 0, '2023-01-23T12:34:56Z'],
    ['2023-01-23T12:34:56', 1674477296000, 0, 0, '2023-01-23T12:34:56Z'],
    ['2023-01-23 12:34:56+0130', 1674471896000, 0, 90, '2023-01-23T11:04:56Z'],
    ['2023-01-23T12:34:56+01', 1674473696000, 0, 60, '2023-01-23T11:34:56Z'],
    ['2023-01-23T12:34Z', 1674477240000, 0, 0, '2023-01-23T12:34:00Z'],
    ['2023-01-23', 1674432000000, 0, 0, '2023-01-23T00:00:00Z'],
    ['2023-01-23T12:34:56.1Z', 1674477296100, 0, 0, '2023-01-23T12:34:56.100Z'],
    ['2023-01-23T12:34:56.123456Z', 1674477296123, 456000, 0, '2023-01-23T12:34:56.123456Z'],
    ['2023-01-23T12:34:56,123456789Z', 1674477296123, 456789, 0, '2023-01-23T12:34:56.123456789Z'],
    ['1969-12-31T23:59:59.999Z', -1, 0, 0, '1969-12-31T23:59:59.999Z'],
    ['1900-01-01T00:00:00+18:00', -2209053600000, 0, 1080, '1899-12-31T06:00:00Z'],
  ])('%p', (value, epochMillis, nanosOfMilli, offsetMinutes, iso) => {
    expect(coerce('timestamp_tz', value)).toEqual(ok({ epochMillis, nanosOfMilli, offsetMinutes, iso }));
  });

  it('agrees with Date for ISO strings with a zone', () => {
    fc.assert(
      fc.property(
        fc.date({
          min: new Date('0001-01-01T00:00:00Z'),
          max: new Date('9999-12-31T23:59:59Z'),
          noInvalidDate: true,
        }),
        (d) => {
          const r = parseTimestampTz(d.toISOString());
          expect(r).toMatchObject({ epochMillis: d.getTime(), nanosOfMilli: 0, offsetMinutes: 0 });
          if (typeof r === 'object') expect(new Date(r.iso).getTime()).toBe(d.getTime());
        },
      ),
      { numRuns: 500 },
    );
  });

  it.each([
    'foo',
    '',
    '2023-01-23T24:00:00Z',
    '2023-01-23T12:60:00Z',
    '2023-01-23T12:34:60Z',
    '2023-02-30T00:00:00Z',
    '2023-01-23T12:34:56+19:00',
    '2023-01-23T12:34:56+01:60',
    '2023-01-23T12:34:56.1234567890Z',
    '2023-01-23T12Z',
    '12:34:56',
  ])('rejects %p', (value) => {
    expect(coerce('timestamp_tz', value)).toEqual(SERIAL);
  });

  it('reports years beyond the Date range as a size limitation', () => {
    expect(coerce('timestamp_tz', '+300000-01-01T00:00:00Z')).toEqual(SIZE);
    expect(coerce('timestamp_ntz', '-300000-01-01T00:00:00')).toEqual(SIZE);
    expect(coerce('date', '+300000-01-01')).toEqual(SIZE);
  });
});

describe('coerceValue: timestamp_ntz', () => {
  it.each([
    ['2023-01-23T12:34:56', 1674477296000, 0, '2023-01-23T12:34:56'],
    ['2023-01-23T12:34:00', 1674477240000, 0, '2023-01-23T12:34:00'],
    // The zone is dropped and the wall clock kept.
    ['2023-01-23T12:34:56-01:00', 1674477296000, 0, '2023-01-23T12:34:56'],
    ['2023-01-23T12:34:56.000001', 1674477296000, 1000, '2023-01-23T12:34:56.000001'],
  ])('%p', (value, epochMillis, nanosOfMilli, iso) => {
    expect(coerce('timestamp_ntz', value)).toEqual(ok({ epochMillis, nanosOfMilli, iso }));
  });

  it('rejects invalid strings', () => {
    expect(coerce('timestamp_ntz', 'foo')).toEqual(SERIAL);
    expect(coerce('timestamp_ntz', 1674477296000)).toEqual(SERIAL);
  });
});

describe('coerceValue: time', () => {
  const ns = (h: number, m: number, s: number, frac = 0) => ((h * 60 + m) * 60 + s) * 1e9 + frac;

  it.each([
    ['11:34:56-01:00', ns(11, 34, 56), -60, '11:34:56-01:00'],
    ['11:34:00-01:00', ns(11, 34, 0), -60, '11:34:00-01:00'],
    ['11:34:56Z', ns(11, 34, 56), 0, '11:34:56Z'],
    ['11:34:56', ns(11, 34, 56), 0, '11:34:56Z'],
    ['11:34', ns(11, 34, 0), 0, '11:34:00Z'],
    ['23:59:59.999999999+05:30', ns(23, 59, 59, 999999999), 330, '23:59:59.999999999+05:30'],
    ['00:00:00.5+0000', ns(0, 0, 0, 500000000), 0, '00:00:00.500Z'],
  ])('time_tz %p', (value, nanosOfDay, offsetMinutes, iso) => {
    expect(coerce('time_tz', value)).toEqual(ok({ nanosOfDay, offsetMinutes, iso }));
  });

  it.each([
    ['12:34:56', ns(12, 34, 56), '12:34:56'],
    ['12:34:00', ns(12, 34, 0), '12:34:00'],
    ['12:34:56.123', ns(12, 34, 56, 123000000), '12:34:56.123'],
    ['12:34:56+02:00', ns(12, 34, 56), '12:34:56'],
  ])('time_ntz %p', (value, nanosOfDay, iso) => {
    expect(coerce('time_ntz', value)).toEqual(ok({ nanosOfDay, iso }));
  });

  it.each(['foo', '', '24:00:00', '12:60', '1:23', '12:34:56.', '2023-01-23T12:34:56'])(
    'rejects %p',
    (value) => {
      expect(coerce('time_tz', value)).toEqual(SERIAL);
      expect(coerce('time_ntz', value)).toEqual(SERIAL);
    },
  );
});

describe('coerceValue: the bulk CDK testBasicTypes records', () => {
  const schema: Record<string, AbstractType> = {
    string: t('string'),
    number: t('number'),
    integer: t('integer'),
    boolean: t('boolean'),
    timestamp_with_timezone: t('timestamp_tz'),
    timestamp_without_timezone: t('timestamp_ntz'),
    time_with_timezone: t('time_tz'),
    time_without_timezone: t('time_ntz'),
    date: t('date'),
  };

  it('accepts every valid value and refuses every "foo" with DESTINATION_SERIALIZATION_ERROR', () => {
    const valid = JSON.parse(`{
      "string": "foo", "number": 42.1, "integer": 42, "boolean": true,
      "timestamp_with_timezone": "2023-01-23T11:34:56-01:00",
      "timestamp_without_timezone": "2023-01-23T12:34:56",
      "time_with_timezone": "11:34:56-01:00", "time_without_timezone": "12:34:56",
      "date": "2023-01-23"}`) as Record<string, unknown>;
    for (const [field, type] of Object.entries(schema)) {
      expect([field, coerceValue(type, valid[field]).ok]).toEqual([field, true]);
      const bad = field === 'string' ? {} : 'foo';
      expect([field, coerceValue(type, bad)]).toEqual([field, SERIAL]);
    }
  });

  it('handles the numeric edge records with an int64/decimal(38) destination', () => {
    const record = JSON.parse(
      '{"integer": 99999999999999999999999999999999, "number": 1.0000000000000000000000000000000000000000e39}',
    ) as Record<string, unknown>;
    const limits = { maxIntegerBits: 64, maxAbsNumber: 1e38 };
    expect(coerceValue(schema.integer!, record.integer, limits)).toEqual(SIZE);
    expect(coerceValue(schema.number!, record.number, limits)).toEqual(SIZE);
    expect(coerceValue(schema.integer!, JSON.parse('-99999999999999999999999999999999'), limits)).toEqual(
      SIZE,
    );
    expect(
      coerceValue(schema.number!, JSON.parse('-2.0000000000000000000000000000000000000000e39'), limits),
    ).toEqual(SIZE);
    expect(coerceValue(schema.integer!, 0, limits)).toEqual(ok(0));
    expect(coerceValue(schema.number!, JSON.parse('-0.0'), limits)).toEqual(ok(0));
    expect(coerceValue(schema.integer!, -1, limits)).toEqual(ok(-1));
    expect(coerceValue(schema.number!, JSON.parse('-1.0'), limits)).toEqual(ok(-1));
  });
});
