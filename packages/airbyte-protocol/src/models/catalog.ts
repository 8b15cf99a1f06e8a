import { z } from 'zod';
import { type JsonObject, JsonObjectSchema } from './json.js';
import { type SyncMode, SyncModeSchema } from './sync-modes.js';

/** A stream a source offers (the answer to `discover`). */
export type AirbyteStream = {
  name: string;
  /** The JSON Schema of the stream's records. */
  json_schema: JsonObject;
  supported_sync_modes: SyncMode[];
  source_defined_cursor?: boolean | null;
  /** A path (nested field names) to the default cursor. */
  default_cursor_field?: string[] | null;
  /** A list of paths making up the primary key. */
  source_defined_primary_key?: string[][] | null;
  namespace?: string | null;
  is_resumable?: boolean | null;
  is_file_based?: boolean | null;
};

export type AirbyteCatalog = {
  streams: AirbyteStream[];
};

export const AirbyteStreamSchema = z.looseObject({
  name: z.string().min(1),
  json_schema: JsonObjectSchema,
  supported_sync_modes: z.array(SyncModeSchema).min(1),
  source_defined_cursor: z.boolean().nullish(),
  default_cursor_field: z.array(z.string()).nullish(),
  source_defined_primary_key: z.array(z.array(z.string())).nullish(),
  namespace: z.string().nullish(),
  is_resumable: z.boolean().nullish(),
  is_file_based: z.boolean().nullish(),
}) satisfies z.ZodType<AirbyteStream>;

export const AirbyteCatalogSchema = z.looseObject({
  streams: z.array(AirbyteStreamSchema),
}) satisfies z.ZodType<AirbyteCatalog>;
