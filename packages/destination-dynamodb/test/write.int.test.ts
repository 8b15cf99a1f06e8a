import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import {
  baseConfig,
  catalogFile,
  closeDdb,
  dataOf,
  ddb,
  rec,
  scanTable,
  states,
  status,
  streamState,
  tablesWithPrefix,
  traces,
  uniquePrefix,
  runWrite,
} from './helpers.js';
import { EDGE_CASE_STREAMS, EXCHANGE_RATE_PROPERTIES, EXCHANGE_RATES, NAMESPACE_CASES } from './fixtures.js';

const write = (config: Record<string, unknown>, catalog: string, input: string | string[], opts = {}) =>
  runWrite(config, catalog, input, opts);

const sortBy = (key: string) => (a: any, b: any) => (a[key] < b[key] ? -1 : a[key] > b[key] ? 1 : 0);

afterAll(() => closeDdb(), 60_000);

describe('upstream acceptance cases (typed layout)', () => {
  test('exchange rates: every record as an item with its fields, the last state echoed with counts', async () => {
    const prefix = uniquePrefix('sync');
    const catalog = catalogFile([
      { name: 'exchange_rate', properties: EXCHANGE_RATE_PROPERTIES, syncId: 5, generationId: 0 },
    ]);
    const input =
      EXCHANGE_RATES.slice(0, 3)
        .map((d) => rec('exchange_rate', d))
        .join('') +
      streamState('exchange_rate', { cursor: 3 }) +
      EXCHANGE_RATES.slice(3)
        .map((d) => rec('exchange_rate', d))
        .join('') +
      streamState('exchange_rate', { cursor: 6 });
    const r = await write(baseConfig(prefix), catalog, input);
    expect(r.code).toBe(0);
    expect(traces(r)).toEqual([]);
    expect(states(r)).toEqual([
      {
        type: 'STREAM',
        stream: { stream_descriptor: { name: 'exchange_rate' }, stream_state: { cursor: 3 } },
        destinationStats: { recordCount: 3 },
      },
      {
        type: 'STREAM',
        stream: { stream_descriptor: { name: 'exchange_rate' }, stream_state: { cursor: 6 } },
        destinationStats: { recordCount: 3 },
      },
    ]);
    const items = await scanTable(`${prefix}_exchange_rate`);
    expect(dataOf(items, 'id')).toEqual(EXCHANGE_RATES);
    for (const item of items) {
      expect(item._airbyte_raw_id).toMatch(/^[0-9a-f-]{36}$/);
      expect(item._airbyte_extracted_at).toBe(1_700_000_000_000);
      expect(item._airbyte_generation_id).toBe(0);
      expect(item._airbyte_meta).toEqual({ sync_id: 5, changes: [] });
      expect(typeof item._airbyte_loaded_at).toBe('number');
    }
  });

  test('the same fixtures x400 (large batches, many parallel requests)', async () => {
    const prefix = uniquePrefix('x400');
    const catalog = catalogFile([{ name: 'exchange_rate', properties: EXCHANGE_RATE_PROPERTIES }]);
    const records: string[] = [];
    for (let i = 0; i < 400; i++) {
      for (const d of EXCHANGE_RATES)
        records.push(rec('exchange_rate', { ...d, id: i * 10 + (d.id as number) }));
    }
    const r = await write(
      baseConfig(prefix),
      catalog,
      records.join('') + streamState('exchange_rate', { done: true }),
    );
    expect(r.code).toBe(0);
    expect(states(r).at(-1)).toEqual({
      type: 'STREAM',
      stream: { stream_descriptor: { name: 'exchange_rate' }, stream_state: { done: true } },
      destinationStats: { recordCount: 2400 },
    });
    const items = await scanTable(`${prefix}_exchange_rate`);
    expect(items).toHaveLength(2400);
    expect(new Set(items.map((i) => i.id)).size).toBe(2400);
  });

  test('edge cases: special stream and field names, sparse columns, a LEGACY state echoed', async () => {
    const prefix = uniquePrefix('edge');
    const catalog = catalogFile(EDGE_CASE_STREAMS.map((s) => ({ name: s.name, properties: s.properties })));
    const input =
      EDGE_CASE_STREAMS.flatMap((s) => s.records.map((d) => rec(s.name, d))).join('') +
      `${JSON.stringify({ type: 'STATE', state: { data: { checkpoint: 'legacy' } } })}\n`;
    const r = await write(baseConfig(prefix), catalog, input);
    expect(r.code).toBe(0);
    expect(states(r)).toEqual([{ data: { checkpoint: 'legacy' }, destinationStats: { recordCount: 14 } }]);
    expect(await tablesWithPrefix(prefix)).toEqual(
      [
        `${prefix}_CapitalCase`,
        `${prefix}_binary_and_dates`,
        `${prefix}_groups`,
        `${prefix}_reserved_keywords`,
        `${prefix}_sparse_columns`,
        `${prefix}_streamWithCamelCase`,
        `${prefix}_stream_with_special_character_names`,
      ].sort(),
    );
    for (const s of EDGE_CASE_STREAMS) {
      const table = `${prefix}_${s.name.replace('stream-with:spécial:character_names', 'stream_with_special_character_names')}`;
      const got = dataOf(await scanTable(table));
      const key = (d: Record<string, unknown>) => JSON.stringify(Object.entries(d).sort());
      expect(got.map(key).sort()).toEqual(s.records.map(key).sort());
    }
  });

  test('line breaks and other special characters survive', async () => {
    const prefix = uniquePrefix('lb');
    const catalog = catalogFile([
      { name: 'lines', properties: { id: { type: 'integer' }, v: { type: 'string' } } },
    ]);
    const values = [
      'foo\nbar',
      'foo\rbar',
      'foo\r\nbar',
      'foo\u2028bar',
      'tab\there',
      'quote"back\\slash',
      'émoji 😀',
    ];
    const r = await write(
      baseConfig(prefix),
      catalog,
      values.map((v, id) => rec('lines', { id, v })).join(''),
    );
    expect(r.code).toBe(0);
    expect(dataOf(await scanTable(`${prefix}_lines`), 'id')).toEqual(values.map((v, id) => ({ id, v })));
  });

  test('incremental append: a second sync adds to the first', async () => {
    const prefix = uniquePrefix('inc');
    const catalog = catalogFile([
      { name: 'exchange_rate', properties: EXCHANGE_RATE_PROPERTIES, mode: 'append' },
    ]);
    const first = EXCHANGE_RATES.slice(0, 4);
    const second = EXCHANGE_RATES.map((d) => ({ ...d, id: (d.id as number) + 100 }));
    expect(
      (await write(baseConfig(prefix), catalog, first.map((d) => rec('exchange_rate', d)).join(''))).code,
    ).toBe(0);
    const r2 = await write(
      baseConfig(prefix),
      catalog,
      second.map((d) => rec('exchange_rate', d)).join('') + streamState('exchange_rate', { n: 2 }),
    );
    expect(r2.code).toBe(0);
    expect(states(r2).at(-1).stream.stream_state).toEqual({ n: 2 });
    expect(dataOf(await scanTable(`${prefix}_exchange_rate`), 'id')).toEqual(
      [...first, ...second].sort(sortBy('id')),
    );
  });

  test('second overwrite sync replaces its stream only; a sibling stream is left alone', async () => {
    const prefix = uniquePrefix('ow');
    const both = catalogFile([
      { name: 'exchange_rate', properties: EXCHANGE_RATE_PROPERTIES, mode: 'overwrite' },
      { name: 'DummyCatalog', properties: { id: { type: 'integer' } }, mode: 'append' },
    ]);
    const first =
      EXCHANGE_RATES.map((d) => rec('exchange_rate', d)).join('') +
      [1, 2].map((id) => rec('DummyCatalog', { id })).join('') +
      status('exchange_rate', 'COMPLETE') +
      status('DummyCatalog', 'COMPLETE');
    expect((await write(baseConfig(prefix), both, first)).code).toBe(0);

    const only = catalogFile([
      { name: 'exchange_rate', properties: EXCHANGE_RATE_PROPERTIES, mode: 'overwrite' },
    ]);
    const replacement = [{ id: 100, currency: 'CHF', date: '2021-01-01', NZD: 1.5, HKD: 8.2 }];
    const r2 = await write(
      baseConfig(prefix),
      only,
      replacement.map((d) => rec('exchange_rate', d)).join('') +
        streamState('exchange_rate', { s: 2 }) +
        status('exchange_rate', 'COMPLETE'),
    );
    expect(r2.code).toBe(0);
    expect(dataOf(await scanTable(`${prefix}_exchange_rate`))).toEqual(replacement);
    expect(dataOf(await scanTable(`${prefix}_DummyCatalog`), 'id')).toEqual([{ id: 1 }, { id: 2 }]);
  });

  test('namespaces: part of the table name, normalised the upstream way; same stream in two namespaces', async () => {
    const prefix = uniquePrefix('ns');
    const streams = NAMESPACE_CASES.map((c) => ({
      name: 'data',
      namespace: c.namespace,
      properties: { v: { type: 'string' } },
    }));
    const catalog = catalogFile([...streams, { name: 'data', properties: { v: { type: 'string' } } }]);
    const input =
      NAMESPACE_CASES.map((c) => rec('data', { v: c.namespace }, { namespace: c.namespace })).join('') +
      rec('data', { v: 'no namespace' });
    const r = await write(baseConfig(prefix), catalog, input);
    expect(r.code).toBe(0);
    for (const c of NAMESPACE_CASES) {
      expect(dataOf(await scanTable(`${prefix}_${c.normalized}_data`))).toEqual([{ v: c.namespace }]);
    }
    expect(dataOf(await scanTable(`${prefix}_data`))).toEqual([{ v: 'no namespace' }]);
  });

  test('fields the catalog does not declare do not fail the sync and are stored', async () => {
    const prefix = uniquePrefix('newf');
    const catalog = catalogFile([{ name: 'exchange_rate', properties: EXCHANGE_RATE_PROPERTIES }]);
    const withNew = EXCHANGE_RATES.map((d) => ({ ...d, new_field: `n${d.id}`, another: { deep: [d.id] } }));
    const r = await write(baseConfig(prefix), catalog, withNew.map((d) => rec('exchange_rate', d)).join(''));
    expect(r.code).toBe(0);
    expect(dataOf(await scanTable(`${prefix}_exchange_rate`), 'id')).toEqual(withNew);
  });

  test('records of a stream not in the catalog are ignored with a warning, not a failure', async () => {
    const prefix = uniquePrefix('ghost');
    const catalog = catalogFile([{ name: 'known' }]);
    const r = await write(baseConfig(prefix), catalog, rec('known', { a: 1 }) + rec('ghost', { a: 2 }));
    expect(r.code).toBe(0);
    expect(await tablesWithPrefix(prefix)).toEqual([`${prefix}_known`]);
  });
});

describe('tables', () => {
  test('provisioned billing: tables are created with the configured capacity', async () => {
    const prefix = uniquePrefix('prov');
    const config = baseConfig(prefix, {
      billing_mode: { mode: 'provisioned', read_capacity_units: 3, write_capacity_units: 7 },
    });
    const r = await write(config, catalogFile([{ name: 's' }]), rec('s', { a: 1 }));
    expect(r.code).toBe(0);
    const described = await ddb().send(new DescribeTableCommand({ TableName: `${prefix}_s` }));
    expect(described.Table?.ProvisionedThroughput).toMatchObject({
      ReadCapacityUnits: 3,
      WriteCapacityUnits: 7,
    });
  });
});

describe('raw layout (upstream items)', () => {
  test('a config without "layout" writes the upstream items and keys', async () => {
    const prefix = uniquePrefix('raw');
    const { layout: _l, ...upstreamConfig } = baseConfig(prefix);
    const catalog = catalogFile([{ name: 'exchange_rate', properties: EXCHANGE_RATE_PROPERTIES }]);
    const r = await write(
      upstreamConfig,
      catalog,
      EXCHANGE_RATES.map((d) => rec('exchange_rate', d)).join(''),
    );
    expect(r.code).toBe(0);
    expect(r.lines.some((l) => l.type === 'LOG' && /item layout: raw/.test(l.log.message))).toBe(true);
    const table = `${prefix}_exchange_rate`;
    const described = await ddb().send(new DescribeTableCommand({ TableName: table }));
    expect(described.Table?.KeySchema).toEqual([
      { AttributeName: '_airbyte_ab_id', KeyType: 'HASH' },
      { AttributeName: 'sync_time', KeyType: 'RANGE' },
    ]);
    expect(described.Table?.BillingModeSummary?.BillingMode).toBe('PAY_PER_REQUEST');
    const items = await scanTable(table);
    expect(items.map((i) => i._airbyte_data).sort(sortBy('id'))).toEqual(EXCHANGE_RATES);
    const syncTimes = new Set(items.map((i) => i.sync_time));
    expect(syncTimes.size).toBe(1);
    for (const i of items) {
      expect(Object.keys(i).sort()).toEqual(
        [
          '_airbyte_ab_id',
          '_airbyte_data',
          '_airbyte_emitted_at',
          '_airbyte_generation_id',
          '_airbyte_loaded_at',
          'sync_time',
        ].sort(),
      );
      expect(i._airbyte_emitted_at).toBe(1_700_000_000_000);
    }
  });

  test('a raw table cannot be reused for typed items: a config error that says what to do', async () => {
    const prefix = uniquePrefix('mix');
    const catalog = catalogFile([{ name: 's' }]);
    const { layout: _l, ...upstreamConfig } = baseConfig(prefix);
    expect((await write(upstreamConfig, catalog, rec('s', { a: 1 }))).code).toBe(0);
    const r = await write(baseConfig(prefix), catalog, rec('s', { a: 2 }));
    expect(r.code).not.toBe(0);
    const error = traces(r).find((t) => t.type === 'ERROR')!.error;
    expect(error.failure_type).toBe('config_error');
    expect(error.message).toMatch(
      /already exists with the key HASH _airbyte_ab_id \(S\), RANGE sync_time \(N\)/,
    );
  });
});
