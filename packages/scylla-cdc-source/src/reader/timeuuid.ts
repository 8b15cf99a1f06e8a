import cassandra from 'cassandra-driver';

/**
 * Version-1 UUID helpers for `cdc$time`. Scylla sets the UUID's timestamp to the base write's
 * timestamp (µs); the remaining bytes only keep equal-timestamp writes apart. Times are handled
 * as µs since the Unix epoch in plain numbers (exact up to year 2255).
 */

// 0x01b21dd213814000 (100-ns ticks from 1582-10-15 to 1970-01-01), split in 32-bit halves.
const OFFSET_HI = 0x01b21dd2;
const OFFSET_LO = 0x13814000;
const TWO_32 = 0x1_0000_0000;
// 2^32 = 429496729 * 10 + 6
const Q = 429496729;

/** µs since the Unix epoch of the timeuuid in `b` (16 bytes). */
export function timeuuidMicros(b: Buffer): number {
  let hi = ((b[6]! & 0x0f) << 24) | (b[7]! << 16) | (b[4]! << 8) | b[5]!;
  let lo = b.readUInt32BE(0) - OFFSET_LO;
  hi -= OFFSET_HI;
  if (lo < 0) {
    lo += TWO_32;
    hi -= 1;
  }
  // ticks = hi * 2^32 + lo;  µs = floor(ticks / 10) without losing precision
  return hi * Q + Math.floor((hi * 6 + lo) / 10);
}

/** The 100-ns ticks below the µs (0-9): non-zero only for UUIDs Scylla did not derive from a µs timestamp. */
function subMicroTicks(b: Buffer): number {
  let hi = ((b[6]! & 0x0f) << 24) | (b[7]! << 16) | (b[4]! << 8) | b[5]!;
  let lo = b.readUInt32BE(0) - OFFSET_LO;
  hi -= OFFSET_HI;
  if (lo < 0) {
    lo += TWO_32;
    hi -= 1;
  }
  return (hi * 6 + lo) % 10;
}

function fromTicksOfMicros(micros: number, extraTicks: number, lsb: number): Buffer {
  // ticks = micros * 10 + extra + offset, computed as (hi, lo) 32-bit halves
  const microsHi = Math.floor(micros / TWO_32);
  const microsLo = micros - microsHi * TWO_32;
  let lo = microsLo * 10 + extraTicks + OFFSET_LO;
  let hi = microsHi * 10 + OFFSET_HI;
  const carry = Math.floor(lo / TWO_32);
  lo -= carry * TWO_32;
  hi += carry;
  const b = Buffer.alloc(16, lsb);
  b.writeUInt32BE(lo, 0);
  b.writeUInt16BE(hi & 0xffff, 4);
  b.writeUInt16BE(((hi >>> 16) & 0x0fff) | 0x1000, 6);
  return b;
}

/** The smallest timeuuid Cassandra orders at `micros` (LSB bytes 0x80, the smallest signed bytes). */
export function minTimeuuidAt(micros: number): cassandra.types.TimeUuid {
  return new cassandra.types.TimeUuid(fromTicksOfMicros(micros, 0, 0x80));
}

/** The largest timeuuid Cassandra orders within µs `micros` (ticks +9, LSB bytes 0x7f). */
export function maxTimeuuidAt(micros: number): cassandra.types.TimeUuid {
  return new cassandra.types.TimeUuid(fromTicksOfMicros(micros, 9, 0x7f));
}

/**
 * Cassandra's TimeUUIDType order: by timestamp, then the remaining 8 bytes compared as signed
 * bytes. Negative, zero or positive like a comparator.
 */
export function compareTimeuuid(a: Buffer, b: Buffer): number {
  const ma = timeuuidMicros(a);
  const mb = timeuuidMicros(b);
  if (ma !== mb) return ma - mb;
  const sa = subMicroTicks(a);
  const sb = subMicroTicks(b);
  if (sa !== sb) return sa - sb;
  for (let i = 8; i < 16; i++) {
    const x = (a[i]! << 24) >> 24;
    const y = (b[i]! << 24) >> 24;
    if (x !== y) return x - y;
  }
  return 0;
}

export function timeuuidFromString(text: string): cassandra.types.TimeUuid {
  return cassandra.types.TimeUuid.fromString(text);
}
