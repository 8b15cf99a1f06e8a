import { z } from 'zod';

export const RECORD_CHANGES = ['NULLED', 'TRUNCATED'] as const;
export type AirbyteRecordChange = (typeof RECORD_CHANGES)[number];

export const RECORD_CHANGE_REASONS = [
  'SOURCE_RECORD_SIZE_LIMITATION',
  'DESTINATION_RECORD_SIZE_LIMITATION',
  'PLATFORM_RECORD_SIZE_LIMITATION',
  'SOURCE_FIELD_SIZE_LIMITATION',
  'DESTINATION_FIELD_SIZE_LIMITATION',
  'PLATFORM_FIELD_SIZE_LIMITATION',
  'SOURCE_SERIALIZATION_ERROR',
  'DESTINATION_SERIALIZATION_ERROR',
  'PLATFORM_SERIALIZATION_ERROR',
  'SOURCE_RETRIEVAL_ERROR',
  'DESTINATION_TYPECAST_ERROR',
] as const;
export type AirbyteRecordChangeReason = (typeof RECORD_CHANGE_REASONS)[number];

/** One in-flight modification of a record, recorded so that it is never silent. */
export type AirbyteRecordMessageMetaChange = {
  /** The field (column) that was changed. */
  field: string;
  change: AirbyteRecordChange;
  reason: AirbyteRecordChangeReason;
};

export type AirbyteRecordMessageMeta = {
  changes?: AirbyteRecordMessageMetaChange[] | null;
};

/** A file transferred alongside a record (file-based streams, protocol 0.15). */
export type AirbyteRecordMessageFileReference = {
  staging_file_url?: string | null;
  source_file_relative_path?: string | null;
  file_size_bytes?: number | null;
};

export type AirbyteRecordMessage = {
  stream: string;
  /** The record itself: a JSON object. */
  data: Record<string, unknown>;
  /** When the source read the record, epoch milliseconds. */
  emitted_at: number;
  namespace?: string | null;
  meta?: AirbyteRecordMessageMeta | null;
  file_reference?: AirbyteRecordMessageFileReference | null;
};

export const AirbyteRecordChangeSchema = z.enum(RECORD_CHANGES);
export const AirbyteRecordChangeReasonSchema = z.enum(RECORD_CHANGE_REASONS);

export const AirbyteRecordMessageMetaChangeSchema = z.looseObject({
  field: z.string(),
  change: AirbyteRecordChangeSchema,
  reason: AirbyteRecordChangeReasonSchema,
}) satisfies z.ZodType<AirbyteRecordMessageMetaChange>;

export const AirbyteRecordMessageMetaSchema = z.looseObject({
  changes: z.array(AirbyteRecordMessageMetaChangeSchema).nullish(),
}) satisfies z.ZodType<AirbyteRecordMessageMeta>;

export const AirbyteRecordMessageFileReferenceSchema = z.looseObject({
  staging_file_url: z.string().nullish(),
  source_file_relative_path: z.string().nullish(),
  file_size_bytes: z.number().nullish(),
}) satisfies z.ZodType<AirbyteRecordMessageFileReference>;

export const AirbyteRecordMessageSchema = z.looseObject({
  stream: z.string().min(1),
  data: z.record(z.string(), z.unknown()),
  emitted_at: z.number(),
  namespace: z.string().nullish(),
  meta: AirbyteRecordMessageMetaSchema.nullish(),
  file_reference: AirbyteRecordMessageFileReferenceSchema.nullish(),
}) satisfies z.ZodType<AirbyteRecordMessage>;
