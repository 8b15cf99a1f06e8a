// Password authentication and TLS, against the testkit's auth:true and tls:true Cassandra variants
// (each its own server, started here and stopped at the end).
import { type CassandraEndpoint, cassandraClient, type Server, startCassandra } from '@tributary/testkit';
import type cassandra from 'cassandra-driver';
import {
  catalogOf,
  configFor,
  type Json,
  record,
  rowsOf,
  runCommand,
  runWrite,
  streamState,
  uniqueKeyspace,
} from './harness.js';

export interface SecuritySuiteOptions {
  readonly product: string;
  readonly bin: string;
}

function statusOf(lines: Json[]): Json {
  return lines.find((l) => l.type === 'CONNECTION_STATUS')?.connectionStatus as Json;
}

const stream = { name: 'secure', schema: { type: 'object', properties: { id: { type: 'integer' } } } };

export function defineCqlSecuritySuite(o: SecuritySuiteOptions): void {
  const { bin } = o;

  describe(`${o.product}: password authentication (Cassandra auth:true)`, () => {
    let server: Server<CassandraEndpoint>;
    let admin: cassandra.Client;
    beforeAll(async () => {
      server = await startCassandra({ auth: true });
      admin = cassandraClient(server.endpoint);
      await admin.connect();
    }, 180_000);
    afterAll(async () => {
      await admin?.shutdown();
      await server?.stop();
    });

    it('check with good credentials succeeds; a sync writes with them', async () => {
      const ks = uniqueKeyspace('auth');
      expect(statusOf((await runCommand(bin, 'check', configFor(server.endpoint, ks))).lines)).toEqual({
        status: 'SUCCEEDED',
      });
      const r = await runWrite(
        bin,
        configFor(server.endpoint, ks, { layout: 'typed' }),
        catalogOf([stream]),
        [record('secure', { id: 1 }), streamState('secure', { s: 1 })],
      );
      expect(r.code).toBe(0);
      expect(r.states).toHaveLength(1);
      const rows = await admin.execute(`SELECT id FROM ${ks}.secure`);
      expect(rows.rowLength).toBe(1);
    });

    it('check with a wrong password fails and says to check the credentials', async () => {
      const config = configFor(server.endpoint, 'auth_bad', { password: 'wrong-password' });
      const r = await runCommand(bin, 'check', config);
      const status = statusOf(r.lines);
      expect(status.status).toBe('FAILED');
      expect(String(status.message)).toMatch(/authentication failed: check username and password/);
      // The password given never shows up in what the connector prints.
      expect(JSON.stringify(r.lines)).not.toContain('wrong-password');
    });

    it('check without credentials fails and says the cluster requires authentication', async () => {
      const config = configFor(server.endpoint, 'auth_none', { username: '', password: '' });
      const status = statusOf((await runCommand(bin, 'check', config)).lines);
      expect(status.status).toBe('FAILED');
      expect(String(status.message)).toMatch(/requires authentication|authentication failed/);
    });

    it('check as a user without CREATE permission names the permission and keyspace', async () => {
      const ks = uniqueKeyspace('perm');
      await admin.execute(
        `CREATE KEYSPACE ${ks} WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}`,
      );
      await admin.execute(
        `CREATE ROLE IF NOT EXISTS limited_user WITH PASSWORD = 'limited-pw' AND LOGIN = true`,
      );
      await admin.execute(`GRANT SELECT ON KEYSPACE ${ks} TO limited_user`);
      const config = configFor(server.endpoint, ks, { username: 'limited_user', password: 'limited-pw' });
      const status = statusOf((await runCommand(bin, 'check', config)).lines);
      expect(status.status).toBe('FAILED');
      expect(String(status.message)).toMatch(new RegExp(`missing permission: grant CREATE on .*${ks}`, 'i'));
    });
  });

  describe(`${o.product}: TLS (Cassandra tls:true)`, () => {
    let server: Server<CassandraEndpoint>;
    beforeAll(async () => {
      server = await startCassandra({ tls: true });
    }, 180_000);
    afterAll(async () => {
      await server?.stop();
    });

    it('check and write over TLS with the CA certificate, host name verified', async () => {
      const ks = uniqueKeyspace('tls');
      const config = configFor(server.endpoint, ks, {
        tls: { enabled: true, ca_certificate: server.endpoint.tls!.caPem, verify_hostname: true },
      });
      expect(statusOf((await runCommand(bin, 'check', config)).lines)).toEqual({ status: 'SUCCEEDED' });
      const r = await runWrite(bin, { ...config, layout: 'raw' }, catalogOf([stream]), [
        record('secure', { id: 7 }),
        streamState('secure', {}),
      ]);
      expect(r.code).toBe(0);
      const client = cassandraClient(server.endpoint);
      try {
        expect(await rowsOf(client, ks, 'airbyte_raw_secure')).toHaveLength(1);
      } finally {
        await client.shutdown();
      }
    });

    it('a certificate the client does not trust: the message says to set the CA certificate', async () => {
      const config = configFor(server.endpoint, 'tls_untrusted', { tls: { enabled: true } });
      const status = statusOf((await runCommand(bin, 'check', config)).lines);
      expect(status.status).toBe('FAILED');
      expect(String(status.message)).toMatch(/TLS: the certificate of .* is not trusted.*ca_certificate/);
    });

    it('a plain-text client against a TLS-only server: the message suggests enabling tls', async () => {
      const config = configFor(server.endpoint, 'tls_plain', { tls: { enabled: false } });
      const status = statusOf((await runCommand(bin, 'check', config)).lines);
      expect(status.status).toBe('FAILED');
      expect(String(status.message)).toMatch(/enable tls/);
    }, 60_000);
  });
}
