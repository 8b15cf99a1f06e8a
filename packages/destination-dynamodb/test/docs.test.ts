import { readFileSync } from 'node:fs';
import { spec } from '../src/destination.js';

// The docs page documents exactly the config fields of the generated spec: every top-level field,
// and no field the spec does not have (nested fields of a oneOf option count as the spec's).
type Schema = { properties?: Record<string, Schema>; oneOf?: Schema[]; default?: unknown };

const page = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const guide = page.slice(page.indexOf('### Setup guide'), page.indexOf('## CHANGELOG'));
const documented = new Set([...guide.matchAll(/\(`([a-z_]+)`/g)].map((m) => m[1]!));
// Fields named in the prose of a bullet (e.g. "with `read_capacity_units` and ...") also count.
const mentioned = new Set([...guide.matchAll(/`([a-z_]+)`/g)].map((m) => m[1]!));

const root = spec.connectionSpecification as Schema;
const allFields = new Set<string>();
const walk = (s: Schema): void => {
  for (const [k, v] of Object.entries(s.properties ?? {})) {
    allFields.add(k);
    walk(v);
  }
  for (const o of s.oneOf ?? []) walk(o);
};
walk(root);

describe('README setup guide vs the generated spec', () => {
  test.each(Object.keys(root.properties ?? {}))('documents %s', (field) => {
    expect(documented.has(field)).toBe(true);
  });

  test('documents no field the spec lacks', () => {
    expect([...documented].filter((f) => !allFields.has(f))).toEqual([]);
  });

  test('nested billing fields are mentioned', () => {
    for (const f of ['read_capacity_units', 'write_capacity_units']) {
      expect(allFields.has(f)).toBe(true);
      expect(mentioned.has(f)).toBe(true);
    }
  });
});
