import { z } from 'zod';
import { ConfigError } from '../errors/tributary-error.js';
import { type AirbyteStream, AirbyteStreamSchema } from './catalog.js';
import { streamKey, streamLabel } from './stream-descriptor.js';
import {
  type DestinationSyncMode,
  DestinationSyncModeSchema,
  type SyncMode,
  SyncModeSchema,
} from './sync-modes.js';
import { formatZodIssues } from './zod-issues.js';

/** A stream as the user configured it for this sync. */
export type ConfiguredAirbyteStream = {
  stream: AirbyteStream;
  sync_mode: SyncMode;
  destination_sync_mode: DestinationSyncMode;
  /** Path to the cursor; required by the protocol when sync_mode is incremental. */
  cursor_field?: string[] | null;
  /** Paths making up the primary key; required by the protocol for `*_dedup` modes. */
  primary_key?: string[][] | null;
  destination_object_name?: string | null;
  /**
   * The refresh generation of the stream. Absent/null when the platform does not support refreshes:
   * then fall back to the plain `destination_sync_mode` semantics.
   */
  generation_id?: number | null;
  /** Data of generations below this should be deleted once the stream completes; 0 means keep. */
  minimum_generation_id?: number | null;
  sync_id?: number | null;
  include_files?: boolean | null;
};

export type ConfiguredAirbyteCatalog = {
  streams: ConfiguredAirbyteStream[];
};

export const ConfiguredAirbyteStreamSchema = z.looseObject({
  stream: AirbyteStreamSchema,
  sync_mode: SyncModeSchema,
  destination_sync_mode: DestinationSyncModeSchema,
  cursor_field: z.array(z.string()).nullish(),
  primary_key: z.array(z.array(z.string())).nullish(),
  destination_object_name: z.string().nullish(),
  generation_id: z.number().int().nullish(),
  minimum_generation_id: z.number().int().nullish(),
  sync_id: z.number().int().nullish(),
  include_files: z.boolean().nullish(),
}) satisfies z.ZodType<ConfiguredAirbyteStream>;

export const ConfiguredAirbyteCatalogSchema = z.looseObject({
  streams: z.array(ConfiguredAirbyteStreamSchema),
}) satisfies z.ZodType<ConfiguredAirbyteCatalog>;

/**
 * Validates the `--catalog` file. Throws a ConfigError listing every problem by path, e.g.
 * `catalog.streams[0].sync_mode: expected one of "full_refresh"|"incremental", got "fast"`.
 * Two streams with the same name and namespace are rejected too: every consumer keys streams by them.
 * Returns the input object itself (the schema does not transform).
 */
export function parseConfiguredCatalog(value: unknown): ConfiguredAirbyteCatalog {
  const result = ConfiguredAirbyteCatalogSchema.safeParse(value);
  if (!result.success) {
    throw new ConfigError(
      `Invalid configured catalog:\n${formatZodIssues(result.error, value, 'catalog').join('\n')}`,
    );
  }
  const catalog = value as ConfiguredAirbyteCatalog;
  const seen = new Map<string, number>();
  const duplicates: string[] = [];
  catalog.streams.forEach((configured, index) => {
    const key = streamKey(configured.stream);
    const first = seen.get(key);
    if (first === undefined) seen.set(key, index);
    else {
      duplicates.push(
        `catalog.streams[${index}]: stream "${streamLabel(configured.stream)}" is already configured at catalog.streams[${first}]`,
      );
    }
  });
  if (duplicates.length > 0) throw new ConfigError(`Invalid configured catalog:\n${duplicates.join('\n')}`);
  return catalog;
}
