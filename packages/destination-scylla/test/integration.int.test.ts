import { fileURLToPath } from 'node:url';
import { defineCqlIntegrationSuite } from '../../cql-loader/test/suite/suite.js';

// The shared CQL suite through this package's own bin, against Cassandra 5.0 from the testkit.
defineCqlIntegrationSuite({
  product: 'destination-scylla',
  bin: fileURLToPath(new URL('../dist/bin.js', import.meta.url)),
  full: true,
  detectsDatacenter: true,
});
