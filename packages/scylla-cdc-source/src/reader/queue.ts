/**
 * A bounded FIFO between the window readers (many producers) and the output (one consumer).
 * Producers push and, once `full`, await `space()`; the consumer takes batches.
 */
export class BoundedQueue<T> {
  private items: T[] = [];
  private head = 0;
  private spaceWaiters: Array<() => void> = [];
  private itemWaiter: (() => void) | undefined;

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

  /** Takes up to `max` items in order. */
  take(max: number): T[] {
    const n = Math.min(max, this.size);
    const out = this.items.slice(this.head, this.head + n);
    this.head += n;
    if (this.head > 4096 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    if (n > 0) this.wakeProducers();
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
    const waiters = this.spaceWaiters;
    this.spaceWaiters = [];
    for (const w of waiters) w();
  }
}
