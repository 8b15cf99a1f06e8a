/// <reference types="jest" />
import fc from 'fast-check';
import { abstractTypeOf, describeSchema } from '../src/schema/abstract-type-of.js';
import { columnsOf } from '../src/schema/columns.js';

const wk = (name: string) => ({ $ref: `WellKnownTypes.json#/definitions/${name}` });

describe('abstractTypeOf', () => {
  it.each([
    [{ type: 'string' }, { kind: 'string' }],
    [{ type: 'integer' }, { kind: 'integer' }],
    [{ type: 'number' }, { kind: 'number' }],
    [{ type: 'boolean' }, { kind: 'boolean' }],
    [{ type: 'string', format: 'date' }, { kind: 'date' }],
    [{ type: 'string', format: 'date-time' }, { kind: 'timestamp_tz' }],
    [
      { type: 'string', format: 'date-time', airbyte_type: 'timestamp_with_timezone' },
      { kind: 'timestamp_tz' },
    ],
    [
      { type: 'string', format: 'date-time', airbyte_type: 'timestamp_without_timezone' },
      { kind: 'timestamp_ntz' },
    ],
    [{ type: 'string', format: 'time' }, { kind: 'time_tz' }],
    [{ type: 'string', format: 'time', airbyte_type: 'time_with_timezone' }, { kind: 'time_tz' }],
    [{ type: 'string', format: 'time', airbyte_type: 'time_without_timezone' }, { kind: 'time_ntz' }],
    [{ type: 'string', airbyte_type: 'timestamp_without_timezone' }, { kind: 'timestamp_ntz' }],
    [{ type: 'string', format: 'email' }, { kind: 'string' }],
    [
      { type: 'string', contentEncoding: 'base64' },
      { kind: 'string', binary: true },
    ],
    [{ type: 'number', airbyte_type: 'integer' }, { kind: 'integer' }],
    [{ type: 'number', airbyte_type: 'big_integer' }, { kind: 'integer' }],
    [{ type: 'string', airbyte_type: 'big_integer' }, { kind: 'integer' }],
    [{ type: 'string', airbyte_type: 'big_number' }, { kind: 'number' }],
    [wk('Integer'), { kind: 'integer' }],
    [wk('Number'), { kind: 'number' }],
    [wk('String'), { kind: 'string' }],
    [wk('Boolean'), { kind: 'boolean' }],
    [wk('Date'), { kind: 'date' }],
    [wk('TimestampWithTimezone'), { kind: 'timestamp_tz' }],
    [wk('TimestampWithoutTimezone'), { kind: 'timestamp_ntz' }],
    [wk('TimeWithTimezone'), { kind: 'time_tz' }],
    [wk('TimeWithoutTimezone'), { kind: 'time_ntz' }],
    [wk('BinaryData'), { kind: 'string', binary: true }],
    [wk('Nope'), { kind: 'unknown' }],
    [{ $ref: 'http://example.com/x.json', type: 'integer' }, { kind: 'integer' }],
    [{}, { kind: 'unknown' }],
    [true, { kind: 'unknown' }],
    [{ type: 'object' }, { kind: 'object' }],
    [
      { type: 'object', properties: {} },
      { kind: 'object', properties: {} },
    ],
    [
      { type: 'object', properties: { a: { type: 'integer' }, b: { type: ['null', 'string'] } } },
      { kind: 'object', properties: { a: { kind: 'integer' }, b: { kind: 'string' } } },
    ],
    [{ properties: { a: { type: 'boolean' } } }, { kind: 'object', properties: { a: { kind: 'boolean' } } }],
    [{ type: 'array' }, { kind: 'array' }],
    [
      { type: 'array', items: { type: 'number' } },
      { kind: 'array', items: { kind: 'number' } },
    ],
    [
      { type: 'array', items: {} },
      { kind: 'array', items: { kind: 'unknown' } },
    ],
    [{ type: 'array', items: [] }, { kind: 'array' }],
    [
      { type: 'array', items: [{ type: 'string' }, { type: 'integer' }] },
      { kind: 'array', items: { kind: 'union', options: [{ kind: 'string' }, { kind: 'integer' }] } },
    ],
    [{ items: { type: 'string' } }, { kind: 'array', items: { kind: 'string' } }],
    [{ type: ['null', 'integer'] }, { kind: 'integer' }],
    [{ type: ['string', 'integer'] }, { kind: 'union', options: [{ kind: 'string' }, { kind: 'integer' }] }],
    [
      { type: ['null', 'string', 'object'], format: 'date', properties: { x: { type: 'integer' } } },
      {
        kind: 'union',
        options: [{ kind: 'date' }, { kind: 'object', properties: { x: { kind: 'integer' } } }],
      },
    ],
    [{ oneOf: [{ type: 'null' }, { type: 'string' }] }, { kind: 'string' }],
    [{ anyOf: [{ type: 'string' }, { type: 'string' }] }, { kind: 'string' }],
    [
      {
        oneOf: [
          { type: 'string' },
          { type: 'integer' },
          { oneOf: [{ type: 'boolean' }, { type: 'string' }] },
        ],
      },
      { kind: 'union', options: [{ kind: 'string' }, { kind: 'integer' }, { kind: 'boolean' }] },
    ],
    [{ oneOf: [{ type: 'null' }] }, { kind: 'unknown' }],
    [{ oneOf: [] }, { kind: 'unknown' }],
    [
      {
        allOf: [
          { type: 'object', properties: { a: { type: 'string' } } },
          { properties: { b: { type: 'integer' } } },
        ],
      },
      { kind: 'object', properties: { a: { kind: 'string' }, b: { kind: 'integer' } } },
    ],
    [{ allOf: [{ type: 'integer' }] }, { kind: 'integer' }],
    [{ allOf: [{ type: 'integer' }, { type: 'string' }] }, { kind: 'unknown' }],
    ['string', { kind: 'string' }],
    [{ type: 'mystery' }, { kind: 'unknown' }],
    [{ type: 42 }, { kind: 'unknown' }],
    [{ type: [] }, { kind: 'unknown' }],
    [null, { kind: 'unknown' }],
    [42, { kind: 'unknown' }],
    [[{ type: 'string' }], { kind: 'unknown' }],
  ])('%j -> %j', (schema, expected) => {
    expect(abstractTypeOf(schema)).toEqual(expected);
  });

  it('resolves local $refs, and survives ref cycles', () => {
    const schema = {
      definitions: { Money: { type: 'number' }, Loop: { $ref: '#/definitions/Loop' } },
      type: 'object',
      properties: { price: { $ref: '#/definitions/Money' }, loop: { $ref: '#/definitions/Loop' } },
    };
    expect(abstractTypeOf(schema)).toEqual({
      kind: 'object',
      properties: { price: { kind: 'number' }, loop: { kind: 'unknown' } },
    });
  });

  it('keeps a property named __proto__ as a property', () => {
    const schema = JSON.parse('{"type":"object","properties":{"__proto__":{"type":"integer"}}}');
    const type = abstractTypeOf(schema);
    expect(type.kind).toBe('object');
    if (type.kind !== 'object') return;
    expect(Object.keys(type.properties ?? {})).toEqual(['__proto__']);
    expect(Object.getPrototypeOf(type.properties)).toBe(Object.prototype);
  });

  it('does not share well-known type objects between results', () => {
    const a = abstractTypeOf(wk('BinaryData'));
    (a as { binary?: boolean }).binary = false;
    expect(abstractTypeOf(wk('BinaryData'))).toEqual({ kind: 'string', binary: true });
  });

  it('never throws on arbitrary JSON', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (schema) => {
        expect(() => describeSchema(schema)).not.toThrow();
        expect(() => columnsOf(schema)).not.toThrow();
      }),
      { numRuns: 500 },
    );
  });

  it('never throws on schema-shaped random input', () => {
    const letter = fc.constantFrom(
      'type',
      'format',
      'airbyte_type',
      'properties',
      'items',
      'oneOf',
      'anyOf',
      'allOf',
      '$ref',
    );
    const schema = fc.letrec((tie) => ({
      node: fc.oneof(
        { depthSize: 'small' },
        fc.constantFrom(
          'string',
          'null',
          'integer',
          'object',
          'array',
          '#',
          '#/properties',
          true,
          false,
          null,
          7,
        ),
        fc.array(tie('node'), { maxLength: 3 }),
        fc.dictionary(letter, tie('node'), { maxKeys: 4 }),
      ),
    })).node;
    fc.assert(
      fc.property(schema, (s) => {
        expect(() => describeSchema(s)).not.toThrow();
      }),
      { numRuns: 1000 },
    );
  });
});

describe('describeSchema nullability', () => {
  it.each([
    [{ type: 'string' }, false],
    [{ type: ['null', 'string'] }, true],
    [{ type: ['string', 'null'] }, true],
    [{ oneOf: [{ type: 'null' }, { type: 'integer' }] }, true],
    [{ anyOf: [{ type: ['null', 'integer'] }, { type: 'string' }] }, true],
    [{ anyOf: [{ type: 'integer' }, { type: 'string' }] }, false],
    [{ type: 'null' }, true],
    [{}, true],
    [true, true],
    [wk('Integer'), false],
    [{ ...wk('Integer'), type: ['null', 'integer'] }, true],
  ])('%j nullable=%j', (schema, nullable) => {
    expect(describeSchema(schema).nullable).toBe(nullable);
  });
});

describe('columnsOf', () => {
  it('lists top-level properties in declaration order with types, nullability and required', () => {
    const schema = {
      type: 'object',
      required: ['id'],
      definitions: { Ts: { type: 'string', format: 'date-time' } },
      properties: {
        id: { type: 'integer' },
        name: { type: ['null', 'string'] },
        updated_at: { $ref: '#/definitions/Ts' },
        tags: { type: 'array', items: { type: 'string' } },
        blob: {},
      },
    };
    expect(columnsOf(schema)).toEqual([
      { name: 'id', type: { kind: 'integer' }, nullable: false, required: true },
      { name: 'name', type: { kind: 'string' }, nullable: true, required: false },
      { name: 'updated_at', type: { kind: 'timestamp_tz' }, nullable: false, required: false },
      { name: 'tags', type: { kind: 'array', items: { kind: 'string' } }, nullable: false, required: false },
      { name: 'blob', type: { kind: 'unknown' }, nullable: true, required: false },
    ]);
  });

  it('gives [] for schemas without properties', () => {
    expect(columnsOf({ type: 'object' })).toEqual([]);
    expect(columnsOf({ type: 'object', properties: [] })).toEqual([]);
    expect(columnsOf(undefined)).toEqual([]);
    expect(columnsOf('object')).toEqual([]);
  });

  it('maps the bulk CDK testBasicTypes schema', () => {
    const schema = {
      type: 'object',
      properties: {
        id: { type: 'integer' },
        struct: { type: 'object', properties: { foo: { type: 'number' } } },
        string: { type: 'string' },
        number: { type: 'number' },
        integer: { type: 'integer' },
        boolean: { type: 'boolean' },
        timestamp_with_timezone: wk('TimestampWithTimezone'),
        timestamp_without_timezone: wk('TimestampWithoutTimezone'),
        time_with_timezone: wk('TimeWithTimezone'),
        time_without_timezone: wk('TimeWithoutTimezone'),
        date: wk('Date'),
      },
    };
    expect(columnsOf(schema).map((c) => [c.name, c.type.kind])).toEqual([
      ['id', 'integer'],
      ['struct', 'object'],
      ['string', 'string'],
      ['number', 'number'],
      ['integer', 'integer'],
      ['boolean', 'boolean'],
      ['timestamp_with_timezone', 'timestamp_tz'],
      ['timestamp_without_timezone', 'timestamp_ntz'],
      ['time_with_timezone', 'time_tz'],
      ['time_without_timezone', 'time_ntz'],
      ['date', 'date'],
    ]);
  });
});
