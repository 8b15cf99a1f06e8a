/**
 * A counting semaphore for bounding concurrent async work (for example requests in flight).
 * `acquire` resolves immediately while permits remain; otherwise waiters are served in order.
 */
export class Semaphore {
  private available: number;
  private readonly waiters: Array<() => void> = [];

  constructor(readonly permits: number) {
    if (!(permits >= 1)) throw new RangeError('a semaphore needs at least one permit');
    this.available = permits;
  }

  tryAcquire(): boolean {
    if (this.available > 0) {
      this.available--;
      return true;
    }
    return false;
  }

  acquire(): Promise<void> {
    if (this.tryAcquire()) return Promise.resolve();
    return new Promise<void>((resolve) => this.waiters.push(resolve));
  }

  release(): void {
    const next = this.waiters.shift();
    if (next) next();
    else this.available++;
  }

  get inUse(): number {
    return this.permits - this.available;
  }

  /** Runs `fn` holding one permit. */
  async run<T>(fn: () => Promise<T>): Promise<T> {
    await this.acquire();
    try {
      return await fn();
    } finally {
      this.release();
    }
  }
}
