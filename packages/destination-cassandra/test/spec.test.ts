import { validateConfig } from '@tributary/airbyte-protocol';
import { expectUpstreamCqlFields } from '../../cql-loader/test/suite/spec.js';
import { cassandraConfigSchema, cassandraDestination, cassandraSpec } from '../src/index.js';

const cs = cassandraSpec.connectionSpecification as Record<string, any>;

describe('destination-cassandra spec', () => {
  it('keeps the upstream fields in the upstream order, with their defaults', () => {
    expectUpstreamCqlFields(cs);
    expect(cs.properties.datacenter.default).toBe('datacenter1');
    expect(cs.additionalProperties).toBe(true);
    expect(cs.title).toBe('Cassandra Destination Spec');
  });

  it('adds TLS, consistency, replication strategy, timeouts, concurrency, layout and TTL', () => {
    for (const k of [
      'tls',
      'consistency',
      'replication_strategy',
      'datacenters',
      'request_timeout_ms',
      'write_concurrency',
      'layout',
      'ttl_seconds',
    ]) {
      expect(cs.properties[k]).toBeDefined();
    }
    expect(cs.properties.consistency.default).toBe('LOCAL_QUORUM');
    // New configs get "typed" from the form; configs without the key keep the upstream raw layout.
    expect(cs.properties.layout.default).toBe('typed');
    expect(cs.required).toEqual(['keyspace', 'address']);
  });

  it('declares the sync modes it implements', () => {
    expect(cassandraSpec.supported_destination_sync_modes).toEqual(['overwrite', 'append', 'append_dedup']);
    expect(cassandraSpec.supportsIncremental).toBe(true);
    expect(cassandraSpec.supportsDBT).toBe(false);
    expect(cassandraDestination.name).toBe('destination-cassandra');
  });

  it('an upstream 0.1.4 config is valid as it is', () => {
    const upstream = {
      keyspace: 'ks',
      username: 'u',
      password: 'p',
      address: 'localhost',
      port: 9042,
      datacenter: 'dc1',
      replication: 1,
    };
    const c = validateConfig(cassandraConfigSchema, upstream);
    expect(c.layout).toBeUndefined();
    expect(c.datacenter).toBe('dc1');
  });
});
