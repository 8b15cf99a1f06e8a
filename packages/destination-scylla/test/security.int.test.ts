import { fileURLToPath } from 'node:url';
import { defineCqlSecuritySuite } from '../../cql-loader/test/suite/security.js';

defineCqlSecuritySuite({
  product: 'destination-scylla',
  bin: fileURLToPath(new URL('../dist/bin.js', import.meta.url)),
});
