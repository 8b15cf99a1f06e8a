// Every example of the connector's documentation (seed 002), reproduced through the real bin
// from CDC logs written as Scylla writes them. Payloads are compared exactly (key order
// included where the documentation shows a meaningful one) after zeroing what varies between
// runs: source.ts_ms, source.ts_us, the top-level ts_ms and source.version.
import { CollectionOp, type CdcLogWriter } from '@tributary/scylla-cdc-log-writer';
import { extractNewRecordState, flattenColumns } from '../src/events/smt.js';
import {
  catalogFor,
  createKeyspace,
  dropTable,
  newWriter,
  normalize,
  records,
  runBin,
  sourceConfig,
  uniqueName,
} from './helpers.js';

const KS = 'ks';
const sys = uniqueName('cdcsys_seed');
let writer: CdcLogWriter;

const source = (table: string, name = 'MyScyllaCluster') => ({
  version: 'X',
  connector: 'scylla',
  name,
  ts_ms: 0,
  ts_us: 0,
  snapshot: 'false',
  db: 'ks',
  keyspace_name: 'ks',
  table_name: table,
});

const envelope = (table: string, op: string, before: unknown, after: unknown) => ({
  source: source(table),
  before,
  after,
  op,
  ts_ms: 0,
  transaction: null,
});

function byTable(recs: any[], table: string): any[] {
  return recs.filter((r) => r.stream === table).map((r) => r.data);
}

beforeAll(async () => {
  writer = await newWriter(sys);
  const c = writer.client;
  await createKeyspace(c, KS);
  await writer.createGeneration({ startMs: Date.now() - 5_000 });
  await c.execute(`CREATE TYPE IF NOT EXISTS ${KS}.address (street text, city text, zip int)`);
  await c.execute(
    `CREATE TYPE IF NOT EXISTS ${KS}.profile (tags frozen<set<text>>, scores frozen<map<text, int>>)`,
  );
  const tables: Array<[string, string, Parameters<CdcLogWriter['enableCdc']>[2]]> = [
    ['my_table', '(pk int, ck int, v text, PRIMARY KEY (pk, ck))', {}],
    ['images', '(pk int, ck int, v text, PRIMARY KEY (pk, ck))', { preimage: true, postimage: true }],
    ['t', '(pk int, ck int, v int, PRIMARY KEY (pk, ck))', {}],
    [
      'collections',
      '(pk int PRIMARY KEY, my_list list<text>, my_set set<text>, my_map map<text, text>)',
      { preimage: true, postimage: true },
    ],
    ['users', '(id int PRIMARY KEY, home_address frozen<address>)', {}],
    ['with_frozen', '(pk int PRIMARY KEY, data frozen<list<text>>)', {}],
    ['with_non_frozen', '(pk int PRIMARY KEY, data list<text>)', {}],
    [
      'nested',
      '(pk int PRIMARY KEY, addresses list<frozen<address>>, lists map<text, frozen<list<int>>>, profile frozen<profile>)',
      {},
    ],
    ['with_ck', '(pk int, ck int, v text, PRIMARY KEY (pk, ck))', {}],
    ['without_ck', '(pk int PRIMARY KEY, v text)', { preimage: true }],
  ];
  for (const [name, cols, cdc] of tables) {
    await dropTable(c, KS, name);
    await writer.createTable(`CREATE TABLE ${KS}.${name} ${cols}`, KS, name, cdc);
  }
  // The README's INSERT / UPDATE / UPDATE to NULL / DELETE.
  await writer.apply(KS, 'my_table', { type: 'insert', values: { pk: 1, ck: 1, v: 'example row' } });
  await writer.apply(KS, 'my_table', { type: 'update', key: { pk: 1, ck: 1 }, set: { v: 'new value' } });
  await writer.apply(KS, 'my_table', { type: 'update', key: { pk: 1, ck: 1 }, set: { v: null } });
  await writer.apply(KS, 'my_table', { type: 'delete', key: { pk: 1, ck: 1 } });
  // UPDATE with preimage and postimage.
  await writer.apply(KS, 'images', { type: 'insert', values: { pk: 1, ck: 1, v: 'old value' } });
  await writer.apply(KS, 'images', { type: 'update', key: { pk: 1, ck: 1 }, set: { v: 'new value' } });
  await writer.apply(KS, 'images', { type: 'delete', key: { pk: 1, ck: 1 } });
  // The SMT examples' rows.
  await writer.apply(KS, 't', { type: 'insert', values: { pk: 20, ck: 2, v: 3 } });
  await writer.apply(KS, 't', { type: 'insert', values: { pk: 1, ck: 7, v: 7 } });
  // Collections and UDTs.
  await writer.apply(KS, 'collections', {
    type: 'insert',
    values: {
      pk: 1,
      my_list: ['item1', 'item2', 'item3'],
      my_set: ['value1', 'value2', 'value3'],
      my_map: { key1: 'value1', key2: 'value2' },
    },
  });
  await writer.apply(KS, 'users', {
    type: 'insert',
    values: { id: 1, home_address: { street: '123 Main St', city: 'Springfield', zip: 12345 } },
  });
  await writer.apply(KS, 'with_frozen', { type: 'insert', values: { pk: 1, data: ['a', 'b', 'c'] } });
  await writer.apply(KS, 'with_non_frozen', { type: 'insert', values: { pk: 1, data: ['a', 'b', 'c'] } });
  await writer.apply(KS, 'with_non_frozen', {
    type: 'update',
    key: { pk: 1 },
    set: { data: CollectionOp.add(['d']) },
  });
  await writer.apply(KS, 'nested', {
    type: 'insert',
    values: {
      pk: 1,
      addresses: [
        { street: 'a', city: 'b', zip: 1 },
        { street: 'c', city: 'd', zip: 2 },
      ],
      lists: new Map([
        ['x', [1, 2]],
        ['y', [3]],
      ]),
      profile: { tags: ['t1', 't2'], scores: new Map([['s', 5]]) },
    },
  });
  // Partition deletes.
  await writer.apply(KS, 'with_ck', { type: 'insert', values: { pk: 1, ck: 1, v: 'x' } });
  await writer.apply(KS, 'with_ck', { type: 'partition-delete', key: { pk: 1 } });
  await writer.apply(KS, 'without_ck', { type: 'insert', values: { pk: 1, v: 'x' } });
  await writer.apply(KS, 'without_ck', { type: 'partition-delete', key: { pk: 1 } });
}, 120_000);

afterAll(async () => {
  await writer?.close();
});

describe('legacy format (the default)', () => {
  let recs: any[];
  beforeAll(async () => {
    const r = await runBin('read', sourceConfig(sys, 'ks.my_table,ks.t,ks.with_ck,ks.without_ck'), {
      catalog: catalogFor(['ks.my_table', 'ks.t', 'ks.with_ck', 'ks.without_ck']),
    });
    expect(r.code).toBe(0);
    recs = records(r);
  }, 60_000);

  test('INSERT, UPDATE, UPDATE to NULL and DELETE give the documented values', () => {
    const data = byTable(recs, 'my_table');
    expect(data.map(normalize)).toEqual([
      envelope('my_table', 'c', null, { ck: 1, pk: 1, v: { value: 'example row' } }),
      envelope('my_table', 'u', null, { ck: 1, pk: 1, v: { value: 'new value' } }),
      envelope('my_table', 'u', null, { ck: 1, pk: 1, v: { value: null } }),
      envelope('my_table', 'd', { ck: 1, pk: 1, v: null }, null),
    ]);
    // Field order as documented: ck before pk (log order), envelope fields in Debezium order.
    expect(JSON.stringify(normalize(data[0]))).toBe(
      JSON.stringify(envelope('my_table', 'c', null, { ck: 1, pk: 1, v: { value: 'example row' } })),
    );
  });

  test('the key holds the primary key columns in log order (ck, pk)', () => {
    const data = byTable(recs, 'my_table');
    for (const d of data) expect(JSON.stringify(d._key)).toBe('{"ck":1,"pk":1}');
  });

  test('source carries the documented metadata; ts_us is the write time in µs', () => {
    const d = byTable(recs, 'my_table')[0];
    expect(Object.keys(d.source)).toEqual([
      'version',
      'connector',
      'name',
      'ts_ms',
      'ts_us',
      'snapshot',
      'db',
      'keyspace_name',
      'table_name',
    ]);
    expect(d.source.ts_ms).toBe(Math.floor(d.source.ts_us / 1000));
    expect(d.ts_ms).toBeGreaterThanOrEqual(d.source.ts_ms);
  });

  test('SMT examples: the Cell-wrapped after of NS2.ks.t, flattened and extracted', () => {
    // Two partitions, two streams: order between them is not defined.
    const data = byTable(recs, 't').sort((a, b) => b.after.pk - a.after.pk);
    expect(data[0].after).toEqual({ ck: 2, pk: 20, v: { value: 3 } });
    expect(flattenColumns(data[0]).after).toEqual({ ck: 2, pk: 20, v: 3 });
    expect(extractNewRecordState(data[0])).toEqual({ ck: 2, pk: 20, v: 3 });
    // The documented Avro-JSON message of ScyllaFlattenColumns / ScyllaExtractNewRecordState.
    const avro = {
      source: {
        version: '1.1.4',
        connector: 'scylla',
        name: 'SMTExample',
        ts_ms: 1706890860030,
        snapshot: { string: 'false' },
        db: 'ks',
        keyspace_name: 'ks',
        table_name: 't',
        ts_us: 1706890860030414,
      },
      before: null,
      after: { 'SMTExample.ks.t.Before': { ck: 7, pk: 1, v: { value: 7 } } },
      op: { string: 'c' },
      ts_ms: { long: 1706890892952 },
      transaction: null,
    };
    expect(flattenColumns(avro)).toEqual({
      ...avro,
      after: { 'SMTExample.ks.t.Before': { ck: 7, pk: 1, v: 7 } },
    });
    expect(extractNewRecordState(avro)).toEqual({ ck: 7, pk: 1, v: 7 });
    expect(data[1].after).toEqual({ ck: 7, pk: 1, v: { value: 7 } });
    expect(extractNewRecordState(data[1])).toEqual({ ck: 7, pk: 1, v: 7 });
  });

  test('partition delete: ignored with a clustering key, a row delete without one', () => {
    expect(byTable(recs, 'with_ck').map((d) => d.op)).toEqual(['c']);
    const wo = byTable(recs, 'without_ck');
    expect(wo.map((d) => d.op)).toEqual(['c', 'd']);
    expect(wo[1].before).toEqual({ pk: 1, v: null });
  });
});

describe('advanced format', () => {
  let recs: any[];
  beforeAll(async () => {
    const tables = [
      'ks.my_table',
      'ks.users',
      'ks.with_frozen',
      'ks.with_non_frozen',
      'ks.nested',
      'ks.with_ck',
      'ks.without_ck',
    ];
    const r = await runBin('read', sourceConfig(sys, tables.join(','), { 'cdc.output.format': 'advanced' }), {
      catalog: catalogFor(tables),
    });
    expect(r.code).toBe(0);
    recs = records(r);
  }, 60_000);

  test('INSERT, UPDATE and DELETE give the documented values (after carries the change)', () => {
    const data = byTable(recs, 'my_table');
    expect(data.map(normalize)).toEqual([
      envelope('my_table', 'c', null, { ck: 1, pk: 1, v: 'example row' }),
      envelope('my_table', 'u', null, { ck: 1, pk: 1, v: 'new value' }),
      envelope('my_table', 'u', null, { ck: 1, pk: 1, v: null }),
      envelope('my_table', 'd', { ck: 1, pk: 1, v: null }, null),
    ]);
    expect(JSON.stringify(normalize(data[1]))).toBe(
      JSON.stringify(envelope('my_table', 'u', null, { ck: 1, pk: 1, v: 'new value' })),
    );
    // The key: partition key first, then clustering.
    expect(JSON.stringify(data[0]._key)).toBe('{"pk":1,"ck":1}');
  });

  test('UDT as a struct with its fields', () => {
    const [d] = byTable(recs, 'users');
    expect(d.after).toEqual({
      id: 1,
      home_address: { street: '123 Main St', city: 'Springfield', zip: 12345 },
    });
  });

  test('frozen and non-frozen lists are arrays; element additions are element-level changes', () => {
    expect(byTable(recs, 'with_frozen')[0].after).toEqual({ pk: 1, data: ['a', 'b', 'c'] });
    const nf = byTable(recs, 'with_non_frozen');
    expect(nf[0].after).toEqual({ pk: 1, data: ['a', 'b', 'c'] });
    expect(nf[1].after.pk).toBe(1);
    expect(nf[1].after.data).toMatchObject({ mode: 'MODIFY', removed: [] });
    expect(nf[1].after.data.added).toHaveLength(1);
    expect(nf[1].after.data.added[0]).toMatchObject({ value: 'd' });
    expect(nf[1].after.data.added[0].key).toMatch(/^[0-9a-f-]{36}$/);
  });

  test('nested types: LIST<frozen<UDT>>, MAP<text, frozen<LIST<int>>>, UDT with collections', () => {
    const [d] = byTable(recs, 'nested');
    expect(d.after).toEqual({
      pk: 1,
      addresses: [
        { street: 'a', city: 'b', zip: 1 },
        { street: 'c', city: 'd', zip: 2 },
      ],
      lists: [
        { key: 'x', value: [1, 2] },
        { key: 'y', value: [3] },
      ],
      profile: { tags: ['t1', 't2'], scores: [{ key: 's', value: 5 }] },
    });
  });

  test('partition delete: ignored with a clustering key, a delete without one', () => {
    expect(byTable(recs, 'with_ck').map((d) => d.op)).toEqual(['c']);
    const wo = byTable(recs, 'without_ck');
    expect(wo.map((d) => d.op)).toEqual(['c', 'd']);
    // cdc.include.before=none: the key and nulls, as for row deletes.
    expect(wo[1].before).toEqual({ pk: 1, v: null });
  });
});

describe('advanced format with images', () => {
  test('UPDATE with cdc.include.before=full and cdc.include.after=full', async () => {
    const r = await runBin(
      'read',
      sourceConfig(sys, 'ks.images,ks.collections', {
        'cdc.output.format': 'advanced',
        'cdc.include.before': 'full',
        'cdc.include.after': 'full',
      }),
      { catalog: catalogFor(['ks.images', 'ks.collections']) },
    );
    expect(r.code).toBe(0);
    const data = byTable(records(r), 'images');
    expect(data.map((d) => d.op)).toEqual(['c', 'u', 'd']);
    const u = normalize(data[1]);
    expect(u).toEqual(
      envelope('images', 'u', { ck: 1, pk: 1, v: 'old value' }, { ck: 1, pk: 1, v: 'new value' }),
    );
    // INSERT: before null, after the full image; DELETE: before the full preimage, after null.
    expect(data[0].before).toBeNull();
    expect(data[0].after).toEqual({ ck: 1, pk: 1, v: 'old value' });
    expect(data[2].before).toEqual({ ck: 1, pk: 1, v: 'new value' });
    expect(data[2].after).toBeNull();
    // Collections as the README shows them (lists and sets as arrays, maps as key/value entries).
    const [col] = byTable(records(r), 'collections');
    expect(col.after).toEqual({
      pk: 1,
      my_list: ['item1', 'item2', 'item3'],
      my_set: ['value1', 'value2', 'value3'],
      my_map: [
        { key: 'key1', value: 'value1' },
        { key: 'key2', value: 'value2' },
      ],
    });
  }, 60_000);

  test('partition delete of a table without clustering key carries the preimage', async () => {
    const r = await runBin(
      'read',
      sourceConfig(sys, 'ks.without_ck', { 'cdc.output.format': 'advanced', 'cdc.include.before': 'full' }),
      { catalog: catalogFor(['ks.without_ck']) },
    );
    expect(r.code).toBe(0);
    const data = byTable(records(r), 'without_ck');
    expect(data.map((d) => d.op)).toEqual(['c', 'd']);
    expect(data[1].before).toEqual({ pk: 1, v: 'x' });
    expect(data[1].after).toBeNull();
  }, 60_000);

  test('primary key placement: payload-key named primaryKey, not in before/after', async () => {
    const r = await runBin(
      'read',
      sourceConfig(sys, 'ks.my_table', {
        'cdc.output.format': 'advanced',
        'cdc.include.primary-key.placement': 'kafka-key,payload-key',
        'cdc.include.primary-key.payload-key-name': 'primaryKey',
      }),
      { catalog: catalogFor(['ks.my_table']) },
    );
    const data = byTable(records(r), 'my_table');
    expect(Object.keys(data[0])).toEqual([
      'source',
      'before',
      'after',
      'primaryKey',
      'op',
      'ts_ms',
      'transaction',
      '_key',
    ]);
    expect(data[0].primaryKey).toEqual({ pk: 1, ck: 1 });
    expect(data[0].after).toEqual({ v: 'example row' });
    expect(data[3].before).toEqual({ v: null });
  }, 60_000);
});
