/** The upstream connectors' config fields, in their order: a drop-in replacement keeps them first. */
export const UPSTREAM_CQL_FIELDS = [
  'keyspace',
  'username',
  'password',
  'address',
  'port',
  'datacenter',
  'replication',
] as const;

/** Checks what both CQL destinations' specs share with upstream: field order, defaults, secrets. */
export function expectUpstreamCqlFields(spec: Record<string, any>): void {
  expect(Object.keys(spec.properties).slice(0, UPSTREAM_CQL_FIELDS.length)).toEqual([...UPSTREAM_CQL_FIELDS]);
  expect(spec.properties.port.default).toBe(9042);
  expect(spec.properties.replication.default).toBe(1);
  expect(spec.properties.password.airbyte_secret).toBe(true);
  expect(spec.properties.tls.properties.client_key.airbyte_secret).toBe(true);
}
