import { z } from 'zod';

/** A JSON object whose content this package does not interpret (state blobs, JSON schemas, configs). */
export type JsonObject = Record<string, unknown>;

export const JsonObjectSchema = z.record(z.string(), z.unknown());

/**
 * A non-null, non-array object as made by `{}` or JSON.parse: its prototype is null or a realm's
 * Object.prototype. Comparing with *our* Object.prototype would reject objects from another realm
 * (structuredClone under jest, vm contexts, worker messages).
 */
export function isPlainObject(value: unknown): value is JsonObject {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === null || Object.getPrototypeOf(proto) === null;
}
