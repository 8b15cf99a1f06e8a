import { buildSpec } from '@tributary/airbyte-protocol';
import { cassandraConfigSchema } from './config.js';

export const DOCUMENTATION_URL = 'https://www.npmjs.com/package/@tributary/destination-cassandra';

export const cassandraSpec = buildSpec(cassandraConfigSchema, {
  documentationUrl: DOCUMENTATION_URL,
  title: 'Cassandra Destination Spec',
  supportsIncremental: true,
  supportsNormalization: false,
  supportsDBT: false,
  supported_destination_sync_modes: ['overwrite', 'append', 'append_dedup'],
});
