import { randomBytes } from 'node:crypto';
import cassandra from 'cassandra-driver';

/** 100-ns intervals between 1582-10-15 (the UUID epoch) and 1970-01-01. */
const UUID_EPOCH_OFFSET = 0x01b21dd213814000n;

/**
 * A version-1 UUID whose timestamp is `micros` (µs since the Unix epoch) and whose other bytes are
 * random, as Scylla writes `cdc$time`: the timestamp equals the base write's, the rest only keeps
 * equal-timestamp writes apart.
 */
export function timeuuidAtMicros(micros: bigint, random: Buffer = randomBytes(8)): cassandra.types.TimeUuid {
  const ticks = micros * 10n + UUID_EPOCH_OFFSET;
  const buf = Buffer.alloc(16);
  buf.writeUInt32BE(Number(ticks & 0xffffffffn), 0);
  buf.writeUInt16BE(Number((ticks >> 32n) & 0xffffn), 4);
  buf.writeUInt16BE(Number((ticks >> 48n) & 0x0fffn) | 0x1000, 6);
  random.copy(buf, 8, 0, 8);
  buf[8] = (buf[8]! & 0x3f) | 0x80; // RFC 4122 variant
  return new cassandra.types.TimeUuid(buf);
}

/** µs since the Unix epoch of a version-1 UUID. */
export function timeuuidMicros(uuid: cassandra.types.Uuid | Buffer): bigint {
  const b = Buffer.isBuffer(uuid) ? uuid : uuid.getBuffer();
  const ticks =
    (BigInt(b.readUInt16BE(6) & 0x0fff) << 48n) |
    (BigInt(b.readUInt16BE(4)) << 32n) |
    BigInt(b.readUInt32BE(0));
  return (ticks - UUID_EPOCH_OFFSET) / 10n;
}

/** A clock in µs that never repeats a value: successive calls are strictly increasing. */
export class MicrosClock {
  private last = 0n;
  next(): bigint {
    const now = BigInt(Date.now()) * 1000n;
    this.last = now > this.last ? now : this.last + 1n;
    return this.last;
  }
  /** Makes the clock continue after `micros` (used when a caller picked timestamps itself). */
  observe(micros: bigint): void {
    if (micros > this.last) this.last = micros;
  }
}
