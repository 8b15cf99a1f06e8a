import { randomUUID } from 'node:crypto';
import type { AirbyteRecordMessage } from '../models/index.js';

/** The upstream (pre-Destinations V2) raw columns: `_airbyte_ab_id`, `_airbyte_emitted_at`, `_airbyte_data`. */
export interface LegacyRawRow {
  readonly _airbyte_ab_id: string;
  readonly _airbyte_emitted_at: number;
  readonly _airbyte_data: Record<string, unknown>;
}

export function legacyRawRow(record: AirbyteRecordMessage, id: string = randomUUID()): LegacyRawRow {
  return { _airbyte_ab_id: id, _airbyte_emitted_at: record.emitted_at, _airbyte_data: record.data };
}
