import type { Destination } from '@tributary/airbyte-protocol';
import { createCqlDestination } from '@tributary/cql-loader';
import { type CassandraConfig, cassandraConfigSchema } from './config.js';
import { cassandraSpec } from './spec.js';

export { type CassandraConfig, cassandraConfigSchema, datacenterField } from './config.js';
export { cassandraSpec, DOCUMENTATION_URL } from './spec.js';

/** The Airbyte destination for Apache Cassandra. */
export const cassandraDestination: Destination<CassandraConfig> = createCqlDestination<CassandraConfig>({
  name: 'destination-cassandra',
  product: 'Cassandra',
  configSchema: cassandraConfigSchema as unknown as Destination<CassandraConfig>['configSchema'],
  spec: cassandraSpec,
});
