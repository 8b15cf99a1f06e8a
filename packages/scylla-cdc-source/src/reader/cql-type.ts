/**
 * A CQL type as `system_schema.columns.type` spells it, as a tree. The reader needs to know
 * which columns are non-frozen collections or UDTs (their log columns carry element-level
 * changes) and the field names of UDTs.
 */
export type CqlType =
  | { readonly kind: 'native'; readonly name: string }
  | { readonly kind: 'list' | 'set'; readonly frozen: boolean; readonly elem: CqlType }
  | { readonly kind: 'map'; readonly frozen: boolean; readonly key: CqlType; readonly value: CqlType }
  | { readonly kind: 'tuple'; readonly elems: readonly CqlType[] }
  | {
      readonly kind: 'udt';
      readonly frozen: boolean;
      readonly name: string;
      /** Filled in from system_schema.types once parsed. */
      fields?: readonly { readonly name: string; readonly type: CqlType }[];
    }
  | { readonly kind: 'vector'; readonly elem: CqlType; readonly dimension: number }
  | { readonly kind: 'custom'; readonly className: string };

const NATIVE_TYPES = new Set(
  'ascii bigint blob boolean counter date decimal double duration float inet int smallint text time timestamp timeuuid tinyint uuid varchar varint'.split(
    ' ',
  ),
);

export function parseCqlType(source: string): CqlType {
  let i = 0;
  const space = () => {
    while (source[i] === ' ') i++;
  };
  const word = (): string => {
    space();
    if (source[i] === '"') {
      let out = '';
      i++;
      while (i < source.length) {
        if (source[i] === '"' && source[i + 1] === '"') {
          out += '"';
          i += 2;
        } else if (source[i] === '"') {
          i++;
          break;
        } else out += source[i++];
      }
      return out;
    }
    if (source[i] === "'") {
      const end = source.indexOf("'", i + 1);
      const text = source.slice(i + 1, end);
      i = end + 1;
      return `'${text}`;
    }
    const start = i;
    while (i < source.length && !'<>, '.includes(source[i]!)) i++;
    if (start === i) throw new Error(`cannot parse CQL type "${source}"`);
    return source.slice(start, i);
  };
  const eat = (ch: string) => {
    space();
    if (source[i] !== ch) throw new Error(`cannot parse CQL type "${source}": expected "${ch}" at ${i}`);
    i++;
  };
  const typeAt = (frozen: boolean): CqlType => {
    const name = word();
    if (name.startsWith("'")) return { kind: 'custom', className: name.slice(1) };
    const lower = name.toLowerCase();
    switch (lower) {
      case 'frozen': {
        eat('<');
        const t = typeAt(true);
        eat('>');
        return t;
      }
      case 'list':
      case 'set': {
        eat('<');
        const elem = typeAt(true);
        eat('>');
        return { kind: lower, frozen, elem };
      }
      case 'map': {
        eat('<');
        const key = typeAt(true);
        eat(',');
        const value = typeAt(true);
        eat('>');
        return { kind: 'map', frozen, key, value };
      }
      case 'tuple': {
        eat('<');
        const elems: CqlType[] = [typeAt(true)];
        space();
        while (source[i] === ',') {
          i++;
          elems.push(typeAt(true));
          space();
        }
        eat('>');
        return { kind: 'tuple', elems };
      }
      case 'vector': {
        eat('<');
        const elem = typeAt(true);
        eat(',');
        const dimension = Number(word());
        eat('>');
        return { kind: 'vector', elem, dimension };
      }
      default:
        if (NATIVE_TYPES.has(lower)) return { kind: 'native', name: lower === 'varchar' ? 'text' : lower };
        return { kind: 'udt', frozen, name };
    }
  };
  const t = typeAt(false);
  space();
  if (i !== source.length)
    throw new Error(`cannot parse CQL type "${source}": trailing "${source.slice(i)}"`);
  return t;
}

/** True for list/set/map/UDT columns that are not frozen. */
export function isNonFrozen(t: CqlType): boolean {
  return (t.kind === 'list' || t.kind === 'set' || t.kind === 'map' || t.kind === 'udt') && !t.frozen;
}

/** Fills UDT field lists in place (recursively) from the keyspace's type definitions. */
export function resolveUdts(
  t: CqlType,
  udts: ReadonlyMap<string, { names: readonly string[]; types: readonly string[] }>,
  depth = 0,
): void {
  if (depth > 32) throw new Error('UDT nesting too deep');
  switch (t.kind) {
    case 'list':
    case 'set':
    case 'vector':
      resolveUdts(t.elem, udts, depth + 1);
      return;
    case 'map':
      resolveUdts(t.key, udts, depth + 1);
      resolveUdts(t.value, udts, depth + 1);
      return;
    case 'tuple':
      for (const e of t.elems) resolveUdts(e, udts, depth + 1);
      return;
    case 'udt': {
      const def = udts.get(t.name);
      if (!def) throw new Error(`unknown user type ${t.name}`);
      t.fields = def.names.map((name, k) => {
        const type = parseCqlType(def.types[k]!);
        resolveUdts(type, udts, depth + 1);
        return { name, type };
      });
      return;
    }
    default:
      return;
  }
}

/** CQL text of a type, e.g. for names in schemas and messages. */
export function cqlTypeText(t: CqlType): string {
  switch (t.kind) {
    case 'native':
      return t.name;
    case 'list':
    case 'set':
      return t.frozen ? `frozen<${t.kind}<${cqlTypeText(t.elem)}>>` : `${t.kind}<${cqlTypeText(t.elem)}>`;
    case 'map': {
      const inner = `map<${cqlTypeText(t.key)}, ${cqlTypeText(t.value)}>`;
      return t.frozen ? `frozen<${inner}>` : inner;
    }
    case 'tuple':
      return `tuple<${t.elems.map(cqlTypeText).join(', ')}>`;
    case 'udt':
      return t.frozen ? `frozen<${t.name}>` : t.name;
    case 'vector':
      return `vector<${cqlTypeText(t.elem)}, ${t.dimension}>`;
    case 'custom':
      return `'${t.className}'`;
  }
}
