/// <reference types="jest" />
import type { z } from 'zod';
import {
  type AirbyteCatalog,
  type AirbyteCatalogSchema,
  type AirbyteConnectionStatus,
  type AirbyteConnectionStatusSchema,
  type AirbyteControlMessage,
  type AirbyteControlMessageSchema,
  type AirbyteLogMessage,
  type AirbyteLogMessageSchema,
  type AirbyteMessage,
  type AirbyteMessageSchema,
  type AirbyteRecordMessage,
  type AirbyteRecordMessageSchema,
  type AirbyteStateMessage,
  type AirbyteStateMessageSchema,
  type AirbyteTraceMessage,
  type AirbyteTraceMessageSchema,
  type ConfiguredAirbyteCatalog,
  type ConfiguredAirbyteCatalogSchema,
  type ConnectorSpecification,
  type ConnectorSpecificationSchema,
  type DestinationCatalog,
  type DestinationCatalogSchema,
  decodeMessage,
} from '../src/models/index.js';

// Compile-time: the hand-written types and the zod schemas describe the same shapes, both ways.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Output<S extends z.ZodType> = z.output<S>;

const typeChecks: [
  Same<AirbyteRecordMessage, Output<typeof AirbyteRecordMessageSchema>>,
  Same<AirbyteStateMessage, Output<typeof AirbyteStateMessageSchema>>,
  Same<AirbyteLogMessage, Output<typeof AirbyteLogMessageSchema>>,
  Same<AirbyteTraceMessage, Output<typeof AirbyteTraceMessageSchema>>,
  Same<AirbyteControlMessage, Output<typeof AirbyteControlMessageSchema>>,
  Same<AirbyteConnectionStatus, Output<typeof AirbyteConnectionStatusSchema>>,
  Same<ConnectorSpecification, Output<typeof ConnectorSpecificationSchema>>,
  Same<AirbyteCatalog, Output<typeof AirbyteCatalogSchema>>,
  Same<ConfiguredAirbyteCatalog, Output<typeof ConfiguredAirbyteCatalogSchema>>,
  Same<DestinationCatalog, Output<typeof DestinationCatalogSchema>>,
  Same<AirbyteMessage, Output<typeof AirbyteMessageSchema>>,
] = [true, true, true, true, true, true, true, true, true, true, true];

describe('model types', () => {
  test('types and schemas agree (checked by tsc)', () => {
    expect(typeChecks.every(Boolean)).toBe(true);
  });

  test('AirbyteMessage narrows on type', () => {
    const result = decodeMessage({ type: 'LOG', log: { level: 'INFO', message: 'x' } });
    if (!result.ok) throw new Error(result.reason);
    const message = result.message;
    switch (message.type) {
      case 'LOG':
        expect(message.log.level).toBe('INFO');
        break;
      default:
        throw new Error(`unexpected ${message.type}`);
    }
  });
});
