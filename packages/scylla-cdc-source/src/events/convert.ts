import cassandra from 'cassandra-driver';
import type { CqlType } from '../reader/cql-type.js';

/** A JSON value. */
export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** Converts one decoded CQL value (never null) to its JSON form. */
export type Converter = (value: unknown) => Json;

/**
 * The connector's CQL → Kafka Connect mapping, as JSON values:
 * text/ascii/varchar → string; tinyint/smallint/int/bigint/counter → integer; float/double →
 * number (float printed at float32 precision); boolean; blob → base64; date → days since
 * the epoch; time → ns since midnight; timestamp → epoch ms; uuid/timeuuid → lowercase text;
 * inet → Java's `getHostAddress()` text; decimal → Java `BigDecimal.toString()`; varint →
 * decimal text; duration → `[-]NyNmoNdNhNmNsNmsNusNns`; list/set → array; map → array of
 * `{key, value}`; tuple → `{field_0, …}`; UDT → struct (null when every field is null);
 * vector → array.
 */
export function converterFor(type: CqlType): Converter {
  switch (type.kind) {
    case 'native':
      return nativeConverter(type.name);
    case 'list':
    case 'set': {
      const elem = converterFor(type.elem);
      return (v) => {
        const out: Json[] = [];
        for (const e of v as Iterable<unknown>) out.push(e === null || e === undefined ? null : elem(e));
        return out;
      };
    }
    case 'vector': {
      const elem = converterFor(type.elem);
      return (v) => {
        const out: Json[] = [];
        for (const e of v as Iterable<unknown>) out.push(e === null || e === undefined ? null : elem(e));
        return out;
      };
    }
    case 'map': {
      const key = converterFor(type.key);
      const value = converterFor(type.value);
      return (v) => {
        const out: Json[] = [];
        for (const [k, e] of entriesOf(v)) {
          out.push({
            key: k === null || k === undefined ? null : key(k),
            value: e === null || e === undefined ? null : value(e),
          });
        }
        return out;
      };
    }
    case 'tuple': {
      const elems = type.elems.map(converterFor);
      return (v) => {
        const values = (v as cassandra.types.Tuple).elements ?? (v as unknown[]);
        const out: { [k: string]: Json } = {};
        elems.forEach((conv, i) => {
          const e = values[i];
          out[`field_${i}`] = e === null || e === undefined ? null : conv(e);
        });
        return out;
      };
    }
    case 'udt': {
      const fields = (type.fields ?? []).map((f) => ({ name: f.name, conv: converterFor(f.type) }));
      return (v) => {
        const obj = v as Record<string, unknown>;
        const out: { [k: string]: Json } = {};
        let any = false;
        for (const f of fields) {
          const e = obj[f.name];
          if (e === null || e === undefined) out[f.name] = null;
          else {
            out[f.name] = f.conv(e);
            any = true;
          }
        }
        return any ? out : null;
      };
    }
    case 'custom':
      return (v) => (Buffer.isBuffer(v) ? v.toString('base64') : String(v));
  }
}

function entriesOf(v: unknown): Iterable<[unknown, unknown]> {
  if (v instanceof Map) return v.entries();
  return Object.entries(v as Record<string, unknown>);
}

function nativeConverter(name: string): Converter {
  switch (name) {
    case 'ascii':
    case 'text':
    case 'varchar':
    case 'int':
    case 'smallint':
    case 'tinyint':
    case 'boolean':
    case 'double':
      return (v) => v as Json;
    case 'bigint':
    case 'counter':
      return (v) => int64(v);
    case 'float':
      return (v) => float32(v as number);
    case 'blob':
      return (v) => (v as Buffer).toString('base64');
    case 'date':
      return (v) => daysSinceEpoch(v as cassandra.types.LocalDate);
    case 'time':
      return (v) => int64((v as cassandra.types.LocalTime).getTotalNanoseconds());
    case 'timestamp':
      return (v) => (v as Date).getTime();
    case 'uuid':
    case 'timeuuid':
      return (v) => (v as cassandra.types.Uuid).toString();
    case 'inet':
      return (v) => inetText((v as unknown as { buffer: Buffer }).buffer);
    case 'decimal':
      return (v) => decimalText(v as cassandra.types.BigDecimal);
    case 'varint':
      return (v) => String(v);
    case 'duration':
      return (v) => durationText(v as cassandra.types.Duration);
    default:
      return (v) => String(v);
  }
}

/** A 64-bit integer as a JSON number; beyond ±2^53 as a decimal string (a number would lose digits). */
export function int64(v: unknown): Json {
  if (typeof v === 'number') return v;
  const big = typeof v === 'bigint' ? v : BigInt(String(v));
  if (big >= BigInt(Number.MIN_SAFE_INTEGER) && big <= BigInt(Number.MAX_SAFE_INTEGER)) return Number(big);
  return big.toString();
}

/** The shortest decimal that reads back as the same float32 (what Java's Float.toString prints). */
export function float32(v: number): number {
  if (!Number.isFinite(v) || v === 0) return v;
  for (let p = 1; p <= 9; p++) {
    const candidate = Number(v.toPrecision(p));
    if (Math.fround(candidate) === v) return candidate;
  }
  return v;
}

const MS_PER_DAY = 86_400_000;

export function daysSinceEpoch(d: cassandra.types.LocalDate): number {
  const raw = d as unknown as { date: Date; _value: number | null };
  if (raw._value !== null && raw._value !== undefined) return raw._value;
  return Math.floor(raw.date.getTime() / MS_PER_DAY);
}

/** Java `InetAddress.getHostAddress()`: dotted IPv4; IPv6 as 8 hex groups, no zero compression. */
export function inetText(buf: Buffer): string {
  if (buf.length === 4) return `${buf[0]}.${buf[1]}.${buf[2]}.${buf[3]}`;
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(buf.readUInt16BE(i).toString(16));
  return groups.join(':');
}

/** Java `BigDecimal.toString()` for the decimal's unscaled value and scale. */
export function decimalText(d: cassandra.types.BigDecimal): string {
  const buf = cassandra.types.BigDecimal.toBuffer(d);
  const scale = buf.readInt32BE(0);
  const unscaled = twosComplement(buf.subarray(4));
  return javaDecimalString(unscaled, scale);
}

function twosComplement(bytes: Buffer): bigint {
  if (bytes.length === 0) return 0n;
  let v = BigInt(`0x${bytes.toString('hex')}`);
  if (bytes[0]! & 0x80) v -= 1n << BigInt(bytes.length * 8);
  return v;
}

export function javaDecimalString(unscaled: bigint, scale: number): string {
  const negative = unscaled < 0n;
  const coeff = (negative ? -unscaled : unscaled).toString();
  const adjusted = -scale + (coeff.length - 1);
  let out: string;
  if (scale >= 0 && adjusted >= -6) {
    if (scale === 0) out = coeff;
    else if (coeff.length > scale)
      out = `${coeff.slice(0, coeff.length - scale)}.${coeff.slice(coeff.length - scale)}`;
    else out = `0.${'0'.repeat(scale - coeff.length)}${coeff}`;
  } else {
    out = coeff.length > 1 ? `${coeff[0]}.${coeff.slice(1)}` : coeff;
    out += `E${adjusted >= 0 ? '+' : ''}${adjusted}`;
  }
  return negative ? `-${out}` : out;
}

const NANOS_PER_MICRO = 1000n;
const NANOS_PER_MILLI = 1000n * NANOS_PER_MICRO;
const NANOS_PER_SECOND = 1000n * NANOS_PER_MILLI;
const NANOS_PER_MINUTE = 60n * NANOS_PER_SECOND;
const NANOS_PER_HOUR = 60n * NANOS_PER_MINUTE;

/** The Java driver's `Duration.toString()`: units in order y mo d h m s ms us ns, zero units left out. */
export function durationText(d: cassandra.types.Duration): string {
  const raw = d as unknown as { months: number; days: number; nanoseconds: { toString(): string } };
  const months = BigInt(raw.months);
  const days = BigInt(raw.days);
  const nanos = BigInt(raw.nanoseconds.toString());
  let out = months < 0n || days < 0n || nanos < 0n ? '-' : '';
  const abs = (x: bigint) => (x < 0n ? -x : x);
  const part = (value: bigint, unit: bigint, suffix: string): bigint => {
    if (value === 0n || value < unit) return value;
    out += `${value / unit}${suffix}`;
    return value % unit;
  };
  const rem = part(abs(months), 12n, 'y');
  part(rem, 1n, 'mo');
  part(abs(days), 1n, 'd');
  if (nanos !== 0n) {
    let r = part(abs(nanos), NANOS_PER_HOUR, 'h');
    r = part(r, NANOS_PER_MINUTE, 'm');
    r = part(r, NANOS_PER_SECOND, 's');
    r = part(r, NANOS_PER_MILLI, 'ms');
    r = part(r, NANOS_PER_MICRO, 'us');
    part(r, 1n, 'ns');
  }
  return out;
}

/** JSON Schema (Airbyte flavour) of a CQL type's JSON form; every value may be null. */
export function jsonSchemaFor(type: CqlType): Record<string, Json> {
  switch (type.kind) {
    case 'native':
      return nativeSchema(type.name);
    case 'list':
    case 'set':
    case 'vector':
      return { type: ['null', 'array'], items: jsonSchemaFor(type.elem) };
    case 'map':
      return {
        type: ['null', 'array'],
        items: {
          type: 'object',
          properties: { key: jsonSchemaFor(type.key), value: jsonSchemaFor(type.value) },
        },
      };
    case 'tuple': {
      const properties: Record<string, Json> = {};
      type.elems.forEach((e, i) => {
        properties[`field_${i}`] = jsonSchemaFor(e);
      });
      return { type: ['null', 'object'], properties };
    }
    case 'udt': {
      const properties: Record<string, Json> = {};
      for (const f of type.fields ?? []) properties[f.name] = jsonSchemaFor(f.type);
      return { type: ['null', 'object'], properties };
    }
    case 'custom':
      return { type: ['null', 'string'] };
  }
}

function nativeSchema(name: string): Record<string, Json> {
  switch (name) {
    case 'ascii':
    case 'text':
    case 'varchar':
      return { type: ['null', 'string'] };
    case 'tinyint':
    case 'smallint':
    case 'int':
      return { type: ['null', 'integer'] };
    case 'bigint':
    case 'counter':
      return { type: ['null', 'integer', 'string'], airbyte_type: 'integer' };
    case 'float':
    case 'double':
      return { type: ['null', 'number'] };
    case 'boolean':
      return { type: ['null', 'boolean'] };
    case 'blob':
      return { type: ['null', 'string'], contentEncoding: 'base64' };
    case 'date':
      return { type: ['null', 'integer'], description: 'days since 1970-01-01' };
    case 'time':
      return { type: ['null', 'integer'], description: 'nanoseconds since midnight' };
    case 'timestamp':
      return { type: ['null', 'integer'], description: 'milliseconds since the epoch' };
    case 'uuid':
    case 'timeuuid':
      return { type: ['null', 'string'], format: 'uuid' };
    case 'decimal':
    case 'varint':
      return { type: ['null', 'string'], airbyte_type: 'big_number' };
    default:
      return { type: ['null', 'string'] };
  }
}
