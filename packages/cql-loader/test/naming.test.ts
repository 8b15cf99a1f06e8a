import {
  columnNameCandidate,
  columnNames,
  keyspaceName,
  MAX_TABLE_NAME,
  tableNameCandidate,
  tableNames,
} from '../src/naming.js';

describe('keyspace names', () => {
  it.each([
    ['NAMESPACE', 'namespace'],
    ['Dest_1001_Namespace', 'dest_1001_namespace'],
    ['namespace_with_spécial_character', 'namespace_with_special_character'],
    ['99namespace', '99namespace'],
    ['_spøcial', 'sp_cial'],
    ['_operator-1', 'operator_1'],
    ['__leading', 'leading'],
  ])('namespace %s -> keyspace %s (upstream normalisation, lower-cased)', (ns, ks) => {
    expect(keyspaceName(ns, 'default_ks')).toBe(ks);
  });

  it('no namespace: the configured keyspace', () => {
    expect(keyspaceName(null, 'my_ks')).toBe('my_ks');
    expect(keyspaceName('', 'my_ks')).toBe('my_ks');
    expect(keyspaceName(undefined, 'My_KS')).toBe('my_ks');
  });

  it('long namespaces are hash-truncated to 48 characters', () => {
    const a = keyspaceName(`${'n'.repeat(60)}_a`, 'x');
    const b = keyspaceName(`${'n'.repeat(60)}_b`, 'x');
    expect(a).toHaveLength(48);
    expect(a).not.toBe(b);
  });
});

describe('table names', () => {
  it('raw layout: upstream airbyte_raw_<sanitised lower-case stream>', () => {
    expect(tableNameCandidate('exchange_rate', 'raw')).toBe('airbyte_raw_exchange_rate');
    expect(tableNameCandidate('stream-with:spécial:character_names', 'raw')).toBe(
      'airbyte_raw_stream_with_special_character_names',
    );
    expect(tableNameCandidate('CapitalCase', 'raw')).toBe('airbyte_raw_capitalcase');
  });

  it('typed layout: the sanitised lower-case stream; a leading digit is kept (names are quoted)', () => {
    expect(tableNameCandidate('Foo.Bar', 'typed')).toBe('foo_bar');
    expect(tableNameCandidate('1stream', 'typed')).toBe('1stream');
    expect(tableNameCandidate('order', 'typed')).toBe('order');
  });

  it('names that fit stay as upstream named them; longer ones get a hash and never collide', () => {
    const fits = `s${'x'.repeat(34)}`; // airbyte_raw_ + 35 = 47 characters
    expect(tableNameCandidate(fits, 'raw')).toBe(`airbyte_raw_${fits}`);
    const long1 = `${'a'.repeat(50)}_one`;
    const long2 = `${'a'.repeat(50)}_two`;
    const t1 = tableNameCandidate(long1, 'raw');
    const t2 = tableNameCandidate(long2, 'raw');
    expect(t1).toHaveLength(MAX_TABLE_NAME);
    expect(t1).not.toBe(t2);
  });

  it('streams that sanitise to one name in a keyspace get distinct tables', () => {
    const names = tableNames(
      [
        { name: 'a-b', keyspace: 'k' },
        { name: 'a_b', keyspace: 'k' },
        { name: 'A_B', keyspace: 'k' },
        { name: 'a-b', keyspace: 'other' },
      ],
      'typed',
    );
    const inK = ['a-b', 'a_b', 'A_B'].map((n) => names.get(`k\u0000${n}`));
    expect(new Set(inK).size).toBe(3);
    expect(names.get('k\u0000a_b')).toBe('a_b');
    expect(names.get('other\u0000a-b')).toBe('a_b');
  });
});

describe('column names', () => {
  it('sanitised and lower-cased', () => {
    expect(columnNameCandidate('Foo.Bar')).toBe('foo_bar');
    expect(columnNameCandidate('field with spaces')).toBe('field_with_spaces');
    expect(columnNameCandidate('1field')).toBe('1field');
    expect(columnNameCandidate('order')).toBe('order');
  });

  it('fields named like metadata columns get a suffix', () => {
    expect(columnNameCandidate('_airbyte_raw_id')).toBe('_airbyte_raw_id_1');
    expect(columnNameCandidate('_AIRBYTE_META')).toBe('_airbyte_meta_1');
    expect(columnNameCandidate('_airbyte_data')).toBe('_airbyte_data_1');
  });

  it('fields that map to one column are de-duplicated', () => {
    const m = columnNames(['Foo.Bar', 'foo_bar', 'FOO_BAR']);
    expect(new Set(m.values()).size).toBe(3);
    expect(m.get('foo_bar')).toBe('foo_bar');
  });
});
