import { cassandraClient, type CassandraEndpoint } from '@tributary/testkit';
import type { DestinationAdapter, TableCount } from './adapter.js';

async function countRows(
  endpoint: CassandraEndpoint,
  keyspace: string,
  streams: readonly string[],
): Promise<TableCount[]> {
  const client = cassandraClient(endpoint);
  try {
    const out: TableCount[] = [];
    for (const stream of streams) {
      // Typed layout: the table is named after the stream.
      const rs = await client.execute(`SELECT COUNT(*) AS n FROM "${keyspace}"."${stream}"`, [], {
        readTimeout: 120_000,
      });
      out.push({ table: `${keyspace}.${stream}`, rows: Number(rs.first().get('n')) });
    }
    return out;
  } finally {
    await client.shutdown();
  }
}

function cqlAdapter(packageDir: string, keyspace: string): DestinationAdapter<'cassandra'> {
  return {
    packageDir,
    server: 'cassandra',
    modes: ['append', 'overwrite', 'append_dedup'],
    config: (e, tag) => ({
      keyspace: `${keyspace}_${tag}`,
      username: e.username ?? '',
      password: e.password ?? '',
      address: e.contactPoints.join(','),
      port: e.port,
      datacenter: e.localDataCenter,
      replication: 1,
      layout: 'typed',
    }),
    readBack: (e, streams, tag) => countRows(e, `${keyspace}_${tag}`, streams),
  };
}

export const cassandraAdapter = cqlAdapter('destination-cassandra', 'tributary_demo_cassandra');
export const scyllaAdapter = cqlAdapter('destination-scylla', 'tributary_demo_scylla');
