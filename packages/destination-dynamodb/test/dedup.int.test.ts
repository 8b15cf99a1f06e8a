import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import {
  baseConfig,
  closeDdb,
  dataOf,
  ddb,
  logs,
  rec,
  type StreamDef,
  scanTable,
  states,
  status,
  streamState,
  uniquePrefix,
  runWrite,
} from './helpers.js';

const write = (prefix: string, streams: StreamDef[], input: string | string[], opts = {}) =>
  runWrite(baseConfig(prefix), streams, input, opts);

const people: StreamDef = {
  name: 'people',
  mode: 'append_dedup',
  properties: {
    id1: { type: 'integer' },
    id2: { type: 'integer' },
    updated_at: { type: 'string', format: 'date-time' },
    name: { type: 'string' },
    _ab_cdc_deleted_at: { type: ['null', 'string'] },
  },
  primaryKey: [['id1'], ['id2']],
  cursor: ['updated_at'],
};
const person = (id2: number, updated_at: string, name: string | null, deleted: string | null = null) =>
  rec('people', { id1: 1, id2, updated_at, ...(name ? { name } : {}), _ab_cdc_deleted_at: deleted });
const names = async (table: string) =>
  dataOf(await scanTable(table), 'id2').map((d) => `${d.id1}/${d.id2}:${d.name}`);

afterAll(() => closeDdb(), 60_000);

describe('append_dedup (typed layout, items keyed by the primary key)', () => {
  test('composite key, latest cursor wins, CDC deletes (also insert+delete in one sync, delete of a missing key)', async () => {
    const p = uniquePrefix('dd');
    const table = `${p}_people`;
    const r1 = await write(
      p,
      [people],
      [
        person(200, '2000-01-01T00:00:00Z', 'Alice1'),
        person(200, '2000-01-01T00:01:00Z', 'Alice2'),
        person(201, '2000-01-01T00:02:00Z', 'Bob1'),
        streamState('people', { s: 1 }),
      ],
    );
    expect(r1.code).toBe(0);
    expect(states(r1)[0].destinationStats).toEqual({ recordCount: 3 });
    const described = await ddb().send(new DescribeTableCommand({ TableName: table }));
    expect(described.Table?.KeySchema).toEqual([
      { AttributeName: 'id1', KeyType: 'HASH' },
      { AttributeName: 'id2', KeyType: 'RANGE' },
    ]);
    expect(await names(table)).toEqual(['1/200:Alice2', '1/201:Bob1']);

    const r2 = await write(
      p,
      [people],
      [
        person(200, '2000-01-02T00:00:00Z', 'Alice3'),
        person(201, '2000-01-02T00:00:00Z', 'Bob2'),
        person(201, '2000-01-02T00:01:00Z', null, '1970-01-01T00:00:00Z'),
        person(202, '2000-01-02T00:00:00Z', 'Carol'),
        person(203, '2000-01-02T00:00:00Z', 'Dan'),
        person(203, '2000-01-02T00:05:00Z', null, '2000-01-02T00:05:00Z'),
        person(299, '2000-01-02T00:00:00Z', null, '2000-01-02T00:00:00Z'),
      ],
    );
    expect(r2.code).toBe(0);
    expect(await names(table)).toEqual(['1/200:Alice3', '1/202:Carol']);
    const alice = (await scanTable(table)).find((i) => i.id2 === 200)!;
    expect(alice._airbyte_cursor).toBe(Date.parse('2000-01-02T00:00:00Z'));
    expect(alice._airbyte_raw_id).toMatch(/^[0-9a-f-]{36}$/);
  });

  test('out-of-order cursors across flushes of one sync: the later cursor wins', async () => {
    const p = uniquePrefix('ooo');
    // A state after each part, and pauses longer than the state flush delay: the parts land in different flushes.
    const r = await write(
      p,
      [people],
      [
        person(1, '2000-01-05T00:00:00Z', 'newest') +
          person(2, '2000-01-01T00:00:00Z', 'two-old') +
          streamState('people', { s: 1 }),
        person(1, '2000-01-03T00:00:00Z', 'older') +
          person(2, '2000-01-02T00:00:00Z', 'two-new') +
          streamState('people', { s: 2 }),
        person(1, '2000-01-04T00:00:00Z', 'old-again') + streamState('people', { s: 3 }),
      ],
      { chunkDelayMs: 1_200 },
    );
    expect(r.code).toBe(0);
    expect(states(r).map((s) => s.destinationStats.recordCount)).toEqual([2, 2, 1]);
    expect(await names(`${p}_people`)).toEqual(['1/1:newest', '1/2:two-new']);
  });

  test('out of order across syncs: an older record loses to the stored item (conditional write); a new generation wins', async () => {
    const p = uniquePrefix('oos');
    const table = `${p}_people`;
    await write(
      p,
      [people],
      person(1, '2000-01-10T00:00:00Z', 'stored') + person(2, '2000-01-10T00:00:00Z', 'b'),
    );
    const r = await write(
      p,
      [people],
      [
        person(1, '2000-01-01T00:00:00Z', 'stale'),
        person(2, '2000-01-11T00:00:00Z', 'b-newer'),
        person(3, '2000-01-01T00:00:00Z', 'new key'),
      ],
    );
    expect(r.code).toBe(0);
    expect(await names(table)).toEqual(['1/1:stored', '1/2:b-newer', '1/3:new key']);
    expect(logs(r).some((m) => /3 conditional writes \(1 lost to a later cursor\)/.test(m))).toBe(true);

    // A delete older than the stored item loses too; a newer one deletes.
    const r2 = await write(
      p,
      [people],
      [
        person(1, '1999-01-01T00:00:00Z', null, '1999-01-01T00:00:00Z'),
        person(3, '2000-01-02T00:00:00Z', null, '2000-01-02T00:00:00Z'),
      ],
    );
    expect(r2.code).toBe(0);
    expect(await names(table)).toEqual(['1/1:stored', '1/2:b-newer']);

    // A truncate refresh (new generation) replaces even items with later cursors, then removes the rest.
    const refresh = { ...people, generationId: 5, minimumGenerationId: 5 };
    const r3 = await write(
      p,
      [refresh],
      person(1, '1990-01-01T00:00:00Z', 'refreshed') + status('people', 'COMPLETE'),
    );
    expect(r3.code).toBe(0);
    expect(await names(table)).toEqual(['1/1:refreshed']);
  });

  test('three key fields: an encoded hash key, documented form', async () => {
    const p = uniquePrefix('enc');
    const rates: StreamDef = {
      name: 'rates',
      mode: 'append_dedup',
      properties: {
        id: { type: 'integer' },
        currency: { type: 'string' },
        date: { type: 'string' },
        NZD: { type: 'number' },
      },
      primaryKey: [['id'], ['currency'], ['date']],
      cursor: ['NZD'],
    };
    const r = await write(
      p,
      [rates],
      [
        rec('rates', { id: 1, currency: 'USD', date: '2020-01-01', NZD: 1 }),
        rec('rates', { id: 1, currency: 'USD', date: '2020-01-01', NZD: 2 }),
        rec('rates', { id: 1, currency: 'EUR', date: '2020-01-01', NZD: 3 }),
      ],
    );
    expect(r.code).toBe(0);
    const items = (await scanTable(`${p}_rates`)).sort((a, b) => a.NZD - b.NZD);
    expect(items.map((i) => [i._airbyte_pk, i.NZD])).toEqual([
      ['[1,"USD","2020-01-01"]', 2],
      ['[1,"EUR","2020-01-01"]', 3],
    ]);
  });

  test('no cursor: the last record to arrive wins', async () => {
    const p = uniquePrefix('ncur');
    const s: StreamDef = {
      name: 'kv',
      mode: 'append_dedup',
      properties: { k: { type: 'string' } },
      primaryKey: [['k']],
    };
    await write(p, [s], rec('kv', { k: 'a', v: 1 }) + rec('kv', { k: 'a', v: 2 }));
    await write(p, [s], rec('kv', { k: 'a', v: 3 }) + rec('kv', { k: 'b', v: 1 }));
    expect(dataOf(await scanTable(`${p}_kv`), 'k')).toEqual([
      { k: 'a', v: 3 },
      { k: 'b', v: 1 },
    ]);
  });

  test('records without a usable key are rejected and counted, the sync goes on', async () => {
    const p = uniquePrefix('nokey');
    const r = await write(
      p,
      [people],
      [
        person(1, '2000-01-01T00:00:00Z', 'fine'),
        rec('people', { id1: 1, updated_at: '2000-01-01T00:00:00Z', name: 'no id2' }),
        rec('people', { id1: 1, id2: 'not a number', name: 'bad id2' }),
        streamState('people', { s: 1 }),
      ],
    );
    expect(r.code).toBe(0);
    // recordCount counts every record the state covers, rejected ones included.
    expect(states(r)[0].destinationStats).toEqual({ recordCount: 3, rejectedRecordCount: 2 });
    expect(await names(`${p}_people`)).toEqual(['1/1:fine']);
    expect(logs(r).some((m) => /record rejected .*primary key field "id2" is missing or null/.test(m))).toBe(
      true,
    );
  });

  test('funky characters in stream, namespace, field, key and cursor names', async () => {
    const p = uniquePrefix('funky');
    const pk = 'id~!@#$%^&*()`[]{}|;\':",./<>?';
    const cursor = 'updated~!@#$%^&*()`[]{}|;\':",./<>?';
    const streams: StreamDef[] = [
      { name: 'streamWithCamelCase' },
      { name: 'STREAM_WITH_ALL_CAPS' },
      { name: 'stream_with_spécial_character', namespace: '_spøcial' },
      { name: 'stream_name_with_operator+1', namespace: '_operator-1' },
      { name: '1stream_with_a_leading_number' },
      {
        name: 'funky_dedup',
        mode: 'append_dedup',
        properties: { [pk]: { type: 'integer' }, [cursor]: { type: 'integer' } },
        primaryKey: [[pk]],
        cursor: [cursor],
      },
    ];
    const fields = {
      'Foo.Bar': 1,
      order: 'o',
      '1field_with_leading_digit': 2,
      'field_name_with_operator+1': 3,
      v: 'foo\nbar',
    };
    const input =
      streams
        .filter((s) => s.mode !== 'append_dedup')
        .map((s) => rec(s.name, fields, s.namespace ? { namespace: s.namespace } : {}))
        .join('') +
      rec('funky_dedup', { [pk]: 1, [cursor]: 2, v: 'new' }) +
      rec('funky_dedup', { [pk]: 1, [cursor]: 1, v: 'old' });
    const r = await write(p, streams, input);
    expect(r.code).toBe(0);
    for (const table of [
      `${p}_streamWithCamelCase`,
      `${p}_STREAM_WITH_ALL_CAPS`,
      `${p}__sp_cial_stream_with_special_character`,
      `${p}__operator_1_stream_name_with_operator_1`,
      `${p}_1stream_with_a_leading_number`,
    ]) {
      expect(dataOf(await scanTable(table))).toEqual([fields]);
    }
    expect(dataOf(await scanTable(`${p}_funky_dedup`))).toEqual([{ [pk]: 1, [cursor]: 2, v: 'new' }]);
  });
});
