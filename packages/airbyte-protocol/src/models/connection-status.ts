import { z } from 'zod';

export const CONNECTION_STATUSES = ['SUCCEEDED', 'FAILED'] as const;
export type AirbyteConnectionStatusValue = (typeof CONNECTION_STATUSES)[number];
export const AirbyteConnectionStatusValueSchema = z.enum(CONNECTION_STATUSES);

/** The answer to `check`. */
export type AirbyteConnectionStatus = {
  status: AirbyteConnectionStatusValue;
  message?: string | null;
};

export const AirbyteConnectionStatusSchema = z.looseObject({
  status: AirbyteConnectionStatusValueSchema,
  message: z.string().nullish(),
}) satisfies z.ZodType<AirbyteConnectionStatus>;
