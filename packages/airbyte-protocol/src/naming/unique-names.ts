import { type IdentifierRules, identifierFor } from './identifier.js';
import { DEFAULT_HASH_LENGTH, shortHash, withHashSuffix } from './truncate.js';

/** A function from source name to candidate, or identifier rules (which also set maxLength). */
export type NameMapper = ((source: string) => string) | IdentifierRules;

export interface UniqueNameOptions {
  /** Treat names differing only in case as the same (e.g. unquoted CQL identifiers). */
  caseInsensitive?: boolean;
  /**
   * Longest allowed name; disambiguated names are cut to fit. Taken from the rules when `toName`
   * is an IdentifierRules object; give it explicitly with a function.
   */
  maxLength?: number;
  /** Hex digits of the disambiguating hash. Default 8. */
  hashLength?: number;
}

/**
 * Maps every source name (streams of one namespace, fields of one stream) to a distinct target
 * name, so two streams never write to one table and two fields never to one column.
 *
 * `toName` gives each source its candidate: identifier rules, or any function. When
 * candidates collide (`a-b` and `a_b` both give `a_b`), one source keeps the candidate and the
 * others get `<candidate>_<hash of the source name>`. The keeper is the source that is already
 * equal to the candidate, otherwise the first in sorted order; so the result depends only on
 * the set of names, not their order, and adding `a-b` next to an existing `a_b` leaves `a_b`
 * where it was. (No scheme without stored state can keep every name stable when the set of
 * names changes.)
 */
export function uniqueNames(
  sources: Iterable<string>,
  mapper: NameMapper,
  options: UniqueNameOptions = {},
): Map<string, string> {
  const [toName, opts] = resolve(mapper, options);
  const sorted = [...new Set(sources)].sort(compareCodeUnits);
  const key = keyFunction(opts);
  const groups = new Map<string, Array<{ source: string; candidate: string }>>();
  for (const source of sorted) {
    const candidate = toName(source);
    const k = key(candidate);
    const group = groups.get(k);
    if (group === undefined) groups.set(k, [{ source, candidate }]);
    else group.push({ source, candidate });
  }

  const result = new Map<string, string>();
  const taken = new Set<string>(groups.keys());
  const losers: Array<{ source: string; candidate: string }> = [];
  for (const group of groups.values()) {
    const keeper = group.find((g) => g.source === g.candidate) ?? group[0]!;
    result.set(keeper.source, keeper.candidate);
    for (const g of group) if (g !== keeper) losers.push(g);
  }
  losers.sort((a, b) => compareCodeUnits(a.source, b.source));
  for (const { source, candidate } of losers) {
    const name = disambiguate(source, candidate, taken, key, opts);
    taken.add(key(name));
    result.set(source, name);
  }
  // Iterate in sorted source order, whatever order the sources came in.
  return new Map(sorted.map((s) => [s, result.get(s)!]));
}

/**
 * Incremental form of {@link uniqueNames}, for names discovered while running (e.g. fields not
 * declared in the schema): the first name to claim a candidate keeps it, later ones get a hash
 * suffix. Seed it with the declared names via `NameRegistry.of` so those get the set-based,
 * order-independent assignment.
 */
export class NameRegistry {
  readonly #toName: (source: string) => string;
  readonly #opts: UniqueNameOptions;
  readonly #key: (name: string) => string;
  readonly #bySource = new Map<string, string>();
  readonly #taken = new Set<string>();

  constructor(mapper: NameMapper, options: UniqueNameOptions = {}) {
    const [toName, opts] = resolve(mapper, options);
    this.#toName = toName;
    this.#opts = opts;
    this.#key = keyFunction(opts);
  }

  static of(sources: Iterable<string>, mapper: NameMapper, options: UniqueNameOptions = {}): NameRegistry {
    const registry = new NameRegistry(mapper, options);
    for (const [source, name] of uniqueNames(sources, mapper, options)) registry.#claim(source, name);
    return registry;
  }

  /** The target name for `source`, assigning one on first use. */
  nameFor(source: string): string {
    const known = this.#bySource.get(source);
    if (known !== undefined) return known;
    const candidate = this.#toName(source);
    const name = this.#taken.has(this.#key(candidate))
      ? disambiguate(source, candidate, this.#taken, this.#key, this.#opts)
      : candidate;
    this.#claim(source, name);
    return name;
  }

  has(source: string): boolean {
    return this.#bySource.has(source);
  }

  get size(): number {
    return this.#bySource.size;
  }

  /** [source, target] pairs in assignment order. */
  entries(): IterableIterator<[string, string]> {
    return this.#bySource.entries();
  }

  #claim(source: string, name: string): void {
    this.#bySource.set(source, name);
    this.#taken.add(this.#key(name));
  }
}

function disambiguate(
  source: string,
  candidate: string,
  taken: ReadonlySet<string>,
  key: (name: string) => string,
  opts: UniqueNameOptions,
): string {
  const hashLength = opts.hashLength ?? DEFAULT_HASH_LENGTH;
  // The salt only matters if a hash-suffixed name is itself taken, which takes a 32-bit hash
  // collision or a source name deliberately shaped like one.
  for (let salt = 0; ; salt++) {
    const hash = shortHash(salt === 0 ? source : `${source}\u0000${salt}`, hashLength);
    const name = withHashSuffix(candidate, hash, opts.maxLength);
    if (!taken.has(key(name))) return name;
  }
}

function resolve(
  mapper: NameMapper,
  opts: UniqueNameOptions,
): [(source: string) => string, UniqueNameOptions] {
  if (typeof mapper === 'function') return [mapper, opts];
  const rules = mapper;
  return [
    (source) => identifierFor(source, rules),
    { maxLength: rules.maxLength, hashLength: rules.hashLength, ...opts },
  ];
}

function keyFunction(opts: UniqueNameOptions): (name: string) => string {
  return opts.caseInsensitive ? (name) => name.toLowerCase() : (name) => name;
}

/** Plain UTF-16 order: locale-independent, hence the same on every machine. */
function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
