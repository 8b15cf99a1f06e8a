import { ConfigValidationError, validateConfig } from '@tributary/airbyte-protocol';
import { configSchema } from '../src/config.js';
import { kinesisSpec } from '../src/destination.js';

const upstream = {
  endpoint: 'kinesis.us-west-1.amazonaws.com',
  region: 'us-west-1',
  shardCount: 5,
  accessKey: 'AKIAEXAMPLE',
  privateKey: 'secret-key-value',
  bufferSize: 100,
};

describe('config', () => {
  test('an upstream config is valid as it is and gets the defaults', () => {
    const c = validateConfig(configSchema, upstream);
    expect(c).toMatchObject({
      ...upstream,
      streamMode: 'provisioned',
      recordFormat: 'upstream',
      aggregation: false,
      streamNameTemplate: '{namespace}_{stream}',
      createStreams: true,
      maxInFlightPerStream: 8,
      verifyWritesOnCheck: false,
    });
  });

  test('unknown keys pass (additionalProperties: true, as upstream)', () => {
    expect(validateConfig(configSchema, { ...upstream, somethingElse: 1 })).toMatchObject({
      somethingElse: 1,
    });
  });

  test('keys may be absent (default credential chain) and sizes have defaults', () => {
    expect(validateConfig(configSchema, {})).toMatchObject({ shardCount: 5, bufferSize: 100 });
  });

  test('bufferSize is 1..500, shardCount at least 1', () => {
    for (const bufferSize of [0, 501, 2.5]) {
      expect(() => validateConfig(configSchema, { ...upstream, bufferSize })).toThrow(/config\.bufferSize/);
    }
    expect(() => validateConfig(configSchema, { ...upstream, shardCount: 0 })).toThrow(/config\.shardCount/);
  });

  test('messages name the field and never show a secret', () => {
    try {
      validateConfig(configSchema, { ...upstream, privateKey: 12345678, recordFormat: 'xml' });
      throw new Error('expected a failure');
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigValidationError);
      const text = (err as Error).message;
      expect(text).toMatch(/config\.privateKey/);
      expect(text).toMatch(/config\.recordFormat/);
      expect(text).not.toContain('12345678');
    }
  });

  test('partition key field and stream name template are checked', () => {
    expect(() => validateConfig(configSchema, { partitionKeyField: 'a..b' })).toThrow(
      /config\.partitionKeyField/,
    );
    expect(() => validateConfig(configSchema, { streamNameTemplate: '{namespace}' })).toThrow(
      /config\.streamNameTemplate.*\{stream\}/,
    );
    expect(() => validateConfig(configSchema, { retryBaseDelayMs: 500, retryMaxDelayMs: 100 })).toThrow(
      /retryMaxDelayMs/,
    );
  });

  test('spec: upstream field names, secrets, sync modes append and overwrite', () => {
    const cs = kinesisSpec.connectionSpecification as any;
    expect(Object.keys(cs.properties).slice(0, 6)).toEqual([
      'endpoint',
      'region',
      'shardCount',
      'accessKey',
      'privateKey',
      'bufferSize',
    ]);
    expect(cs.properties.accessKey.airbyte_secret).toBe(true);
    expect(cs.properties.privateKey.airbyte_secret).toBe(true);
    expect(cs.properties.sessionToken.airbyte_secret).toBe(true);
    expect(cs.properties.shardCount.default).toBe(5);
    expect(cs.properties.bufferSize).toMatchObject({ default: 100, minimum: 1, maximum: 500 });
    expect(cs.additionalProperties).toBe(true);
    expect(kinesisSpec.supported_destination_sync_modes).toEqual(['append', 'overwrite']);
    expect(kinesisSpec.supportsIncremental).toBe(true);
  });
});
