import { z } from 'zod';

/** A JSON Schema node (draft-07), as plain data. */
export type JsonSchema = { [keyword: string]: unknown };

const DRAFT_07 = 'http://json-schema.org/draft-07/schema#';

const cache = new WeakMap<z.ZodType, JsonSchema>();

/**
 * The connection specification (JSON Schema draft-07) for a zod config schema, shaped for the
 * Airbyte UI:
 * - everything inlined: no `$ref`/`definitions` (the UI does not resolve them; recursive schemas throw);
 * - `additionalProperties` explicit on every object: `false` for `z.strictObject`, `true` otherwise
 *   (`z.looseObject` keeps unknown keys, `z.object` accepts and drops them);
 * - `order` on every property from key order, unless `.meta({ order })` says otherwise;
 * - oneOf options (from `z.discriminatedUnion`) get a `title` from their discriminator when they
 *   have none;
 * - defaults are emitted as `default` and fields with a default are not `required` (input view);
 * - zod's safe-integer bounds on `z.int()` are dropped.
 */
export function configJsonSchema(schema: z.ZodType): JsonSchema {
  return structuredClone(cachedJsonSchema(schema));
}

/** Like {@link configJsonSchema} but shared; callers must not mutate the result. */
export function cachedJsonSchema(schema: z.ZodType): JsonSchema {
  let out = cache.get(schema);
  if (out === undefined) {
    out = generate(schema);
    cache.set(schema, out);
  }
  return out;
}

function generate(schema: z.ZodType): JsonSchema {
  let raw: unknown;
  try {
    raw = z.toJSONSchema(schema, { target: 'draft-07', io: 'input', reused: 'inline', cycles: 'throw' });
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw new Error(`cannot express the config schema as an Airbyte connection specification: ${reason}`);
  }
  // Round-trip through JSON drops zod's non-enumerable `~standard` and any shared references.
  const root = JSON.parse(JSON.stringify(raw)) as JsonSchema;
  const definitions = { ...asSchemaMap(root.definitions), ...asSchemaMap(root.$defs) };
  delete root.definitions;
  delete root.$defs;
  const out = normalize(root, definitions, []) as JsonSchema;
  return { $schema: DRAFT_07, ...out };
}

function normalize(node: unknown, definitions: Record<string, JsonSchema>, resolving: string[]): unknown {
  if (!isObject(node)) return node;

  let source: JsonSchema = node;
  if (typeof node.$ref === 'string') {
    const name = refName(node.$ref);
    const target = name === undefined ? undefined : definitions[name];
    if (name === undefined || target === undefined || resolving.includes(name)) {
      throw new Error(
        `cannot express the config schema as an Airbyte connection specification: $ref ${node.$ref}`,
      );
    }
    const { $ref: _ref, ...rest } = node;
    source = { ...(normalize(target, definitions, [...resolving, name]) as JsonSchema), ...rest };
  }

  const sub = (value: unknown): unknown => normalize(value, definitions, resolving);
  const out: JsonSchema = {};
  for (const [key, value] of Object.entries(source)) {
    if (key === '$schema' || key === 'id') continue;
    if (SCHEMA_MAP_KEYWORDS.has(key) && isObject(value)) {
      out[key] = Object.fromEntries(Object.entries(value).map(([name, child]) => [name, sub(child)]));
    } else if (SCHEMA_LIST_KEYWORDS.has(key) && Array.isArray(value)) {
      out[key] = value.map(sub);
    } else if (SCHEMA_KEYWORDS.has(key)) {
      out[key] = Array.isArray(value) ? value.map(sub) : sub(value);
    } else {
      out[key] = value;
    }
  }
  if (isObject(out.properties)) {
    let index = 0;
    for (const property of Object.values(out.properties)) {
      if (isObject(property) && property.order === undefined) property.order = index;
      index++;
    }
  }
  if (out.type === 'object' || isObject(out.properties)) {
    const additional = out.additionalProperties;
    if (additional === undefined || (isObject(additional) && Object.keys(additional).length === 0)) {
      out.additionalProperties = true;
    }
    const names = out.propertyNames;
    if (isObject(names) && names.type === 'string' && Object.keys(names).length === 1)
      delete out.propertyNames;
  }
  if (out.type === 'integer') {
    if (out.minimum === Number.MIN_SAFE_INTEGER) delete out.minimum;
    if (out.maximum === Number.MAX_SAFE_INTEGER) delete out.maximum;
  }
  if (Array.isArray(out.oneOf)) out.oneOf.forEach(titleOption);
  return out;
}

// Keywords whose values are schemas; everything else (default, const, enum, examples…) is data
// and is copied untouched.
const SCHEMA_MAP_KEYWORDS = new Set(['properties', 'patternProperties', 'definitions', '$defs']);
const SCHEMA_LIST_KEYWORDS = new Set(['oneOf', 'anyOf', 'allOf']);
const SCHEMA_KEYWORDS = new Set([
  'items',
  'additionalItems',
  'additionalProperties',
  'contains',
  'propertyNames',
  'not',
  'if',
  'then',
  'else',
]);

function titleOption(option: unknown): void {
  if (!isObject(option) || option.title !== undefined || !isObject(option.properties)) return;
  for (const property of Object.values(option.properties)) {
    if (isObject(property) && property.const !== undefined) {
      option.title = String(property.const);
      return;
    }
  }
}

function refName(ref: string): string | undefined {
  const match = /^#\/(?:definitions|\$defs)\/(.+)$/.exec(ref);
  return match?.[1] === undefined
    ? undefined
    : decodeURIComponent(match[1]).replace(/~1/g, '/').replace(/~0/g, '~');
}

function asSchemaMap(value: unknown): Record<string, JsonSchema> {
  return isObject(value) ? (value as Record<string, JsonSchema>) : {};
}

export function isObject(value: unknown): value is JsonSchema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
