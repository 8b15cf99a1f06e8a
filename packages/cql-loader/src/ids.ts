import { randomFillSync } from 'node:crypto';
import cassandra from 'cassandra-driver';

const POOL_IDS = 4096;
let pool = Buffer.allocUnsafe(0);
let offset = 0;

/**
 * A random (version 4) UUID as the driver's own type, cut from a pool of random bytes: no string
 * formatting and no re-parsing by the driver on the hot path.
 */
export function randomRowId(): cassandra.types.Uuid {
  if (offset >= pool.length) {
    pool = Buffer.allocUnsafe(16 * POOL_IDS);
    randomFillSync(pool);
    offset = 0;
  }
  const bytes = pool.subarray(offset, offset + 16);
  offset += 16;
  bytes[6] = (bytes[6]! & 0x0f) | 0x40;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  return new cassandra.types.Uuid(bytes);
}
