// Fixtures in the spirit of Airbyte's destination acceptance test (exchange rates, edge cases,
// namespaces), written for this package.

export const EXCHANGE_RATE_PROPERTIES = {
  id: { type: 'integer' },
  currency: { type: 'string' },
  date: { type: 'string', format: 'date' },
  timestamp_col: { type: 'string', format: 'date-time' },
  HKD: { type: 'number' },
  NZD: { type: 'number' },
  USD: { type: 'number' },
};

export const EXCHANGE_RATES: Array<Record<string, unknown>> = [
  {
    id: 1,
    currency: 'USD',
    date: '2020-08-29',
    timestamp_col: '2020-08-29T00:00:00.000000-0000',
    NZD: 1.14,
    HKD: 2.13,
  },
  {
    id: 2,
    currency: 'EUR',
    date: '2020-08-30',
    timestamp_col: '2020-08-30T00:00:00.000-00',
    NZD: 1.14,
    HKD: 7.15,
  },
  {
    id: 3,
    currency: 'GBP',
    date: '2020-08-31',
    timestamp_col: '2020-08-31T00:00:00+00',
    NZD: 3.89,
    HKD: 7.12,
    USD: 10,
  },
  {
    id: 4,
    currency: 'CAD',
    date: '2020-09-01',
    timestamp_col: '2020-09-01T00:00:00.000Z',
    NZD: 1.14,
    HKD: 1.11,
  },
  {
    id: 5,
    currency: 'MXN',
    date: '2020-09-02',
    timestamp_col: '2020-09-02T00:00:00Z',
    NZD: 1.14,
    HKD: 0.36,
    USD: 0.05,
  },
  {
    id: 6,
    currency: 'JPY',
    date: '2020-09-03',
    timestamp_col: '2020-09-03T00:00:00.123456+05:30',
    NZD: 0.014,
    HKD: 0.07,
  },
];

export interface EdgeStream {
  name: string;
  properties: Record<string, unknown>;
  records: Array<Record<string, unknown>>;
}

export const EDGE_CASE_STREAMS: EdgeStream[] = [
  {
    name: 'streamWithCamelCase',
    properties: { data: { type: 'string' } },
    records: [{ data: 'CamelCase' }, { data: 'more' }],
  },
  {
    name: 'stream-with:spécial:character_names',
    properties: { 'property-with:spécial:character': { type: 'string' } },
    records: [{ 'property-with:spécial:character': 'special' }],
  },
  { name: 'CapitalCase', properties: { Value: { type: 'integer' } }, records: [{ Value: 1 }, { Value: 2 }] },
  {
    name: 'reserved_keywords',
    properties: { order: { type: 'string' }, select: { type: 'string' } },
    records: [{ order: 'first', select: 'all' }],
  },
  {
    name: 'groups',
    properties: { authorization: { type: 'string' } },
    records: [{ authorization: 'admin' }],
  },
  {
    name: 'sparse_columns',
    properties: { a: { type: 'string' }, b: { type: 'integer' }, c: { type: 'boolean' } },
    records: [{ a: 'only a' }, { b: 2 }, { c: false, a: null }, {}],
  },
  {
    name: 'binary_and_dates',
    properties: {
      blob: { type: 'string', contentEncoding: 'base64' },
      d: { type: 'string', format: 'date' },
    },
    records: [
      { blob: 'c29tZSBieXRlcw==', d: '2021-01-01' },
      { blob: '', d: '2021-01-01T12:00:00' },
      { d: 'Jan 1 2021' },
    ],
  },
];

/** The DAT namespace normalisation cases that upstream runs (the Japanese, 300-char and `select` ones are disabled there). */
export const NAMESPACE_CASES: Array<{ namespace: string; normalized: string }> = [
  { namespace: 'NAMESPACE', normalized: 'NAMESPACE' },
  { namespace: 'Dest_1001_Namespace', normalized: 'Dest_1001_Namespace' },
  { namespace: 'namespace_with_spécial_character', normalized: 'namespace_with_special_character' },
  { namespace: '99namespace', normalized: '99namespace' },
];
