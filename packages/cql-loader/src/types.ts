import { stringifyExact } from '@tributary/airbyte-protocol';
import cassandra from 'cassandra-driver';

const { Long, Integer, BigDecimal, LocalDate, LocalTime, Uuid, InetAddress } = cassandra.types;

/** The kinds of JSON schema a top-level field can have, before choosing a CQL type. */
export type FieldKind =
  | { kind: 'integer' }
  | { kind: 'big_integer' }
  | { kind: 'number' }
  | { kind: 'boolean' }
  | { kind: 'string' }
  | { kind: 'date' }
  | { kind: 'timestamp'; withTimezone: boolean }
  | { kind: 'time'; withTimezone: boolean }
  | { kind: 'object'; values?: FieldKind }
  | { kind: 'array'; items?: FieldKind }
  | { kind: 'union' }
  | { kind: 'unknown' };

type Schema = Record<string, unknown>;

function isSchema(v: unknown): v is Schema {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Airbyte protocol v1 well-known types (`$ref: WellKnownTypes.json#/definitions/Integer`). */
const WELL_KNOWN: Record<string, FieldKind> = {
  Integer: { kind: 'integer' },
  Number: { kind: 'number' },
  String: { kind: 'string' },
  BinaryData: { kind: 'string' },
  Boolean: { kind: 'boolean' },
  Date: { kind: 'date' },
  TimestampWithTimezone: { kind: 'timestamp', withTimezone: true },
  TimestampWithoutTimezone: { kind: 'timestamp', withTimezone: false },
  TimeWithTimezone: { kind: 'time', withTimezone: true },
  TimeWithoutTimezone: { kind: 'time', withTimezone: false },
};

/** Classifies one JSON schema node (a top-level property of a stream's schema). */
export function fieldKind(schema: unknown): FieldKind {
  if (!isSchema(schema)) return { kind: 'unknown' };
  if (typeof schema.$ref === 'string') {
    const name = schema.$ref.split('/').pop() ?? '';
    return WELL_KNOWN[name] ?? { kind: 'unknown' };
  }
  const options = (
    Array.isArray(schema.oneOf) ? schema.oneOf : Array.isArray(schema.anyOf) ? schema.anyOf : null
  ) as unknown[] | null;
  if (options) {
    const kinds = options
      .filter(
        (o) =>
          !(
            isSchema(o) &&
            (o.type === 'null' || (Array.isArray(o.type) && o.type.every((t) => t === 'null')))
          ),
      )
      .map(fieldKind);
    if (kinds.length === 1) return kinds[0]!;
    if (kinds.length > 1 && kinds.every((k) => JSON.stringify(k) === JSON.stringify(kinds[0])))
      return kinds[0]!;
    return { kind: 'union' };
  }
  const types = (
    Array.isArray(schema.type) ? schema.type : schema.type === undefined ? [] : [schema.type]
  ).filter((t) => t !== 'null');
  if (types.length === 0) {
    if (isSchema(schema.properties)) return { kind: 'object' };
    if (schema.items !== undefined) return { kind: 'array' };
    return { kind: 'unknown' };
  }
  if (types.length > 1) {
    // integer+number is just a number.
    if (types.length === 2 && types.includes('integer') && types.includes('number'))
      return { kind: 'number' };
    return { kind: 'union' };
  }
  const airbyteType = schema.airbyte_type;
  switch (types[0]) {
    case 'integer':
      return airbyteType === 'big_integer' ? { kind: 'big_integer' } : { kind: 'integer' };
    case 'number':
      if (airbyteType === 'integer') return { kind: 'integer' };
      if (airbyteType === 'big_integer') return { kind: 'big_integer' };
      return { kind: 'number' };
    case 'boolean':
      return { kind: 'boolean' };
    case 'string': {
      if (airbyteType === 'big_integer') return { kind: 'big_integer' };
      switch (schema.format) {
        case 'date':
          return { kind: 'date' };
        case 'date-time':
          return { kind: 'timestamp', withTimezone: airbyteType !== 'timestamp_without_timezone' };
        case 'time':
          return { kind: 'time', withTimezone: airbyteType === 'time_with_timezone' };
        default:
          return { kind: 'string' };
      }
    }
    case 'object': {
      const add = schema.additionalProperties;
      if (!isSchema(schema.properties) && isSchema(add)) return { kind: 'object', values: fieldKind(add) };
      return { kind: 'object' };
    }
    case 'array':
      return isSchema(schema.items) ? { kind: 'array', items: fieldKind(schema.items) } : { kind: 'array' };
    default:
      return { kind: 'unknown' };
  }
}

const PRIMITIVE_CQL: Partial<Record<FieldKind['kind'], string>> = {
  integer: 'bigint',
  big_integer: 'varint',
  number: 'double',
  boolean: 'boolean',
  string: 'text',
  date: 'date',
  timestamp: 'timestamp',
  time: 'time',
};

/**
 * The CQL type of a field: integer → bigint, big_integer → varint, number → double, boolean,
 * string → text, date/date-time/time → date/timestamp/time; objects, arrays, unions and anything
 * unknown → text holding JSON, or with `nativeCollections` list<primitive> / map<text, primitive>.
 */
export function cqlTypeFor(kind: FieldKind, nativeCollections = false): string {
  const primitive = PRIMITIVE_CQL[kind.kind];
  if (primitive) return primitive;
  if (nativeCollections) {
    if (kind.kind === 'array' && kind.items) {
      const item = PRIMITIVE_CQL[kind.items.kind];
      if (item) return `list<${item}>`;
    }
    if (kind.kind === 'object' && kind.values) {
      const value = PRIMITIVE_CQL[kind.values.kind];
      if (value) return `map<text, ${value}>`;
    }
  }
  return 'text';
}

// ---------------------------------------------------------------------------------------------
// Value conversion to a column's actual CQL type (which may differ from the type we would pick,
// for a table created earlier): a value that does not fit becomes null and a change is recorded.
// ---------------------------------------------------------------------------------------------

export type ChangeReason = 'DESTINATION_SERIALIZATION_ERROR' | 'DESTINATION_FIELD_SIZE_LIMITATION';

/** Thrown by converters; carries the reason recorded in `_airbyte_meta.changes`. */
export class Unfit {
  constructor(readonly reason: ChangeReason) {}
}
const SERIALIZATION = new Unfit('DESTINATION_SERIALIZATION_ERROR');
const SIZE = new Unfit('DESTINATION_FIELD_SIZE_LIMITATION');

/** Largest text/blob value written into one cell (bytes); Cassandra's mutation limit is 16 MiB by default. */
export const MAX_CELL_BYTES = 8 * 1024 * 1024;

export type Converter = (value: unknown) => unknown;

const LONG_MIN = -(2n ** 63n);
const LONG_MAX = 2n ** 63n - 1n;

function integerString(value: unknown): string {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw SERIALIZATION;
    if (!Number.isInteger(value)) throw SERIALIZATION;
    return BigInt(value).toString();
  }
  if (typeof value === 'string' && /^[+-]?\d+$/.test(value.trim())) return BigInt(value.trim()).toString();
  if (typeof value === 'bigint') return value.toString();
  throw SERIALIZATION;
}

function boundedInteger(bits: number): Converter {
  const min = -(2n ** BigInt(bits - 1));
  const max = 2n ** BigInt(bits - 1) - 1n;
  return (value) => {
    const n = BigInt(integerString(value));
    if (n < min || n > max) throw SIZE;
    return Number(n);
  };
}

const toBigint: Converter = (value) => {
  if (typeof value === 'number' && Number.isSafeInteger(value)) return value;
  const n = BigInt(integerString(value));
  if (n < LONG_MIN || n > LONG_MAX) throw SIZE;
  return Long.fromString(n.toString());
};

const toVarint: Converter = (value) => Integer.fromString(integerString(value));

function toNumber(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'string' && value.trim() !== '') {
    const n = Number(value);
    if (!Number.isNaN(n) || value.trim() === 'NaN') return n;
  }
  throw SERIALIZATION;
}

const toDouble: Converter = (value) => toNumber(value);

const FLOAT_MAX = 3.4028234663852886e38;
const toFloat: Converter = (value) => {
  const n = toNumber(value);
  if (Number.isFinite(n) && Math.abs(n) > FLOAT_MAX) throw SIZE;
  return n;
};

const toDecimal: Converter = (value) => {
  if (typeof value === 'bigint') return BigDecimal.fromString(value.toString());
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw SERIALIZATION;
    return BigDecimal.fromNumber(value);
  }
  if (typeof value === 'string' && /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(value.trim())) {
    return BigDecimal.fromString(expandExponent(value.trim()));
  }
  throw SERIALIZATION;
};

/** BigDecimal.fromString does not read exponents: 1.5e3 → 1500. */
function expandExponent(s: string): string {
  const m = /^([+-]?)(\d*)\.?(\d*)[eE]([+-]?\d+)$/.exec(s);
  if (!m) return s;
  const [, sign, int, frac, expText] = m;
  const digits = `${int}${frac}`.replace(/^0+(?=\d)/, '') || '0';
  const point = (int ?? '').length + Number(expText);
  if (point <= 0) return `${sign}0.${'0'.repeat(-point)}${digits}`;
  if (point >= digits.length) return `${sign}${digits}${'0'.repeat(point - digits.length)}`;
  return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
}

const toBoolean: Converter = (value) => {
  if (typeof value === 'boolean') return value;
  if (value === 'true' || value === 'false') return value === 'true';
  throw SERIALIZATION;
};

function jsonText(value: unknown): string {
  const s = typeof value === 'string' ? value : stringifyExact(value);
  // Strings are UTF-16; 3 bytes per unit bounds UTF-8 size, so only long strings are measured.
  if (s.length * 3 > MAX_CELL_BYTES && Buffer.byteLength(s, 'utf8') > MAX_CELL_BYTES) throw SIZE;
  return s;
}

const toText: Converter = (value) => jsonText(value);

const toAscii: Converter = (value) => {
  const s = jsonText(value);
  if (!/^[\x00-\x7f]*$/.test(s)) throw SERIALIZATION;
  return s;
};

const ISO_NO_ZONE = /^(-?\d{4,})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?)?$/;

/** Epoch ms of a date-time string: ISO 8601 with or without zone (no zone = UTC), or a few common forms. */
export function parseTimestampMs(value: unknown): number {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value !== 'string') throw SERIALIZATION;
  const s = value.trim();
  const plain = ISO_NO_ZONE.exec(s);
  let ms: number;
  if (plain) {
    const [, y, mo, d, h, mi, sec, frac] = plain;
    ms = utcMs(Number(y), Number(mo), Number(d), Number(h ?? 0), Number(mi ?? 0), Number(sec ?? 0), frac);
  } else {
    // A zone given as +HH:MM, +HHMM, +HH or Z; also "2020-01-01 10:00:00 UTC" and RFC 2822.
    const withZone =
      /^(-?\d{4,})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?\s*(Z|UTC|[+-]\d{2}(?::?\d{2})?)$/i.exec(
        s,
      );
    if (withZone) {
      const [, y, mo, d, h, mi, sec, frac, zone] = withZone;
      ms =
        utcMs(Number(y), Number(mo), Number(d), Number(h), Number(mi), Number(sec ?? 0), frac) -
        zoneOffsetMinutes(zone!) * 60_000;
    } else {
      ms = Date.parse(s);
    }
  }
  if (!Number.isFinite(ms)) throw SERIALIZATION;
  return ms;
}

function utcMs(y: number, mo: number, d: number, h: number, mi: number, s: number, frac?: string): number {
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 24 || mi > 59 || s > 60) return Number.NaN;
  const ms = frac ? Number(frac.slice(0, 3).padEnd(3, '0')) : 0;
  if (y >= 100 && d <= 28) return Date.UTC(y, mo - 1, d, h, mi, s, ms); // fast path: always a valid day
  const date = new Date(0);
  date.setUTCFullYear(y, mo - 1, d);
  date.setUTCHours(h, mi, s, ms);
  if (date.getUTCDate() !== d && h !== 24) return Number.NaN;
  return date.getTime();
}

function zoneOffsetMinutes(zone: string): number {
  if (/^(Z|UTC)$/i.test(zone)) return 0;
  const m = /^([+-])(\d{2}):?(\d{2})?$/.exec(zone)!;
  const minutes = Number(m[2]) * 60 + Number(m[3] ?? 0);
  return m[1] === '-' ? -minutes : minutes;
}

const TIMESTAMP_LIMIT_MS = 8.64e15;
/** Epoch ms (the driver encodes numbers for timestamp columns). */
const toTimestamp: Converter = (value) => {
  const ms = Math.trunc(parseTimestampMs(value));
  if (Math.abs(ms) > TIMESTAMP_LIMIT_MS) throw SIZE;
  return ms;
};

const toDate: Converter = (value) => {
  if (typeof value !== 'string') throw SERIALIZATION;
  const m = /^(-?\d{4,})-(\d{2})-(\d{2})/.exec(value.trim());
  if (!m) {
    const ms = parseTimestampMs(value);
    const d = new Date(ms);
    return new LocalDate(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate());
  }
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  if (Number.isNaN(utcMs(y, mo, d, 0, 0, 0))) throw SERIALIZATION;
  return new LocalDate(y, mo, d);
};

const NANOS_PER_DAY = 86_400n * 1_000_000_000n;

const toTime: Converter = (value) => {
  if (typeof value !== 'string') throw SERIALIZATION;
  const m = /^(\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i.exec(
    value.trim(),
  );
  if (!m) throw SERIALIZATION;
  const [, h, mi, s, frac, zone] = m;
  if (Number(h) > 23 || Number(mi) > 59 || Number(s ?? 0) > 59) throw SERIALIZATION;
  let nanos =
    ((BigInt(h!) * 60n + BigInt(mi!)) * 60n + BigInt(s ?? 0)) * 1_000_000_000n +
    BigInt((frac ?? '').padEnd(9, '0') || '0');
  // A time with an offset is stored as the UTC time of day.
  if (zone) nanos -= BigInt(zoneOffsetMinutes(zone)) * 60n * 1_000_000_000n;
  nanos = ((nanos % NANOS_PER_DAY) + NANOS_PER_DAY) % NANOS_PER_DAY;
  return new LocalTime(Long.fromString(nanos.toString()));
};

const toUuid: Converter = (value) => {
  if (
    typeof value !== 'string' ||
    !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value)
  ) {
    throw SERIALIZATION;
  }
  return Uuid.fromString(value);
};

const toBlob: Converter = (value) => {
  if (typeof value !== 'string') throw SERIALIZATION;
  const buf = Buffer.from(value, 'base64');
  if (buf.length > MAX_CELL_BYTES) throw SIZE;
  return buf;
};

const toInet: Converter = (value) => {
  if (typeof value !== 'string') throw SERIALIZATION;
  try {
    return InetAddress.fromString(value);
  } catch {
    throw SERIALIZATION;
  }
};

const SCALAR: Record<string, Converter> = {
  text: toText,
  varchar: toText,
  ascii: toAscii,
  bigint: toBigint,
  counter: toBigint,
  int: boundedInteger(32),
  smallint: boundedInteger(16),
  tinyint: boundedInteger(8),
  varint: toVarint,
  double: toDouble,
  float: toFloat,
  decimal: toDecimal,
  boolean: toBoolean,
  timestamp: toTimestamp,
  date: toDate,
  time: toTime,
  uuid: toUuid,
  timeuuid: toUuid,
  blob: toBlob,
  inet: toInet,
};

/** Splits `map<text, list<int>>` at its top-level comma. */
function splitTypeArgs(inner: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < inner.length; i++) {
    const c = inner[i];
    if (c === '<') depth++;
    else if (c === '>') depth--;
    else if (c === ',' && depth === 0) {
      out.push(inner.slice(start, i).trim());
      start = i + 1;
    }
  }
  out.push(inner.slice(start).trim());
  return out;
}

const rejectAll: Converter = () => {
  throw SERIALIZATION;
};

/** A converter to the CQL type as `system_schema.columns.type` spells it. */
export function converterFor(cqlType: string): Converter {
  let t = cqlType.trim().toLowerCase();
  const frozen = /^frozen<(.*)>$/.exec(t);
  if (frozen) t = frozen[1]!;
  const scalar = SCALAR[t];
  if (scalar) return scalar;
  const coll = /^(list|set|map)<(.*)>$/.exec(t);
  if (coll) {
    const args = splitTypeArgs(coll[2]!);
    if (coll[1] === 'map' && args.length === 2) {
      const key = converterFor(args[0]!);
      const val = converterFor(args[1]!);
      return (value) => {
        if (typeof value !== 'object' || value === null || Array.isArray(value)) throw SERIALIZATION;
        const out: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(value)) {
          if (v === null || v === undefined) throw SERIALIZATION;
          out[String(key(k))] = val(v);
        }
        return out;
      };
    }
    if (args.length === 1) {
      const item = converterFor(args[0]!);
      return (value) => {
        if (!Array.isArray(value)) throw SERIALIZATION;
        return value.map((v) => {
          if (v === null || v === undefined) throw SERIALIZATION;
          return item(v);
        });
      };
    }
  }
  return rejectAll;
}

/** The change reason for what a converter threw. */
export function reasonOf(err: unknown): ChangeReason {
  return err instanceof Unfit ? err.reason : 'DESTINATION_SERIALIZATION_ERROR';
}

/** Runs a converter: the CQL value, or the reason it does not fit. */
export function convert(conv: Converter, value: unknown): { value: unknown } | { reason: ChangeReason } {
  try {
    return { value: conv(value) };
  } catch (err) {
    return { reason: reasonOf(err) };
  }
}
