import {
  CreateStreamCommand,
  DescribeStreamSummaryCommand,
  type KinesisClient,
  ListStreamsCommand,
  PutRecordsCommand,
} from '@aws-sdk/client-kinesis';
import { kinesisStreamNames, streamIdKey } from '../src/naming.js';
import {
  accountKey,
  baseConfig,
  catalog,
  client,
  deleteAllStreams,
  errors,
  jsonFile,
  logs,
  type ReadRecord,
  readStream,
  record,
  runBin,
  type StreamDef,
  states,
  streamState,
} from './helpers.js';

const ACCOUNT = accountKey(600_002);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

let kinesis: KinesisClient;
beforeAll(() => {
  kinesis = client(ACCOUNT);
});
afterEach(() => deleteAllStreams(kinesis), 60_000);
afterAll(() => kinesis.destroy());

function write(config: Record<string, unknown>, streams: StreamDef[], input: string | string[]) {
  return runBin(
    ['write', '--config', jsonFile(baseConfig(ACCOUNT, config)), '--catalog', jsonFile(catalog(streams))],
    input,
  );
}

/** Records of one shard in sequence order, grouped by partition key: checks "same key, same shard, in order". */
function byKey(records: ReadRecord[]): Map<string, ReadRecord[]> {
  const out = new Map<string, ReadRecord[]>();
  for (const r of records) {
    const list = out.get(r.partitionKey) ?? [];
    list.push(r);
    out.set(r.partitionKey, list);
  }
  return out;
}

function upstreamData(r: ReadRecord): Record<string, any> {
  return JSON.parse(JSON.parse(r.data.toString('utf8'))._airbyte_data);
}

describe('write', () => {
  test('every record is read back from every shard; states go out after the writes with their counts', async () => {
    const input: string[] = [];
    for (let i = 0; i < 1500; i++) {
      input.push(record('users', { id: i % 100, seq: Math.floor(i / 100), name: `user ${i}` }, 'shop'));
      input.push(record('events', { n: i }));
      if (i % 500 === 499) {
        input.push(streamState('users', { upTo: i }, 'shop'));
        input.push(streamState('events', { upTo: i }));
      }
    }
    const r = await write(
      { shardCount: 3 },
      [{ name: 'users', namespace: 'shop', primaryKey: [['id']] }, { name: 'events' }],
      input.join(''),
    );
    expect(errors(r)).toEqual([]);
    expect(r.code).toBe(0);
    const out = states(r);
    expect(out).toHaveLength(6);
    for (const s of out) expect(s.destinationStats).toEqual({ recordCount: 500 });
    expect(
      out.filter((s) => s.stream.stream_descriptor.name === 'users').map((s) => s.stream.stream_state.upTo),
    ).toEqual([499, 999, 1499]);

    const users = await readStream(kinesis, 'shop_users');
    const events = await readStream(kinesis, '_events');
    expect(users).toHaveLength(1500);
    expect(events).toHaveLength(1500);
    expect(new Set(users.map((u) => u.shardId)).size).toBe(3);

    // Primary key → partition key; one key stays on one shard, in the order written.
    const keyed = byKey(users);
    expect(keyed.size).toBe(100);
    for (const [key, list] of keyed) {
      expect(new Set(list.map((x) => x.shardId)).size).toBe(1);
      const datas = list.map(upstreamData);
      expect(datas.every((d) => String(d.id) === key)).toBe(true);
      expect(datas.map((d) => d.seq)).toEqual([...Array(15).keys()]);
    }

    // No primary key: a random key per record, which is also its _airbyte_ab_id (as upstream).
    const ns = new Set<number>();
    for (const e of events) {
      const body = JSON.parse(e.data.toString('utf8'));
      expect(e.partitionKey).toBe(body._airbyte_ab_id);
      expect(body._airbyte_ab_id).toMatch(UUID);
      ns.add(JSON.parse(body._airbyte_data).n);
    }
    expect(ns.size).toBe(1500);
    expect(new Set(events.map((e) => e.partitionKey)).size).toBe(1500);
  });

  test('upstream record format, exactly: three keys, data as a JSON string, emitted_at in epoch seconds', async () => {
    const data = {
      id: 1,
      text: 'line\nbreak "quoted" \u2028 spécial',
      nested: { list: [1, 2.5, null, true] },
      empty: {},
    };
    const before = Date.now() / 1000;
    const r = await write({}, [{ name: 'shape' }], record('shape', data));
    expect(r.code).toBe(0);
    const [one] = await readStream(kinesis, '_shape');
    const text = one!.data.toString('utf8');
    expect(text).toMatch(
      /^\{"_airbyte_ab_id":"[0-9a-f-]{36}","_airbyte_data":"(?:[^"\\]|\\.)*","_airbyte_emitted_at":\d{10}\.\d{9}\}$/,
    );
    const body = JSON.parse(text);
    expect(Object.keys(body)).toEqual(['_airbyte_ab_id', '_airbyte_data', '_airbyte_emitted_at']);
    expect(body._airbyte_data).toBe(JSON.stringify(data));
    expect(body._airbyte_emitted_at).toBeGreaterThanOrEqual(before - 1);
    expect(body._airbyte_emitted_at).toBeLessThanOrEqual(Date.now() / 1000);
  });

  test('integers beyond 2^53 arrive digit for digit, in both record formats and as partition keys', async () => {
    // Written by hand: JSON.stringify cannot produce these numbers.
    const line = (stream: string) =>
      `{"type":"RECORD","record":{"stream":"${stream}","data":{"id":12345678901234567891,"amount":-98765432109876543210,"ok":1.5},"emitted_at":1700000000000}}\n`;
    const up = await write({}, [{ name: 'big', primaryKey: [['id']] }], line('big'));
    expect(up.code).toBe(0);
    const [one] = await readStream(kinesis, '_big');
    // The partition key is the id's own digits too.
    expect(one!.partitionKey).toBe('12345678901234567891');
    expect(JSON.parse(one!.data.toString('utf8'))._airbyte_data).toBe(
      '{"id":12345678901234567891,"amount":-98765432109876543210,"ok":1.5}',
    );
    const nested = await write({ recordFormat: 'nested' }, [{ name: 'bignested' }], line('bignested'));
    expect(nested.code).toBe(0);
    const [two] = await readStream(kinesis, '_bignested');
    expect(two!.data.toString('utf8')).toMatch(
      /,"_airbyte_data":\{"id":12345678901234567891,"amount":-98765432109876543210,"ok":1\.5\}\}$/,
    );
  });

  test('a configured field path is the partition key; nested format carries the record as an object', async () => {
    const input: string[] = [];
    for (let i = 0; i < 400; i++) input.push(record('orders', { order: i, customer: { id: `c${i % 7}` } }));
    input.push(record('orders', { order: 400 })); // no customer: a random key
    const r = await write(
      { shardCount: 2, partitionKeyField: 'customer.id', recordFormat: 'nested' },
      [{ name: 'orders', primaryKey: [['order']] }],
      input,
    );
    expect(r.code).toBe(0);
    const got = await readStream(kinesis, '_orders');
    expect(got).toHaveLength(401);
    const keyed = byKey(got);
    for (let c = 0; c < 7; c++) {
      const list = keyed.get(`c${c}`)!;
      expect(new Set(list.map((x) => x.shardId)).size).toBe(1);
      const orders = list.map((x) => JSON.parse(x.data.toString()) as any);
      expect(orders.map((o) => o._airbyte_data.order)).toEqual(
        [...Array(400).keys()].filter((i) => i % 7 === c),
      );
      for (const o of orders) {
        expect(Object.keys(o)).toEqual([
          '_airbyte_raw_id',
          '_airbyte_extracted_at',
          '_airbyte_loaded_at',
          '_airbyte_meta',
          '_airbyte_generation_id',
          '_airbyte_data',
        ]);
        expect(o._airbyte_extracted_at).toBe(1_700_000_000_000);
      }
    }
    expect(keyed.size).toBe(8);
    expect(logs(r).some((m) => /no value for its partition key/.test(m))).toBe(true);
  });

  test('a record over 1 MiB is rejected and counted in rejectedRecordCount; the sync goes on', async () => {
    const input = [
      record('big', { id: 1, v: 'small' }),
      record('big', { id: 2, v: 'x'.repeat(1024 * 1024) }),
      record('big', { id: 3, v: 'y'.repeat(1024 * 1024 - 200) }), // just under: data + key fits
      streamState('big', { upTo: 3 }),
      record('big', { id: 4, v: 'after' }),
      streamState('big', { upTo: 4 }),
    ];
    const r = await write({}, [{ name: 'big', primaryKey: [['id']] }], input);
    expect(r.code).toBe(0);
    expect(states(r).map((s) => s.destinationStats)).toEqual([
      { recordCount: 3, rejectedRecordCount: 1 },
      { recordCount: 1 },
    ]);
    const got = await readStream(kinesis, '_big');
    expect(got.map((g) => upstreamData(g).id).sort()).toEqual([1, 3, 4]);
    expect(logs(r).some((m) => /over Kinesis' limit of 1048576 bytes; rejected/.test(m))).toBe(true);
  });

  test('funky stream and namespace names map to valid, distinct streams that hold their records', async () => {
    const defs: StreamDef[] = [
      { name: 'streamWithCamelCase' },
      { name: 'STREAM_WITH_ALL_CAPS' },
      { name: 'stream_with_spécial_character' },
      { name: 'stream_name_with_operator+1' },
      { name: 'stream_name_with_operator-1' },
      { name: '1stream_with_a_leading_number' },
      { name: 'a', namespace: '_spøcial' },
      { name: 'a', namespace: '_operator-1' },
      { name: 'x'.repeat(200), namespace: 'long' },
    ];
    const input = defs.map((d, i) => record(d.name, { i, s: 'foo\nbar' }, d.namespace));
    const r = await write({}, defs, input);
    expect(r.code).toBe(0);
    const names = kinesisStreamNames(
      defs.map((d) => ({ namespace: d.namespace ?? null, name: d.name })),
      '{namespace}_{stream}',
    );
    const listed = (await kinesis.send(new ListStreamsCommand({}))).StreamNames ?? [];
    expect(listed.sort()).toEqual([...names.values()].sort());
    expect(names.get(streamIdKey({ namespace: null, name: 'stream_with_spécial_character' }))).toBe(
      '_stream_with_special_character',
    );
    for (const [i, d] of defs.entries()) {
      const name = names.get(streamIdKey({ namespace: d.namespace ?? null, name: d.name }))!;
      expect(name.length).toBeLessThanOrEqual(128);
      const got = await readStream(kinesis, name);
      expect(got.map(upstreamData)).toEqual([{ i, s: 'foo\nbar' }]);
    }
  });

  test('21 streams at once: every record of every stream, every state', async () => {
    const defs: StreamDef[] = [...Array(21).keys()].map((i) => ({
      name: `s${i}`,
      namespace: 'many',
      primaryKey: [['id']],
    }));
    const input: string[] = [];
    for (let n = 0; n < 30; n++)
      for (const d of defs) input.push(record(d.name, { id: n, stream: d.name }, 'many'));
    for (const d of defs) input.push(streamState(d.name, { done: true }, 'many'));
    // Senders on the main thread here (the default on 2+ CPUs is the sender thread).
    const r = await write({ workerThread: false }, defs, input);
    expect(errors(r)).toEqual([]);
    expect(r.code).toBe(0);
    expect(states(r)).toHaveLength(21);
    for (const d of defs) {
      const got = await readStream(kinesis, `many_${d.name}`);
      expect(got.map(upstreamData).map((x) => x.id)).toEqual([...Array(30).keys()]);
    }
  });

  test('overwrite appends; an existing stream keeps its shards and its records, and is never deleted', async () => {
    await kinesis.send(new CreateStreamCommand({ StreamName: 'mine_users', ShardCount: 2 }));
    for (let i = 0; i < 100; i++) {
      const s = await kinesis.send(new DescribeStreamSummaryCommand({ StreamName: 'mine_users' }));
      if (s.StreamDescriptionSummary?.StreamStatus === 'ACTIVE') break;
      await new Promise((res) => setTimeout(res, 100));
    }
    await kinesis.send(
      new PutRecordsCommand({
        StreamName: 'mine_users',
        Records: [{ Data: Buffer.from('{"theirs":true}'), PartitionKey: 'x' }],
      }),
    );
    const defs: StreamDef[] = [{ name: 'users', namespace: 'mine', mode: 'overwrite' }];
    const first = await write({ shardCount: 4 }, defs, [record('users', { sync: 1 }, 'mine')]);
    expect(first.code).toBe(0);
    expect(logs(first).some((m) => /overwrite appends to Kinesis stream mine_users/.test(m))).toBe(true);
    const second = await write({ shardCount: 4 }, defs, [record('users', { sync: 2 }, 'mine')]);
    expect(second.code).toBe(0);
    const summary = await kinesis.send(new DescribeStreamSummaryCommand({ StreamName: 'mine_users' }));
    expect(summary.StreamDescriptionSummary?.OpenShardCount).toBe(2);
    const got = (await readStream(kinesis, 'mine_users')).map((g) => JSON.parse(g.data.toString()));
    expect(got).toHaveLength(3);
    expect(got).toContainEqual({ theirs: true });
  });

  test('on-demand mode for created streams; createStreams off fails a missing stream with a config error', async () => {
    const onDemand = await write({ streamMode: 'on_demand' }, [{ name: 'od' }], [record('od', { a: 1 })]);
    expect(onDemand.code).toBe(0);
    const summary = await kinesis.send(new DescribeStreamSummaryCommand({ StreamName: '_od' }));
    expect(summary.StreamDescriptionSummary?.StreamModeDetails?.StreamMode).toBe('ON_DEMAND');
    expect(await readStream(kinesis, '_od')).toHaveLength(1);

    const missing = await write(
      { createStreams: false },
      [{ name: 'nothere' }],
      [record('nothere', { a: 1 })],
    );
    expect(missing.code).not.toBe(0);
    const [err] = errors(missing);
    expect(err.failure_type).toBe('config_error');
    expect(err.message).toMatch(/_nothere does not exist and createStreams is off/);
    expect(states(missing)).toEqual([]);
  });
});
