/// <reference types="jest" />
import fc from 'fast-check';
import { z } from 'zod';
import { ConfigError } from '../src/errors/index.js';
import { buildSpec, ConfigValidationError, secret, secretValues, validateConfig } from '../src/spec/index.js';

const Config = z.strictObject({
  hosts: z.array(z.string().min(1)).min(1),
  port: z.int().min(0).max(65536).default(9042),
  keyspace: z.string().min(1),
  replication: z.enum(['SimpleStrategy', 'NetworkTopologyStrategy']).default('SimpleStrategy'),
  endpoint: z.url().optional(),
  auth: z.discriminatedUnion('mode', [
    z.object({ mode: z.literal('none') }),
    z.object({ mode: z.literal('password'), username: z.string(), password: secret(z.string().min(8)) }),
  ]),
  tls: z
    .object({ enabled: z.boolean(), client_key: secret(z.string()).optional(), ca: z.string().optional() })
    .optional(),
  api_keys: secret(z.array(z.string())).optional(),
  service_account: secret(z.looseObject({})).optional(),
});

const valid = { hosts: ['db1'], keyspace: 'ks', auth: { mode: 'none' } };

function problemsOf(raw: unknown, connector?: string): ConfigValidationError {
  try {
    validateConfig(Config, raw, connector === undefined ? {} : { connector });
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigValidationError);
    expect(err).toBeInstanceOf(ConfigError);
    return err as ConfigValidationError;
  }
  throw new Error('expected the config to be rejected');
}

describe('validateConfig', () => {
  test('returns the parsed config with defaults applied', () => {
    const config = validateConfig(Config, valid);
    expect(config).toEqual({ ...valid, port: 9042, replication: 'SimpleStrategy' });
    const port: number = config.port;
    expect(port).toBe(9042);
  });

  test('one precise line per problem', () => {
    const err = problemsOf(
      {
        hosts: [],
        port: 'abc',
        replication: 'Fancy',
        endpoint: 'not a url',
        auth: { mode: 'password' },
        foo: 1,
      },
      'destination-scylla',
    );
    expect(err.message).toBe(
      [
        'Invalid configuration for destination-scylla:',
        'config.hosts: expected a non-empty array of strings, got an empty array',
        'config.port: expected an integer between 0 and 65536, got "abc"',
        'config.keyspace is required',
        'config.replication: expected one of "SimpleStrategy", "NetworkTopologyStrategy", got "Fancy"',
        'config.endpoint: expected a URL, got "not a url"',
        'config.auth.username is required',
        'config.auth.password is required',
        'config.foo is not allowed',
      ].join('\n'),
    );
    expect(err.problems).toHaveLength(8);
    expect(err.failureType).toBe('config_error');
    expect(err.retryable).toBe(false);
  });

  test('discriminator, nested and array element problems', () => {
    expect(problemsOf({ ...valid, auth: { mode: 'kerberos' } }).problems).toEqual([
      'config.auth.mode: expected one of "none", "password", got "kerberos"',
    ]);
    expect(problemsOf({ ...valid, hosts: ['a', ''], port: 1.5 }).problems).toEqual([
      'config.hosts[1]: expected a non-empty string, got ""',
      'config.port: expected an integer between 0 and 65536, got 1.5',
    ]);
    expect(problemsOf({ ...valid, tls: { enabled: 'yes' } }).problems).toEqual([
      'config.tls.enabled: expected true or false, got "yes"',
    ]);
    expect(problemsOf(null).problems).toEqual(['config: expected an object, got null']);
    expect(problemsOf({ ...valid, hosts: 'db1' }).message).toBe(
      'Invalid configuration:\nconfig.hosts: expected a non-empty array of strings, got "db1"',
    );
  });

  test('never shows secret values', () => {
    const err = problemsOf({
      ...valid,
      auth: { mode: 'password', username: 'me', password: 'short' },
      tls: { enabled: true, client_key: 12345 },
      api_keys: 'k-123456',
      service_account: 'sa-private-key-xyz',
    });
    expect(err.problems).toEqual([
      'config.auth.password: expected a string of at least 8 characters, got a secret value (not shown)',
      'config.tls.client_key: expected a string, got a secret value (not shown)',
      'config.api_keys: expected an array of strings, got a secret value (not shown)',
      'config.service_account: expected an object, got a secret value (not shown)',
    ]);
    for (const leaked of ['short', '12345', 'k-123456', 'sa-private-key-xyz'])
      expect(err.message).not.toContain(leaked);
  });

  test('a secret typed into a non-secret field is masked too', () => {
    const err = problemsOf({
      ...valid,
      port: 'hunter2hunter2',
      auth: { mode: 'password', username: 'me', password: 'hunter2hunter2' },
    });
    expect(err.message).toBe(
      'Invalid configuration:\nconfig.port: expected an integer between 0 and 65536, got a secret value (not shown)',
    );
  });

  test('a long secret in a non-secret field is not shown in part either', () => {
    const long = `${'x'.repeat(70)}-secret-tail`;
    const err = problemsOf({
      ...valid,
      port: long,
      auth: { mode: 'password', username: 'me', password: long },
    });
    expect(err.message).not.toContain('xxxxxxxxxx');
  });

  test('property: a secret value never appears in the error message', () => {
    fc.assert(
      // The "Zq" prefix keeps the secret from matching the fixed words of the message by chance.
      fc.property(
        fc.string({ minLength: 1, maxLength: 40 }).map((s) => `Zq${s}`),
        (password) => {
          // The password is wrong for its own field and also typed into two non-secret fields.
          const raw = {
            hosts: [password],
            port: password,
            keyspace: 'k',
            auth: { mode: 'password', username: 7, password },
          };
          expect(() => validateConfig(Config, raw)).toThrow(ConfigValidationError);
          try {
            validateConfig(Config, raw);
          } catch (err) {
            expect((err as Error).message).not.toContain(password);
            expect((err as Error).message).not.toContain(JSON.stringify(password).slice(1, -1));
          }
        },
      ),
    );
  });

  test('refinements keep their own message', () => {
    const Refined = z
      .object({ a: z.number(), b: z.number() })
      .refine((c) => c.a < c.b, { message: 'a must be smaller than b', path: ['a'] });
    expect(() => validateConfig(Refined, { a: 2, b: 1 })).toThrow(
      'Invalid configuration:\nconfig.a: a must be smaller than b',
    );
  });
});

describe('secretValues', () => {
  const config = {
    ...valid,
    auth: { mode: 'password', username: 'admin', password: 'pa55word' },
    tls: { enabled: true, client_key: '-----BEGIN KEY-----', ca: 'public-ca' },
    api_keys: ['key-one', 'key-two', ''],
    service_account: { private_key: 'pk-123', nested: { token: 'tok-456' }, n: 5 },
  };

  test('collects every string at a secret path, nested and in oneOf options', () => {
    expect(secretValues(Config, config).sort()).toEqual(
      ['-----BEGIN KEY-----', 'key-one', 'key-two', 'pa55word', 'pk-123', 'tok-456'].sort(),
    );
  });

  test('works from a spec or its connection specification alike', () => {
    const spec = buildSpec(Config, { documentationUrl: 'https://d' });
    expect(secretValues(spec, config).sort()).toEqual(secretValues(Config, config).sort());
    expect(secretValues(spec.connectionSpecification, config).sort()).toEqual(
      secretValues(Config, config).sort(),
    );
  });

  test('ignores shapes that do not match and configs that are not objects', () => {
    expect(secretValues(Config, null)).toEqual([]);
    expect(secretValues(Config, { auth: 'x', tls: [1] })).toEqual([]);
  });
});
