import { readFileSync } from 'node:fs';
import { connect } from 'node:tls';
import cassandra from 'cassandra-driver';
import { cassandraClient } from '../src/clients.js';
import { CASSANDRA_TEST_USER } from '../src/servers/cassandra.js';
import { startCassandra } from '../src/start.js';
import type { CassandraEndpoint, Server } from '../src/types.js';
import { stopAndVerify } from './helpers.js';

describe('Cassandra with auth', () => {
  let server: Server<CassandraEndpoint>;

  beforeAll(async () => {
    server = await startCassandra({ source: 'process', auth: true });
  }, 300_000);
  afterAll(() => server?.stop(), 60_000);

  test('the endpoint carries the created user', () => {
    expect(server.endpoint.username).toBe(CASSANDRA_TEST_USER);
    expect(server.endpoint.password).toMatch(/^[0-9a-f]{24}$/);
  });

  test('the right password works', async () => {
    const client = cassandraClient(server.endpoint);
    try {
      const rs = await client.execute('SELECT role FROM system_auth.roles WHERE role = ?', [
        CASSANDRA_TEST_USER,
      ]);
      expect(rs.first()?.role).toBe(CASSANDRA_TEST_USER);
    } finally {
      await client.shutdown();
    }
  });

  test('a wrong password is rejected', async () => {
    const client = cassandraClient({ ...server.endpoint, password: 'wrong' });
    try {
      const err = await client.connect().then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(cassandra.errors.NoHostAvailableError);
      const inner = Object.values((err as cassandra.errors.NoHostAvailableError).innerErrors)[0];
      expect(inner).toBeInstanceOf(cassandra.errors.AuthenticationError);
      expect(String(inner)).toMatch(/Provided username tributary and\/or password are incorrect/);
    } finally {
      await client.shutdown();
    }
  });

  test('no credentials at all are rejected', async () => {
    const { username: _u, password: _p, ...anonymous } = server.endpoint;
    const client = cassandraClient(anonymous);
    try {
      await expect(client.connect()).rejects.toThrow(
        /requires authentication|Authentication provider not set/,
      );
    } finally {
      await client.shutdown();
    }
  });

  test('stops cleanly', () => stopAndVerify(server, server.endpoint.port), 60_000);
});

describe('Cassandra with client TLS', () => {
  let server: Server<CassandraEndpoint>;

  beforeAll(async () => {
    server = await startCassandra({ source: 'process', tls: true });
  }, 300_000);
  afterAll(() => server?.stop(), 60_000);

  test('exports the certificate as PEM, in memory and on disk', () => {
    const tls = server.endpoint.tls;
    expect(tls?.caPem).toMatch(/^-----BEGIN CERTIFICATE-----/);
    expect(readFileSync(tls?.caPath ?? '', 'utf8')).toBe(tls?.caPem);
  });

  test('a TLS client that trusts the exported CA can query', async () => {
    const client = cassandraClient(server.endpoint);
    try {
      const rs = await client.execute('SELECT release_version FROM system.local');
      expect(rs.first()?.release_version).toMatch(/^5\.0\./);
    } finally {
      await client.shutdown();
    }
  });

  test('the certificate verifies for 127.0.0.1 with Node TLS', async () => {
    const authorized = await new Promise<boolean>((resolve, reject) => {
      const socket = connect(
        {
          host: '127.0.0.1',
          port: server.endpoint.port,
          ca: server.endpoint.tls?.caPem,
          rejectUnauthorized: true,
        },
        () => {
          resolve(socket.authorized);
          socket.end();
        },
      );
      socket.once('error', reject);
    });
    expect(authorized).toBe(true);
  });

  test('a client that does not trust the certificate is refused', async () => {
    const { tls: _tls, ...plain } = server.endpoint;
    const client = cassandraClient(plain, { sslOptions: { rejectUnauthorized: true } });
    try {
      await expect(client.connect()).rejects.toThrow(/self[- ]signed|certificate/i);
    } finally {
      await client.shutdown();
    }
  });

  test('stops cleanly', () => stopAndVerify(server, server.endpoint.port), 60_000);
});
