// Fixtures written for this project, modelled on the descriptions of the upstream acceptance test's
// exchange-rate and edge-case data sets.
import { type Json, legacyState, record, type StreamDef, streamState } from './harness.js';

const T0 = Date.UTC(2024, 0, 1);

export const exchangeRateStreams: StreamDef[] = [
  {
    name: 'exchange_rate',
    schema: {
      type: 'object',
      properties: {
        id: { type: 'integer' },
        currency: { type: 'string' },
        date: { type: 'string', format: 'date' },
        timestamp_col: { type: 'string', format: 'date-time' },
        HKD: { type: 'number' },
        NZD: { type: 'number' },
        'HKD@spéçiäl & characters': { type: 'number' },
        USD: { type: 'number' },
      },
    },
  },
  {
    name: 'dummy_stream',
    schema: { type: 'object', properties: { id: { type: 'integer' }, note: { type: 'string' } } },
  },
];

export const exchangeRateData: Array<{ stream: string; data: Json }> = [
  {
    stream: 'exchange_rate',
    data: {
      id: 1,
      currency: 'USD',
      date: '2020-08-29',
      timestamp_col: '2020-08-29T00:00:00.000000Z',
      NZD: 1.14,
      HKD: 2.13,
      'HKD@spéçiäl & characters': 2.13,
      USD: 1,
    },
  },
  {
    stream: 'exchange_rate',
    data: {
      id: 2,
      currency: 'EUR',
      date: '2020-08-30',
      timestamp_col: '2020-08-30T00:00:00.000000-04:00',
      NZD: 3.89,
      HKD: 7.15,
      'HKD@spéçiäl & characters': 7.15,
      USD: 10.16,
    },
  },
  {
    stream: 'exchange_rate',
    data: {
      id: 3,
      currency: 'GBP',
      date: '2020-08-31',
      timestamp_col: '2020-08-31T00:00:00.000000+07:00',
      NZD: 1.14,
      HKD: 9.2,
      'HKD@spéçiäl & characters': 9.2,
      USD: 1.4,
    },
  },
  {
    stream: 'exchange_rate',
    data: {
      id: 4,
      currency: 'JPY',
      date: '2020-09-01',
      timestamp_col: '2020-09-01T00:00:00Z',
      NZD: 0.0137,
      HKD: 0.073,
      'HKD@spéçiäl & characters': 0.073,
      USD: 0.0094,
    },
  },
  { stream: 'dummy_stream', data: { id: 1, note: 'sibling' } },
];

export function exchangeRateMessages(times = 1): Json[] {
  const out: Json[] = [];
  let t = T0;
  for (let i = 0; i < times; i++) {
    for (const r of exchangeRateData) out.push(record(r.stream, r.data, { emittedAt: t++ }));
    if (i === 0) out.push(streamState('exchange_rate', { checkpoint: 1 }));
  }
  out.push(streamState('exchange_rate', { checkpoint: 2 }));
  out.push(streamState('dummy_stream', { checkpoint: 1 }));
  return out;
}

export const edgeCaseStreams: StreamDef[] = [
  {
    name: 'streamWithCamelCase',
    schema: { type: 'object', properties: { data: { type: 'integer' }, someFieldName: { type: 'string' } } },
  },
  {
    name: 'stream-with:spécial:character_names',
    schema: {
      type: 'object',
      properties: {
        field_with_spécial_character: { type: 'string' },
        'field with spaces': { type: 'string' },
      },
    },
  },
  {
    name: 'CapitalCase',
    schema: { type: 'object', properties: { ID: { type: 'integer' }, Name: { type: 'string' } } },
  },
  {
    name: 'reserved_keywords',
    schema: {
      type: 'object',
      properties: { order: { type: 'integer' }, select: { type: 'string' }, from: { type: 'boolean' } },
    },
  },
  {
    name: 'groups',
    schema: { type: 'object', properties: { authorization: { type: 'string' }, key: { type: 'string' } } },
  },
  {
    name: 'sparse_nested_stream',
    schema: {
      type: 'object',
      properties: {
        id: { type: 'integer' },
        a: { type: ['null', 'string'] },
        b: { type: ['null', 'number'] },
        nested: { type: ['null', 'object'], properties: { x: { type: 'string' } } },
        list: { type: ['null', 'array'], items: { type: 'integer' } },
      },
    },
  },
  {
    name: 'binary_and_dates',
    schema: {
      type: 'object',
      properties: {
        id: { type: 'integer' },
        blob: { type: 'string', contentEncoding: 'base64' },
        d: { type: 'string', format: 'date' },
        dt: { type: 'string', format: 'date-time' },
        dt_local: { type: 'string', format: 'date-time', airbyte_type: 'timestamp_without_timezone' },
        t: { type: 'string', format: 'time' },
      },
    },
  },
];

export const edgeCaseData: Array<{ stream: string; data: Json }> = [
  { stream: 'streamWithCamelCase', data: { data: 1, someFieldName: 'first' } },
  { stream: 'streamWithCamelCase', data: { data: 2, someFieldName: 'second' } },
  {
    stream: 'stream-with:spécial:character_names',
    data: { field_with_spécial_character: 'ok', 'field with spaces': 'x y' },
  },
  { stream: 'CapitalCase', data: { ID: 10, Name: 'Upper' } },
  { stream: 'reserved_keywords', data: { order: 3, select: 'all', from: true } },
  { stream: 'groups', data: { authorization: 'admin', key: 'k' } },
  { stream: 'sparse_nested_stream', data: { id: 1, a: 'only a' } },
  { stream: 'sparse_nested_stream', data: { id: 2, b: 2.5, nested: { x: 'deep' } } },
  { stream: 'sparse_nested_stream', data: { id: 3, list: [1, 2, 3] } },
  { stream: 'sparse_nested_stream', data: { id: 4, a: null, b: null, nested: null, list: null } },
  {
    stream: 'binary_and_dates',
    data: {
      id: 1,
      blob: Buffer.from('hello world').toString('base64'),
      d: '2022-02-28',
      dt: '2022-02-28T10:11:12Z',
      dt_local: '2022-02-28T10:11:12',
      t: '10:11:12',
    },
  },
  {
    stream: 'binary_and_dates',
    data: {
      id: 2,
      d: '1970-01-01',
      dt: '2022-02-28T10:11:12.123456+05:30',
      dt_local: '2022-02-28 10:11:12',
      t: '23:59:59.999',
    },
  },
  { stream: 'binary_and_dates', data: { id: 3, d: '2022-13-01', dt: 'not a date', t: '25:00' } },
];

export function edgeCaseMessages(times = 1): Json[] {
  const out: Json[] = [];
  let t = T0;
  for (let i = 0; i < times; i++) {
    for (const r of edgeCaseData) out.push(record(r.stream, r.data, { emittedAt: t++ }));
  }
  out.push(legacyState({ start_date: '2022-02-14' }));
  return out;
}
