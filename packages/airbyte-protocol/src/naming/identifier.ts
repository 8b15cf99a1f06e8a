import { toAlphanumericAndUnderscore } from './alphanumeric.js';
import { DEFAULT_HASH_LENGTH, truncateWithHash } from './truncate.js';

/** How a destination turns a source name into one of its identifiers. */
export interface IdentifierRules {
  /** Longest identifier the destination accepts (Cassandra tables and keyspaces: 48). */
  maxLength: number;
  /**
   * Character clean-up: `toAlphanumericAndUnderscore` by default (upstream behaviour); `false`
   * keeps the name as is (for destinations that quote every identifier); or your own function.
   */
  sanitize?: boolean | ((name: string) => string);
  /** Lower-case the result (unquoted CQL identifiers are case-insensitive). */
  lowercase?: boolean;
  /** Drop leading underscores (upstream does this for Cassandra keyspaces). */
  trimLeadingUnderscores?: boolean;
  /** Put this in front of a name starting with a digit, e.g. '_' (`1stream` -> `_1stream`). */
  leadingDigitPrefix?: string;
  /** Words that need `reservedSuffix` appended; matched case-insensitively, list them lower-case. */
  reserved?: ReadonlySet<string>;
  /** Appended to reserved words. Default '_' (`order` -> `order_`). */
  reservedSuffix?: string;
  /** Used when nothing is left of the name (e.g. '' or '___' with trimLeadingUnderscores). Default '_'. */
  emptyName?: string;
  /** Hex digits of the hash appended when truncating. Default 8. */
  hashLength?: number;
}

/**
 * Builds an identifier by applying, in order: sanitise, trim leading underscores, lower-case,
 * empty fallback, leading-digit prefix, reserved-word suffix, then `truncateWithHash`.
 * Deterministic, so the same source name maps to the same identifier in every sync; use
 * `uniqueNames`/`NameRegistry` on top to rule out collisions between different source names.
 */
export function identifierFor(name: string, rules: IdentifierRules): string {
  const sanitize = rules.sanitize ?? true;
  let id = sanitize === true ? toAlphanumericAndUnderscore(name) : sanitize === false ? name : sanitize(name);
  if (rules.trimLeadingUnderscores) id = id.replace(/^_+/, '');
  if (rules.lowercase) id = id.toLowerCase();
  if (id.length === 0) id = rules.emptyName ?? '_';
  if (rules.leadingDigitPrefix !== undefined && isAsciiDigit(id.charCodeAt(0))) {
    id = rules.leadingDigitPrefix + id;
  }
  if (rules.reserved?.has(id.toLowerCase())) id += rules.reservedSuffix ?? '_';
  return truncateWithHash(id, rules.maxLength, rules.hashLength ?? DEFAULT_HASH_LENGTH);
}

function isAsciiDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}
