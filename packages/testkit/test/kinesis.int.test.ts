import { execFileSync } from 'node:child_process';
import {
  CreateStreamCommand,
  DescribeStreamSummaryCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  ListShardsCommand,
  PutRecordsCommand,
} from '@aws-sdk/client-kinesis';
import { kinesisClient } from '../src/clients.js';
import { startKinesis } from '../src/start.js';
import type { AwsEndpoint, Server } from '../src/types.js';
import { portOf, stopAndVerify, uniqueName } from './helpers.js';

describe('kinesis-local as a local process', () => {
  let server: Server<AwsEndpoint>;

  beforeAll(async () => {
    const t0 = Date.now();
    server = await startKinesis({ source: 'process' });
    process.stderr.write(`kinesis ready in ${Date.now() - t0} ms\n`);
  }, 120_000);
  afterAll(() => server?.stop(), 60_000);

  test('every listener of the emulator is on 127.0.0.1', () => {
    const listeners = execFileSync('ss', ['-Htlnp'], { encoding: 'utf8' })
      .split('\n')
      .filter((l) => l.includes(`pid=${server.pid},`))
      .map((l) => l.trim().split(/\s+/)[3]);
    expect(listeners).toHaveLength(2); // plain + TLS
    for (const local of listeners) expect(local).toMatch(/^127\.0\.0\.1:\d+$/);
  });

  test('creates a stream, puts records and reads them back', async () => {
    const client = kinesisClient(server.endpoint);
    const stream = uniqueName('stream');
    try {
      await client.send(new CreateStreamCommand({ StreamName: stream, ShardCount: 1 }));
      for (let i = 0; i < 100; i++) {
        const s = await client.send(new DescribeStreamSummaryCommand({ StreamName: stream }));
        if (s.StreamDescriptionSummary?.StreamStatus === 'ACTIVE') break;
        await new Promise((r) => setTimeout(r, 100));
      }
      const put = await client.send(
        new PutRecordsCommand({
          StreamName: stream,
          Records: ['a', 'b', 'c'].map((v) => ({ Data: Buffer.from(v), PartitionKey: v })),
        }),
      );
      expect(put.FailedRecordCount).toBe(0);
      const shards = await client.send(new ListShardsCommand({ StreamName: stream }));
      const shardId = shards.Shards?.[0]?.ShardId;
      const it = await client.send(
        new GetShardIteratorCommand({
          StreamName: stream,
          ShardId: shardId,
          ShardIteratorType: 'TRIM_HORIZON',
        }),
      );
      const got = await client.send(new GetRecordsCommand({ ShardIterator: it.ShardIterator }));
      expect(got.Records?.map((r) => Buffer.from(r.Data ?? []).toString())).toEqual(['a', 'b', 'c']);
    } finally {
      client.destroy();
    }
  }, 60_000);

  test('stops cleanly', () => stopAndVerify(server, portOf(server.endpoint.endpoint)), 60_000);
});
