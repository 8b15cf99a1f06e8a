import { mapBounded, Semaphore } from '../src/index.js';

describe('Semaphore and mapBounded', () => {
  test('never more than the permits in flight; waiters served in order', async () => {
    const sem = new Semaphore(2);
    let inFlight = 0;
    let max = 0;
    const order: number[] = [];
    await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        sem.run(async () => {
          inFlight++;
          max = Math.max(max, inFlight);
          order.push(i);
          await new Promise((r) => setTimeout(r, 2));
          inFlight--;
        }),
      ),
    );
    expect(max).toBe(2);
    expect(order).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(sem.inUse).toBe(0);
  });

  test('a failing task releases its permit', async () => {
    const sem = new Semaphore(1);
    await expect(sem.run(async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(sem.tryAcquire()).toBe(true);
    expect(() => new Semaphore(0)).toThrow(RangeError);
  });

  test('mapBounded keeps input order and bounds concurrency', async () => {
    let inFlight = 0;
    let max = 0;
    const out = await mapBounded([5, 1, 4, 2, 3], 2, async (x) => {
      inFlight++;
      max = Math.max(max, inFlight);
      await new Promise((r) => setTimeout(r, x));
      inFlight--;
      return x * 10;
    });
    expect(out).toEqual([50, 10, 40, 20, 30]);
    expect(max).toBe(2);
  });
});
