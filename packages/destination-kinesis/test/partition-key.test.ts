import { parseFieldPath, partitionKeyFunction, partitionKeyPaths } from '../src/partition-key.js';

describe('field paths', () => {
  test('dots separate levels; a backslash escapes', () => {
    expect(parseFieldPath('id')).toEqual(['id']);
    expect(parseFieldPath('customer.id')).toEqual(['customer', 'id']);
    expect(parseFieldPath('a\\.b.c')).toEqual(['a.b', 'c']);
    expect(parseFieldPath('a\\\\b')).toEqual(['a\\b']);
  });

  test('empty segments and dangling escapes are refused', () => {
    expect(() => parseFieldPath('')).toThrow(/not a field path/);
    expect(() => parseFieldPath('a..b')).toThrow(/not a field path/);
    expect(() => parseFieldPath('.a')).toThrow(/not a field path/);
    expect(() => parseFieldPath('a\\')).toThrow(/backslash/);
  });

  test('the configured field wins over the primary key; no key at all means random keys', () => {
    expect(partitionKeyPaths('customer.id', [['id']])).toEqual([['customer', 'id']]);
    expect(partitionKeyPaths(undefined, [['id'], ['region']])).toEqual([['id'], ['region']]);
    expect(partitionKeyPaths('  ', [['id']])).toEqual([['id']]);
    expect(partitionKeyPaths(undefined, [])).toEqual([]);
    expect(partitionKeyFunction([])).toBeNull();
  });
});

describe('partition keys', () => {
  const single = partitionKeyFunction([['id']])!;
  const nested = partitionKeyFunction([['customer', 'id']])!;
  const composite = partitionKeyFunction([['region'], ['id']])!;

  test('single field: strings as they are, numbers and booleans as text, objects as JSON', () => {
    expect(single({ id: 'abc' })).toBe('abc');
    expect(single({ id: 42 })).toBe('42');
    expect(single({ id: 4.5 })).toBe('4.5');
    expect(single({ id: true })).toBe('true');
    expect(single({ id: { a: 1 } })).toBe('{"a":1}');
    expect(single({ id: [1, 2] })).toBe('[1,2]');
    expect(single({ id: '' })).toBe('""');
  });

  test('missing or null values give no key', () => {
    expect(single({})).toBeNull();
    expect(single({ id: null })).toBeNull();
    expect(nested({ customer: null })).toBeNull();
    expect(nested({ customer: 'x' })).toBeNull();
    expect(composite({})).toBeNull();
  });

  test('nested paths and composite keys', () => {
    expect(nested({ customer: { id: 7 } })).toBe('7');
    expect(composite({ region: 'eu', id: 42 })).toBe('["eu",42]');
    expect(composite({ id: 42 })).toBe('[null,42]');
  });

  test('equal values give equal keys; keys over 256 characters are hashed', () => {
    const long = 'k'.repeat(300);
    const a = single({ id: long })!;
    expect(a).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(single({ id: long })).toBe(a);
    expect(single({ id: 'k'.repeat(256) })).toBe('k'.repeat(256));
  });
});
