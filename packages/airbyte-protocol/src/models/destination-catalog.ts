import { z } from 'zod';
import { type JsonObject, JsonObjectSchema } from './json.js';
import { type DestinationSyncMode, DestinationSyncModeSchema } from './sync-modes.js';

/** An operation a destination can perform on one of its objects (tables, topics…). */
export type DestinationOperation = {
  object_name: string;
  sync_mode: DestinationSyncMode;
  json_schema: JsonObject;
  /** Paths of the fields that identify a record in the object. */
  matching_keys?: string[][] | null;
};

/** What a destination offers (the answer to a destination's `discover`, protocol 0.16). */
export type DestinationCatalog = {
  operations: DestinationOperation[];
};

export const DestinationOperationSchema = z.looseObject({
  object_name: z.string(),
  sync_mode: DestinationSyncModeSchema,
  json_schema: JsonObjectSchema,
  matching_keys: z.array(z.array(z.string())).nullish(),
}) satisfies z.ZodType<DestinationOperation>;

export const DestinationCatalogSchema = z.looseObject({
  operations: z.array(DestinationOperationSchema),
}) satisfies z.ZodType<DestinationCatalog>;
