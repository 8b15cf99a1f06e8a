import { readFileSync } from 'node:fs';
import { kinesisSpec } from '../src/destination.js';

// The docs page's configuration table must match the generated spec: every field, its default.
const page = readFileSync(new URL('../docs/kinesis.md', import.meta.url), 'utf8');
const section = page.slice(page.indexOf('### Configuration'), page.indexOf('### Check'));
const rows = new Map<string, string>();
for (const line of section.split('\n')) {
  const m = /^\| `([A-Za-z]+)` \|([^|]*)\|/.exec(line);
  if (m) rows.set(m[1]!, m[2]!.trim());
}
const properties = (
  kinesisSpec.connectionSpecification as { properties: Record<string, { default?: unknown }> }
).properties;

describe('docs/kinesis.md configuration table', () => {
  test.each(Object.keys(properties))('documents %s with the spec default', (field) => {
    expect(rows.has(field)).toBe(true);
    const def = properties[field]!.default;
    expect(rows.get(field)).toBe(def === undefined ? '' : `\`${String(def)}\``);
  });

  test('lists no field the spec does not have, in the spec order', () => {
    expect([...rows.keys()]).toEqual(Object.keys(properties));
  });
});
