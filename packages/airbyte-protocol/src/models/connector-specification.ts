import { z } from 'zod';
import { type JsonObject, JsonObjectSchema } from './json.js';
import { type DestinationSyncMode, DestinationSyncModeSchema } from './sync-modes.js';

export type AdvancedAuth = {
  auth_flow_type?: 'oauth2.0' | 'oauth1.0' | null;
  predicate_key?: string[] | null;
  predicate_value?: string | null;
  oauth_config_specification?: JsonObject | null;
  [key: string]: unknown;
};

/**
 * The answer to `spec`. The index signature is deliberate: the platform reads flags newer than
 * protocol 0.18 (`supportsRefreshes`, `supportsFileTransfer`, …) from here.
 */
export type ConnectorSpecification = {
  /** A JSON Schema (draft-07) describing the connector's config. */
  connectionSpecification: JsonObject;
  documentationUrl?: string | null;
  changelogUrl?: string | null;
  /** Deprecated by the protocol. */
  supportsIncremental?: boolean | null;
  supportsNormalization?: boolean | null;
  supportsDBT?: boolean | null;
  supported_destination_sync_modes?: DestinationSyncMode[] | null;
  /** Deprecated by the protocol in favour of `advanced_auth`. */
  authSpecification?: JsonObject | null;
  advanced_auth?: AdvancedAuth | null;
  /** The protocol version the connector speaks; the platform assumes "0.2.0" when absent. */
  protocol_version?: string | null;
  [key: string]: unknown;
};

export const AdvancedAuthSchema = z.looseObject({
  auth_flow_type: z.enum(['oauth2.0', 'oauth1.0']).nullish(),
  predicate_key: z.array(z.string()).nullish(),
  predicate_value: z.string().nullish(),
  oauth_config_specification: JsonObjectSchema.nullish(),
}) satisfies z.ZodType<AdvancedAuth>;

export const ConnectorSpecificationSchema = z.looseObject({
  connectionSpecification: JsonObjectSchema,
  documentationUrl: z.string().nullish(),
  changelogUrl: z.string().nullish(),
  supportsIncremental: z.boolean().nullish(),
  supportsNormalization: z.boolean().nullish(),
  supportsDBT: z.boolean().nullish(),
  supported_destination_sync_modes: z.array(DestinationSyncModeSchema).nullish(),
  authSpecification: JsonObjectSchema.nullish(),
  advanced_auth: AdvancedAuthSchema.nullish(),
  protocol_version: z.string().nullish(),
}) satisfies z.ZodType<ConnectorSpecification>;
