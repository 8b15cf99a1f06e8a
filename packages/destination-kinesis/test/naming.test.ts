import { kinesisStreamNames, parseStreamNameTemplate, renderStreamName, streamIdKey } from '../src/naming.js';

const DEFAULT = parseStreamNameTemplate('{namespace}_{stream}');
const names = (streams: Array<[string | null, string]>, template = '{namespace}_{stream}') => {
  const map = kinesisStreamNames(
    streams.map(([namespace, name]) => ({ namespace, name })),
    template,
  );
  return streams.map(([namespace, name]) => map.get(streamIdKey({ namespace, name })));
};

describe('stream names', () => {
  test('upstream form: <namespace>_<stream>, and a leading _ without namespace', () => {
    expect(renderStreamName(DEFAULT, 'public', 'users')).toBe('public_users');
    expect(renderStreamName(DEFAULT, null, 'users')).toBe('_users');
    expect(renderStreamName(DEFAULT, '', 'users')).toBe('_users');
  });

  test('normalised like upstream: accents dropped, everything else outside [A-Za-z0-9_] becomes _', () => {
    expect(renderStreamName(DEFAULT, null, 'stream-with:spécial:character_names')).toBe(
      '_stream_with_special_character_names',
    );
    expect(renderStreamName(DEFAULT, '_spøcial', 'stream_name_with_operator+1')).toBe(
      '_sp_cial_stream_name_with_operator_1',
    );
    expect(renderStreamName(DEFAULT, 'ns', 'with space\ttab')).toBe('ns_with_space_tab');
    expect(renderStreamName(DEFAULT, 'CapitalCase', '1stream')).toBe('CapitalCase_1stream');
  });

  test('template literals keep the characters Kinesis allows (. and -), others become _', () => {
    const t = parseStreamNameTemplate('airbyte.{namespace}-{stream} x');
    expect(renderStreamName(t, 'prod', 'users')).toBe('airbyte.prod-users_x');
  });

  test('at most 128 characters; long names keep a prefix and get a hash, so they stay distinct', () => {
    const a = renderStreamName(DEFAULT, 'n'.repeat(100), `${'s'.repeat(100)}a`);
    const b = renderStreamName(DEFAULT, 'n'.repeat(100), `${'s'.repeat(100)}b`);
    expect(a).toHaveLength(128);
    expect(b).toHaveLength(128);
    expect(a).not.toBe(b);
    expect(a.startsWith('n'.repeat(100))).toBe(true);
    expect(a).toMatch(/^[A-Za-z0-9_.-]+$/);
    // Exactly 128 stays as it is (upstream compatible).
    const exact = `${'x'.repeat(63)}_${'y'.repeat(64)}`;
    expect(renderStreamName(DEFAULT, 'x'.repeat(63), 'y'.repeat(64))).toBe(exact);
  });

  test('collisions: the stream already named so keeps the name, the other gets a hash suffix', () => {
    const [dash, under] = names([
      ['ns', 'a-b'],
      ['ns', 'a_b'],
    ]);
    expect(under).toBe('ns_a_b');
    expect(dash).toMatch(/^ns_a_b_[0-9a-f]{8}$/);
    // Same answer whatever the catalog order.
    const [under2, dash2] = names([
      ['ns', 'a_b'],
      ['ns', 'a-b'],
    ]);
    expect([under2, dash2]).toEqual([under, dash]);
  });

  test('namespace and stream cannot run into each other', () => {
    const [one, two] = names([
      ['x_y', 'z'],
      ['x', 'y_z'],
    ]);
    expect(new Set([one, two]).size).toBe(2);
    expect([one, two]).toContain('x_y_z');
  });

  test('every name of a funky catalog is valid and unique', () => {
    const streams: Array<[string | null, string]> = [
      [null, 'streamWithCamelCase'],
      [null, 'STREAM_WITH_ALL_CAPS'],
      [null, 'stream_with_spécial_character'],
      [null, 'stream_name_with_operator+1'],
      [null, 'stream_name_with_operator-1'],
      [null, '1stream_with_a_leading_number'],
      ['_spøcial', 'a'],
      ['_operator-1', 'a'],
      ['日本語', 'ストリーム'],
      [null, 'x'.repeat(300)],
    ];
    const out = names(streams);
    expect(new Set(out).size).toBe(streams.length);
    for (const n of out) expect(n).toMatch(/^[A-Za-z0-9_.-]{1,128}$/);
  });

  test('template validation', () => {
    expect(() => parseStreamNameTemplate('{namespace}')).toThrow(/\{stream\}/);
    expect(() => parseStreamNameTemplate('{table}_{stream}')).toThrow(/unknown placeholder \{table\}/);
    expect(() => parseStreamNameTemplate('{stream}}')).toThrow(/brace/);
    expect(parseStreamNameTemplate('{stream}')).toEqual([{ kind: 'stream' }]);
  });
});
