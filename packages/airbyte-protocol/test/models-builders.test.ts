/// <reference types="jest" />
import {
  AirbyteMessageSchema,
  analyticsMessage,
  catalogMessage,
  connectionStatusMessage,
  controlConfigMessage,
  decodeMessage,
  destinationCatalogMessage,
  estimateMessage,
  globalStateMessage,
  legacyStateMessage,
  logMessage,
  recordMessage,
  specMessage,
  stateMessage,
  streamStateMessage,
  streamStatusMessage,
  traceErrorMessage,
} from '../src/models/index.js';

const NOW = 1_700_000_000_000;

describe('message builders', () => {
  test('recordMessage fills emitted_at from Date.now() and omits absent options', () => {
    const before = Date.now();
    const message = recordMessage('users', { id: 1 });
    expect(message).toEqual({
      type: 'RECORD',
      record: { stream: 'users', data: { id: 1 }, emitted_at: expect.any(Number) },
    });
    expect(message.record.emitted_at).toBeGreaterThanOrEqual(before);
    expect(Object.keys(message.record)).toEqual(['stream', 'data', 'emitted_at']);
  });

  test('recordMessage with every option; a null namespace is dropped', () => {
    const meta = {
      changes: [{ field: 'a', change: 'NULLED' as const, reason: 'DESTINATION_TYPECAST_ERROR' as const }],
    };
    expect(recordMessage('s', {}, { namespace: 'ns', emittedAt: NOW, meta })).toEqual({
      type: 'RECORD',
      record: { stream: 's', data: {}, emitted_at: NOW, namespace: 'ns', meta },
    });
    expect(recordMessage('s', {}, { namespace: null, emittedAt: NOW }).record).toEqual({
      stream: 's',
      data: {},
      emitted_at: NOW,
    });
  });

  test('state builders for STREAM, GLOBAL and LEGACY', () => {
    expect(
      streamStateMessage(
        { name: 'users', namespace: null },
        { cursor: 1 },
        { sourceStats: { recordCount: 3 } },
      ),
    ).toEqual({
      type: 'STATE',
      state: {
        type: 'STREAM',
        stream: { stream_descriptor: { name: 'users' }, stream_state: { cursor: 1 } },
        sourceStats: { recordCount: 3 },
      },
    });
    expect(
      globalStateMessage(
        { sharedState: { lsn: 9 }, streamStates: [{ stream_descriptor: { name: 'a' } }] },
        { destinationStats: { recordCount: 1, rejectedRecordCount: 0 } },
      ),
    ).toEqual({
      type: 'STATE',
      state: {
        type: 'GLOBAL',
        global: { stream_states: [{ stream_descriptor: { name: 'a' } }], shared_state: { lsn: 9 } },
        destinationStats: { recordCount: 1, rejectedRecordCount: 0 },
      },
    });
    expect(legacyStateMessage({ x: 1 })).toEqual({
      type: 'STATE',
      state: { type: 'LEGACY', data: { x: 1 } },
    });
    const state = { type: 'STREAM' as const, stream: { stream_descriptor: { name: 'z' } }, custom: 1 };
    expect(stateMessage(state).state).toBe(state);
  });

  test('logMessage', () => {
    expect(logMessage('INFO', 'hi')).toEqual({ type: 'LOG', log: { level: 'INFO', message: 'hi' } });
    expect(logMessage('ERROR', 'x', 'stack')).toEqual({
      type: 'LOG',
      log: { level: 'ERROR', message: 'x', stack_trace: 'stack' },
    });
    expect(logMessage('WARN', 'x', null).log).toEqual({ level: 'WARN', message: 'x' });
  });

  test('trace builders', () => {
    expect(
      traceErrorMessage({
        message: 'm',
        internalMessage: 'i',
        stackTrace: 's',
        failureType: 'config_error',
        streamDescriptor: { name: 'u', namespace: 'n' },
        emittedAt: NOW,
      }),
    ).toEqual({
      type: 'TRACE',
      trace: {
        type: 'ERROR',
        emitted_at: NOW,
        error: {
          message: 'm',
          failure_type: 'config_error',
          internal_message: 'i',
          stack_trace: 's',
          stream_descriptor: { name: 'u', namespace: 'n' },
        },
      },
    });
    expect(streamStatusMessage({ name: 'u' }, 'COMPLETE', undefined, NOW)).toEqual({
      type: 'TRACE',
      trace: {
        type: 'STREAM_STATUS',
        emitted_at: NOW,
        stream_status: { stream_descriptor: { name: 'u' }, status: 'COMPLETE' },
      },
    });
    const reasons = [{ type: 'RATE_LIMITED' as const, rate_limited: { quota_reset: NOW + 1000 } }];
    expect(streamStatusMessage({ name: 'u' }, 'RUNNING', reasons, NOW).trace.stream_status?.reasons).toEqual(
      reasons,
    );
    expect(
      estimateMessage({
        name: 'u',
        namespace: 'n',
        type: 'STREAM',
        rowEstimate: 10,
        byteEstimate: 100,
        emittedAt: NOW,
      }),
    ).toEqual({
      type: 'TRACE',
      trace: {
        type: 'ESTIMATE',
        emitted_at: NOW,
        estimate: { name: 'u', type: 'STREAM', namespace: 'n', row_estimate: 10, byte_estimate: 100 },
      },
    });
    expect(analyticsMessage('cursor-indexed', '2', NOW)).toEqual({
      type: 'TRACE',
      trace: { type: 'ANALYTICS', emitted_at: NOW, analytics: { type: 'cursor-indexed', value: '2' } },
    });
    expect(analyticsMessage('x', undefined, NOW).trace.analytics).toEqual({ type: 'x' });
  });

  test('other builders', () => {
    expect(connectionStatusMessage('SUCCEEDED')).toEqual({
      type: 'CONNECTION_STATUS',
      connectionStatus: { status: 'SUCCEEDED' },
    });
    expect(connectionStatusMessage('FAILED', null).connectionStatus).toEqual({ status: 'FAILED' });
    expect(connectionStatusMessage('FAILED', 'bad host').connectionStatus).toEqual({
      status: 'FAILED',
      message: 'bad host',
    });
    const spec = { connectionSpecification: { type: 'object' }, documentationUrl: 'https://d' };
    expect(specMessage(spec)).toEqual({ type: 'SPEC', spec });
    const catalog = {
      streams: [{ name: 's', json_schema: {}, supported_sync_modes: ['full_refresh' as const] }],
    };
    expect(catalogMessage(catalog)).toEqual({ type: 'CATALOG', catalog });
    const destinationCatalog = {
      operations: [{ object_name: 'o', sync_mode: 'append' as const, json_schema: {} }],
    };
    expect(destinationCatalogMessage(destinationCatalog)).toEqual({
      type: 'DESTINATION_CATALOG',
      destination_catalog: destinationCatalog,
    });
    expect(controlConfigMessage({ token: 't' }, NOW)).toEqual({
      type: 'CONTROL',
      control: { type: 'CONNECTOR_CONFIG', emitted_at: NOW, connectorConfig: { config: { token: 't' } } },
    });
  });

  test('every builder output is a valid message that survives a JSON round trip', () => {
    const messages = [
      recordMessage('s', { a: 1 }, { namespace: 'n' }),
      streamStateMessage({ name: 's' }, { c: 1 }),
      globalStateMessage({ streamStates: [] }),
      legacyStateMessage({}),
      logMessage('DEBUG', 'd'),
      traceErrorMessage({ message: 'x', failureType: 'system_error' }),
      streamStatusMessage({ name: 's' }, 'STARTED'),
      estimateMessage({ name: 's', type: 'SYNC' }),
      analyticsMessage('t'),
      connectionStatusMessage('SUCCEEDED'),
      specMessage({ connectionSpecification: {} }),
      catalogMessage({ streams: [] }),
      destinationCatalogMessage({ operations: [] }),
      controlConfigMessage({}),
    ];
    for (const message of messages) {
      const wire = JSON.parse(JSON.stringify(message));
      expect(AirbyteMessageSchema.safeParse(wire).success).toBe(true);
      expect(decodeMessage(wire)).toEqual({ ok: true, message: wire });
    }
  });
});
