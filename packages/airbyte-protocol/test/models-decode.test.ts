/// <reference types="jest" />
import { type AirbyteMessage, AirbyteMessageSchema, decodeMessage } from '../src/models/index.js';

function decoded(value: unknown): AirbyteMessage {
  const result = decodeMessage(value);
  if (!result.ok) throw new Error(`expected ok, got: ${result.reason}`);
  return result.message;
}

function reasonOf(value: unknown): string {
  const result = decodeMessage(value);
  if (result.ok) throw new Error('expected a failure');
  return result.reason;
}

const EXTRA = { futureField: { nested: [1, { deep: true }] } };

const oneOfEach: Record<string, unknown> = {
  RECORD: {
    type: 'RECORD',
    record: {
      stream: 'users',
      namespace: 'public',
      data: { id: 1, name: 'a' },
      emitted_at: 1700000000000,
      meta: { changes: [{ field: 'name', change: 'TRUNCATED', reason: 'SOURCE_FIELD_SIZE_LIMITATION' }] },
      file_reference: { staging_file_url: '/staging/f', source_file_relative_path: 'f', file_size_bytes: 3 },
    },
  },
  STATE: {
    type: 'STATE',
    state: {
      type: 'STREAM',
      stream: { stream_descriptor: { name: 'users', namespace: 'public' }, stream_state: { cursor: 5 } },
      sourceStats: { recordCount: 2.0 },
      destinationStats: { recordCount: 2.0, rejectedRecordCount: 0 },
    },
  },
  LOG: { type: 'LOG', log: { level: 'WARN', message: 'careful', stack_trace: 'at x' } },
  SPEC: {
    type: 'SPEC',
    spec: {
      documentationUrl: 'https://docs.example.com',
      changelogUrl: 'https://docs.example.com/changelog',
      connectionSpecification: { type: 'object' },
      supportsIncremental: true,
      supportsNormalization: false,
      supportsDBT: false,
      supported_destination_sync_modes: ['append', 'overwrite', 'append_dedup', 'update', 'soft_delete'],
      advanced_auth: { auth_flow_type: 'oauth2.0', predicate_key: ['a'], predicate_value: 'b' },
      protocol_version: '0.2.0',
      supportsRefreshes: true,
    },
  },
  CONNECTION_STATUS: {
    type: 'CONNECTION_STATUS',
    connectionStatus: { status: 'FAILED', message: 'no route' },
  },
  CATALOG: {
    type: 'CATALOG',
    catalog: {
      streams: [
        {
          name: 'users',
          json_schema: { type: 'object' },
          supported_sync_modes: ['full_refresh', 'incremental'],
          source_defined_cursor: true,
          default_cursor_field: ['updated_at'],
          source_defined_primary_key: [['id']],
          namespace: 'public',
          is_resumable: true,
          is_file_based: false,
        },
      ],
    },
  },
  TRACE: {
    type: 'TRACE',
    trace: {
      type: 'ERROR',
      emitted_at: 1.5,
      error: {
        message: 'm',
        internal_message: 'i',
        stack_trace: 's',
        failure_type: 'transient_error',
        stream_descriptor: { name: 'users' },
      },
    },
  },
  CONTROL: {
    type: 'CONTROL',
    control: { type: 'CONNECTOR_CONFIG', emitted_at: 1, connectorConfig: { config: { token: 'new' } } },
  },
  DESTINATION_CATALOG: {
    type: 'DESTINATION_CATALOG',
    destination_catalog: {
      operations: [
        {
          object_name: 'contacts',
          sync_mode: 'update',
          json_schema: { type: 'object' },
          matching_keys: [['email']],
        },
      ],
    },
  },
};

describe('decodeMessage', () => {
  test.each(Object.entries(oneOfEach))(
    'accepts a full %s message and returns the same object',
    (_type, value) => {
      expect(decoded(value)).toBe(value);
      expect(AirbyteMessageSchema.safeParse(value).success).toBe(true);
    },
  );

  test.each(Object.entries(oneOfEach))('keeps unknown properties at every level of %s', (_type, value) => {
    const message = structuredClone(value) as Record<string, unknown>;
    message.extraTop = EXTRA;
    const payload = Object.values(message).find((v) => typeof v === 'object' && v !== EXTRA) as Record<
      string,
      unknown
    >;
    payload.extraPayload = EXTRA;
    const out = decoded(message) as unknown as Record<string, unknown>;
    expect(out.extraTop).toEqual(EXTRA);
    expect(JSON.parse(JSON.stringify(out))).toEqual(JSON.parse(JSON.stringify(message)));
  });

  test('keeps unknown properties deep inside nested objects (zod path)', () => {
    const message = structuredClone(oneOfEach.STATE) as { state: { stream: { stream_descriptor: object } } };
    Object.assign(message.state.stream.stream_descriptor, { extra: EXTRA });
    const parsed = AirbyteMessageSchema.parse(message) as unknown as typeof message;
    expect(parsed.state.stream.stream_descriptor).toEqual({
      name: 'users',
      namespace: 'public',
      extra: EXTRA,
    });
  });

  test.each([
    ['STREAM', { type: 'STREAM', stream: { stream_descriptor: { name: 's' } } }],
    ['GLOBAL', { type: 'GLOBAL', global: { shared_state: { lsn: 1 }, stream_states: [] } }],
    ['LEGACY', { type: 'LEGACY', data: { a: 1 } }],
    ['absent type (LEGACY)', { data: { cursor: 'x' } }],
    ['null type (LEGACY)', { type: null, data: { cursor: 'x' } }],
  ])('accepts %s state', (_name, state) => {
    expect(decoded({ type: 'STATE', state })).toEqual({ type: 'STATE', state });
  });

  test('treats null as absent for optional fields', () => {
    const record = {
      type: 'RECORD',
      record: { stream: 's', data: {}, emitted_at: 1, namespace: null, meta: null },
    };
    expect(decoded(record)).toBe(record);
    const trace = {
      type: 'TRACE',
      trace: {
        type: 'ERROR',
        emitted_at: 1,
        error: { message: 'x', internal_message: null, stream_descriptor: null },
      },
    };
    expect(decoded(trace)).toBe(trace);
  });

  test.each([
    [{ type: 'RECORD' }, 'invalid RECORD message: "record" must be an object, got nothing'],
    [{ type: 'RECORD', record: [] }, 'invalid RECORD message: "record" must be an object, got an array'],
    [
      { type: 'RECORD', record: { stream: '', data: {}, emitted_at: 1 } },
      'invalid RECORD message: record.stream must be a non-empty string, got an empty string',
    ],
    [
      { type: 'RECORD', record: { stream: 5, data: {}, emitted_at: 1 } },
      'invalid RECORD message: record.stream must be a non-empty string, got a number',
    ],
    [
      { type: 'RECORD', record: { stream: 's', data: [1], emitted_at: 1 } },
      'invalid RECORD message: record.data must be an object, got an array',
    ],
    [
      { type: 'RECORD', record: { stream: 's', data: 'secret-ish', emitted_at: 1 } },
      'invalid RECORD message: record.data must be an object, got a string',
    ],
    [
      { type: 'RECORD', record: { stream: 's', data: new Date(0), emitted_at: 1 } },
      'invalid RECORD message: record.data must be a plain JSON object',
    ],
    [
      { type: 'RECORD', record: { stream: 's', data: {}, emitted_at: '1' } },
      'invalid RECORD message: record.emitted_at must be a number, got a string',
    ],
    [
      { type: 'RECORD', record: { stream: 's', data: {}, emitted_at: Number.NaN } },
      'invalid RECORD message: record.emitted_at must be a number, got a number',
    ],
    [
      { type: 'RECORD', record: { stream: 's', data: {}, emitted_at: 1, namespace: 3 } },
      'invalid RECORD message: record.namespace must be a string, got a number',
    ],
    [
      { type: 'RECORD', record: { stream: 's', data: {}, emitted_at: 1, meta: 'x' } },
      'invalid RECORD message: record.meta must be an object, got a string',
    ],
    [
      { type: 'RECORD', record: { stream: 's', data: {}, emitted_at: 1, meta: { changes: {} } } },
      'invalid RECORD message: record.meta.changes must be an array, got an object',
    ],
    [
      {
        type: 'RECORD',
        record: { stream: 's', data: {}, emitted_at: 1, meta: { changes: [{ field: 'a' }] } },
      },
      'invalid RECORD message: record.meta.changes[0] must be an object with string field, change and reason',
    ],
    [
      { type: 'RECORD', record: { stream: 's', data: {}, emitted_at: 1, file_reference: 7 } },
      'invalid RECORD message: record.file_reference must be an object, got a number',
    ],
  ])('rejects invalid record %j with a reason', (value, reason) => {
    expect(reasonOf(value)).toBe(reason);
  });

  test('never puts record values into the reason', () => {
    const reason = reasonOf({ type: 'RECORD', record: { stream: 's', data: 'p4ssw0rd', emitted_at: 1 } });
    expect(reason).not.toContain('p4ssw0rd');
  });

  test.each([
    [null, 'expected a JSON object, got null'],
    [[1], 'expected a JSON object, got an array'],
    ['RECORD', 'expected a JSON object, got a string'],
    [{}, 'missing "type"'],
    [{ type: 1 }, '"type" must be a string'],
    [{ type: 'HEARTBEAT' }, 'unknown message type "HEARTBEAT"'],
  ])('rejects %j', (value, reason) => {
    expect(reasonOf(value)).toBe(reason);
  });

  test.each([
    [
      { type: 'STATE', state: { type: 'STREAM' } },
      'message.state.stream: a STREAM state needs a "stream" object',
    ],
    [
      { type: 'STATE', state: { type: 'GLOBAL' } },
      'message.state.global: a GLOBAL state needs a "global" object',
    ],
    [{ type: 'STATE', state: { type: 'PER_STREAM' } }, 'message.state.type'],
    [
      { type: 'STATE', state: { type: 'STREAM', stream: { stream_descriptor: {} } } },
      'message.state.stream.stream_descriptor.name is required',
    ],
    [{ type: 'LOG', log: { level: 'VERBOSE', message: 'x' } }, 'message.log.level'],
    [{ type: 'LOG', log: { level: 'INFO' } }, 'message.log.message is required'],
    [{ type: 'TRACE', trace: { type: 'ERROR', emitted_at: 1 } }, 'message.trace.error: a ERROR trace needs'],
    [
      { type: 'TRACE', trace: { type: 'STREAM_STATUS', emitted_at: 1, stream_status: {} } },
      'stream_descriptor',
    ],
    [
      { type: 'CONTROL', control: { type: 'CONNECTOR_CONFIG', emitted_at: 1 } },
      'message.control.connectorConfig',
    ],
    [{ type: 'CONNECTION_STATUS', connectionStatus: { status: 'OK' } }, 'message.connectionStatus.status'],
    [
      { type: 'CATALOG', catalog: { streams: [{ name: 's', json_schema: {}, supported_sync_modes: [] }] } },
      'supported_sync_modes',
    ],
    [{ type: 'SPEC', spec: {} }, 'message.spec.connectionSpecification is required'],
    [
      { type: 'DESTINATION_CATALOG', destination_catalog: { operations: [{}] } },
      'message.destination_catalog.operations[0].object_name',
    ],
  ])('rejects invalid rare message %j', (value, fragment) => {
    const reason = reasonOf(value);
    expect(reason).toMatch(/^invalid [A-Z_]+ message: /);
    expect(reason).toContain(fragment);
  });
});
