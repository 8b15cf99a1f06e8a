/**
 * Event texts waiting in the reader's queue, kept as UTF-8 bytes instead of strings.
 *
 * Each event is encoded the moment it is built (its string dies young, where garbage collection
 * is cheap) into large off-heap slabs, so the queue holds no strings for the collector to trace
 * and copy, and the output copies the bytes as they are instead of encoding them. The queue keeps
 * the events' order, so the consumer takes the bytes back in the order they were pushed, by
 * length: `push` returns the byte length the queue item carries, `take(length)` gives the slab
 * and `offset` of the next event.
 */
export class EventBytes {
  private readonly slabs: Buffer[] = [];
  /** Bytes written into each slab. */
  private readonly ends: number[] = [];
  /** Where the next event starts in `slabs[0]`. */
  private readAt = 0;
  private spare: Buffer | undefined;
  /** Start of the event returned by the last `take`, in the slab it returned. */
  offset = 0;

  constructor(private readonly slabSize = 1 << 20) {}

  /** Bytes pushed and not taken yet. */
  get size(): number {
    let n = 0;
    for (const end of this.ends) n += end;
    return n - this.readAt;
  }

  /** Appends the UTF-8 encoding of `text`; returns its length in bytes. */
  push(text: string): number {
    let last = this.slabs.length - 1;
    let slab = this.slabs[last];
    let at = last >= 0 ? this.ends[last]! : 0;
    // At most 3 bytes per UTF-16 unit; the exact length only when that bound does not fit.
    let need = text.length * 3;
    if (slab === undefined || need > slab.length - at) {
      need = Buffer.byteLength(text, 'utf8');
      if (slab === undefined || need > slab.length - at) {
        slab = this.newSlab(need);
        this.slabs.push(slab);
        this.ends.push(0);
        last++;
        at = 0;
      }
    }
    const n = utf8Write(slab, text, at);
    this.ends[last] = at + n;
    return n;
  }

  /** The slab holding the next `length` bytes (they start at `offset`), valid until the next push. */
  take(length: number): Buffer {
    if (this.readAt + length > this.ends[0]! && this.slabs.length > 1) {
      // The head slab is used up: events never span slabs.
      this.drop();
    }
    const slab = this.slabs[0];
    if (slab === undefined || this.readAt + length > this.ends[0]!) {
      throw new RangeError(`EventBytes: taking ${length} bytes, ${this.size} left`);
    }
    this.offset = this.readAt;
    this.readAt += length;
    if (this.readAt === this.ends[0] && this.slabs.length === 1) {
      // Everything taken: the slab is written from its start again.
      this.readAt = 0;
      this.ends[0] = 0;
    }
    return slab;
  }

  /** Forgets every event not taken yet. */
  clear(): void {
    while (this.slabs.length > 0) this.drop();
  }

  private drop(): void {
    const slab = this.slabs.shift();
    this.ends.shift();
    this.readAt = 0;
    if (slab !== undefined && slab.length === this.slabSize) this.spare = slab;
  }

  private newSlab(need: number): Buffer {
    if (need <= this.slabSize && this.spare !== undefined) {
      const slab = this.spare;
      this.spare = undefined;
      return slab;
    }
    return Buffer.allocUnsafeSlow(Math.max(need, this.slabSize));
  }
}

const utf8Write: (dst: Buffer, s: string, at: number) => number =
  typeof (Buffer.prototype as unknown as { utf8Write?: unknown }).utf8Write === 'function'
    ? (dst, s, at) => (dst as unknown as { utf8Write(s: string, at: number): number }).utf8Write(s, at)
    : (dst, s, at) => dst.write(s, at, 'utf8');
