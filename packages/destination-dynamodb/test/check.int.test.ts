import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { awsError, startFaultProxy } from '@tributary/testkit';
import {
  baseConfig,
  byType,
  closeDdb,
  configFile,
  endpoint,
  runBin,
  tablesWithPrefix,
  uniquePrefix,
} from './helpers.js';

// The credential chain must never reach for an instance role here (no network but loopback).
const NO_IMDS = { AWS_EC2_METADATA_DISABLED: 'true' };
const status = (r: { lines: Array<Record<string, any>> }) =>
  byType(r as any, 'CONNECTION_STATUS')[0]?.connectionStatus;

afterAll(() => closeDdb(), 60_000);

describe('spec and check against DynamoDB Local', () => {
  test('spec', async () => {
    const r = await runBin(['spec']);
    expect(r.code).toBe(0);
    const spec = byType(r, 'SPEC')[0]!.spec;
    expect(spec.connectionSpecification.additionalProperties).toBe(false);
    expect(spec.connectionSpecification.properties.secret_access_key.airbyte_secret).toBe(true);
  });

  test('a good config: creates, writes, reads back and deletes its own table', async () => {
    const prefix = uniquePrefix('chk');
    const r = await runBin(['check', '--config', configFile(baseConfig(prefix))], '', { env: NO_IMDS });
    expect(r.code).toBe(0);
    expect(status(r)).toEqual({ status: 'SUCCEEDED' });
    expect(await tablesWithPrefix(prefix)).toEqual([]);
  });

  test('provisioned billing is accepted by check', async () => {
    const prefix = uniquePrefix('chk');
    const config = baseConfig(prefix, {
      billing_mode: { mode: 'provisioned', read_capacity_units: 1, write_capacity_units: 1 },
    });
    const r = await runBin(['check', '--config', configFile(config)], '', { env: NO_IMDS });
    expect(status(r)).toEqual({ status: 'SUCCEEDED' });
  });

  test('an endpoint nobody listens on: says it cannot reach it', async () => {
    const r = await runBin(
      [
        'check',
        '--config',
        configFile(baseConfig(uniquePrefix('chk'), { dynamodb_endpoint: 'http://127.0.0.1:9' })),
      ],
      '',
      { env: NO_IMDS },
    );
    expect(r.code).toBe(0);
    expect(status(r).status).toBe('FAILED');
    expect(status(r).message).toMatch(/cannot reach DynamoDB at http:\/\/127\.0\.0\.1:9 \(ECONNREFUSED/);
    expect(status(r).message).toMatch(/dynamodb_endpoint/);
  });

  test('plain HTTP to a non-loopback endpoint is refused before any request', async () => {
    const r = await runBin(
      [
        'check',
        '--config',
        configFile(baseConfig(uniquePrefix('chk'), { dynamodb_endpoint: 'http://10.1.2.3:8000' })),
      ],
      '',
      { env: NO_IMDS },
    );
    expect(status(r).status).toBe('FAILED');
    expect(status(r).message).toMatch(/dynamodb_endpoint: .*plain HTTP; use https:\/\//);
  });

  test('credentials AWS rejects (UnrecognizedClientException): says to check the keys, leaks no secret', async () => {
    const proxy = await startFaultProxy(endpoint(), () => ({
      action: 'respond',
      status: 400,
      body: awsError('UnrecognizedClientException', 'The security token included in the request is invalid.'),
    }));
    try {
      const config = baseConfig(uniquePrefix('chk'), { dynamodb_endpoint: proxy.endpoint });
      const r = await runBin(['check', '--config', configFile(config)], '', { env: NO_IMDS });
      expect(status(r).status).toBe('FAILED');
      expect(status(r).message).toMatch(/^AWS rejected the credentials \(UnrecognizedClientException/);
      expect(status(r).message).toMatch(/access_key_id and secret_access_key/);
      expect(JSON.stringify(r.lines)).not.toContain('tributarysecret');
    } finally {
      await proxy.close();
    }
  });

  test.each(['CreateTable', 'BatchWriteItem', 'Scan', 'DeleteItem'])(
    'a missing IAM permission is named: dynamodb:%s',
    async (action) => {
      const proxy = await startFaultProxy(endpoint(), (req) =>
        req.operation === action
          ? {
              action: 'respond',
              status: 400,
              body: awsError(
                'AccessDeniedException',
                `User: arn:aws:iam::123456789012:user/airbyte is not authorized to perform: dynamodb:${action} on resource: arn:aws:dynamodb:us-east-1:123456789012:table/x because no identity-based policy allows the dynamodb:${action} action`,
              ),
            }
          : { action: 'forward' },
      );
      try {
        const prefix = uniquePrefix('chk');
        const config = baseConfig(prefix, { dynamodb_endpoint: proxy.endpoint });
        const r = await runBin(['check', '--config', configFile(config)], '', { env: NO_IMDS });
        expect(status(r).status).toBe('FAILED');
        expect(status(r).message).toMatch(
          new RegExp(`^missing IAM permission dynamodb:${action} on table chk_\\w+_airbyte_connection_test_`),
        );
        // The check table is deleted even though a step failed.
        expect(await tablesWithPrefix(prefix)).toEqual([]);
      } finally {
        await proxy.close();
      }
    },
  );

  test('with a TTL configured, check also proves the TTL permissions', async () => {
    const prefix = uniquePrefix('chk');
    const r = await runBin(['check', '--config', configFile(baseConfig(prefix, { ttl_seconds: 60 }))], '', {
      env: NO_IMDS,
    });
    expect(status(r)).toEqual({ status: 'SUCCEEDED' });
  });

  test('credential chain: without keys in the config, AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY are used', async () => {
    const prefix = uniquePrefix('chk');
    const { access_key_id: _a, secret_access_key: _s, ...noKeys } = baseConfig(prefix);
    const file = configFile(noKeys);
    const emptyHome = mkdtempSync(join(tmpdir(), 'no-aws-'));
    const bare = { ...NO_IMDS, HOME: emptyHome, AWS_PROFILE: undefined, AWS_SESSION_TOKEN: undefined };

    const withEnv = await runBin(['check', '--config', file], '', {
      env: { ...bare, AWS_ACCESS_KEY_ID: 'envkey', AWS_SECRET_ACCESS_KEY: 'envsecret' },
    });
    expect(status(withEnv)).toEqual({ status: 'SUCCEEDED' });

    // DynamoDB Local refuses access key ids that are not alphanumeric: proof the env key is the one sent.
    const badEnvKey = await runBin(['check', '--config', file], '', {
      env: { ...bare, AWS_ACCESS_KEY_ID: 'not-a-key!', AWS_SECRET_ACCESS_KEY: 'envsecret' },
    });
    expect(status(badEnvKey).status).toBe('FAILED');
    expect(status(badEnvKey).message).toMatch(/AWS rejected the credentials/);

    const none = await runBin(['check', '--config', file], '', {
      env: { ...bare, AWS_ACCESS_KEY_ID: undefined, AWS_SECRET_ACCESS_KEY: undefined },
    });
    expect(status(none).status).toBe('FAILED');
    expect(status(none).message).toMatch(
      /^no AWS credentials found: set access_key_id and secret_access_key/,
    );
    expect(await tablesWithPrefix(prefix)).toEqual([]);
  });
});
