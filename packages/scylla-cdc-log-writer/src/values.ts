import cassandra from 'cassandra-driver';

/**
 * Operations on a non-frozen collection or UDT column in an UPDATE, as CQL spells them:
 *   add      `l = l + [..]`, `s = s + {..}`, `m = m + {..}` (also `m[k] = v` via a one-entry map)
 *   prepend  `l = [..] + l`
 *   remove   `l = l - [..]` (by value), `s = s - {..}`, `m = m - {k, ..}`
 *   setIndex `l[i] = v`;  deleteIndex `DELETE l[i]`
 *   setField `u.f = v` (v may be null)
 */
export class CollectionOp {
  private constructor(
    readonly kind: 'add' | 'prepend' | 'remove' | 'setIndex' | 'deleteIndex' | 'setField',
    readonly value: unknown,
    readonly index?: number,
    readonly field?: string,
  ) {}
  static add(value: unknown): CollectionOp {
    return new CollectionOp('add', value);
  }
  static prepend(values: unknown[]): CollectionOp {
    return new CollectionOp('prepend', values);
  }
  static remove(value: unknown): CollectionOp {
    return new CollectionOp('remove', value);
  }
  static setIndex(index: number, value: unknown): CollectionOp {
    return new CollectionOp('setIndex', value, index);
  }
  static deleteIndex(index: number): CollectionOp {
    return new CollectionOp('deleteIndex', undefined, index);
  }
  static setField(field: string, value: unknown): CollectionOp {
    return new CollectionOp('setField', value, undefined, field);
  }
}

/** A canonical string for a CQL value, for equality tests (list removal by value, row keys). */
export function canon(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (Buffer.isBuffer(value)) return `0x${value.toString('hex')}`;
  if (value instanceof Date) return `d${value.getTime()}`;
  if (typeof value === 'bigint') return `n${value}`;
  if (typeof value === 'number') return `n${value}`;
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'boolean') return String(value);
  if (value instanceof cassandra.types.Uuid) return `u${value.toString()}`;
  if (value instanceof cassandra.types.Long) return `n${value.toString()}`;
  if (value instanceof cassandra.types.Tuple) return `t(${value.elements.map(canon).join(',')})`;
  if (Array.isArray(value)) return `[${value.map(canon).join(',')}]`;
  if (value instanceof Set) return `{${[...value].map(canon).sort().join(',')}}`;
  if (value instanceof Map) {
    return `{${[...value.entries()]
      .map(([k, v]) => `${canon(k)}:${canon(v)}`)
      .sort()
      .join(',')}}`;
  }
  if (typeof value === 'object') {
    const ctor = (value as object).constructor;
    if (ctor && ctor !== Object && typeof (value as { toString(): string }).toString === 'function') {
      return `${ctor.name}:${String(value)}`;
    }
    return `{${Object.entries(value as Record<string, unknown>)
      .map(([k, v]) => `${JSON.stringify(k)}:${canon(v)}`)
      .join(',')}}`;
  }
  return String(value);
}

/** Entries of a map value given as a Map or a plain object. */
export function mapEntries(value: unknown): [unknown, unknown][] {
  if (value === null || value === undefined) return [];
  if (value instanceof Map) return [...value.entries()];
  return Object.entries(value as Record<string, unknown>);
}

/** Elements of a set or list value given as a Set or an array. */
export function elements(value: unknown): unknown[] {
  if (value === null || value === undefined) return [];
  if (value instanceof Set) return [...value];
  return [...(value as unknown[])];
}

export function isEmptyCollection(value: unknown): boolean {
  if (value === null || value === undefined) return true;
  if (Array.isArray(value)) return value.length === 0;
  if (value instanceof Set || value instanceof Map) return value.size === 0;
  return false;
}
