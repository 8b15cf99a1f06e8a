const COMBINING_MARKS = /\p{M}/gu;
// Java's `\s` without UNICODE_CHARACTER_CLASS: ASCII whitespace only, a run becomes one '_'.
const JAVA_WHITESPACE_RUN = /[ \t\n\v\f\r]+/g;
// Java's `\p{Alnum}` is ASCII-only; `u` makes an astral character one match, like Java's
// code-point matching (so an emoji becomes a single '_').
const NOT_ALNUM_OR_UNDERSCORE = /[^A-Za-z0-9_]/gu;

/**
 * Airbyte's `Names.toAlphanumericAndUnderscore`, step for step: NFKD, drop combining marks,
 * each run of ASCII whitespace to '_', then every character outside [A-Za-z0-9_] to '_'.
 *
 * Accents disappear (`spécial` -> `special`), compatibility forms fold (`ﬁ` -> `fi`,
 * full-width `Ａ` -> `A`), and letters without an ASCII decomposition become '_' (`ø`, `ß`,
 * Japanese). Case is kept: lower-casing is each destination's choice.
 */
export function toAlphanumericAndUnderscore(s: string): string {
  return s
    .normalize('NFKD')
    .replace(COMBINING_MARKS, '')
    .replace(JAVA_WHITESPACE_RUN, '_')
    .replace(NOT_ALNUM_OR_UNDERSCORE, '_');
}
