import { z } from 'zod';

export const SYNC_MODES = ['full_refresh', 'incremental'] as const;
/** How a source reads a stream. */
export type SyncMode = (typeof SYNC_MODES)[number];
export const SyncModeSchema = z.enum(SYNC_MODES);

export const DESTINATION_SYNC_MODES = [
  'append',
  'overwrite',
  'append_dedup',
  'update',
  'soft_delete',
] as const;
/** How a destination writes a stream (`update` and `soft_delete` are for data-activation destinations). */
export type DestinationSyncMode = (typeof DESTINATION_SYNC_MODES)[number];
export const DestinationSyncModeSchema = z.enum(DESTINATION_SYNC_MODES);
