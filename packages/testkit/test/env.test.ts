import {
  allEnvNames,
  endpointFromEnv,
  envFor,
  envForEndpoint,
  exportLines,
  requireEndpoint,
} from '../src/env.js';
import type { CassandraEndpoint } from '../src/types.js';

describe('endpoints from the environment', () => {
  test('nothing set means no endpoint', () => {
    for (const name of ['cassandra', 'kafka', 'dynamodb', 'kinesis'] as const) {
      expect(endpointFromEnv(name, {})).toBeUndefined();
    }
  });

  test('cassandra: contact points, port, DC, credentials and CA', () => {
    const env = {
      CASSANDRA_CONTACT_POINTS: ' 10.0.0.1, 10.0.0.2 ,',
      CASSANDRA_PORT: '19042',
      CASSANDRA_USERNAME: 'u',
      CASSANDRA_PASSWORD: 'p',
      CASSANDRA_TLS_CA_PATH: '/ca.pem',
    };
    expect(endpointFromEnv('cassandra', env, () => 'PEM')).toEqual({
      contactPoints: ['10.0.0.1', '10.0.0.2'],
      port: 19042,
      localDataCenter: 'datacenter1',
      username: 'u',
      password: 'p',
      tls: { caPath: '/ca.pem', caPem: 'PEM' },
    });
    expect(endpointFromEnv('cassandra', { CASSANDRA_CONTACT_POINTS: 'h' })?.port).toBe(9042);
  });

  test('a bad port or URL is an error naming the variable', () => {
    expect(() =>
      endpointFromEnv('cassandra', { CASSANDRA_CONTACT_POINTS: 'h', CASSANDRA_PORT: 'x' }),
    ).toThrow('CASSANDRA_PORT');
    expect(() => endpointFromEnv('dynamodb', { DYNAMODB_ENDPOINT: '127.0.0.1:8000' })).toThrow(
      'DYNAMODB_ENDPOINT',
    );
  });

  test('kafka and AWS endpoints', () => {
    expect(endpointFromEnv('kafka', { KAFKA_BOOTSTRAP_SERVERS: 'a:1,b:2' })).toEqual({
      brokers: ['a:1', 'b:2'],
    });
    expect(
      endpointFromEnv('kinesis', { KINESIS_ENDPOINT: 'http://127.0.0.1:4568', AWS_REGION: 'eu-west-1' }),
    ).toEqual({
      endpoint: 'http://127.0.0.1:4568',
      region: 'eu-west-1',
      accessKeyId: 'tributary',
      secretAccessKey: 'tributary',
    });
  });

  test('envFor and endpointFromEnv round-trip', () => {
    const cassandra: CassandraEndpoint = {
      contactPoints: ['127.0.0.1'],
      port: 1234,
      localDataCenter: 'datacenter1',
      username: 'tributary',
      password: 'secret',
    };
    const env = envFor([
      { name: 'cassandra', endpoint: cassandra },
      { name: 'kafka', endpoint: { brokers: ['127.0.0.1:9'] } },
    ]);
    expect(env).toEqual({
      CASSANDRA_CONTACT_POINTS: '127.0.0.1',
      CASSANDRA_PORT: '1234',
      CASSANDRA_LOCAL_DC: 'datacenter1',
      CASSANDRA_USERNAME: 'tributary',
      CASSANDRA_PASSWORD: 'secret',
      KAFKA_BOOTSTRAP_SERVERS: '127.0.0.1:9',
    });
    expect(endpointFromEnv('cassandra', env)).toEqual(cassandra);
    expect(
      Object.keys(
        envForEndpoint('dynamodb', endpointFromEnv('dynamodb', { DYNAMODB_ENDPOINT: 'http://h:1' })!),
      ),
    ).toEqual(['DYNAMODB_ENDPOINT']);
    expect(allEnvNames()).toContain('KINESIS_ENDPOINT');
  });

  test('exportLines quotes values for the shell', () => {
    expect(exportLines({ A: "it's", B: 'x' })).toBe(`export A='it'\\''s'\nexport B='x'`);
  });

  test('requireEndpoint gives the endpoint, or names the variables to set', () => {
    const saved = process.env.KINESIS_ENDPOINT;
    try {
      process.env.KINESIS_ENDPOINT = 'http://127.0.0.1:4567';
      expect(requireEndpoint('kinesis').endpoint).toBe('http://127.0.0.1:4567');
      delete process.env.KINESIS_ENDPOINT;
      expect(() => requireEndpoint('kinesis')).toThrow(/no kinesis endpoint: .*set KINESIS_ENDPOINT/);
    } finally {
      if (saved === undefined) delete process.env.KINESIS_ENDPOINT;
      else process.env.KINESIS_ENDPOINT = saved;
    }
  });
});
