import { ListTablesCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { DescribeStreamCommand, GetRecordsCommand, GetShardIteratorCommand } from '@aws-sdk/client-kinesis';
import { dynamoDbClient, kinesisClient } from '@tributary/testkit';
import type { DestinationAdapter, TableCount } from './adapter.js';

const PREFIX = 'tributary_demo';

export const dynamoDbAdapter: DestinationAdapter<'dynamodb'> = {
  packageDir: 'destination-dynamodb',
  server: 'dynamodb',
  modes: ['append', 'overwrite', 'append_dedup'],
  config: (e, tag) => ({
    dynamodb_endpoint: e.endpoint,
    dynamodb_region: e.region,
    dynamodb_table_name_prefix: `${PREFIX}_${tag}`,
    access_key_id: e.accessKeyId,
    secret_access_key: e.secretAccessKey,
    layout: 'typed',
  }),
  async readBack(e, streams, tag) {
    const client = dynamoDbClient(e);
    try {
      const tables = (await client.send(new ListTablesCommand({}))).TableNames ?? [];
      const out: TableCount[] = [];
      for (const stream of streams) {
        const table = tables.find((t) => t === `${PREFIX}_${tag}_${stream}`);
        if (!table) {
          out.push({ table: `${PREFIX}_${tag}_${stream}`, rows: 0 });
          continue;
        }
        let rows = 0;
        let start: Record<string, unknown> | undefined;
        do {
          const page = await client.send(
            new ScanCommand({ TableName: table, Select: 'COUNT', ExclusiveStartKey: start as never }),
          );
          rows += page.Count ?? 0;
          start = page.LastEvaluatedKey;
        } while (start);
        out.push({ table, rows });
      }
      return out;
    } finally {
      client.destroy();
    }
  },
};

export const kinesisAdapter: DestinationAdapter<'kinesis'> = {
  packageDir: 'destination-kinesis',
  server: 'kinesis',
  modes: ['append', 'overwrite'],
  config: (e, tag) => ({
    endpoint: e.endpoint,
    region: e.region,
    shardCount: 2,
    accessKey: e.accessKeyId,
    privateKey: e.secretAccessKey,
    bufferSize: 500,
    streamNameTemplate: `${PREFIX}_${tag}_{stream}`,
  }),
  async readBack(e, streams, tag) {
    const client = kinesisClient(e);
    try {
      const out: TableCount[] = [];
      for (const stream of streams) {
        const name = `${PREFIX}_${tag}_${stream}`;
        const desc = await client.send(new DescribeStreamCommand({ StreamName: name }));
        let rows = 0;
        for (const shard of desc.StreamDescription?.Shards ?? []) {
          let it = (
            await client.send(
              new GetShardIteratorCommand({
                StreamName: name,
                ShardId: shard.ShardId!,
                ShardIteratorType: 'TRIM_HORIZON',
              }),
            )
          ).ShardIterator;
          let empty = 0;
          while (it && empty < 2) {
            const page = await client.send(new GetRecordsCommand({ ShardIterator: it, Limit: 10_000 }));
            rows += page.Records?.length ?? 0;
            empty = page.Records?.length ? 0 : empty + 1;
            it = page.NextShardIterator;
          }
        }
        out.push({ table: name, rows });
      }
      return out;
    } finally {
      client.destroy();
    }
  },
};
