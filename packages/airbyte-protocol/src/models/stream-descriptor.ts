import { z } from 'zod';

/** Identifies a stream: its name and, for sources that have them, its namespace (schema, keyspace…). */
export type StreamDescriptor = {
  name: string;
  namespace?: string | null;
};

export const StreamDescriptorSchema = z.looseObject({
  name: z.string(),
  namespace: z.string().nullish(),
}) satisfies z.ZodType<StreamDescriptor>;

/**
 * A stable map key for a stream. `null` and an absent namespace give the same key (the protocol
 * treats them alike); an empty-string namespace is a different, namespaced key. Both parts are
 * JSON-quoted so that no name/namespace pair can collide with another one, whatever characters they
 * hold: `"users"` for no namespace, `"public"."users"` otherwise.
 */
export function streamKey(descriptor: { name: string; namespace?: string | null }): string {
  const name = JSON.stringify(descriptor.name);
  const namespace = descriptor.namespace;
  return namespace === undefined || namespace === null ? name : `${JSON.stringify(namespace)}.${name}`;
}

/** A human-readable label, `namespace.name` or `name`, for messages (not unique; use streamKey for maps). */
export function streamLabel(descriptor: { name: string; namespace?: string | null }): string {
  const namespace = descriptor.namespace;
  return namespace === undefined || namespace === null || namespace === ''
    ? descriptor.name
    : `${namespace}.${descriptor.name}`;
}
