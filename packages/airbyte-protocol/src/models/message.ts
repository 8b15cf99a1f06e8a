import { z } from 'zod';
import { type AirbyteCatalog, AirbyteCatalogSchema } from './catalog.js';
import { type AirbyteConnectionStatus, AirbyteConnectionStatusSchema } from './connection-status.js';
import { type ConnectorSpecification, ConnectorSpecificationSchema } from './connector-specification.js';
import { type AirbyteControlMessage, AirbyteControlMessageSchema } from './control.js';
import { type DestinationCatalog, DestinationCatalogSchema } from './destination-catalog.js';
import { type AirbyteLogMessage, AirbyteLogMessageSchema } from './log.js';
import { type AirbyteRecordMessage, AirbyteRecordMessageSchema } from './record.js';
import { type AirbyteStateMessage, AirbyteStateMessageSchema } from './state.js';
import { type AirbyteTraceMessage, AirbyteTraceMessageSchema } from './trace.js';

export const MESSAGE_TYPES = [
  'RECORD',
  'STATE',
  'LOG',
  'SPEC',
  'CONNECTION_STATUS',
  'CATALOG',
  'TRACE',
  'CONTROL',
  'DESTINATION_CATALOG',
] as const;
export type AirbyteMessageType = (typeof MESSAGE_TYPES)[number];
export const AirbyteMessageTypeSchema = z.enum(MESSAGE_TYPES);

/**
 * One line of the protocol. Each type carries its payload in its own field (note the camelCase
 * `connectionStatus`). Unknown properties may be present at any level and are kept as they are.
 */
export type AirbyteMessage =
  | { type: 'RECORD'; record: AirbyteRecordMessage }
  | { type: 'STATE'; state: AirbyteStateMessage }
  | { type: 'LOG'; log: AirbyteLogMessage }
  | { type: 'SPEC'; spec: ConnectorSpecification }
  | { type: 'CONNECTION_STATUS'; connectionStatus: AirbyteConnectionStatus }
  | { type: 'CATALOG'; catalog: AirbyteCatalog }
  | { type: 'TRACE'; trace: AirbyteTraceMessage }
  | { type: 'CONTROL'; control: AirbyteControlMessage }
  | { type: 'DESTINATION_CATALOG'; destination_catalog: DestinationCatalog };

/** The message variant of one type, e.g. `AirbyteMessageOf<'STATE'>`. */
export type AirbyteMessageOf<T extends AirbyteMessageType> = Extract<AirbyteMessage, { type: T }>;

/** The name of the payload field for each message type. */
export const PAYLOAD_FIELD = {
  RECORD: 'record',
  STATE: 'state',
  LOG: 'log',
  SPEC: 'spec',
  CONNECTION_STATUS: 'connectionStatus',
  CATALOG: 'catalog',
  TRACE: 'trace',
  CONTROL: 'control',
  DESTINATION_CATALOG: 'destination_catalog',
} as const satisfies Record<AirbyteMessageType, string>;

export const AirbyteRecordEnvelopeSchema = z.looseObject({
  type: z.literal('RECORD'),
  record: AirbyteRecordMessageSchema,
});
export const AirbyteStateEnvelopeSchema = z.looseObject({
  type: z.literal('STATE'),
  state: AirbyteStateMessageSchema,
});
export const AirbyteLogEnvelopeSchema = z.looseObject({
  type: z.literal('LOG'),
  log: AirbyteLogMessageSchema,
});
export const AirbyteSpecEnvelopeSchema = z.looseObject({
  type: z.literal('SPEC'),
  spec: ConnectorSpecificationSchema,
});
export const AirbyteConnectionStatusEnvelopeSchema = z.looseObject({
  type: z.literal('CONNECTION_STATUS'),
  connectionStatus: AirbyteConnectionStatusSchema,
});
export const AirbyteCatalogEnvelopeSchema = z.looseObject({
  type: z.literal('CATALOG'),
  catalog: AirbyteCatalogSchema,
});
export const AirbyteTraceEnvelopeSchema = z.looseObject({
  type: z.literal('TRACE'),
  trace: AirbyteTraceMessageSchema,
});
export const AirbyteControlEnvelopeSchema = z.looseObject({
  type: z.literal('CONTROL'),
  control: AirbyteControlMessageSchema,
});
export const DestinationCatalogEnvelopeSchema = z.looseObject({
  type: z.literal('DESTINATION_CATALOG'),
  destination_catalog: DestinationCatalogSchema,
});

/** The schema of a message of each type, for validating one type without the union dispatch. */
export const MESSAGE_SCHEMA_BY_TYPE = {
  RECORD: AirbyteRecordEnvelopeSchema,
  STATE: AirbyteStateEnvelopeSchema,
  LOG: AirbyteLogEnvelopeSchema,
  SPEC: AirbyteSpecEnvelopeSchema,
  CONNECTION_STATUS: AirbyteConnectionStatusEnvelopeSchema,
  CATALOG: AirbyteCatalogEnvelopeSchema,
  TRACE: AirbyteTraceEnvelopeSchema,
  CONTROL: AirbyteControlEnvelopeSchema,
  DESTINATION_CATALOG: DestinationCatalogEnvelopeSchema,
} as const satisfies { [T in AirbyteMessageType]: z.ZodType<AirbyteMessageOf<T>> };

export const AirbyteMessageSchema = z.discriminatedUnion('type', [
  AirbyteRecordEnvelopeSchema,
  AirbyteStateEnvelopeSchema,
  AirbyteLogEnvelopeSchema,
  AirbyteSpecEnvelopeSchema,
  AirbyteConnectionStatusEnvelopeSchema,
  AirbyteCatalogEnvelopeSchema,
  AirbyteTraceEnvelopeSchema,
  AirbyteControlEnvelopeSchema,
  DestinationCatalogEnvelopeSchema,
]) satisfies z.ZodType<AirbyteMessage>;
