/**
 * A bounded FIFO between the window readers (many producers) and the output (one consumer).
 * Producers push and, once `full`, await `space()`; the consumer takes batches.
 */
export class BoundedQueue<T> {
  private items: T[] = [];
  private head = 0;
  private spaceWaiters: Array<() => void> = [];
  private itemWaiter: (() => void) | undefined;
  private reserved = 0;
  private released = false;
  private roomWaiters: Array<() => void> = [];

  constructor(readonly capacity: number) {
    if (!(capacity >= 1)) throw new RangeError('queue capacity must be >= 1');
  }

  get size(): number {
    return this.items.length - this.head;
  }

  get full(): boolean {
    return this.size >= this.capacity;
  }

  push(item: T): void {
    this.items.push(item);
    const w = this.itemWaiter;
    if (w) {
      this.itemWaiter = undefined;
      w();
    }
  }

  /** Resolves once the queue has room (at once if it has). */
  space(): Promise<void> {
    if (!this.full) return Promise.resolve();
    return new Promise((resolve) => this.spaceWaiters.push(resolve));
  }

  /**
   * Reserves room for up to `max` items that are on their way (a page being read), waiting until
   * at least `min` are free (counting earlier reservations); resolves with the number reserved
   * (0 once `releaseAll()` was called). Give it back with `release()` once they were pushed.
   */
  async reserve(min: number, max: number): Promise<number> {
    for (;;) {
      if (this.released) return 0;
      const n = this.tryReserve(min, max);
      if (n > 0) return n;
      await new Promise<void>((resolve) => this.roomWaiters.push(resolve));
    }
  }

  /** `reserve` without waiting: 0 when fewer than `min` are free. */
  tryReserve(min: number, max: number): number {
    if (this.released) return 0;
    const free = this.capacity - this.size - this.reserved;
    if (free >= min || (free > 0 && this.reserved === 0)) {
      const n = Math.min(max, free);
      this.reserved += n;
      return n;
    }
    return 0;
  }

  release(n: number): void {
    this.reserved -= n;
    this.wakeRoom();
  }

  private wakeRoom(): void {
    if (this.roomWaiters.length === 0) return;
    const waiters = this.roomWaiters;
    this.roomWaiters = [];
    for (const w of waiters) w();
  }

  /** Takes up to `max` items in order. */
  take(max: number): T[] {
    const n = Math.min(max, this.size);
    const out = this.items.slice(this.head, this.head + n);
    this.head += n;
    if (this.head > 4096 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    if (n > 0) {
      this.wakeProducers();
      this.wakeRoom();
    }
    return out;
  }

  /** Resolves when an item arrives, after `timeoutMs`, or on `wake()`. */
  waitForItems(timeoutMs: number): Promise<void> {
    if (this.size > 0) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.itemWaiter = undefined;
        resolve();
      }, timeoutMs);
      this.itemWaiter = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }

  /** Wakes a waiting consumer without an item (e.g. on completion or failure). */
  wake(): void {
    const w = this.itemWaiter;
    this.itemWaiter = undefined;
    w?.();
  }

  /** Releases every waiting producer (on stop). */
  wakeProducers(): void {
    if (this.spaceWaiters.length === 0) return;
    if (this.full) return;
    const waiters = this.spaceWaiters;
    this.spaceWaiters = [];
    for (const w of waiters) w();
  }

  releaseAll(): void {
    this.released = true;
    this.wakeRoom();
    const waiters = this.spaceWaiters;
    this.spaceWaiters = [];
    for (const w of waiters) w();
  }
}
