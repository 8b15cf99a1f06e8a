import type { z } from 'zod';

// Typed names for the Airbyte UI keywords a field's `.meta({...})` may carry; they are copied into
// the generated connection specification as they are. Other keys stay allowed (zod's meta type has
// an index signature).
declare module 'zod' {
  interface GlobalMeta {
    /** Masked in the UI, stored as a secret by the platform, redacted from logs by this package. */
    airbyte_secret?: boolean;
    /** Hidden from the UI form. */
    airbyte_hidden?: boolean;
    /** Position in the form; assigned from key order when absent. */
    order?: number;
    /** UI group (section) of the field. */
    group?: string;
    /** Show an optional field outside the "optional fields" fold. */
    always_show?: boolean;
    /** Render the string field as a text area. */
    multiline?: boolean;
    /** A human hint for the `pattern`, e.g. "YYYY-MM-DD". */
    pattern_descriptor?: string;
  }
}

/**
 * Marks a config field as a secret: `airbyte_secret: true` in the spec, and its value is among
 * `secretValues()` so that logs and error messages redact it.
 */
export function secret<T extends z.ZodType>(schema: T): T {
  return schema.meta({ airbyte_secret: true });
}
