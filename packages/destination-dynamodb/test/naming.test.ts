import { checkTableName, sanitizePrefix, tableNameCandidate, tableNames } from '../src/naming.js';
import { tableNameFor } from '../src/naming.js';

describe('table names', () => {
  test('upstream form: prefix_namespace_stream, namespace only when present', () => {
    expect(tableNameCandidate('airbyte', { name: 'users', namespace: null })).toBe('airbyte_users');
    expect(tableNameCandidate('airbyte', { name: 'users', namespace: 'public' })).toBe(
      'airbyte_public_users',
    );
    expect(
      tableNameCandidate('airbyte', { name: 'stream-with:spécial:character_names', namespace: null }),
    ).toBe('airbyte_stream_with_special_character_names');
    expect(tableNameCandidate('p', { name: 'streamWithCamelCase', namespace: 'Dest_1001_Namespace' })).toBe(
      'p_Dest_1001_Namespace_streamWithCamelCase',
    );
    expect(tableNameCandidate('p', { name: 's', namespace: 'namespace_with_spécial_character' })).toBe(
      'p_namespace_with_special_character_s',
    );
  });

  test('the prefix keeps what DynamoDB allows and loses the rest', () => {
    expect(sanitizePrefix('my-app.prod_1')).toBe('my-app.prod_1');
    expect(sanitizePrefix('my app/é')).toBe('my_app__');
    expect(tableNameCandidate('', { name: 'a', namespace: null })).toBe('_a_');
  });

  test('names over 255 characters are cut with a hash, distinct and valid', () => {
    const a = tableNameCandidate('p', { name: `${'x'.repeat(300)}a`, namespace: null });
    const b = tableNameCandidate('p', { name: `${'x'.repeat(300)}b`, namespace: null });
    expect(a).toHaveLength(255);
    expect(b).toHaveLength(255);
    expect(a).not.toBe(b);
    expect(a).toMatch(/^[A-Za-z0-9_.-]+$/);
  });

  test('streams that would share a table get distinct ones; the others keep their upstream name', () => {
    const streams = [
      { name: 'a-b', namespace: null },
      { name: 'a_b', namespace: null },
      { name: 'c', namespace: 'x_y' },
      { name: 'y_c', namespace: 'x' },
      { name: 'solo', namespace: null },
    ];
    const names = tableNames('p', streams);
    const all = streams.map((s) => tableNameFor(names, s));
    expect(new Set(all).size).toBe(streams.length);
    expect(all).toContain('p_a_b');
    expect(all).toContain('p_x_y_c');
    expect(tableNameFor(names, { name: 'solo', namespace: null })).toBe('p_solo');
    // The same catalog always gives the same names.
    expect([...tableNames('p', [...streams].reverse()).values()].sort()).toEqual([...names.values()].sort());
  });

  test('the check table is unique under the prefix and valid', () => {
    const name = checkTableName('airbyte', 'f5914d43-98bd-4c31-b875-d2ca95999cf2');
    expect(name).toBe('airbyte_airbyte_connection_test_f5914d43-98bd-4c31-b875-d2ca95999cf2');
    expect(checkTableName('p'.repeat(300), 'u').length).toBeLessThanOrEqual(255);
  });
});
