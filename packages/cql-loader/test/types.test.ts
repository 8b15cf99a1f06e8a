import cassandra from 'cassandra-driver';
import {
  convert,
  converterFor,
  cqlTypeFor,
  fieldKind,
  MAX_CELL_BYTES,
  parseTimestampMs,
} from '../src/types.js';

const typeOf = (schema: unknown, native = false) => cqlTypeFor(fieldKind(schema), native);

describe('JSON schema -> CQL type', () => {
  it.each([
    [{ type: 'integer' }, 'bigint'],
    [{ type: ['null', 'integer'] }, 'bigint'],
    [{ type: 'integer', airbyte_type: 'big_integer' }, 'varint'],
    [{ type: 'string', airbyte_type: 'big_integer' }, 'varint'],
    [{ type: 'number', airbyte_type: 'integer' }, 'bigint'],
    [{ type: 'number' }, 'double'],
    [{ type: ['integer', 'number'] }, 'double'],
    [{ type: 'boolean' }, 'boolean'],
    [{ type: 'string' }, 'text'],
    [{ type: 'string', format: 'date' }, 'date'],
    [{ type: 'string', format: 'date-time' }, 'timestamp'],
    [{ type: 'string', format: 'date-time', airbyte_type: 'timestamp_without_timezone' }, 'timestamp'],
    [{ type: 'string', format: 'time' }, 'time'],
    [{ type: 'object', properties: { a: { type: 'string' } } }, 'text'],
    [{ type: 'array', items: { type: 'integer' } }, 'text'],
    [{ type: ['string', 'integer'] }, 'text'],
    [{ oneOf: [{ type: 'string' }, { type: 'integer' }] }, 'text'],
    [{ oneOf: [{ type: 'null' }, { type: 'integer' }] }, 'bigint'],
    [{}, 'text'],
    [{ $ref: 'WellKnownTypes.json#/definitions/Integer' }, 'bigint'],
    [{ $ref: 'WellKnownTypes.json#/definitions/TimestampWithTimezone' }, 'timestamp'],
    [{ $ref: 'WellKnownTypes.json#/definitions/Date' }, 'date'],
  ])('%j -> %s', (schema, cql) => {
    expect(typeOf(schema)).toBe(cql);
  });

  it('native collections for arrays and maps of primitives when asked', () => {
    expect(typeOf({ type: 'array', items: { type: 'string' } }, true)).toBe('list<text>');
    expect(typeOf({ type: 'object', additionalProperties: { type: 'integer' } }, true)).toBe(
      'map<text, bigint>',
    );
    expect(typeOf({ type: 'array', items: { type: 'object' } }, true)).toBe('text');
  });
});

function ok(type: string, value: unknown): unknown {
  const r = convert(converterFor(type), value);
  if (!('value' in r)) throw new Error(`expected a value, got ${r.reason}`);
  return r.value;
}
function reason(type: string, value: unknown): string | undefined {
  const r = convert(converterFor(type), value);
  return 'reason' in r ? r.reason : undefined;
}

describe('value conversion', () => {
  it('bigint: in range, out of range (size), not an integer (serialization)', () => {
    expect(ok('bigint', 5)).toBe(5);
    expect(String(ok('bigint', '9223372036854775807'))).toBe('9223372036854775807');
    expect(reason('bigint', 1e32)).toBe('DESTINATION_FIELD_SIZE_LIMITATION');
    expect(reason('bigint', '9223372036854775808')).toBe('DESTINATION_FIELD_SIZE_LIMITATION');
    expect(reason('bigint', 1.5)).toBe('DESTINATION_SERIALIZATION_ERROR');
    expect(reason('bigint', 'abc')).toBe('DESTINATION_SERIALIZATION_ERROR');
    expect(reason('int', 2 ** 31)).toBe('DESTINATION_FIELD_SIZE_LIMITATION');
  });

  it('varint takes any integer', () => {
    expect(String(ok('varint', '123456789012345678901234567890'))).toBe('123456789012345678901234567890');
    expect(String(ok('varint', 1e32))).toBe('100000000000000005366162204393472');
  });

  it('double keeps huge numbers; decimal reads exponents', () => {
    expect(ok('double', 1e39)).toBe(1e39);
    expect(ok('double', -1e39)).toBe(-1e39);
    expect(ok('double', '2.5')).toBe(2.5);
    expect(String(ok('decimal', '1.5e3'))).toBe('1500');
    expect(String(ok('decimal', 0.25))).toBe('0.25');
    expect(reason('float', 1e39)).toBe('DESTINATION_FIELD_SIZE_LIMITATION');
  });

  it('text: strings as is, everything else as JSON; over the cell limit is a size limitation', () => {
    expect(ok('text', 'a\nb')).toBe('a\nb');
    expect(ok('text', { a: [1] })).toBe('{"a":[1]}');
    expect(ok('text', 5)).toBe('5');
    expect(reason('text', 'x'.repeat(MAX_CELL_BYTES + 1))).toBe('DESTINATION_FIELD_SIZE_LIMITATION');
    expect(reason('ascii', 'é')).toBe('DESTINATION_SERIALIZATION_ERROR');
  });

  it('timestamps: with or without zone (no zone = UTC), fractions, invalid', () => {
    expect(parseTimestampMs('2020-08-30T00:00:00.000000-04:00')).toBe(Date.UTC(2020, 7, 30, 4));
    expect(parseTimestampMs('2022-02-28 10:11:12')).toBe(Date.UTC(2022, 1, 28, 10, 11, 12));
    expect(parseTimestampMs('2022-02-28T10:11:12.123456+05:30')).toBe(Date.UTC(2022, 1, 28, 4, 41, 12, 123));
    expect(parseTimestampMs('2023-01-23T12:34:00Z')).toBe(Date.UTC(2023, 0, 23, 12, 34));
    expect(reason('timestamp', 'yesterday')).toBe('DESTINATION_SERIALIZATION_ERROR');
    expect(reason('timestamp', '2023-02-30T00:00:00Z')).toBe('DESTINATION_SERIALIZATION_ERROR');
    expect(ok('timestamp', '1970-01-01T00:00:01Z')).toBe(1000);
  });

  it('dates and times', () => {
    expect(String(ok('date', '2023-01-23'))).toBe('2023-01-23');
    expect(String(ok('date', '0001-01-01'))).toBe('0001-01-01');
    expect(reason('date', '2023-02-30')).toBe('DESTINATION_SERIALIZATION_ERROR');
    expect(String(ok('time', '12:34:56'))).toBe('12:34:56');
    expect(String(ok('time', '11:34:56-01:00'))).toBe('12:34:56');
    expect(String(ok('time', '23:59:59.999'))).toBe('23:59:59.999');
    expect(reason('time', '25:00')).toBe('DESTINATION_SERIALIZATION_ERROR');
  });

  it('booleans, uuids, blobs', () => {
    expect(ok('boolean', 'true')).toBe(true);
    expect(reason('boolean', 'maybe')).toBe('DESTINATION_SERIALIZATION_ERROR');
    expect(ok('uuid', '123e4567-e89b-12d3-a456-426614174000')).toBeInstanceOf(cassandra.types.Uuid);
    expect(reason('uuid', 'nope')).toBe('DESTINATION_SERIALIZATION_ERROR');
    expect((ok('blob', Buffer.from('hi').toString('base64')) as Buffer).toString()).toBe('hi');
  });

  it('collections: element-wise, nulls inside do not fit', () => {
    expect(ok('list<bigint>', [1, 2])).toEqual([1, 2]);
    expect(ok('frozen<list<text>>', ['a'])).toEqual(['a']);
    expect(ok('map<text, double>', { a: 1.5 })).toEqual({ a: 1.5 });
    expect(reason('list<bigint>', [1, null])).toBe('DESTINATION_SERIALIZATION_ERROR');
    expect(reason('list<bigint>', 'x')).toBe('DESTINATION_SERIALIZATION_ERROR');
    expect(reason('tuple<int, int>', [1, 2])).toBe('DESTINATION_SERIALIZATION_ERROR');
  });
});
