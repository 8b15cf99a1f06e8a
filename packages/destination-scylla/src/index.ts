import type { Destination } from '@tributary/airbyte-protocol';
import { createCqlDestination } from '@tributary/cql-loader';
import { type ScyllaConfig, scyllaConfigSchema } from './config.js';
import { scyllaSpec } from './spec.js';

export { datacenterField, type ScyllaConfig, scyllaConfigSchema } from './config.js';
export { DOCUMENTATION_URL, scyllaSpec } from './spec.js';

/**
 * Driver settings for Scylla: Scylla runs one shard per core and this driver is not shard-aware,
 * so two connections per host spread requests over more shards.
 */
export function scyllaDriverOptions() {
  return { pooling: { coreConnectionsPerHost: { 0: 2, 1: 1, 2: 0 }, maxRequestsPerConnection: 2048 } };
}

/** The Airbyte destination for ScyllaDB. */
export const scyllaDestination: Destination<ScyllaConfig> = createCqlDestination<ScyllaConfig>({
  name: 'destination-scylla',
  product: 'Scylla',
  configSchema: scyllaConfigSchema as unknown as Destination<ScyllaConfig>['configSchema'],
  spec: scyllaSpec,
  driverOptions: scyllaDriverOptions,
});
