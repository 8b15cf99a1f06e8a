import { createHash } from 'node:crypto';

/** The parts of a ListShards answer the map needs. */
export interface ShardDescription {
  readonly ShardId?: string | undefined;
  readonly HashKeyRange?:
    | { readonly StartingHashKey?: string | undefined; readonly EndingHashKey?: string | undefined }
    | undefined;
  readonly SequenceNumberRange?: { readonly EndingSequenceNumber?: string | undefined } | undefined;
}

interface Range {
  readonly shardId: string;
  /** 128-bit big-endian start of the hash key range. */
  readonly start: Buffer;
  /** Decimal start, used as the explicit hash key of everything sent to this shard's lane. */
  readonly startDecimal: string;
}

/**
 * Which open shard a partition key hashes to: Kinesis maps a key to the shard whose hash key range
 * holds MD5(key) read as a 128-bit unsigned integer. Used with aggregation, where the records of
 * one aggregate must all belong to the shard it is sent to.
 */
export class ShardMap {
  private readonly ranges: Range[];

  constructor(shards: readonly ShardDescription[]) {
    const open = shards.filter((s) => s.SequenceNumberRange?.EndingSequenceNumber === undefined);
    this.ranges = open
      .map((s) => {
        const start = s.HashKeyRange?.StartingHashKey ?? '0';
        return {
          shardId: s.ShardId ?? '?',
          start: hashKeyBytes(start),
          startDecimal: BigInt(start).toString(),
        };
      })
      .sort((a, b) => Buffer.compare(a.start, b.start));
    if (this.ranges.length === 0) {
      this.ranges.push({ shardId: '?', start: Buffer.alloc(16), startDecimal: '0' });
    }
  }

  get size(): number {
    return this.ranges.length;
  }

  /** Index of the shard (lane) a partition key belongs to. */
  laneOf(partitionKey: string): number {
    const hash = createHash('md5').update(partitionKey, 'utf8').digest();
    // Last range whose start <= hash.
    let lo = 0;
    let hi = this.ranges.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (Buffer.compare(this.ranges[mid]!.start, hash) <= 0) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** The explicit hash key that routes to lane `i` (its shard's starting hash key). */
  hashKeyOf(lane: number): string {
    return this.ranges[lane]!.startDecimal;
  }

  shardIdOf(lane: number): string {
    return this.ranges[lane]!.shardId;
  }
}

/** A decimal hash key (0 .. 2^128-1) as 16 big-endian bytes. */
export function hashKeyBytes(decimal: string): Buffer {
  let n = BigInt(decimal);
  if (n < 0n || n >= 1n << 128n) throw new RangeError(`hash key out of range: ${decimal}`);
  const out = Buffer.alloc(16);
  for (let i = 15; i >= 0; i--) {
    out[i] = Number(n & 0xffn);
    n >>= 8n;
  }
  return out;
}

/** MD5 of a partition key as the decimal hash key Kinesis computes from it. */
export function partitionKeyHash(partitionKey: string): bigint {
  return BigInt(`0x${createHash('md5').update(partitionKey, 'utf8').digest('hex')}`);
}
