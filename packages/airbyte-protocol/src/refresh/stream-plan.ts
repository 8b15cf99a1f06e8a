import type { ConfiguredAirbyteStream, DestinationSyncMode } from '../models/index.js';

/**
 * What a destination must do for one stream, decided from `destination_sync_mode`,
 * `generation_id` and `minimum_generation_id`.
 *
 * - A platform that supports refreshes sends generation ids and turns overwrite into append;
 *   the truncate intent is then `minimum_generation_id > 0`: at COMPLETE, remove every row of a
 *   generation below it. Rows of an interrupted attempt of the same generation survive.
 * - A platform without refreshes (fields absent, or all zero) sends `overwrite`: at COMPLETE,
 *   remove every row loaded before this sync started (the legacy overwrite, done without downtime).
 */
export type TruncatePlan =
  | { readonly kind: 'below_generation'; readonly generation: number }
  | { readonly kind: 'loaded_before'; readonly syncStartedAt: number };

export interface StreamPlan {
  readonly name: string;
  readonly namespace: string | null;
  readonly configured: ConfiguredAirbyteStream;
  readonly destinationSyncMode: DestinationSyncMode;
  /** Rows are upserted by primary key (append_dedup) rather than appended. */
  readonly dedup: boolean;
  /** What to remove once the stream reports COMPLETE; null when nothing is removed. */
  readonly truncate: TruncatePlan | null;
  /** Written into `_airbyte_generation_id`; 0 when the platform sent none. */
  readonly generationId: number;
  readonly minimumGenerationId: number;
  readonly syncId: number | null;
  readonly primaryKey: string[][];
  readonly cursorField: string[];
  readonly jsonSchema: unknown;
}

function asInt(v: unknown): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? Math.trunc(v) : null;
}

export function planStream(configured: ConfiguredAirbyteStream, syncStartedAt: number): StreamPlan {
  const mode: DestinationSyncMode = configured.destination_sync_mode ?? 'append';
  const generationId = asInt(configured.generation_id) ?? 0;
  const minimumGenerationId = asInt(configured.minimum_generation_id) ?? 0;
  let truncate: TruncatePlan | null = null;
  if (minimumGenerationId > 0) {
    truncate = { kind: 'below_generation', generation: minimumGenerationId };
  } else if (mode === 'overwrite') {
    truncate = { kind: 'loaded_before', syncStartedAt };
  }
  const stream = configured.stream;
  return {
    name: stream.name,
    namespace: stream.namespace ?? null,
    configured,
    destinationSyncMode: mode,
    dedup: mode === 'append_dedup',
    truncate,
    generationId,
    minimumGenerationId,
    syncId: asInt(configured.sync_id),
    primaryKey: configured.primary_key ?? (stream.source_defined_primary_key as string[][] | undefined) ?? [],
    cursorField: configured.cursor_field ?? (stream.default_cursor_field as string[] | undefined) ?? [],
    jsonSchema: stream.json_schema,
  };
}
