import { execFileSync } from 'node:child_process';
import { symlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';
import {
  CreateTableCommand,
  GetItemCommand,
  ListTablesCommand,
  PutItemCommand,
  waitUntilTableExists,
} from '@aws-sdk/client-dynamodb';
import { dynamoDbClient } from '../src/clients.js';
import { provisionServer } from '../src/provision-server.js';
import { startDynamoDb } from '../src/start.js';
import { findJava } from '../src/toolchain.js';
import type { AwsEndpoint, Server } from '../src/types.js';
import { portOf, removeTempDirs, stopAndVerify, tempDir, uniqueName } from './helpers.js';

describe('DynamoDB Local as a local process', () => {
  let server: Server<AwsEndpoint>;

  beforeAll(async () => {
    const t0 = Date.now();
    server = await startDynamoDb({ source: 'process' });
    process.stderr.write(`dynamodb ready in ${Date.now() - t0} ms\n`);
  }, 300_000);
  afterAll(() => server?.stop(), 60_000);
  afterAll(removeTempDirs);

  test('listens on 127.0.0.1 only', () => {
    expect(server.endpoint.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const port = portOf(server.endpoint.endpoint);
    const listeners = execFileSync('ss', ['-Htln', `sport = :${port}`], { encoding: 'utf8' });
    const locals = listeners
      .trim()
      .split('\n')
      .map((l) => l.trim().split(/\s+/)[3]);
    expect(locals.length).toBeGreaterThan(0);
    for (const local of locals) expect(local).toMatch(/^(\[::ffff:)?127\.0\.0\.1\]?:\d+$/);
  });

  test('creates a table, puts an item and gets it back', async () => {
    const client = dynamoDbClient(server.endpoint);
    const table = uniqueName('items');
    try {
      await client.send(
        new CreateTableCommand({
          TableName: table,
          AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
          KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
          BillingMode: 'PAY_PER_REQUEST',
        }),
      );
      await waitUntilTableExists({ client, maxWaitTime: 30 }, { TableName: table });
      await client.send(new PutItemCommand({ TableName: table, Item: { id: { S: 'a' }, n: { N: '42' } } }));
      const got = await client.send(new GetItemCommand({ TableName: table, Key: { id: { S: 'a' } } }));
      expect(got.Item).toEqual({ id: { S: 'a' }, n: { N: '42' } });
      expect((await client.send(new ListTablesCommand({}))).TableNames).toContain(table);
    } finally {
      client.destroy();
    }
  });

  test('stops cleanly', () => stopAndVerify(server, portOf(server.endpoint.endpoint)), 60_000);

  test('a second start reuses the cache and runs without Maven (not even on PATH)', async () => {
    const java = findJava();
    // A PATH with node only: a Maven run would fail with "Maven (mvn) was not found".
    const bin = tempDir('only-node-');
    symlinkSync(process.execPath, join(bin, 'node'));
    const saved = { PATH: process.env.PATH, JAVA_HOME: process.env.JAVA_HOME };
    process.env.PATH = bin;
    process.env.JAVA_HOME = dirname(java.binDir);
    try {
      const provision = await provisionServer('dynamodb');
      expect(provision.cached).toBe(true);
      const t0 = Date.now();
      const again = await startDynamoDb({ source: 'process' });
      const ms = Date.now() - t0;
      process.stderr.write(`dynamodb warm start in ${ms} ms\n`);
      expect(ms).toBeLessThan(30_000);
      await stopAndVerify(again, portOf(again.endpoint.endpoint));
    } finally {
      process.env.PATH = saved.PATH;
      if (saved.JAVA_HOME === undefined) delete process.env.JAVA_HOME;
      else process.env.JAVA_HOME = saved.JAVA_HOME;
    }
  }, 120_000);
});
