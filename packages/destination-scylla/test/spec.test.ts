import { validateConfig } from '@tributary/airbyte-protocol';
import { expectUpstreamCqlFields } from '../../cql-loader/test/suite/spec.js';
import { scyllaConfigSchema, scyllaDestination, scyllaDriverOptions, scyllaSpec } from '../src/index.js';

const cs = scyllaSpec.connectionSpecification as Record<string, any>;

describe('destination-scylla spec', () => {
  it('keeps the upstream Scylla fields; datacenter is optional (detected)', () => {
    expectUpstreamCqlFields(cs);
    expect(cs.properties.datacenter.default).toBeUndefined();
    expect(cs.properties.layout.default).toBe('typed');
    expect(cs.title).toBe('Scylla Destination Spec');
    expect(cs.required).toEqual(['keyspace', 'address']);
  });

  it('an upstream 0.1.3 config (no datacenter) is valid as it is', () => {
    const upstream = {
      keyspace: 'ks',
      username: 'u',
      password: 'p',
      address: 'localhost',
      port: 9042,
      replication: 1,
    };
    const c = validateConfig(scyllaConfigSchema, upstream);
    expect(c.datacenter).toBeUndefined();
    expect(c.layout).toBeUndefined();
  });

  it('is the same loader with Scylla driver settings', () => {
    expect(scyllaDestination.name).toBe('destination-scylla');
    expect(scyllaSpec.supported_destination_sync_modes).toEqual(['overwrite', 'append', 'append_dedup']);
    expect(scyllaDriverOptions().pooling.coreConnectionsPerHost[0]).toBe(2);
  });
});
