/**
 * The token Cassandra's and Scylla's Murmur3Partitioner give a serialized partition key: the first
 * 64 bits of MurmurHash3 x64/128 (seed 0) as a signed long, with the partitioner's quirks: tail
 * bytes are sign-extended (Java `byte` arithmetic) and Long.MIN_VALUE becomes Long.MAX_VALUE.
 */
const MASK = (1n << 64n) - 1n;
const C1 = 0x87c37b91114253d5n;
const C2 = 0x4cf5ad432745937fn;

function rotl(x: bigint, r: bigint): bigint {
  return ((x << r) | (x >> (64n - r))) & MASK;
}

function fmix(k: bigint): bigint {
  k ^= k >> 33n;
  k = (k * 0xff51afd7ed558ccdn) & MASK;
  k ^= k >> 33n;
  k = (k * 0xc4ceb9fe1a85ec53n) & MASK;
  k ^= k >> 33n;
  return k;
}

/** A byte as Java sees it (signed), widened to 64 bits two's complement. */
function signedByte(b: number): bigint {
  return BigInt.asUintN(64, BigInt(b > 127 ? b - 256 : b));
}

export function murmur3Token(key: Buffer): bigint {
  const length = key.length;
  const blocks = length >> 4;
  let h1 = 0n;
  let h2 = 0n;
  for (let i = 0; i < blocks; i++) {
    let k1 = key.readBigUInt64LE(i * 16);
    let k2 = key.readBigUInt64LE(i * 16 + 8);
    k1 = (k1 * C1) & MASK;
    k1 = rotl(k1, 31n);
    k1 = (k1 * C2) & MASK;
    h1 ^= k1;
    h1 = rotl(h1, 27n);
    h1 = (h1 + h2) & MASK;
    h1 = (h1 * 5n + 0x52dce729n) & MASK;
    k2 = (k2 * C2) & MASK;
    k2 = rotl(k2, 33n);
    k2 = (k2 * C1) & MASK;
    h2 ^= k2;
    h2 = rotl(h2, 31n);
    h2 = (h2 + h1) & MASK;
    h2 = (h2 * 5n + 0x38495ab5n) & MASK;
  }
  const tail = blocks * 16;
  let k1 = 0n;
  let k2 = 0n;
  const rest = length & 15;
  for (let i = rest - 1; i >= 8; i--) k2 ^= (signedByte(key[tail + i]!) << BigInt((i - 8) * 8)) & MASK;
  if (rest > 8) {
    k2 = (k2 * C2) & MASK;
    k2 = rotl(k2, 33n);
    k2 = (k2 * C1) & MASK;
    h2 ^= k2;
  }
  for (let i = Math.min(rest, 8) - 1; i >= 0; i--) k1 ^= (signedByte(key[tail + i]!) << BigInt(i * 8)) & MASK;
  if (rest > 0) {
    k1 = (k1 * C1) & MASK;
    k1 = rotl(k1, 31n);
    k1 = (k1 * C2) & MASK;
    h1 ^= k1;
  }
  const len = BigInt(length);
  h1 ^= len;
  h2 ^= len;
  h1 = (h1 + h2) & MASK;
  h2 = (h2 + h1) & MASK;
  h1 = fmix(h1);
  h2 = fmix(h2);
  h1 = (h1 + h2) & MASK;
  const token = BigInt.asIntN(64, h1);
  return token === -(1n << 63n) ? (1n << 63n) - 1n : token;
}

/** Partition key bytes as the partitioner hashes them: one component as is, several as a composite. */
export function partitionKeyBytes(components: readonly Buffer[]): Buffer {
  if (components.length === 1) return components[0]!;
  const parts: Buffer[] = [];
  for (const c of components) {
    const len = Buffer.alloc(2);
    len.writeUInt16BE(c.length);
    parts.push(len, c, Buffer.from([0]));
  }
  return Buffer.concat(parts);
}
