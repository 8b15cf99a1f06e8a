import { randomUUID } from 'node:crypto';
import type { AirbyteRecordMessage, AirbyteRecordMessageMetaChange } from '../models/index.js';
import type { StreamPlan } from '../refresh/index.js';

/** `_airbyte_meta`: the sync id and every change made to the record on its way. */
export interface AirbyteMeta {
  sync_id: number | null;
  changes: AirbyteRecordMessageMetaChange[];
}

/** Destinations V2 metadata columns. */
export interface Dv2Columns {
  readonly _airbyte_raw_id: string;
  readonly _airbyte_extracted_at: number;
  readonly _airbyte_loaded_at: number;
  readonly _airbyte_meta: AirbyteMeta;
  readonly _airbyte_generation_id: number;
}

export const DV2_COLUMN_NAMES = [
  '_airbyte_raw_id',
  '_airbyte_extracted_at',
  '_airbyte_loaded_at',
  '_airbyte_meta',
  '_airbyte_generation_id',
] as const;

/** Builds the V2 metadata for a record: source changes first, then the destination's own. */
export function dv2Columns(
  record: AirbyteRecordMessage,
  plan: Pick<StreamPlan, 'syncId' | 'generationId'>,
  destinationChanges: readonly AirbyteRecordMessageMetaChange[] = [],
  loadedAt: number = Date.now(),
): Dv2Columns {
  const sourceChanges = record.meta?.changes ?? [];
  const changes =
    destinationChanges.length === 0 ? [...sourceChanges] : [...sourceChanges, ...destinationChanges];
  return {
    _airbyte_raw_id: randomUUID(),
    _airbyte_extracted_at: record.emitted_at,
    _airbyte_loaded_at: loadedAt,
    _airbyte_meta: { sync_id: plan.syncId, changes },
    _airbyte_generation_id: plan.generationId,
  };
}
