import { createHash } from 'node:crypto';

export const DEFAULT_HASH_LENGTH = 8;

/** First `length` hex digits of the SHA-256 of `s` (UTF-8); stable across runs and platforms. */
export function shortHash(s: string, length: number = DEFAULT_HASH_LENGTH): string {
  return createHash('sha256').update(s, 'utf8').digest('hex').slice(0, length);
}

/**
 * Returns `name` unchanged when it fits in `maxLength` (so every name upstream Airbyte did not
 * truncate keeps its upstream form). A longer name becomes a prefix + '_' + a short hash of the
 * whole name, exactly `maxLength` long: two long names sharing a prefix stay distinct, where a
 * plain cut (what the upstream Cassandra destination does at 48) would make them collide.
 *
 * Lengths are UTF-16 code units (equal to characters and bytes for sanitised identifiers); the
 * cut never splits a surrogate pair.
 */
export function truncateWithHash(
  name: string,
  maxLength: number,
  hashLength: number = DEFAULT_HASH_LENGTH,
): string {
  if (name.length <= maxLength) return name;
  return withHashSuffix(name, shortHash(name, hashLength), maxLength);
}

/**
 * `base` cut so that `base + '_' + hash` fits in `maxLength` (no limit when undefined).
 * Throws a RangeError when the limit leaves no room for the hash.
 */
export function withHashSuffix(base: string, hash: string, maxLength?: number): string {
  if (maxLength === undefined) return `${base}_${hash}`;
  const room = maxLength - hash.length - 1;
  if (room < 0) {
    throw new RangeError(`maxLength ${maxLength} leaves no room for a ${hash.length}-character hash`);
  }
  let cut = Math.min(room, base.length);
  const last = base.charCodeAt(cut - 1);
  // Do not keep half of a surrogate pair.
  if (cut > 0 && cut < base.length && last >= 0xd800 && last <= 0xdbff) cut--;
  return `${base.slice(0, cut)}_${hash}`;
}
