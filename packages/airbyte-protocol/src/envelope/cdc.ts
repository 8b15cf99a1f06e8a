/** Column a CDC source sets on a deleted row; in dedup mode such a record deletes its row. */
export const CDC_DELETED_AT = '_ab_cdc_deleted_at';

export function isCdcDeletion(data: Record<string, unknown>): boolean {
  const v = data[CDC_DELETED_AT];
  return v !== undefined && v !== null && v !== '';
}

/** The value at a JSON path (a primary key or cursor field path) in a record's data. */
export function valueAtPath(data: Record<string, unknown>, path: readonly string[]): unknown {
  let cur: unknown = data;
  for (const part of path) {
    if (cur === null || typeof cur !== 'object' || Array.isArray(cur)) return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}

/**
 * Orders cursor values so "the later cursor wins": returns a number that grows with the cursor.
 * Numbers stay numbers; date-like strings become epoch ms; other strings are not orderable as a
 * number and give null (the caller falls back to arrival order, e.g. the record's emitted_at).
 */
export function cursorOrdinal(value: unknown): number | null {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'string' && value.length > 0) {
    if (/^-?\d+(\.\d+)?$/.test(value)) return Number(value);
    if (/^\d{4}-\d{2}-\d{2}/.test(value)) {
      const ms = Date.parse(value.length === 10 ? `${value}T00:00:00Z` : value);
      if (Number.isFinite(ms)) return ms;
    }
  }
  return null;
}
