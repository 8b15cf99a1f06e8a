import { createHash } from 'node:crypto';
import { type KinesisClient, ListShardsCommand } from '@aws-sdk/client-kinesis';
import { decodeAggregate, isAggregated, KPL_MAGIC } from '../src/kpl-aggregation.js';
import { partitionKeyHash } from '../src/shard-map.js';
import {
  accountKey,
  baseConfig,
  catalog,
  client,
  deleteAllStreams,
  errors,
  jsonFile,
  readStream,
  record,
  runBin,
  states,
  streamState,
} from './helpers.js';

const ACCOUNT = accountKey(600_003);

let kinesis: KinesisClient;
beforeAll(() => {
  kinesis = client(ACCOUNT);
});
afterEach(() => deleteAllStreams(kinesis), 60_000);
afterAll(() => kinesis.destroy());

/** A ~100-byte record. */
function small(i: number, key: number): Record<string, unknown> {
  return { id: key, seq: i, pad: 'p'.repeat(40) };
}

describe('KPL aggregation', () => {
  test('aggregated records de-aggregate (MD5 verified) to the originals, on the shard of their key, in order', async () => {
    const N = 3000;
    const KEYS = 40;
    const input: string[] = [];
    for (let i = 0; i < N; i++) {
      input.push(record('keyed', small(i, i % KEYS)));
      input.push(record('loose', { n: i, pad: 'q'.repeat(40) }));
    }
    input.push(streamState('keyed', { done: true }));
    input.push(streamState('loose', { done: true }));
    const r = await runBin(
      [
        'write',
        '--config',
        jsonFile(baseConfig(ACCOUNT, { shardCount: 3, aggregation: true, aggregationMaxBytes: 8_192 })),
        '--catalog',
        jsonFile(catalog([{ name: 'keyed', primaryKey: [['id']] }, { name: 'loose' }])),
      ],
      input,
    );
    expect(errors(r)).toEqual([]);
    expect(r.code).toBe(0);
    expect(states(r).map((s) => s.destinationStats.recordCount)).toEqual([N, N]);

    const shards = (await kinesis.send(new ListShardsCommand({ StreamName: '_keyed' }))).Shards ?? [];
    const rangeOf = new Map(
      shards.map((s) => [
        s.ShardId!,
        [BigInt(s.HashKeyRange!.StartingHashKey!), BigInt(s.HashKeyRange!.EndingHashKey!)],
      ]),
    );

    const raw = await readStream(kinesis, '_keyed');
    expect(raw.length).toBeLessThan(N / 10); // many user records per Kinesis record
    const seqByKey = new Map<number, number[]>();
    const shardOfKey = new Map<number, string>();
    let userRecords = 0;
    for (const kr of raw) {
      const [lo, hi] = rangeOf.get(kr.shardId)!;
      const users = isAggregated(kr.data)
        ? decodeAggregate(kr.data)
        : [{ partitionKey: kr.partitionKey, data: kr.data, explicitHashKey: undefined }];
      if (isAggregated(kr.data)) {
        // The digest is the MD5 of the protobuf between magic and digest.
        const proto = kr.data.subarray(KPL_MAGIC.length, kr.data.length - 16);
        expect(createHash('md5').update(proto).digest()).toEqual(kr.data.subarray(kr.data.length - 16));
        expect(kr.data.length + Buffer.byteLength(kr.partitionKey)).toBeLessThanOrEqual(8_192);
      }
      for (const u of users) {
        userRecords++;
        const body = JSON.parse(Buffer.from(u.data).toString('utf8'));
        const data = JSON.parse(body._airbyte_data);
        expect(u.partitionKey).toBe(String(data.id));
        // A consumer (KCL) keeps a user record when its effective hash key is in the shard's range.
        const hash =
          u.explicitHashKey !== undefined ? BigInt(u.explicitHashKey) : partitionKeyHash(u.partitionKey);
        expect(hash >= lo! && hash <= hi!).toBe(true);
        const prev = shardOfKey.get(data.id);
        if (prev !== undefined) expect(kr.shardId).toBe(prev);
        shardOfKey.set(data.id, kr.shardId);
        const list = seqByKey.get(data.id) ?? [];
        list.push(data.seq);
        seqByKey.set(data.id, list);
      }
    }
    expect(userRecords).toBe(N);
    expect(seqByKey.size).toBe(KEYS);
    for (const [key, seqs] of seqByKey) {
      expect(seqs).toEqual([...Array(N / KEYS).keys()].map((j) => j * KEYS + key));
    }

    // Keyless records: packed under one random key per aggregate; all there, each once.
    const loose = await readStream(kinesis, '_loose');
    expect(loose.length).toBeLessThan(N / 10);
    const ns: number[] = [];
    for (const kr of loose) {
      const users = isAggregated(kr.data)
        ? decodeAggregate(kr.data)
        : [{ partitionKey: kr.partitionKey, data: kr.data }];
      for (const u of users) {
        expect(u.partitionKey).toBe(kr.partitionKey);
        ns.push(JSON.parse(JSON.parse(Buffer.from(u.data).toString())._airbyte_data).n);
      }
    }
    expect(ns.sort((a, b) => a - b)).toEqual([...Array(N).keys()]);
  });

  test('a record too big for an aggregate goes on its own, still in its key order', async () => {
    const input = [
      record('mixed', { id: 'k', seq: 0 }),
      record('mixed', { id: 'k', seq: 1, big: 'b'.repeat(20_000) }),
      record('mixed', { id: 'k', seq: 2 }),
      record('mixed', { id: 'k', seq: 3 }),
    ];
    const r = await runBin(
      [
        'write',
        '--config',
        jsonFile(baseConfig(ACCOUNT, { aggregation: true, aggregationMaxBytes: 4_096 })),
        '--catalog',
        jsonFile(catalog([{ name: 'mixed', primaryKey: [['id']] }])),
      ],
      input,
    );
    expect(r.code).toBe(0);
    const raw = await readStream(kinesis, '_mixed');
    const seqs = raw.flatMap((kr) =>
      (isAggregated(kr.data) ? decodeAggregate(kr.data) : [{ data: kr.data }]).map(
        (u) => JSON.parse(JSON.parse(Buffer.from(u.data).toString())._airbyte_data).seq,
      ),
    );
    expect(seqs).toEqual([0, 1, 2, 3]);
    expect(raw.some((kr) => !isAggregated(kr.data) && kr.data.length > 20_000)).toBe(true);
  });
});
