/**
 * The connector's two single message transforms, on event payloads:
 * `ScyllaFlattenColumns` unwraps legacy Cells (`{"value": x}` → `x`) in `before` and `after`;
 * `ScyllaExtractNewRecordState` replaces the envelope with the flattened `after` (null for
 * deletes, which Debezium's default `delete.handling.mode=drop` drops). Advanced-format events
 * have no Cells, so flattening leaves their values as they are.
 */
type Obj = Record<string, unknown>;

function isObject(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isCell(v: unknown): v is { value: unknown } {
  return isObject(v) && Object.keys(v).length === 1 && 'value' in v;
}

/** An Avro JSON union branch (`{"NS.ks.t.Before": {...}}`) around a row struct. */
function unionBranch(v: Obj): Obj | undefined {
  const keys = Object.keys(v);
  if (keys.length === 1 && keys[0]!.includes('.') && isObject(v[keys[0]!])) return v[keys[0]!] as Obj;
  return undefined;
}

function flattenRow(row: unknown): unknown {
  if (!isObject(row)) return row;
  const branch = unionBranch(row);
  if (branch) return { [Object.keys(row)[0]!]: flattenRow(branch) };
  const out: Obj = {};
  for (const [k, v] of Object.entries(row)) out[k] = isCell(v) ? v.value : v;
  return out;
}

export function flattenColumns<T extends Obj>(payload: T): T {
  const out: Obj = { ...payload };
  if ('before' in out) out.before = flattenRow(out.before);
  if ('after' in out) out.after = flattenRow(out.after);
  return out as T;
}

export function extractNewRecordState(payload: Obj): Obj | null {
  const after = payload.after;
  if (!isObject(after)) return null;
  const row = unionBranch(after) ?? after;
  return flattenRow(row) as Obj;
}
