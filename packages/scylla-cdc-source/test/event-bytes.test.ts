import { EventBytes } from '../src/source/event-bytes.js';

/** Takes `lengths` back as text. */
function takeAll(q: EventBytes, lengths: number[]): string[] {
  return lengths.map((n) => {
    const slab = q.take(n);
    return slab.toString('utf8', q.offset, q.offset + n);
  });
}

describe('EventBytes', () => {
  test('gives the events back in order, as UTF-8, across slabs', () => {
    const q = new EventBytes(64);
    const texts = Array.from({ length: 200 }, (_, i) => `{"i":${i},"s":"${'é€🙂x'.repeat(i % 9)}"}`);
    const lengths = texts.map((t) => q.push(t));
    expect(lengths).toEqual(texts.map((t) => Buffer.byteLength(t)));
    expect(q.size).toBe(lengths.reduce((a, b) => a + b, 0));
    expect(takeAll(q, lengths)).toEqual(texts);
    expect(q.size).toBe(0);
  });

  test('interleaved pushes and takes, events larger than a slab', () => {
    const q = new EventBytes(32);
    const pending: Array<[string, number]> = [];
    const out: string[] = [];
    const expected: string[] = [];
    for (let i = 0; i < 500; i++) {
      const t = i % 50 === 7 ? `"${'ü'.repeat(100)}"` : `{"n":${i}}`;
      expected.push(t);
      pending.push([t, q.push(t)]);
      if (i % 3 === 0) {
        while (pending.length > 1) out.push(...takeAll(q, [pending.shift()![1]]));
      }
    }
    out.push(
      ...takeAll(
        q,
        pending.map(([, n]) => n),
      ),
    );
    expect(out).toEqual(expected);
    expect(q.size).toBe(0);
  });

  test('taking more than was pushed fails; clear forgets everything', () => {
    const q = new EventBytes(64);
    const n = q.push('{"a":1}');
    expect(() => q.take(n + 1)).toThrow(RangeError);
    q.clear();
    expect(q.size).toBe(0);
    expect(() => q.take(1)).toThrow(RangeError);
    const m = q.push('"again"');
    expect(takeAll(q, [m])).toEqual(['"again"']);
  });
});
