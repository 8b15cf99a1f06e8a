import { ConfigError, validateConfig } from '@tributary/airbyte-protocol';
import { z } from 'zod';
import { cqlConfigSchema, effectiveLayout, parseDatacenterFactors } from '../src/config.js';
import { contactPoints, parseAddress, sslOptions } from '../src/connection.js';
import { replicationClause } from '../src/ddl.js';

const schema = cqlConfigSchema(z.string().default('datacenter1'));
const base = { keyspace: 'ks', username: 'u', password: 'p', address: 'localhost', port: 9042 };

describe('config', () => {
  it('an upstream config parses with the upstream defaults and keeps the raw layout', () => {
    const c = validateConfig(schema, { ...base });
    expect(c).toMatchObject({
      datacenter: 'datacenter1',
      replication: 1,
      consistency: 'LOCAL_QUORUM',
      write_concurrency: 1024,
    });
    expect(c.layout).toBeUndefined();
    expect(effectiveLayout(c)).toBe('raw');
    expect(effectiveLayout({ layout: 'typed' })).toBe('typed');
  });

  it('unknown keys are kept (additionalProperties: true, as upstream)', () => {
    expect(validateConfig(schema, { ...base, namespaces: true }).namespaces).toBe(true);
  });

  it('username and password may be empty (clusters without authentication)', () => {
    expect(validateConfig(schema, { keyspace: 'ks', address: 'h' }).username).toBeUndefined();
  });

  it('messages say what is wrong', () => {
    expect(() => validateConfig(schema, { ...base, port: 'abc' })).toThrow(
      /config\.port: expected an integer between 0 and 65536/,
    );
    expect(() => validateConfig(schema, { ...base, keyspace: undefined })).toThrow(
      /config\.keyspace is required/,
    );
    expect(() => validateConfig(schema, { ...base, consistency: 'MOST' })).toThrow(/config\.consistency/);
    expect(() =>
      validateConfig(schema, { ...base, replication_strategy: 'NetworkTopologyStrategy' }),
    ).toThrow(/config\.datacenters: NetworkTopologyStrategy needs a replication factor per data centre/);
    expect(() =>
      validateConfig(schema, {
        ...base,
        replication_strategy: 'NetworkTopologyStrategy',
        datacenters: 'dc1=3',
      }),
    ).toThrow(/"dc1=3" is not <data centre>:<replication factor>/);
    expect(() =>
      validateConfig(schema, { ...base, tls: { enabled: true, client_certificate: 'PEM' } }),
    ).toThrow(/client_key/);
  });

  it('the password never appears in a validation message', () => {
    expect(() =>
      validateConfig(schema, { ...base, password: 'hunter2-secret', port: 'hunter2-secret' }),
    ).toThrow(expect.objectContaining({ message: expect.not.stringContaining('hunter2-secret') }));
  });

  it('replication clauses', () => {
    expect(replicationClause({ replication: 3, replication_strategy: 'SimpleStrategy' })).toBe(
      "{'class': 'SimpleStrategy', 'replication_factor': 3}",
    );
    expect(
      replicationClause({
        replication: 1,
        replication_strategy: 'NetworkTopologyStrategy',
        datacenters: 'dc1:3, dc2:2',
      }),
    ).toBe("{'class': 'NetworkTopologyStrategy', 'dc1': 3, 'dc2': 2}");
    expect(parseDatacenterFactors('a:1')).toEqual({ a: 1 });
  });
});

describe('addresses', () => {
  it('a comma-separated list of hosts, each with an optional port', () => {
    expect(parseAddress('localhost, 10.0.0.1:9142,[::1]:9043,::1,node.example.com')).toEqual([
      { host: 'localhost' },
      { host: '10.0.0.1', port: 9142 },
      { host: '::1', port: 9043 },
      { host: '::1' },
      { host: 'node.example.com' },
    ]);
    expect(contactPoints({ address: 'a,b:1,::1', port: 9042 })).toEqual(['a:9042', 'b:1', '[::1]:9042']);
  });

  it('bad entries are config errors naming the entry', () => {
    expect(() => parseAddress(' , ')).toThrow(ConfigError);
    expect(() => parseAddress('host:99999')).toThrow(/bad port in "host:99999"/);
    expect(() => parseAddress('http://host')).toThrow(/cannot read "http:\/\/host"/);
  });

  it('TLS options: verification on by default, host name check can be turned off', () => {
    const config = validateConfig(schema, { ...base, tls: { enabled: true, ca_certificate: 'CA' } });
    expect(sslOptions(config)).toEqual({ rejectUnauthorized: true, ca: ['CA'] });
    const noHost = validateConfig(schema, { ...base, tls: { enabled: true, verify_hostname: false } });
    expect(typeof sslOptions(noHost)?.checkServerIdentity).toBe('function');
    expect(sslOptions(validateConfig(schema, base))).toBeUndefined();
  });
});
