import { describeSchema } from './abstract-type-of.js';
import type { ColumnSpec } from './abstract-type.js';

/**
 * The top-level properties of a stream's JSON schema as columns, in declaration order.
 * (Declaration order is the order of the parsed object's keys: JavaScript lists integer-like
 * keys such as "1" first, whatever the JSON text said.) A schema without properties gives [].
 */
export function columnsOf(streamJsonSchema: unknown): ColumnSpec[] {
  if (!isRecord(streamJsonSchema) || !isRecord(streamJsonSchema.properties)) return [];
  const props = streamJsonSchema.properties;
  const required = new Set(
    Array.isArray(streamJsonSchema.required)
      ? streamJsonSchema.required.filter((r): r is string => typeof r === 'string')
      : [],
  );
  return Object.keys(props).map((name) => {
    // Local $refs in a property point into the stream schema.
    const { type, nullable } = describeSchema(props[name], streamJsonSchema);
    return { name, type, nullable, required: required.has(name) };
  });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
