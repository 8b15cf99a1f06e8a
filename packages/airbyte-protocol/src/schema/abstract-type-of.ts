import type { AbstractType, TypeDescription } from './abstract-type.js';

// Deeper than any real schema; stops self-referencing `$ref`s and hand-built cycles.
const MAX_DEPTH = 64;

const WELL_KNOWN_PREFIX = 'WellKnownTypes.json#/definitions/';

const WELL_KNOWN: Record<string, AbstractType> = {
  Integer: { kind: 'integer' },
  Number: { kind: 'number' },
  String: { kind: 'string' },
  Boolean: { kind: 'boolean' },
  Date: { kind: 'date' },
  TimestampWithTimezone: { kind: 'timestamp_tz' },
  TimestampWithoutTimezone: { kind: 'timestamp_ntz' },
  TimeWithTimezone: { kind: 'time_tz' },
  TimeWithoutTimezone: { kind: 'time_ntz' },
  BinaryData: { kind: 'string', binary: true },
};

const UNKNOWN: AbstractType = { kind: 'unknown' };

/** Internal result: `nullOnly` marks `{"type": "null"}`, dropped from unions. */
interface Described extends TypeDescription {
  nullOnly?: boolean;
}

/** The abstract type of a JSON schema; never throws. See {@link describeSchema}. */
export function abstractTypeOf(schema: unknown): AbstractType {
  return describeSchema(schema).type;
}

/**
 * The abstract type of a JSON schema and whether it admits null. Understands:
 * - `type` as a string or an array (`"null"` makes it nullable; several others make a union);
 * - `format` date / date-time / time with `airbyte_type` (timestamp_with[out]_timezone,
 *   time_with[out]_timezone; date-time and time default to "with timezone" as in the CDK);
 * - `airbyte_type` integer / big_integer (on number or string) and big_number;
 * - Airbyte's `WellKnownTypes.json#/definitions/...` `$ref`s, and local `#/...` refs;
 * - oneOf / anyOf (a union, collapsed when one non-null option remains), allOf of objects;
 * - objects with or without properties, arrays with or without items (tuples become a union).
 * `{}`, `true` and anything unrecognised give `unknown`.
 *
 * `root` is the document local `$ref`s resolve against (default: `schema` itself); pass the
 * stream schema when describing one of its properties.
 */
export function describeSchema(schema: unknown, root: unknown = schema): TypeDescription {
  const { type, nullable } = describe(schema, root, 0);
  return { type, nullable };
}

function describe(schema: unknown, root: unknown, depth: number): Described {
  if (depth > MAX_DEPTH) return { type: UNKNOWN, nullable: true };
  if (typeof schema === 'string') return fromTypeName(schema, {}, root, depth);
  if (!isRecord(schema)) return { type: UNKNOWN, nullable: schema !== false };

  const ref = schema.$ref;
  if (typeof ref === 'string') {
    const fromRef = describeRef(ref, root, depth);
    if (fromRef !== undefined) {
      return { type: fromRef.type, nullable: fromRef.nullable || typeAdmitsNull(schema.type) };
    }
  }

  const type = schema.type;
  if (typeof type === 'string') return fromTypeName(type, schema, root, depth);
  if (Array.isArray(type)) {
    const names = [...new Set(type.filter((t): t is string => typeof t === 'string'))];
    const nullable = names.includes('null');
    const options = names.filter((n) => n !== 'null').map((n) => fromTypeName(n, schema, root, depth));
    if (options.length === 0) return { type: UNKNOWN, nullable: true, nullOnly: nullable };
    return combine(options, nullable);
  }

  const union = Array.isArray(schema.oneOf)
    ? schema.oneOf
    : Array.isArray(schema.anyOf)
      ? schema.anyOf
      : undefined;
  if (union !== undefined) {
    const described = union.map((option) => describe(option, root, depth + 1));
    const nullable = described.some((d) => d.nullable);
    const options = described.filter((d) => !d.nullOnly);
    if (options.length === 0) return { type: UNKNOWN, nullable: true, nullOnly: described.length > 0 };
    return combine(options, nullable);
  }
  if (Array.isArray(schema.allOf)) return describeAllOf(schema.allOf, root, depth);

  // No type keyword: infer from the keywords that only make sense for one type.
  if (isRecord(schema.properties)) return fromTypeName('object', schema, root, depth);
  if (schema.items !== undefined) return fromTypeName('array', schema, root, depth);
  return { type: UNKNOWN, nullable: true };
}

function fromTypeName(
  name: string,
  schema: Record<string, unknown>,
  root: unknown,
  depth: number,
): Described {
  const airbyteType = typeof schema.airbyte_type === 'string' ? schema.airbyte_type : undefined;
  switch (name) {
    case 'null':
      return { type: UNKNOWN, nullable: true, nullOnly: true };
    case 'string':
      return { type: fromString(schema, airbyteType), nullable: false };
    case 'integer':
    case 'int':
      return { type: { kind: 'integer' }, nullable: false };
    case 'number':
      return {
        type:
          airbyteType === 'integer' || airbyteType === 'big_integer'
            ? { kind: 'integer' }
            : { kind: 'number' },
        nullable: false,
      };
    case 'boolean':
      return { type: { kind: 'boolean' }, nullable: false };
    case 'object':
      return { type: fromObject(schema, root, depth), nullable: false };
    case 'array':
      return { type: fromArray(schema, root, depth), nullable: false };
    default:
      return { type: UNKNOWN, nullable: false };
  }
}

function fromString(schema: Record<string, unknown>, airbyteType: string | undefined): AbstractType {
  switch (schema.format) {
    case 'date':
      return { kind: 'date' };
    case 'date-time':
      return { kind: airbyteType === 'timestamp_without_timezone' ? 'timestamp_ntz' : 'timestamp_tz' };
    case 'time':
      return { kind: airbyteType === 'time_without_timezone' ? 'time_ntz' : 'time_tz' };
  }
  // Legacy schemas sometimes carry airbyte_type without a format.
  switch (airbyteType) {
    case 'timestamp_with_timezone':
      return { kind: 'timestamp_tz' };
    case 'timestamp_without_timezone':
      return { kind: 'timestamp_ntz' };
    case 'time_with_timezone':
      return { kind: 'time_tz' };
    case 'time_without_timezone':
      return { kind: 'time_ntz' };
    case 'big_integer':
    case 'integer':
      return { kind: 'integer' };
    case 'big_number':
      return { kind: 'number' };
  }
  if (schema.contentEncoding === 'base64') return { kind: 'string', binary: true };
  return { kind: 'string' };
}

function fromObject(schema: Record<string, unknown>, root: unknown, depth: number): AbstractType {
  const props = schema.properties;
  if (!isRecord(props)) return { kind: 'object' };
  const properties: Record<string, AbstractType> = {};
  for (const key of Object.keys(props)) {
    // defineProperty: a field named "__proto__" must stay a field.
    Object.defineProperty(properties, key, {
      value: describe(props[key], root, depth + 1).type,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return { kind: 'object', properties };
}

function fromArray(schema: Record<string, unknown>, root: unknown, depth: number): AbstractType {
  const items = schema.items;
  if (items === undefined) return { kind: 'array' };
  if (Array.isArray(items)) {
    const options = items.map((item) => describe(item, root, depth + 1)).filter((d) => !d.nullOnly);
    if (options.length === 0) return { kind: 'array' };
    return { kind: 'array', items: combine(options, false).type };
  }
  return { kind: 'array', items: describe(items, root, depth + 1).type };
}

/** A well-known or local `$ref`; undefined when it cannot be resolved (other keywords decide). */
function describeRef(ref: string, root: unknown, depth: number): Described | undefined {
  if (ref.startsWith(WELL_KNOWN_PREFIX)) {
    const type = WELL_KNOWN[ref.slice(WELL_KNOWN_PREFIX.length)];
    return type === undefined ? undefined : { type: structuredClone(type), nullable: false };
  }
  if (ref === '#' || ref.startsWith('#/')) {
    const target = resolvePointer(root, ref.slice(1));
    return target === undefined ? undefined : describe(target, root, depth + 1);
  }
  return undefined;
}

/** RFC 6901 JSON pointer lookup ("" is the root). */
function resolvePointer(root: unknown, pointer: string): unknown {
  if (pointer === '') return root;
  let node: unknown = root;
  for (const raw of pointer.slice(1).split('/')) {
    const token = safeDecode(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(node)) node = node[Number(token)];
    else if (isRecord(node) && Object.hasOwn(node, token)) node = node[token];
    else return undefined;
  }
  return node;
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

function describeAllOf(parts: unknown[], root: unknown, depth: number): Described {
  const described = parts.map((p) => describe(p, root, depth + 1));
  if (described.length === 1) return described[0]!;
  // Every part must hold, so the value is nullable only if every part admits null.
  const nullable = described.length > 0 && described.every((d) => d.nullable);
  if (described.length > 0 && described.every((d) => d.type.kind === 'object')) {
    const merged: Record<string, AbstractType> = {};
    let anyProperties = false;
    for (const d of described) {
      if (d.type.kind !== 'object' || d.type.properties === undefined) continue;
      anyProperties = true;
      for (const [key, value] of Object.entries(d.type.properties)) {
        Object.defineProperty(merged, key, { value, enumerable: true, writable: true, configurable: true });
      }
    }
    return { type: anyProperties ? { kind: 'object', properties: merged } : { kind: 'object' }, nullable };
  }
  return { type: UNKNOWN, nullable };
}

/** One option stays itself; several distinct ones become a flat union. */
function combine(options: Described[], nullable: boolean): Described {
  const flat: AbstractType[] = [];
  const seen = new Set<string>();
  for (const option of options) {
    const members = option.type.kind === 'union' ? option.type.options : [option.type];
    for (const member of members) {
      const key = JSON.stringify(member);
      if (seen.has(key)) continue;
      seen.add(key);
      flat.push(member);
    }
  }
  if (flat.length === 1) return { type: flat[0]!, nullable };
  return { type: { kind: 'union', options: flat }, nullable };
}

function typeAdmitsNull(type: unknown): boolean {
  return type === 'null' || (Array.isArray(type) && type.includes('null'));
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
