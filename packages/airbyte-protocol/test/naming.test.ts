/// <reference types="jest" />
import fc from 'fast-check';
import { toAlphanumericAndUnderscore } from '../src/naming/alphanumeric.js';
import { type IdentifierRules, identifierFor } from '../src/naming/identifier.js';
import { quoteIdentifier } from '../src/naming/quote.js';
import { shortHash, truncateWithHash, withHashSuffix } from '../src/naming/truncate.js';
import { NameRegistry, uniqueNames } from '../src/naming/unique-names.js';

describe('toAlphanumericAndUnderscore (upstream Names.toAlphanumericAndUnderscore)', () => {
  it.each([
    // Airbyte's DAT / bulk CDK names.
    ['stream-with:spécial:character_names', 'stream_with_special_character_names'],
    ['NAMESPACE', 'NAMESPACE'],
    ['Dest_1001_Namespace', 'Dest_1001_Namespace'],
    ['namespace_with_spécial_character', 'namespace_with_special_character'],
    ['99namespace', '99namespace'],
    ['streamWithCamelCase', 'streamWithCamelCase'],
    ['stream_name_with_operator+1', 'stream_name_with_operator_1'],
    ['1stream_with_a_leading_number', '1stream_with_a_leading_number'],
    ['_spøcial', '_sp_cial'],
    ['_operator-1', '_operator_1'],
    ['Foo.Bar', 'Foo_Bar'],
    ['order', 'order'],
    ['1stream', '1stream'],
    ['id~!@#$%^&*()`[]{}|;\':",./<>?', `id${'_'.repeat(27)}`],
    // Japanese: nothing maps to ASCII (the dakuten of デ is a combining mark and vanishes).
    ['データ', '___'],
    ['ストリーム', '_____'],
    // A run of ASCII whitespace is one '_', other characters one '_' each.
    ['a  \t b--c', 'a_b__c'],
    // Compatibility forms fold: ligature, circled digit, full-width letters, no-break spaces.
    ['ﬁle①', 'file1'],
    ['Ａｂｃ', 'Abc'],
    ['a\u00a0b\u3000c', 'a_b_c'],
    // An astral character is one code point, so one '_'.
    ['😀x', '_x'],
    ['ß', '_'],
    ['', ''],
  ])('%j -> %j', (input, expected) => {
    expect(toAlphanumericAndUnderscore(input)).toBe(expected);
  });

  it('only ever outputs [A-Za-z0-9_]', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => {
        expect(toAlphanumericAndUnderscore(s)).toMatch(/^[A-Za-z0-9_]*$/);
      }),
    );
  });
});

describe('truncateWithHash', () => {
  it('keeps names within the limit unchanged', () => {
    expect(truncateWithHash('a'.repeat(48), 48)).toBe('a'.repeat(48));
    expect(truncateWithHash('short', 48)).toBe('short');
  });

  it('cuts long names to exactly maxLength with a hash of the whole name', () => {
    const name = `airbyte_raw_${'x'.repeat(300)}`;
    const out = truncateWithHash(name, 48);
    expect(out).toHaveLength(48);
    expect(out).toBe(`${name.slice(0, 39)}_${shortHash(name)}`);
    expect(out).toMatch(/_[0-9a-f]{8}$/);
  });

  it('keeps 300-character names that share a 48-character prefix distinct', () => {
    const prefix = 'p'.repeat(60);
    const names = ['a', 'b', 'c', 'aa', 'ab'].map((s) => (prefix + s).padEnd(300, 'z'));
    const out = names.map((n) => truncateWithHash(n, 48));
    expect(new Set(out).size).toBe(names.length);
    for (const o of out) expect(o.length).toBe(48);
  });

  it('is stable across calls', () => {
    expect(truncateWithHash('y'.repeat(100), 20)).toBe(truncateWithHash('y'.repeat(100), 20));
    expect(shortHash('abc')).toBe('ba7816bf');
  });

  it('honours hashLength and refuses a limit with no room for the hash', () => {
    expect(truncateWithHash('q'.repeat(30), 12, 4)).toMatch(/^q{7}_[0-9a-f]{4}$/);
    expect(() => truncateWithHash('q'.repeat(30), 8)).toThrow(RangeError);
    expect(truncateWithHash('q'.repeat(30), 9)).toMatch(/^_[0-9a-f]{8}$/);
  });

  it('never splits a surrogate pair', () => {
    const out = withHashSuffix('ab😀cd', 'h', 5);
    expect(out).toBe('ab_h');
    expect(withHashSuffix('ab😀cd', 'h', 6)).toBe('ab😀_h');
  });

  it('property: never longer than maxLength, unchanged when it fits, injective on long names sharing prefixes', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 0, maxLength: 80 }),
        fc.uniqueArray(fc.string({ unit: 'binary', minLength: 1, maxLength: 40 }), {
          minLength: 1,
          maxLength: 40,
        }),
        fc.integer({ min: 10, max: 64 }),
        (prefix, suffixes, maxLength) => {
          const names = suffixes.map((s) => prefix + s);
          const out = names.map((n) => truncateWithHash(n, maxLength));
          for (const [i, o] of out.entries()) {
            expect(o.length).toBeLessThanOrEqual(maxLength);
            if (names[i]!.length <= maxLength) expect(o).toBe(names[i]);
          }
          expect(new Set(out).size).toBe(names.length);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('identifierFor', () => {
  const cassandraTable: IdentifierRules = {
    maxLength: 48,
    lowercase: true,
    leadingDigitPrefix: '_',
    reserved: new Set(['order', 'select', 'table']),
  };

  it.each([
    ['stream-with:spécial:character_names', 'stream_with_special_character_names'],
    ['NAMESPACE', 'namespace'],
    ['Dest_1001_Namespace', 'dest_1001_namespace'],
    ['namespace_with_spécial_character', 'namespace_with_special_character'],
    ['99namespace', '_99namespace'],
    ['1stream', '_1stream'],
    ['Foo.Bar', 'foo_bar'],
    ['order', 'order_'],
    ['SELECT', 'select_'],
    ['', '_'],
  ])('cassandra-like rules: %j -> %j', (input, expected) => {
    expect(identifierFor(input, cassandraTable)).toBe(expected);
  });

  it('truncates after every other rule and stays within maxLength', () => {
    const out = identifierFor(`9${'Long name '.repeat(30)}`, cassandraTable);
    expect(out).toHaveLength(48);
    expect(out.startsWith('_9long_name_long_name')).toBe(true);
  });

  it('trims leading underscores like the upstream keyspace rule, with a fallback', () => {
    expect(identifierFor('_spøcial', { maxLength: 48, trimLeadingUnderscores: true })).toBe('sp_cial');
    expect(
      identifierFor('データ', { maxLength: 48, trimLeadingUnderscores: true, emptyName: 'default' }),
    ).toBe('default');
  });

  it('can skip or replace sanitising', () => {
    expect(identifierFor('Foo.Bar', { maxLength: 48, sanitize: false })).toBe('Foo.Bar');
    expect(identifierFor('Foo.Bar', { maxLength: 48, sanitize: (s) => s.replace('.', '-') })).toBe('Foo-Bar');
  });

  it('keeps upstream names when no rule applies', () => {
    expect(identifierFor('stream-with:spécial:character_names', { maxLength: 255 })).toBe(
      'stream_with_special_character_names',
    );
  });
});

describe('uniqueNames', () => {
  const toName = (s: string) => identifierFor(s, { maxLength: 48, lowercase: true });

  it('disambiguates names that collide after sanitising, deterministically', () => {
    const names = uniqueNames(['a_b', 'a-b', 'a.b', 'c'], toName);
    expect(names.get('a_b')).toBe('a_b');
    expect(names.get('c')).toBe('c');
    expect(names.get('a-b')).toBe(`a_b_${shortHash('a-b')}`);
    expect(names.get('a.b')).toBe(`a_b_${shortHash('a.b')}`);
    expect(new Set(names.values()).size).toBe(4);
    expect(uniqueNames(['c', 'a.b', 'a-b', 'a_b'], toName)).toEqual(names);
  });

  it('lets the first name in sorted order keep the candidate when none equals it', () => {
    const names = uniqueNames(['a.b', 'a-b'], toName);
    expect(names.get('a-b')).toBe('a_b');
    expect(names.get('a.b')).toBe(`a_b_${shortHash('a.b')}`);
  });

  it('treats case as significant unless told otherwise', () => {
    const identity = (s: string) => s;
    expect([...uniqueNames(['Foo', 'foo'], identity).values()]).toEqual(['Foo', 'foo']);
    const ci = uniqueNames(['Foo', 'foo'], identity, { caseInsensitive: true });
    expect(ci.get('Foo')).toBe('Foo');
    expect(ci.get('foo')).toBe(`foo_${shortHash('foo')}`);
  });

  it('keeps disambiguated names within maxLength and distinct from other candidates', () => {
    const long = (c: string) => `${'s'.repeat(60)}${c}`;
    const sources = [long('-x'), long('_x'), long('.x')];
    expect(Math.max(...[...uniqueNames(sources, toName).values()].map((n) => n.length))).toBe(57);
    const names = uniqueNames(sources, toName, { maxLength: 48 });
    expect(uniqueNames(sources, { maxLength: 48, lowercase: true })).toEqual(names);
    for (const n of names.values()) expect(n.length).toBeLessThanOrEqual(48);
    expect(new Set(names.values()).size).toBe(3);
  });

  it('never hands out a name another source already has as its own candidate', () => {
    // 'a-b' would get a_b_<hash('a-b')>; make that exact string a source of its own.
    const squatter = `a_b_${shortHash('a-b')}`;
    const names = uniqueNames(['a_b', 'a-b', squatter], toName);
    expect(names.get(squatter)).toBe(squatter);
    expect(names.get('a-b')).toBe(`a_b_${shortHash('a-b\u00001')}`);
  });

  it('gives Japanese stream names distinct tables', () => {
    const names = uniqueNames(['データ', 'ストア', 'テスト'], toName);
    expect(new Set(names.values()).size).toBe(3);
  });

  it('property: always injective and order-independent', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ maxLength: 6 }), { maxLength: 30 }), (sources) => {
        const names = uniqueNames(sources, (s) => identifierFor(s, { maxLength: 12, lowercase: true }), {
          maxLength: 12,
        });
        expect(names.size).toBe(new Set(sources).size);
        expect(new Set(names.values()).size).toBe(names.size);
        for (const n of names.values()) expect(n.length).toBeLessThanOrEqual(12);
        expect(
          uniqueNames([...sources].reverse(), (s) => identifierFor(s, { maxLength: 12, lowercase: true }), {
            maxLength: 12,
          }),
        ).toEqual(names);
      }),
      { numRuns: 300 },
    );
  });
});

describe('NameRegistry', () => {
  const toName = (s: string) => identifierFor(s, { maxLength: 48 });

  it('assigns names incrementally, first come keeps the candidate', () => {
    const registry = new NameRegistry(toName);
    expect(registry.nameFor('a-b')).toBe('a_b');
    expect(registry.nameFor('a_b')).toBe(`a_b_${shortHash('a_b')}`);
    expect(registry.nameFor('a-b')).toBe('a_b');
    expect(registry.size).toBe(2);
    expect(registry.has('a_b')).toBe(true);
  });

  it('seeded with declared names, then adds undeclared ones without collisions', () => {
    const registry = NameRegistry.of(['id', 'Foo.Bar'], toName, { caseInsensitive: true });
    expect(registry.nameFor('Foo.Bar')).toBe('Foo_Bar');
    expect(registry.nameFor('foo-bar')).toBe(`foo_bar_${shortHash('foo-bar')}`);
    expect([...registry.entries()].map(([s]) => s)).toEqual(['Foo.Bar', 'id', 'foo-bar']);
  });
});

describe('quoteIdentifier', () => {
  it('wraps in quotes and doubles embedded quotes', () => {
    expect(quoteIdentifier('order')).toBe('"order"');
    expect(quoteIdentifier('a"b""c')).toBe('"a""b""""c"');
    expect(quoteIdentifier('x`y', '`')).toBe('`x``y`');
    expect(quoteIdentifier('')).toBe('""');
    expect(() => quoteIdentifier('x', '')).toThrow(RangeError);
  });
});
