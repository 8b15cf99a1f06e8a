import fc from 'fast-check';
import { ordinalMicros, WriteTimestamps } from '../src/timestamps.js';

const ts = (w: WriteTimestamps, key: string, cursor: unknown, emittedAt = 0, hasCursor = true) =>
  BigInt(w.next(key, cursor, hasCursor, emittedAt).toString());

describe('write timestamps for dedup', () => {
  it('dates become epoch ms x 1000 µs', () => {
    expect(ts(new WriteTimestamps(), 'k', '2000-01-01T00:00:00Z')).toBe(BigInt(Date.UTC(2000, 0, 1)) * 1000n);
  });

  it('a later cursor always gets a larger timestamp, whatever the arrival order', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1e12, max: 4e12 }), fc.integer({ min: 1, max: 1e9 }), (a, d) => {
        const w = new WriteTimestamps();
        return ts(w, 'k', a + d) > ts(w, 'k', a);
      }),
    );
  });

  it('a null cursor is older than any cursor', () => {
    const w = new WriteTimestamps();
    expect(ts(w, 'k', null)).toBeLessThan(ts(w, 'k', -1e12));
  });

  it('the same key and cursor again: the later arrival wins', () => {
    const w = new WriteTimestamps();
    const first = ts(w, 'k', 5);
    const second = ts(w, 'k', 5);
    expect(second).toBe(first + 1n);
    // Another key with the same cursor does not take a tie slot.
    expect(ts(w, 'other', 5)).toBe(first);
  });

  it('no cursor field: emitted_at order', () => {
    const w = new WriteTimestamps();
    expect(ts(w, 'k', undefined, 2000, false)).toBeGreaterThan(ts(w, 'k', undefined, 1000, false));
  });

  it('stays inside ±2^62 µs for any number', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true }), (x) => {
        const us = ordinalMicros(x);
        return us <= 2n ** 62n && us >= -(2n ** 62n);
      }),
    );
  });
});
