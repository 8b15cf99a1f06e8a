import type { z } from 'zod';
import type { ConnectorSpecification } from '../models/connector-specification.js';
import type { DestinationSyncMode } from '../models/sync-modes.js';
import { configJsonSchema } from './json-schema.js';

export interface BuildSpecOptions {
  documentationUrl: string;
  changelogUrl?: string;
  /** Deprecated by the protocol; only sources use it. */
  supportsIncremental?: boolean;
  supported_destination_sync_modes?: DestinationSyncMode[];
  /** Defaults to false. */
  supportsNormalization?: boolean;
  /** Defaults to false. */
  supportsDBT?: boolean;
  protocol_version?: string;
  /** Title of the connection specification, e.g. "Scylla Destination Spec". */
  title?: string;
  /** Further top-level keys, e.g. `{ supportsRefreshes: true }`. May not replace the keys above. */
  extra?: Record<string, unknown>;
}

/** The answer to `spec`, with the connection specification generated from the zod config schema. */
export function buildSpec(configSchema: z.ZodType, opts: BuildSpecOptions): ConnectorSpecification {
  let connectionSpecification = configJsonSchema(configSchema);
  if (opts.title !== undefined) {
    // Title right after $schema, where people look for it.
    const { $schema, title: _schemaTitle, ...rest } = connectionSpecification;
    connectionSpecification = { $schema, title: opts.title, ...rest };
  }
  const spec: ConnectorSpecification = { documentationUrl: opts.documentationUrl, connectionSpecification };
  if (opts.changelogUrl !== undefined) spec.changelogUrl = opts.changelogUrl;
  if (opts.supportsIncremental !== undefined) spec.supportsIncremental = opts.supportsIncremental;
  spec.supportsNormalization = opts.supportsNormalization ?? false;
  spec.supportsDBT = opts.supportsDBT ?? false;
  if (opts.supported_destination_sync_modes !== undefined) {
    spec.supported_destination_sync_modes = [...opts.supported_destination_sync_modes];
  }
  if (opts.protocol_version !== undefined) spec.protocol_version = opts.protocol_version;
  for (const [key, value] of Object.entries(opts.extra ?? {})) {
    if (key in spec) throw new Error(`buildSpec: extra key "${key}" would replace a generated field`);
    spec[key] = value;
  }
  return spec;
}
