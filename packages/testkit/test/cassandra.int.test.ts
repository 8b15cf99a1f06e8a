import { provisionServer } from '../src/provision-server.js';
import { cassandraClient } from '../src/clients.js';
import { startCassandra } from '../src/start.js';
import type { CassandraEndpoint, Server } from '../src/types.js';
import { stopAndVerify, uniqueName } from './helpers.js';

describe('Cassandra 5.0 as a local process', () => {
  let server: Server<CassandraEndpoint>;
  let startMs = 0;

  beforeAll(async () => {
    const t0 = Date.now();
    server = await startCassandra({ source: 'process' });
    startMs = Date.now() - t0;
    process.stderr.write(`cassandra ready in ${startMs} ms\n`);
  }, 300_000);

  afterAll(async () => {
    await server?.stop();
  }, 60_000);

  test('binds 127.0.0.1 on a picked port and logs to its instance dir', () => {
    expect(server.endpoint).toMatchObject({ contactPoints: ['127.0.0.1'], localDataCenter: 'datacenter1' });
    expect(server.endpoint.port).toBeGreaterThan(1024);
    expect(server.logFile).toMatch(/instances\/cassandra-[^/]+\/logs\/server\.log$/);
  });

  test('creates a keyspace and a table and reads a row back', async () => {
    const client = cassandraClient(server.endpoint);
    const ks = uniqueName('ks');
    try {
      const version = await client.execute('SELECT release_version FROM system.local');
      expect(version.first()?.release_version).toMatch(/^5\.0\./);
      await client.execute(
        `CREATE KEYSPACE ${ks} WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}`,
      );
      await client.execute(`CREATE TABLE ${ks}.items (id int PRIMARY KEY, name text)`);
      await client.execute(`INSERT INTO ${ks}.items (id, name) VALUES (?, ?)`, [1, 'first'], {
        prepare: true,
      });
      const rs = await client.execute(`SELECT name FROM ${ks}.items WHERE id = ?`, [1], { prepare: true });
      expect(rs.first()?.name).toBe('first');
    } finally {
      await client.shutdown();
    }
  });

  test('the jars are cached: provisioning again does not run Maven', async () => {
    const again = await provisionServer('cassandra');
    expect(again.cached).toBe(true);
    expect(again.durationMs).toBeLessThan(2_000);
  });

  test('stops: the process is gone and the CQL port is closed', async () => {
    await stopAndVerify(server, server.endpoint.port);
  }, 60_000);
});
