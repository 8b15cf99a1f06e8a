/// <reference types="jest" />
import { z } from 'zod';
import { ConnectorSpecificationSchema } from '../src/models/index.js';
import { buildSpec, configJsonSchema, secret } from '../src/spec/index.js';

const Auth = z.discriminatedUnion('auth_type', [
  z.object({ auth_type: z.literal('none') }).meta({ title: 'No authentication' }),
  z.object({
    auth_type: z.literal('password'),
    username: z.string().meta({ title: 'Username' }),
    password: secret(z.string().meta({ title: 'Password' })),
  }),
]);

const Config = z.looseObject({
  contact_points: z
    .array(z.string())
    .min(1)
    .meta({ title: 'Contact points', examples: [['10.0.0.1']] }),
  port: z.int().min(0).max(65536).default(9042).meta({ title: 'Port' }),
  keyspace: z
    .string()
    .regex(/^[a-z_]+$/)
    .meta({ title: 'Keyspace', pattern_descriptor: 'lower_snake' }),
  datacenter: z.string().optional().meta({ group: 'advanced', always_show: true }),
  auth: Auth.meta({ title: 'Authentication' }),
  batch: z.strictObject({ size: z.number().positive().default(100), token: secret(z.string()).optional() }),
  ordered_first: z.boolean().default(false).meta({ order: 10 }),
  retries: z.int(),
});

describe('configJsonSchema', () => {
  const schema = configJsonSchema(Config);
  const properties = schema.properties as Record<string, Record<string, unknown>>;

  test('draft-07 object with explicit additionalProperties', () => {
    expect(schema.$schema).toBe('http://json-schema.org/draft-07/schema#');
    expect(schema.type).toBe('object');
    expect(schema.additionalProperties).toBe(true);
    expect(properties.batch?.additionalProperties).toBe(false);
    expect(configJsonSchema(z.strictObject({ a: z.string() })).additionalProperties).toBe(false);
    expect(configJsonSchema(z.object({ a: z.string() })).additionalProperties).toBe(true);
  });

  test('required lists exactly the fields without default or optional', () => {
    expect(schema.required).toEqual(['contact_points', 'keyspace', 'auth', 'batch', 'retries']);
    expect(properties.batch?.required).toBeUndefined();
  });

  test('metadata, defaults and constraints are carried over', () => {
    expect(properties.contact_points).toEqual({
      type: 'array',
      items: { type: 'string' },
      minItems: 1,
      title: 'Contact points',
      examples: [['10.0.0.1']],
      order: 0,
    });
    expect(properties.port).toEqual({
      type: 'integer',
      minimum: 0,
      maximum: 65536,
      default: 9042,
      title: 'Port',
      order: 1,
    });
    expect(properties.keyspace).toMatchObject({ pattern: '^[a-z_]+$', pattern_descriptor: 'lower_snake' });
    expect(properties.datacenter).toEqual({ type: 'string', group: 'advanced', always_show: true, order: 3 });
  });

  test('order follows key order per object level unless given', () => {
    expect(Object.values(properties).map((p) => p.order)).toEqual([0, 1, 2, 3, 4, 5, 10, 7]);
    const batch = properties.batch?.properties as Record<string, Record<string, unknown>>;
    expect(batch.size?.order).toBe(0);
    expect(batch.token?.order).toBe(1);
  });

  test('secret fields are flagged, also nested and inside oneOf options', () => {
    const batch = properties.batch?.properties as Record<string, Record<string, unknown>>;
    expect(batch.token).toEqual({ type: 'string', airbyte_secret: true, order: 1 });
    const options = properties.auth?.oneOf as Array<Record<string, unknown>>;
    const optionProperties = options[1]?.properties as Record<string, Record<string, unknown>>;
    const password = optionProperties.password;
    expect(password).toEqual({ type: 'string', title: 'Password', airbyte_secret: true, order: 2 });
  });

  test('discriminated unions become Airbyte-style oneOf with const and title', () => {
    const auth = properties.auth as Record<string, unknown>;
    expect(auth.title).toBe('Authentication');
    const options = auth.oneOf as Array<Record<string, unknown>>;
    expect(options).toHaveLength(2);
    expect(options[0]).toEqual({
      type: 'object',
      title: 'No authentication',
      properties: { auth_type: { type: 'string', const: 'none', order: 0 } },
      required: ['auth_type'],
      additionalProperties: true,
    });
    expect(options[1]?.title).toBe('password'); // derived from the discriminator
    expect(options[1]?.required).toEqual(['auth_type', 'username', 'password']);
  });

  test("strips zod's safe-integer bounds and never emits $ref or definitions", () => {
    expect(properties.retries).toEqual({ type: 'integer', order: 7 });
    const Shared = z.object({ x: z.string() }).meta({ id: 'Shared', title: 'Shared' });
    const reused = configJsonSchema(z.object({ a: Shared, b: Shared }));
    const text = JSON.stringify(reused);
    expect(text).not.toContain('$ref');
    expect(text).not.toContain('definitions');
    expect(text).not.toContain('$defs');
    expect(text).not.toContain('"id"');
    expect((reused.properties as Record<string, unknown>).b).toEqual({
      type: 'object',
      title: 'Shared',
      properties: { x: { type: 'string', order: 0 } },
      required: ['x'],
      additionalProperties: true,
      order: 1,
    });
  });

  test('does not rewrite data: a property named like a keyword is kept', () => {
    const out = configJsonSchema(
      z.object({ id: z.string(), $schema: z.string().default('x'), properties: z.string() }),
    );
    expect(Object.keys(out.properties as object)).toEqual(['id', '$schema', 'properties']);
    expect(out.required).toEqual(['id', 'properties']);
  });

  test('recursive schemas are refused with a clear error', () => {
    const Node: z.ZodType = z.object({
      name: z.string(),
      get children() {
        return z.array(Node);
      },
    });
    expect(() => configJsonSchema(Node)).toThrow(/cannot express the config schema/);
  });

  test('returns a fresh copy each time', () => {
    const first = configJsonSchema(Config);
    first.mutated = true;
    expect(configJsonSchema(Config).mutated).toBeUndefined();
  });
});

describe('buildSpec', () => {
  test('a complete ConnectorSpecification', () => {
    const spec = buildSpec(Config, {
      documentationUrl: 'https://docs.example.com/scylla',
      changelogUrl: 'https://docs.example.com/scylla/changelog',
      supported_destination_sync_modes: ['append', 'overwrite'],
      protocol_version: '0.2.0',
      title: 'Scylla Destination Spec',
      extra: { supportsRefreshes: true },
    });
    expect(ConnectorSpecificationSchema.safeParse(spec).success).toBe(true);
    expect(spec).toMatchObject({
      documentationUrl: 'https://docs.example.com/scylla',
      changelogUrl: 'https://docs.example.com/scylla/changelog',
      supportsNormalization: false,
      supportsDBT: false,
      supported_destination_sync_modes: ['append', 'overwrite'],
      protocol_version: '0.2.0',
      supportsRefreshes: true,
    });
    expect(spec.supportsIncremental).toBeUndefined();
    expect(Object.keys(spec.connectionSpecification).slice(0, 3)).toEqual(['$schema', 'title', 'type']);
    expect(spec.connectionSpecification.title).toBe('Scylla Destination Spec');
  });

  test('extra may not replace generated keys', () => {
    expect(() =>
      buildSpec(Config, { documentationUrl: 'https://d', extra: { connectionSpecification: {} } }),
    ).toThrow(/would replace/);
  });
});
