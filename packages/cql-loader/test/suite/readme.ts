// The README's configuration table must match the generated spec: every field, its default.
// Shared by the destination-cassandra and destination-scylla docs tests.
import { readFileSync } from 'node:fs';

export function defineReadmeConfigTableSuite(
  readmeUrl: URL,
  spec: { connectionSpecification: unknown },
): void {
  const readme = readFileSync(readmeUrl, 'utf8');
  const rows = new Map<string, string[]>();
  for (const line of readme.split('\n')) {
    const m = /^\| `([a-z_]+)` \| (.*)\|$/.exec(line);
    if (m)
      rows.set(
        m[1]!,
        m[2]!.split('|').map((c) => c.trim()),
      );
  }
  const properties = (spec.connectionSpecification as { properties: Record<string, { default?: unknown }> })
    .properties;

  describe('README configuration table', () => {
    it.each(Object.keys(properties))('documents %s with the spec default', (field) => {
      const row = rows.get(field);
      expect(row).toBeDefined();
      const def = properties[field]!.default;
      expect(row![1]).toBe(
        def === undefined ? (row![1]!.startsWith('(required)') ? '(required)' : '') : `\`${String(def)}\``,
      );
    });

    it('lists no field the spec does not have', () => {
      const metadataOrTypes = new Set([
        '_airbyte_raw_id',
        '_airbyte_extracted_at',
        '_airbyte_loaded_at',
        '_airbyte_meta',
        '_airbyte_generation_id',
        'integer',
        'number',
        'boolean',
        'string',
      ]);
      for (const field of rows.keys())
        if (!metadataOrTypes.has(field)) expect(Object.keys(properties)).toContain(field);
    });
  });
}
