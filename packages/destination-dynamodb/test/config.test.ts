import { ConfigValidationError, validateConfig } from '@tributary/airbyte-protocol';
import { configSchema, resolveConnection, resolveLayout } from '../src/config.js';
import { spec } from '../src/destination.js';

const upstream = {
  dynamodb_endpoint: '',
  dynamodb_table_name_prefix: 'airbyte_sync',
  dynamodb_region: 'eu-west-1',
  access_key_id: 'AKIAEXAMPLE',
  secret_access_key: 'secret/EXAMPLEKEY',
};

const problems = (raw: unknown): string[] => {
  try {
    validateConfig(configSchema, raw, { connector: 'destination-dynamodb' });
  } catch (err) {
    if (err instanceof ConfigValidationError) return [...err.problems];
    throw err;
  }
  return [];
};

describe('config', () => {
  test('the spec keeps the upstream fields, secrets, and no additional properties', () => {
    const cs = spec.connectionSpecification as any;
    expect(cs.additionalProperties).toBe(false);
    expect(cs.title).toBe('DynamoDB Destination Spec');
    for (const f of [
      'dynamodb_endpoint',
      'dynamodb_table_name_prefix',
      'dynamodb_region',
      'access_key_id',
      'secret_access_key',
    ]) {
      expect(cs.properties[f]).toBeDefined();
    }
    expect(cs.properties.access_key_id.airbyte_secret).toBe(true);
    expect(cs.properties.secret_access_key.airbyte_secret).toBe(true);
    expect(cs.properties.session_token.airbyte_secret).toBe(true);
    expect(cs.properties.dynamodb_endpoint.default).toBe('');
    expect(cs.properties.dynamodb_region.enum).toEqual(
      expect.arrayContaining(['', 'us-east-1', 'ap-southeast-3', 'us-gov-west-1']),
    );
    expect(cs.required).toEqual(['dynamodb_table_name_prefix']);
    expect(cs.properties.layout.default).toBe('typed');
    expect(cs.properties.billing_mode.oneOf.map((o: any) => o.title)).toEqual(['On-demand', 'Provisioned']);
    expect(spec.supported_destination_sync_modes).toEqual(['overwrite', 'append', 'append_dedup']);
    expect(spec.supportsRefreshes).toBe(true);
  });

  test('an upstream config is valid as it is and keeps the raw layout', () => {
    expect(problems(upstream)).toEqual([]);
    const config = validateConfig(configSchema, upstream);
    expect(resolveLayout(config)).toEqual({ layout: 'raw', explicit: false });
    expect(config.billing_mode).toEqual({ mode: 'on_demand' });
    expect(config.max_concurrent_requests).toBe(48);
    expect(resolveLayout(validateConfig(configSchema, { ...upstream, layout: 'typed' }))).toEqual({
      layout: 'typed',
      explicit: true,
    });
  });

  test('keys are optional together: the default chain is used', () => {
    const { access_key_id: _a, secret_access_key: _s, ...noKeys } = upstream;
    expect(problems(noKeys)).toEqual([]);
    expect(problems({ ...noKeys, access_key_id: 'AKIA' })).toEqual([
      'config.secret_access_key: give both access_key_id and secret_access_key, or neither (to use the AWS default credential chain)',
    ]);
    expect(problems({ ...noKeys, session_token: 'FQoGZXIvYXdzEXAMPLE' })).toEqual([
      'config.session_token: a session token needs access_key_id and secret_access_key',
    ]);
    expect(problems({ ...upstream, external_id: 'x' })).toEqual([
      'config.external_id: an external id needs role_arn',
    ]);
  });

  test('messages a user can act on', () => {
    expect(problems({ ...upstream, dynamodb_endpoint: 'http://dynamo.internal:8000' })).toEqual([
      expect.stringMatching(/^config\.dynamodb_endpoint: .*plain HTTP; use https:\/\//),
    ]);
    expect(problems({ ...upstream, dynamodb_endpoint: 'http://127.0.0.1:8000' })).toEqual([]);
    expect(problems({ ...upstream, surprise: 1 })).toEqual(['config.surprise is not allowed']);
    expect(problems({ ...upstream, dynamodb_region: 'mars-1' })[0]).toMatch(
      /^config\.dynamodb_region: expected one of/,
    );
    expect(problems({ ...upstream, role_arn: 'admin' })[0]).toMatch(
      /config\.role_arn: expected an IAM role ARN like arn:aws:iam::123456789012:role/,
    );
    expect(
      problems({ ...upstream, billing_mode: { mode: 'provisioned', write_capacity_units: 0 } })[0],
    ).toMatch(/config\.billing_mode\.write_capacity_units/);
    const { dynamodb_table_name_prefix: _p, ...noPrefix } = upstream;
    expect(problems(noPrefix)).toEqual(['config.dynamodb_table_name_prefix is required']);
    // Secrets never appear in messages.
    expect(
      JSON.stringify(problems({ ...upstream, dynamodb_region: upstream.secret_access_key })),
    ).not.toContain(upstream.secret_access_key);
  });

  test('region: configured, else the environment, else us-east-1 only for a custom endpoint', () => {
    const c = (extra: object) => validateConfig(configSchema, { ...upstream, ...extra });
    expect(resolveConnection(c({}), {})).toEqual({ endpoint: undefined, region: 'eu-west-1' });
    expect(resolveConnection(c({ dynamodb_region: '' }), { AWS_REGION: 'ap-south-1' }).region).toBe(
      'ap-south-1',
    );
    expect(
      resolveConnection(c({ dynamodb_region: '', dynamodb_endpoint: 'http://localhost:8000' }), {}),
    ).toEqual({
      endpoint: 'http://localhost:8000',
      region: 'us-east-1',
    });
    expect(() => resolveConnection(c({ dynamodb_region: '' }), {})).toThrow(/dynamodb_region is empty/);
  });
});
