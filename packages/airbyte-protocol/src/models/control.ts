import { z } from 'zod';
import { type JsonObject, JsonObjectSchema } from './json.js';

export const CONTROL_TYPES = ['CONNECTOR_CONFIG'] as const;
export type AirbyteControlType = (typeof CONTROL_TYPES)[number];
export const AirbyteControlTypeSchema = z.enum(CONTROL_TYPES);

export type AirbyteControlConnectorConfigMessage = {
  /** The updated config the platform should persist (e.g. a refreshed token). */
  config: JsonObject;
};

export type AirbyteControlMessage = {
  type: AirbyteControlType;
  /** Epoch milliseconds. */
  emitted_at: number;
  connectorConfig?: AirbyteControlConnectorConfigMessage | null;
};

export const AirbyteControlConnectorConfigMessageSchema = z.looseObject({
  config: JsonObjectSchema,
}) satisfies z.ZodType<AirbyteControlConnectorConfigMessage>;

export const AirbyteControlMessageSchema = z
  .looseObject({
    type: AirbyteControlTypeSchema,
    emitted_at: z.number(),
    connectorConfig: AirbyteControlConnectorConfigMessageSchema.nullish(),
  })
  .superRefine((control, ctx) => {
    if (control.connectorConfig === undefined || control.connectorConfig === null) {
      ctx.addIssue({
        code: 'custom',
        path: ['connectorConfig'],
        message: 'a CONNECTOR_CONFIG control message needs a "connectorConfig" object',
      });
    }
  }) satisfies z.ZodType<AirbyteControlMessage>;
