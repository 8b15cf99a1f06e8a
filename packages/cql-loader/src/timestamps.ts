import { cursorOrdinal } from '@tributary/airbyte-protocol';
import cassandra from 'cassandra-driver';

const Long = cassandra.types.Long;

/** Every derived write timestamp stays inside ±2^62 µs, far from the values Cassandra reserves. */
const LIMIT = 2n ** 62n;
/** Records with a null or unorderable cursor sort below every record with a cursor. */
const NULL_CURSOR_BASE = -LIMIT;
/** Sub-slots per cursor millisecond: the tie-break by arrival among equal cursors of one key. */
export const TIE_SLOTS = 1000;
/** Distinct (key, cursor) pairs remembered for the tie-break before the memory starts over. */
const TIE_WINDOW = 100_000;

/** Order-preserving map from a cursor ordinal (ms for dates, the number itself otherwise) to µs. */
export function ordinalMicros(ordinal: number): bigint {
  const whole = Math.floor(ordinal);
  const frac = Math.floor((ordinal - whole) * TIE_SLOTS);
  let us: bigint;
  if (Math.abs(whole) < 2 ** 53) us = BigInt(whole) * BigInt(TIE_SLOTS) + BigInt(frac);
  else us = whole > 0 ? LIMIT : -LIMIT;
  if (us > LIMIT - BigInt(TIE_SLOTS)) return LIMIT - BigInt(TIE_SLOTS);
  if (us < -LIMIT + BigInt(TIE_SLOTS)) return -LIMIT + BigInt(TIE_SLOTS);
  return us;
}

/**
 * Write timestamps for upserts and deletes of a dedup stream, so that "the later cursor wins" is
 * decided by Cassandra itself whatever order records arrive in (and across syncs):
 * - with a cursor: its ordinal × 1000 µs (dates: epoch ms × 1000, numbers: n × 1000);
 * - a null or unorderable cursor: below every non-null cursor;
 * - no cursor field: the record's emitted_at (ms × 1000), i.e. arrival order;
 * - the same key seen again with the same cursor in this sync gets the next of 1000 sub-slots,
 *   so the later arrival wins (remembered for the last 100k distinct key/cursor pairs).
 */
export class WriteTimestamps {
  private ties = new Map<string, number>();

  /** µs timestamp as a driver Long. `cursor` is undefined when the stream has no cursor field. */
  next(key: string, cursor: unknown, hasCursorField: boolean, emittedAt: number): cassandra.types.Long {
    let base: bigint;
    if (hasCursorField) {
      const ordinal = cursor === undefined || cursor === null ? null : cursorOrdinal(cursor);
      base = ordinal === null ? NULL_CURSOR_BASE : ordinalMicros(ordinal);
    } else {
      base = ordinalMicros(emittedAt);
    }
    const tieKey = `${base}|${key}`;
    const seen = this.ties.get(tieKey);
    const tie = seen === undefined ? 0 : Math.min(seen + 1, TIE_SLOTS - 1);
    if (this.ties.size >= TIE_WINDOW) this.ties = new Map();
    this.ties.set(tieKey, tie);
    return Long.fromString((base + BigInt(tie)).toString());
  }
}
