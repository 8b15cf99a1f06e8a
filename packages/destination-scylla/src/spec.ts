import { buildSpec } from '@tributary/airbyte-protocol';
import { scyllaConfigSchema } from './config.js';

export const DOCUMENTATION_URL = 'https://www.npmjs.com/package/@tributary/destination-scylla';

export const scyllaSpec = buildSpec(scyllaConfigSchema, {
  documentationUrl: DOCUMENTATION_URL,
  title: 'Scylla Destination Spec',
  supportsIncremental: true,
  supportsNormalization: false,
  supportsDBT: false,
  supported_destination_sync_modes: ['overwrite', 'append', 'append_dedup'],
});
