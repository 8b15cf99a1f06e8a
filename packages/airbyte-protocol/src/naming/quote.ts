/**
 * Quotes an identifier, doubling embedded quote characters (CQL and SQL style):
 * `quoteIdentifier('a"b')` -> `"a""b"`, `quoteIdentifier('x`y', '`')` -> `` `x``y` ``.
 */
export function quoteIdentifier(name: string, quote = '"'): string {
  if (quote.length === 0) throw new RangeError('quoteIdentifier: empty quote');
  return quote + name.split(quote).join(quote + quote) + quote;
}
