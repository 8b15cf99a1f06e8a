/// <reference types="jest" />
import { ConfigError } from '../src/errors/index.js';
import {
  type ConfiguredAirbyteCatalog,
  parseConfiguredCatalog,
  parseState,
  stateTypeOf,
  streamKey,
  streamLabel,
} from '../src/models/index.js';

function configured(name: string, extra: Record<string, unknown> = {}, namespace?: string | null) {
  return {
    stream: {
      name,
      namespace,
      json_schema: { type: 'object' },
      supported_sync_modes: ['full_refresh', 'incremental'],
    },
    sync_mode: 'incremental',
    destination_sync_mode: 'append_dedup',
    ...extra,
  };
}

function configError(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return err as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

describe('parseConfiguredCatalog', () => {
  test('accepts a full catalog and returns the same object with unknown keys', () => {
    const catalog = {
      streams: [
        configured('users', {
          cursor_field: ['updated_at'],
          primary_key: [['id'], ['org', 'id']],
          destination_object_name: 'people',
          generation_id: 3,
          minimum_generation_id: 3,
          sync_id: 42,
          include_files: false,
          somethingNew: { x: 1 },
        }),
        configured('users', {}, 'other'),
      ],
      catalogExtra: true,
    };
    const parsed: ConfiguredAirbyteCatalog = parseConfiguredCatalog(catalog);
    expect(parsed).toBe(catalog);
  });

  test('accepts null for the optional refresh fields (old platforms)', () => {
    expect(() =>
      parseConfiguredCatalog({
        streams: [configured('a', { generation_id: null, minimum_generation_id: null, sync_id: null })],
      }),
    ).not.toThrow();
  });

  test('every destination sync mode is accepted', () => {
    for (const mode of ['append', 'overwrite', 'append_dedup', 'update', 'soft_delete']) {
      expect(() =>
        parseConfiguredCatalog({ streams: [configured('a', { destination_sync_mode: mode })] }),
      ).not.toThrow();
    }
  });

  test('reports every problem by path', () => {
    const err = configError(() =>
      parseConfiguredCatalog({
        streams: [
          configured('a', { sync_mode: 'fast' }),
          {
            stream: { name: 'b', json_schema: {}, supported_sync_modes: ['full_refresh'] },
            destination_sync_mode: 'append',
          },
          configured('c', { generation_id: 1.5, primary_key: ['id'] }),
        ],
      }),
    );
    expect(err.message).toBe(
      [
        'Invalid configured catalog:',
        'catalog.streams[0].sync_mode: expected one of "full_refresh"|"incremental", got "fast"',
        'catalog.streams[1].sync_mode is required',
        'catalog.streams[2].primary_key[0]: expected array, got "id"',
        'catalog.streams[2].generation_id: expected int, got 1.5',
      ].join('\n'),
    );
    expect(err.failureType).toBe('config_error');
  });

  test('rejects a non-object and a missing streams list', () => {
    expect(configError(() => parseConfiguredCatalog('x')).message).toContain(
      'catalog: expected object, got "x"',
    );
    expect(configError(() => parseConfiguredCatalog({})).message).toContain('catalog.streams is required');
  });

  test('rejects two streams with the same name and namespace', () => {
    const err = configError(() =>
      parseConfiguredCatalog({
        streams: [configured('a', {}, 'n'), configured('b'), configured('a', {}, 'n')],
      }),
    );
    expect(err.message).toBe(
      'Invalid configured catalog:\ncatalog.streams[2]: stream "n.a" is already configured at catalog.streams[0]',
    );
  });
});

describe('parseState', () => {
  const streamState = {
    type: 'STREAM',
    stream: { stream_descriptor: { name: 'a' }, stream_state: { c: 1 } },
  };

  test('no state', () => {
    expect(parseState(null)).toEqual([]);
    expect(parseState(undefined)).toEqual([]);
    expect(parseState({})).toEqual([]);
    expect(parseState([])).toEqual([]);
  });

  test('an array of state messages, wrapped ones unwrapped', () => {
    const second = { type: 'STREAM', stream: { stream_descriptor: { name: 'b' } }, extra: 1 };
    const states = parseState([streamState, { type: 'STATE', state: second }]);
    expect(states).toEqual([streamState, second]);
    expect(states[0]).toBe(streamState);
  });

  test('a legacy object becomes one LEGACY state; absent type counts as LEGACY', () => {
    expect(parseState({ cursor: '2024' })).toEqual([{ type: 'LEGACY', data: { cursor: '2024' } }]);
    const [legacy] = parseState([{ data: { x: 1 } }]);
    expect(legacy).toBeDefined();
    expect(stateTypeOf(legacy!)).toBe('LEGACY');
  });

  test('rejects invalid items by path', () => {
    const err = configError(() =>
      parseState([streamState, { type: 'STREAM', stream: { stream_descriptor: { name: 7 } } }]),
    );
    expect(err.message).toBe(
      'Invalid state:\nstate[1].stream.stream_descriptor.name: expected string, got 7',
    );
    expect(configError(() => parseState([{ type: 'STATE', state: { type: 'GLOBAL' } }])).message).toBe(
      'Invalid state:\nstate[0].state.global: a GLOBAL state needs a "global" object',
    );
    expect(configError(() => parseState('x')).message).toContain('expected an array of state messages');
  });

  test('rejects mixed state types', () => {
    const global = { type: 'GLOBAL', global: { stream_states: [] } };
    expect(configError(() => parseState([streamState, global])).message).toBe(
      'Invalid state:\nstate[1]: a GLOBAL state cannot follow STREAM states in one state file',
    );
  });
});

describe('streamKey', () => {
  test('null and undefined namespaces give the same key; empty string is distinct', () => {
    expect(streamKey({ name: 'a' })).toBe(streamKey({ name: 'a', namespace: null }));
    expect(streamKey({ name: 'a', namespace: undefined })).toBe(streamKey({ name: 'a' }));
    expect(streamKey({ name: 'a', namespace: '' })).not.toBe(streamKey({ name: 'a' }));
  });

  test('no collisions between tricky names and namespaces', () => {
    const descriptors = [
      { name: 'a.b' },
      { name: 'b', namespace: 'a' },
      { name: '"a"."b"' },
      { name: 'b"', namespace: 'a' },
      { name: '', namespace: 'a' },
      { name: 'a', namespace: '' },
      { name: 'a' },
      { name: '.', namespace: '.' },
    ];
    const keys = new Set(descriptors.map(streamKey));
    expect(keys.size).toBe(descriptors.length);
  });

  test('streamLabel is for humans', () => {
    expect(streamLabel({ name: 'users', namespace: 'public' })).toBe('public.users');
    expect(streamLabel({ name: 'users', namespace: null })).toBe('users');
  });
});
