import { isTributaryError } from '@tributary/airbyte-protocol';
import { decodeAggregate, isAggregated } from '../src/kpl-aggregation.js';
import type { PutEntry, PutRecordsFn, PutResult } from '../src/put-records.js';
import { type SenderMode, type SenderOptions, StreamSender } from '../src/sender.js';
import { ShardMap } from '../src/shard-map.js';

/** A fake Kinesis: records what it accepted, per partition key, and can refuse entries. */
class FakeKinesis {
  readonly accepted: Array<{ pk: string; data: string; ehk?: string }> = [];
  readonly requests: PutEntry[][] = [];
  inFlight = 0;
  maxInFlight = 0;
  /** Decides per entry: undefined = accept, else the error code. */
  refuse: (entry: PutEntry, requestNo: number) => string | undefined = () => undefined;
  /** Throws for a whole request when it returns an error. */
  failRequest: (requestNo: number) => Error | undefined = () => undefined;
  delayMs = 1;

  put: PutRecordsFn = async (entries) => {
    const no = this.requests.length;
    this.requests.push([...entries]);
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      await new Promise((r) => setTimeout(r, this.delayMs * Math.random()));
      const err = this.failRequest(no);
      if (err) throw err;
      const Records = entries.map((e) => {
        const code = this.refuse(e, no);
        if (code) return { ErrorCode: code, ErrorMessage: 'refused by the fake' };
        for (const r of userRecords(e)) this.accepted.push(r);
        return { SequenceNumber: String(this.accepted.length), ShardId: 'shardId-000000000000' };
      });
      const result: PutResult = {
        FailedRecordCount: Records.filter((r) => 'ErrorCode' in r).length,
        Records,
      };
      return result;
    } finally {
      this.inFlight--;
    }
  };
}

function userRecords(e: PutEntry): Array<{ pk: string; data: string; ehk?: string }> {
  if (isAggregated(e.Data)) {
    return decodeAggregate(e.Data).map((u) => ({
      pk: u.partitionKey,
      data: Buffer.from(u.data).toString(),
      ...(u.explicitHashKey ? { ehk: u.explicitHashKey } : {}),
    }));
  }
  return [
    {
      pk: e.PartitionKey,
      data: Buffer.from(e.Data).toString(),
      ...(e.ExplicitHashKey ? { ehk: e.ExplicitHashKey } : {}),
    },
  ];
}

function sender(fake: FakeKinesis, mode: SenderMode, extra: Partial<SenderOptions> = {}): StreamSender {
  return new StreamSender({
    streamName: 'test',
    put: fake.put,
    mode,
    maxRecordsPerRequest: 100,
    maxInFlight: 4,
    maxRetries: 50,
    retryBaseDelayMs: 1,
    retryMaxDelayMs: 4,
    aggregationMaxBytes: 51_200,
    ...extra,
  });
}

function add(s: StreamSender, pk: string | null, data: string): void {
  const buf = Buffer.from(data);
  s.add(pk, buf, buf.length + (pk === null ? 36 : Buffer.byteLength(pk)));
}

/** Per key, the sequence numbers ("<key>:<n>") in the order Kinesis accepted them. */
function orderByKey(accepted: Array<{ pk: string; data: string }>): Map<string, number[]> {
  const out = new Map<string, number[]>();
  for (const r of accepted) {
    const [key, n] = r.data.split(':');
    const list = out.get(key!) ?? [];
    list.push(Number(n));
    out.set(key!, list);
  }
  return out;
}

describe('StreamSender batching', () => {
  test('requests hold at most bufferSize entries; full requests go out before any flush', async () => {
    const fake = new FakeKinesis();
    const s = sender(fake, 'unordered', { maxRecordsPerRequest: 37 });
    for (let i = 0; i < 1000; i++) add(s, `k${i}`, `r:${i}`);
    // Everything that fills a request is sent without a flush (waited for, not timed: a loaded
    // machine may take a while); the tail waits for the flush.
    const full = Math.floor(1000 / 37) * 37;
    for (let waited = 0; fake.accepted.length < full && waited < 5_000; waited += 10) {
      await new Promise((r) => setTimeout(r, 10));
    }
    await new Promise((r) => setTimeout(r, 50));
    expect(fake.accepted.length).toBe(full);
    await s.flush();
    expect(fake.accepted).toHaveLength(1000);
    expect(Math.max(...fake.requests.map((r) => r.length))).toBe(37);
    s.close();
  });

  test('requests stay within 5 MiB of data plus partition keys', async () => {
    const fake = new FakeKinesis();
    const s = sender(fake, 'unordered', { maxRecordsPerRequest: 500 });
    const big = 'x'.repeat(700 * 1024);
    for (let i = 0; i < 30; i++) add(s, `key-${i}`, `${i}:${big}`);
    await s.flush();
    expect(fake.accepted).toHaveLength(30);
    for (const req of fake.requests) {
      const bytes = req.reduce((n, e) => n + e.Data.length + Buffer.byteLength(e.PartitionKey), 0);
      expect(bytes).toBeLessThanOrEqual(5 * 1024 * 1024);
      expect(req.length).toBeLessThanOrEqual(7);
    }
    s.close();
  });

  test('no more than maxInFlight requests at once', async () => {
    const fake = new FakeKinesis();
    fake.delayMs = 10;
    const s = sender(fake, 'unordered', { maxRecordsPerRequest: 10, maxInFlight: 3 });
    for (let i = 0; i < 500; i++) add(s, `k${i}`, `r:${i}`);
    await s.flush();
    expect(fake.maxInFlight).toBe(3);
    s.close();
  });

  test('a flush resolves only once every record before it was accepted', async () => {
    const fake = new FakeKinesis();
    let refusals = 0;
    fake.refuse = () => (refusals++ < 20 ? 'ProvisionedThroughputExceededException' : undefined);
    const s = sender(fake, 'unordered');
    for (let i = 0; i < 150; i++) add(s, `k${i}`, `r:${i}`);
    const first = s.flush();
    for (let i = 150; i < 300; i++) add(s, `k${i}`, `r:${i}`);
    const second = s.flush();
    await first;
    const seen = new Set(fake.accepted.map((r) => r.data));
    for (let i = 0; i < 150; i++) expect(seen.has(`r:${i}`)).toBe(true);
    await second;
    expect(fake.accepted).toHaveLength(300);
    s.close();
  });

  test('an empty flush resolves at once', async () => {
    const s = sender(new FakeKinesis(), 'per-key');
    await expect(s.flush()).resolves.toBeUndefined();
    s.close();
  });
});

describe('StreamSender retries', () => {
  test('only refused entries are sent again; nothing is lost or duplicated', async () => {
    const fake = new FakeKinesis();
    fake.refuse = (_e, no) => (no < 30 && Math.random() < 0.3 ? 'InternalFailure' : undefined);
    const s = sender(fake, 'unordered');
    for (let i = 0; i < 2000; i++) add(s, `k${i}`, `r:${i}`);
    await s.flush();
    const data = fake.accepted.map((r) => r.data);
    expect(new Set(data).size).toBe(2000);
    expect(data).toHaveLength(2000);
    const sent = fake.requests.reduce((n, r) => n + r.length, 0);
    expect(sent).toBe(2000 + s.stats.entriesRetried);
    expect(s.stats.entriesRetried).toBeGreaterThan(0);
    s.close();
  });

  test('whole-request throttling is retried and halves the window', async () => {
    const fake = new FakeKinesis();
    fake.failRequest = (no) =>
      no < 5
        ? Object.assign(new Error('Rate exceeded'), { name: 'ProvisionedThroughputExceededException' })
        : undefined;
    const s = sender(fake, 'unordered', { maxInFlight: 8 });
    for (let i = 0; i < 500; i++) add(s, `k${i}`, `r:${i}`);
    await s.flush();
    expect(new Set(fake.accepted.map((r) => r.data)).size).toBe(500);
    expect(s.stats.requestsFailed).toBe(5);
    expect(s.stats.throttled).toBeGreaterThan(0);
    s.close();
  });

  test('past maxRetries the flush rejects with a transient error naming the last error', async () => {
    const fake = new FakeKinesis();
    fake.refuse = (e) => (e.PartitionKey === 'k7' ? 'ProvisionedThroughputExceededException' : undefined);
    const s = sender(fake, 'per-key', { maxRetries: 3 });
    for (let i = 0; i < 20; i++) add(s, `k${i}`, `r:${i}`);
    const err = await s.flush().then(
      () => null,
      (e: unknown) => e,
    );
    expect(isTributaryError(err)).toBe(true);
    expect((err as { failureType: string }).failureType).toBe('transient_error');
    expect(String((err as Error).message)).toMatch(
      /after 4 attempts.*ProvisionedThroughputExceededException/,
    );
    // Later flushes fail too; records are no longer taken.
    await expect(s.flush()).rejects.toBe(err);
    s.close();
  });

  test('a request error that retrying cannot fix fails at once', async () => {
    const fake = new FakeKinesis();
    fake.failRequest = () =>
      Object.assign(new Error('Stream test not found'), { name: 'ResourceNotFoundException' });
    const s = sender(fake, 'unordered');
    add(s, 'a', 'r:1');
    const err = await s.flush().catch((e: unknown) => e);
    expect((err as { failureType: string }).failureType).toBe('config_error');
    expect(fake.requests).toHaveLength(1);
    s.close();
  });

  test('KMS errors of an entry fail the sync as a config error', async () => {
    const fake = new FakeKinesis();
    fake.refuse = () => 'KMSAccessDeniedException';
    const s = sender(fake, 'unordered');
    add(s, 'a', 'r:1');
    const err = await s.flush().catch((e: unknown) => e);
    expect((err as { failureType: string }).failureType).toBe('config_error');
    s.close();
  });
});

describe('StreamSender keeps records of a key in order', () => {
  const KEYS = 13;
  const PER_KEY = 120;

  async function run(mode: SenderMode, extra: Partial<SenderOptions> = {}) {
    const fake = new FakeKinesis();
    // Refuse a third of the entries (any entry, any position in its request) for a while.
    fake.refuse = (_e, no) =>
      no < 400 && Math.random() < 0.33 ? 'ProvisionedThroughputExceededException' : undefined;
    const s = sender(fake, mode, extra);
    const flushes: Promise<void>[] = [];
    for (let n = 0; n < PER_KEY; n++) {
      for (let k = 0; k < KEYS; k++) add(s, `key${k}`, `key${k}:${n}`);
      if (n % 17 === 0) flushes.push(s.flush());
    }
    flushes.push(s.flush());
    await Promise.all(flushes);
    s.close();
    return fake;
  }

  test('per-key: one entry of a key at a time, retried before anything later of it', async () => {
    const fake = await run('per-key');
    expect(fake.requests.flat().length).toBeGreaterThan(KEYS * PER_KEY); // refusals were resent
    const byKey = orderByKey(fake.accepted);
    expect(byKey.size).toBe(KEYS);
    for (const seq of byKey.values()) expect(seq).toEqual([...Array(PER_KEY).keys()]);
    for (const req of fake.requests) {
      const keys = req.map((e) => e.PartitionKey);
      expect(new Set(keys).size).toBe(keys.length);
    }
  });

  test('aggregate-by-shard: one aggregate per shard at a time, every record tagged with its shard', async () => {
    const shards = new ShardMap([
      {
        ShardId: 's0',
        HashKeyRange: { StartingHashKey: '0', EndingHashKey: '113427455640312821154458202477256070484' },
      },
      {
        ShardId: 's1',
        HashKeyRange: {
          StartingHashKey: '113427455640312821154458202477256070485',
          EndingHashKey: '226854911280625642308916404954512140969',
        },
      },
      {
        ShardId: 's2',
        HashKeyRange: {
          StartingHashKey: '226854911280625642308916404954512140970',
          EndingHashKey: '340282366920938463463374607431768211455',
        },
      },
    ]);
    const fake = await run('aggregate-by-shard', { shardMap: shards, aggregationMaxBytes: 2_000 });
    const byKey = orderByKey(fake.accepted);
    expect(byKey.size).toBe(KEYS);
    for (const seq of byKey.values()) expect(seq).toEqual([...Array(PER_KEY).keys()]);
    for (const r of fake.accepted) expect(r.ehk).toBe(shards.hashKeyOf(shards.laneOf(r.pk)));
    for (const req of fake.requests) {
      const lanes = req.map((e) => e.ExplicitHashKey);
      expect(new Set(lanes).size).toBe(lanes.length);
      for (const e of req)
        expect(e.Data.length + Buffer.byteLength(e.PartitionKey)).toBeLessThanOrEqual(2_000);
    }
    expect(fake.requests.some((req) => req.some((e) => isAggregated(e.Data)))).toBe(true);
  });
});

describe('StreamSender aggregation without keys', () => {
  test('keyless records share one random key per aggregate and all arrive', async () => {
    const fake = new FakeKinesis();
    const s = sender(fake, 'aggregate-unordered', { aggregationMaxBytes: 4_096 });
    for (let i = 0; i < 3000; i++) add(s, null, `r:${i}:${'p'.repeat(80)}`);
    await s.flush();
    expect(new Set(fake.accepted.map((r) => r.data)).size).toBe(3000);
    const entries = fake.requests.flat();
    expect(entries.length).toBeLessThan(3000 / 20);
    for (const e of entries) {
      expect(e.Data.length + Buffer.byteLength(e.PartitionKey)).toBeLessThanOrEqual(4_096);
      if (isAggregated(e.Data)) {
        const keys = new Set(decodeAggregate(e.Data).map((u) => u.partitionKey));
        expect([...keys]).toEqual([e.PartitionKey]);
      }
    }
    s.close();
  });
});
