import type { z } from 'zod';
import type { ConnectorSpecification } from '../models/connector-specification.js';
import { cachedJsonSchema, isObject, type JsonSchema } from './json-schema.js';
import { childSchemas, isSecretNode } from './schema-walk.js';

/** A zod config schema, a connector specification, or a connection specification (JSON Schema). */
export type SecretSource = z.ZodType | ConnectorSpecification | JsonSchema;

/**
 * Every string in `config` that sits at an `airbyte_secret` path: nested objects, arrays and oneOf
 * options included, and every string inside a secret object (e.g. a service-account JSON). When
 * oneOf options disagree about a key, it counts as secret if any option marks it: over-redacting is
 * the safe mistake. Feed the result to `createRedactor`.
 */
export function secretValues(source: SecretSource, config: unknown): string[] {
  const out = new Set<string>();
  collect(config, rootSchema(source), out);
  out.delete('');
  return [...out];
}

export function rootSchema(source: SecretSource): JsonSchema {
  if (isZodSchema(source)) return cachedJsonSchema(source);
  if (isObject(source.connectionSpecification)) return source.connectionSpecification;
  return source;
}

function isZodSchema(value: unknown): value is z.ZodType {
  return typeof value === 'object' && value !== null && '_zod' in value;
}

function collect(value: unknown, schema: JsonSchema, out: Set<string>): void {
  if (isSecretNode(schema)) {
    collectStrings(value, out);
    return;
  }
  if (Array.isArray(value)) {
    value.forEach((item, index) => {
      for (const child of childSchemas(schema, index)) collect(item, child, out);
    });
    return;
  }
  if (typeof value !== 'object' || value === null) return;
  for (const [key, item] of Object.entries(value)) {
    for (const child of childSchemas(schema, key)) collect(item, child, out);
  }
}

function collectStrings(value: unknown, out: Set<string>): void {
  if (typeof value === 'string') out.add(value);
  else if (Array.isArray(value)) for (const item of value) collectStrings(item, out);
  else if (typeof value === 'object' && value !== null)
    for (const item of Object.values(value)) collectStrings(item, out);
}
