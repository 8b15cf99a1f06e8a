import { ScanCommand } from '@aws-sdk/client-dynamodb';
import {
  baseConfig,
  closeDdb,
  dataOf,
  ddb,
  rec,
  type StreamDef,
  scanTable,
  states,
  status,
  streamState,
  tablesWithPrefix,
  uniquePrefix,
  runWrite,
} from './helpers.js';

const write = (config: Record<string, unknown>, streams: StreamDef[], input: string | string[]) =>
  runWrite(config, streams, input);

/** Items with their DynamoDB types (`{N: "1"}`), not converted back to JSON. */
async function rawItems(table: string): Promise<Array<Record<string, any>>> {
  const out = await ddb().send(new ScanCommand({ TableName: table, ConsistentRead: true }));
  return out.Items ?? [];
}

afterAll(() => closeDdb(), 60_000);

describe('types and values', () => {
  test('integers beyond 2^53 (64-bit ids) arrive digit for digit, as attributes and as keys', async () => {
    const p = uniquePrefix('bigint');
    const properties = { id: { type: 'integer' }, amount: { type: 'integer' }, nested: { type: 'object' } };
    // Written by hand: JSON.stringify cannot produce these numbers.
    const line = (stream: string, id: string) =>
      `{"type":"RECORD","record":{"stream":"${stream}","data":{"id":${id},"amount":-98765432109876543210,"nested":{"v":[12345678901234567899]},"ok":1.5},"emitted_at":1700000000000}}\n`;
    const r = await write(
      baseConfig(p),
      [
        { name: 'plain', properties },
        { name: 'keyed', mode: 'append_dedup', properties, primaryKey: [['id']] },
      ],
      [
        line('plain', '12345678901234567891'),
        line('keyed', '12345678901234567891'),
        // Differs from the first only past the 16th digit: a distinct item, not an update.
        line('keyed', '12345678901234567892'),
      ],
    );
    expect(r.code).toBe(0);
    const [plain] = await rawItems(`${p}_plain`);
    expect(plain!.id).toEqual({ N: '12345678901234567891' });
    expect(plain!.amount).toEqual({ N: '-98765432109876543210' });
    expect(plain!.nested).toEqual({ M: { v: { L: [{ N: '12345678901234567899' }] } } });
    const keyed = await rawItems(`${p}_keyed`);
    expect(keyed.map((i) => i.id.N).sort()).toEqual(['12345678901234567891', '12345678901234567892']);
  });

  test('basic types with edge values keep their JSON type (N, S, BOOL, NULL, L, M)', async () => {
    const p = uniquePrefix('types');
    const properties = {
      id: { type: 'integer' },
      int: { type: 'integer' },
      num: { type: 'number' },
      str: { type: 'string' },
      bool: { type: 'boolean' },
      ts_tz: { type: 'string', format: 'date-time', airbyte_type: 'timestamp_with_timezone' },
      ts: { type: 'string', format: 'date-time', airbyte_type: 'timestamp_without_timezone' },
      time_tz: { type: 'string', format: 'time', airbyte_type: 'time_with_timezone' },
      date: { type: 'string', format: 'date' },
      arr: { type: 'array' },
      obj: { type: 'object' },
    };
    const rows = [
      {
        id: 1,
        int: 42,
        num: 42.5,
        str: 'foo',
        bool: true,
        ts_tz: '2023-01-23T11:34:56-01:00',
        ts: '2023-01-23T12:34:56',
        time_tz: '11:34:56-01:00',
        date: '2023-01-23',
        arr: [1, 'a', null, { b: false }],
        obj: { nested: { deeper: [] }, empty: {} },
      },
      { id: 2, int: null, num: null, str: null, bool: null },
      { id: 3 },
      { id: 4, int: 1e32, num: 1e39, str: '', bool: false },
      { id: 5, int: 0, num: -1e39, str: ' ', arr: [] },
      { id: 6, int: -1, num: -0.0 },
      { id: 7, int: 'not an integer', num: 'not a number', bool: 'yes', date: 'not a date' },
      { id: 8, num: 1.5e125, int: 9007199254740991 },
    ];
    const r = await write(
      baseConfig(p),
      [{ name: 'types', properties, syncId: 42, generationId: 12 }],
      rows.map((d) => rec('types', d)).join(''),
    );
    expect(r.code).toBe(0);
    const items = await scanTable(`${p}_types`);
    const byId = new Map(items.map((i) => [i.id, i]));
    expect(dataOf(items, 'id')).toEqual(rows.map((row) => (row.id === 6 ? { ...row, num: 0 } : row)));
    for (const item of items) expect(item._airbyte_meta).toEqual({ sync_id: 42, changes: [] });
    expect(byId.get(4)!._airbyte_generation_id).toBe(12);
    const raw = new Map((await rawItems(`${p}_types`)).map((i) => [Number(i.id.N), i]));
    expect(raw.get(1)).toMatchObject({
      int: { N: '42' },
      num: { N: '42.5' },
      str: { S: 'foo' },
      bool: { BOOL: true },
      date: { S: '2023-01-23' },
      arr: { L: [{ N: '1' }, { S: 'a' }, { NULL: true }, { M: { b: { BOOL: false } } }] },
    });
    expect(raw.get(2)).toMatchObject({ int: { NULL: true }, str: { NULL: true } });
    expect(raw.get(3)!.int).toBeUndefined();
    expect(raw.get(4)).toMatchObject({
      int: { N: `1${'0'.repeat(32)}` },
      num: { N: `1${'0'.repeat(39)}` },
      str: { S: '' },
    });
    // Values of the wrong JSON type are stored as they came (DynamoDB has no column types).
    expect(raw.get(7)).toMatchObject({ int: { S: 'not an integer' }, bool: { S: 'yes' } });
  });

  test('values DynamoDB cannot hold are nulled or converted, and recorded in _airbyte_meta.changes', async () => {
    const p = uniquePrefix('bad');
    let deep: unknown = 'leaf';
    for (let i = 0; i < 40; i++) deep = { level: deep };
    // 1e400 parses to Infinity: written as a literal, since JSON.stringify cannot produce it.
    const line = rec('bad', {
      id: 1,
      huge: 1e200,
      tiny: 1e-200,
      deep,
      map: { '': 'empty key', ok: 1 },
      fine: 1,
    }).replace('"fine":1', '"fine":1,"inf":1e400');
    const r = await write(
      baseConfig(p),
      [{ name: 'bad', syncId: 1 }],
      line +
        rec(
          'bad',
          { id: 2, v: 1 },
          {
            meta: { changes: [{ field: 'v', change: 'TRUNCATED', reason: 'SOURCE_FIELD_SIZE_LIMITATION' }] },
          },
        ),
    );
    expect(r.code).toBe(0);
    const items = await scanTable(`${p}_bad`);
    const one = items.find((i) => i.id === 1)!;
    expect(one.huge).toBeNull();
    expect(one.tiny).toBeNull();
    expect(one.inf).toBeNull();
    expect(one.fine).toBe(1);
    expect(one.map).toEqual({ ok: 1 });
    let v: any = one.deep;
    let depth = 1;
    while (typeof v === 'object') {
      v = v.level;
      depth++;
    }
    expect(depth).toBe(32); // 31 levels of maps, then the rest as JSON text
    expect(JSON.parse(v)).toHaveProperty('level');
    expect(one._airbyte_meta.changes).toEqual([
      { field: 'huge', change: 'NULLED', reason: 'DESTINATION_FIELD_SIZE_LIMITATION' },
      { field: 'tiny', change: 'NULLED', reason: 'DESTINATION_FIELD_SIZE_LIMITATION' },
      { field: `deep${'.level'.repeat(31)}`, change: 'TRUNCATED', reason: 'DESTINATION_SERIALIZATION_ERROR' },
      { field: 'map[""]', change: 'NULLED', reason: 'DESTINATION_SERIALIZATION_ERROR' },
      { field: 'inf', change: 'NULLED', reason: 'DESTINATION_FIELD_SIZE_LIMITATION' },
    ]);
    expect(items.find((i) => i.id === 2)!._airbyte_meta.changes).toEqual([
      { field: 'v', change: 'TRUNCATED', reason: 'SOURCE_FIELD_SIZE_LIMITATION' },
    ]);
  });

  test('items over 400 KB: the largest fields nulled and recorded; an unfixable one rejected and counted', async () => {
    const p = uniquePrefix('big');
    const streams: StreamDef[] = [
      { name: 'docs', properties: { id: { type: 'integer' } } },
      {
        name: 'keyed',
        mode: 'append_dedup',
        properties: { k: { type: 'string' } },
        primaryKey: [['k']],
      },
    ];
    const justUnder = 'u'.repeat(400 * 1024 - 1000);
    const input = [
      rec('docs', { id: 1, body: 'x'.repeat(300 * 1024), summary: 's'.repeat(150 * 1024), title: 'keep me' }),
      rec('docs', { id: 2, body: justUnder }),
      rec('keyed', { k: 'k'.repeat(3000), v: 1 }), // a partition key over 2048 bytes: no item can hold it
      rec('keyed', { k: 'fine', v: 2 }),
      streamState('docs', { s: 1 }),
      streamState('keyed', { s: 1 }),
    ];
    const r = await write(baseConfig(p), streams, input);
    expect(r.code).toBe(0);
    const st = states(r);
    expect(st.find((s) => s.stream.stream_descriptor.name === 'keyed').destinationStats).toEqual({
      recordCount: 2,
      rejectedRecordCount: 1,
    });
    expect(st.find((s) => s.stream.stream_descriptor.name === 'docs').destinationStats).toEqual({
      recordCount: 2,
    });
    const docs = new Map((await scanTable(`${p}_docs`)).map((i) => [i.id, i]));
    expect(docs.get(1)).toMatchObject({ body: null, summary: 's'.repeat(150 * 1024), title: 'keep me' });
    expect(docs.get(1)!._airbyte_meta.changes).toEqual([
      { field: 'body', change: 'NULLED', reason: 'DESTINATION_RECORD_SIZE_LIMITATION' },
    ]);
    expect(docs.get(2)!.body).toBe(justUnder);
    expect(docs.get(2)!._airbyte_meta.changes).toEqual([]);
    expect(dataOf(await scanTable(`${p}_keyed`))).toEqual([{ k: 'fine', v: 2 }]);
  });

  test('raw layout: an oversized record has fields of _airbyte_data nulled, recorded in _airbyte_meta', async () => {
    const p = uniquePrefix('bigraw');
    const { layout: _l, ...upstream } = baseConfig(p);
    const r = await write(
      upstream,
      [{ name: 'docs' }],
      rec('docs', { id: 1, body: 'x'.repeat(420 * 1024), note: 'n' }),
    );
    expect(r.code).toBe(0);
    const [item] = await scanTable(`${p}_docs`);
    expect(item!._airbyte_data).toEqual({ id: 1, body: null, note: 'n' });
    expect(item!._airbyte_meta).toEqual({
      sync_id: null,
      changes: [{ field: 'body', change: 'NULLED', reason: 'DESTINATION_RECORD_SIZE_LIMITATION' }],
    });
  });

  test('21 streams in one sync, each completed, each state released', async () => {
    const p = uniquePrefix('many');
    const streams: StreamDef[] = Array.from({ length: 21 }, (_, i) => ({
      name: `stream_${i}`,
      mode: 'overwrite',
    }));
    const input =
      streams
        .map((s) => rec(s.name, { n: 1 }) + rec(s.name, { n: 2 }) + streamState(s.name, { done: s.name }))
        .join('') + streams.map((s) => status(s.name, 'COMPLETE')).join('');
    const r = await write(baseConfig(p), streams, input);
    expect(r.code).toBe(0);
    expect(states(r)).toHaveLength(21);
    expect(await tablesWithPrefix(p)).toHaveLength(21);
    for (const s of streams)
      expect(dataOf(await scanTable(`${p}_${s.name}`), 'n')).toEqual([{ n: 1 }, { n: 2 }]);
  });

  test('TTL: items carry the expiry attribute and the table expires by it', async () => {
    const p = uniquePrefix('ttl');
    const before = Math.floor(Date.now() / 1000);
    const r = await write(baseConfig(p, { ttl_seconds: 3600 }), [{ name: 't' }], rec('t', { a: 1 }));
    expect(r.code).toBe(0);
    const [item] = await scanTable(`${p}_t`);
    expect(item!._airbyte_expires_at).toBeGreaterThanOrEqual(before + 3600);
    expect(item!._airbyte_expires_at).toBeLessThan(before + 3600 + 120);
  });
});
