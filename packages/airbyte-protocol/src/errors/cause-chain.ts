// Bounded so that a cyclic or absurdly deep `cause` chain cannot hang classification.
const MAX_DEPTH = 16;

/** The error followed by its `cause`s, outermost first, without repeats. */
export function causeChain(err: unknown): unknown[] {
  const chain: unknown[] = [];
  let current: unknown = err;
  while (current !== undefined && current !== null && chain.length < MAX_DEPTH) {
    if (chain.includes(current)) break;
    chain.push(current);
    current = typeof current === 'object' ? readProperty(current, 'cause') : undefined;
  }
  return chain;
}

/** Reads a property without letting a throwing getter escape. */
export function readProperty(value: object, key: string): unknown {
  try {
    return (value as Record<string, unknown>)[key];
  } catch {
    return undefined;
  }
}
