import { randomBytes } from 'node:crypto';

const TWO_63 = 1n << 63n;
const TWO_64 = 1n << 64n;

/**
 * Scylla's shard of a token (`dht::shard_of`): the token made unsigned, its top
 * `ignoreMsbBits` dropped, then scaled onto `shardCount`.
 */
export function shardOf(token: bigint, shardCount: number, ignoreMsbBits = 12): number {
  const unbiased = (token + TWO_63) & (TWO_64 - 1n);
  const shifted = (unbiased << BigInt(ignoreMsbBits)) & (TWO_64 - 1n);
  return Number((shifted * BigInt(shardCount)) >> 64n);
}

/**
 * A version-1 CDC stream id (Scylla `docs/dev/cdc.md`): 128 bits
 * `| token:64 | random:38 | index:22 | version:4 |`, big-endian, version in the lowest 4 bits and
 * `index` the vnode index.
 */
export function makeStreamId(token: bigint, vnodeIndex: number, random: Buffer = randomBytes(8)): Buffer {
  const buf = Buffer.alloc(16);
  buf.writeBigInt64BE(token, 0);
  const rnd = random.readBigUInt64BE(0) & ((1n << 38n) - 1n);
  const low = (rnd << 26n) | (BigInt(vnodeIndex & 0x3fffff) << 4n) | 1n;
  buf.writeBigUInt64BE(low, 8);
  return buf;
}

export function streamIdToken(id: Buffer): bigint {
  return id.readBigInt64BE(0);
}

export function streamIdVnode(id: Buffer): number {
  return Number((id.readBigUInt64BE(8) & 0x3fffff0n) >> 4n);
}

/** One token range of a generation: `(previous end, rangeEnd]`, its vnode index and one stream per shard. */
export interface VnodeStreams {
  readonly rangeEnd: bigint;
  readonly vnodeIndex: number;
  /** Indexed by shard. */
  readonly streams: readonly Buffer[];
}

export interface GenerationLayout {
  /** Generation timestamp, ms since the epoch. */
  readonly startMs: number;
  readonly shardCount: number;
  readonly ignoreMsbBits: number;
  /** Sorted by rangeEnd. */
  readonly vnodes: readonly VnodeStreams[];
}

function randomTokenBetween(lowExclusive: bigint, highInclusive: bigint): bigint {
  const span = highInclusive - lowExclusive;
  const r = randomBytes(8).readBigUInt64BE(0) % span;
  return lowExclusive + 1n + r;
}

/**
 * A tablets table's stream set: one stream per tablet, the ring cut into `tablets` equal ranges;
 * the stream id carries the tablet's last token and index 0 (`0x<token><random>...0001`).
 */
export function createTabletLayout(startMs: number, tablets: number): GenerationLayout {
  const vnodes: VnodeStreams[] = [];
  const span = 1n << 64n;
  for (let i = 0; i < tablets; i++) {
    const rangeEnd = i === tablets - 1 ? TWO_63 - 1n : -TWO_63 + (span * BigInt(i + 1)) / BigInt(tablets);
    vnodes.push({ rangeEnd, vnodeIndex: 0, streams: [makeStreamId(rangeEnd, 0)] });
  }
  return { startMs, shardCount: 1, ignoreMsbBits: 0, vnodes };
}

/**
 * A generation as Scylla creates one: the ring cut into `vnodeCount` ranges (random tokens, like
 * vnode tokens), and for each range one stream per shard whose token lies in the range and on
 * that shard, so a stream's log partition lives where the base rows it logs live.
 */
export function createGenerationLayout(
  startMs: number,
  vnodeCount: number,
  shardCount: number,
  ignoreMsbBits = 12,
): GenerationLayout {
  const ends = new Set<bigint>();
  const min = -TWO_63;
  const max = TWO_63 - 1n;
  while (ends.size < vnodeCount - 1) ends.add(randomTokenBetween(min, max - 1n));
  const sorted = [...ends].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  sorted.push(max);
  const vnodes: VnodeStreams[] = [];
  let previous = min;
  sorted.forEach((rangeEnd, vnodeIndex) => {
    const streams: Buffer[] = [];
    for (let shard = 0; shard < shardCount; shard++) {
      let token: bigint;
      let tries = 0;
      do {
        token = randomTokenBetween(previous, rangeEnd);
        tries++;
      } while (shardOf(token, shardCount, ignoreMsbBits) !== shard && tries < 10_000);
      streams.push(makeStreamId(token, vnodeIndex));
    }
    vnodes.push({ rangeEnd, vnodeIndex, streams });
    previous = rangeEnd;
  });
  return { startMs, shardCount, ignoreMsbBits, vnodes };
}

/** The stream a base write with `token` goes to in `layout` (the range owning the token, then its shard). */
export function streamForToken(layout: GenerationLayout, token: bigint): Buffer {
  const vnodes = layout.vnodes;
  let lo = 0;
  let hi = vnodes.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (vnodes[mid]!.rangeEnd >= token) hi = mid;
    else lo = mid + 1;
  }
  const vnode = vnodes[lo]!;
  return vnode.streams[shardOf(token, layout.shardCount, layout.ignoreMsbBits)]!;
}
