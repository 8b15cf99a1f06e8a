/**
 * CQL types as written in `system_schema.columns.type` (e.g. `frozen<map<text, int>>`,
 * `list<text>`, `address`), parsed into a tree. UDT references carry their keyspace so the
 * writer can look the fields up in `system_schema.types`.
 */
export type CqlType =
  | { readonly kind: 'native'; readonly name: string }
  | { readonly kind: 'list' | 'set'; readonly frozen: boolean; readonly elem: CqlType }
  | { readonly kind: 'map'; readonly frozen: boolean; readonly key: CqlType; readonly value: CqlType }
  | { readonly kind: 'tuple'; readonly elems: readonly CqlType[] }
  | { readonly kind: 'udt'; readonly frozen: boolean; readonly name: string }
  | { readonly kind: 'vector'; readonly elem: CqlType; readonly dimension: number };

const NATIVE = new Set([
  'ascii',
  'bigint',
  'blob',
  'boolean',
  'counter',
  'date',
  'decimal',
  'double',
  'duration',
  'float',
  'inet',
  'int',
  'smallint',
  'text',
  'time',
  'timestamp',
  'timeuuid',
  'tinyint',
  'uuid',
  'varchar',
  'varint',
]);

export function parseCqlType(text: string): CqlType {
  const parser = new Parser(text);
  const type = parser.type(false);
  parser.end();
  return type;
}

class Parser {
  private pos = 0;
  constructor(private readonly text: string) {}

  type(frozen: boolean): CqlType {
    const name = this.ident();
    const lower = name.toLowerCase();
    if (lower === 'frozen') {
      this.expect('<');
      const inner = this.type(true);
      this.expect('>');
      return inner;
    }
    if (lower === 'list' || lower === 'set') {
      this.expect('<');
      const elem = this.type(true);
      this.expect('>');
      return { kind: lower, frozen, elem };
    }
    if (lower === 'map') {
      this.expect('<');
      const key = this.type(true);
      this.expect(',');
      const value = this.type(true);
      this.expect('>');
      return { kind: 'map', frozen, key, value };
    }
    if (lower === 'tuple') {
      this.expect('<');
      const elems = [this.type(true)];
      while (this.peek() === ',') {
        this.pos++;
        elems.push(this.type(true));
      }
      this.expect('>');
      return { kind: 'tuple', elems };
    }
    if (lower === 'vector') {
      this.expect('<');
      const elem = this.type(true);
      this.expect(',');
      const dimension = Number(this.ident());
      this.expect('>');
      return { kind: 'vector', elem, dimension };
    }
    if (NATIVE.has(lower)) return { kind: 'native', name: lower === 'varchar' ? 'text' : lower };
    return { kind: 'udt', frozen, name: unquote(name) };
  }

  end(): void {
    this.skipSpace();
    if (this.pos !== this.text.length)
      throw new Error(`unexpected "${this.text.slice(this.pos)}" in CQL type`);
  }

  private ident(): string {
    this.skipSpace();
    const start = this.pos;
    if (this.text[this.pos] === '"') {
      this.pos++;
      while (this.pos < this.text.length) {
        if (this.text[this.pos] === '"') {
          if (this.text[this.pos + 1] === '"') this.pos += 2;
          else break;
        } else this.pos++;
      }
      this.pos++;
      return this.text.slice(start, this.pos);
    }
    while (this.pos < this.text.length && /[A-Za-z0-9_.]/.test(this.text[this.pos]!)) this.pos++;
    if (start === this.pos) throw new Error(`expected a type name at ${this.pos} in "${this.text}"`);
    return this.text.slice(start, this.pos);
  }

  private peek(): string | undefined {
    this.skipSpace();
    return this.text[this.pos];
  }

  private expect(ch: string): void {
    if (this.peek() !== ch) throw new Error(`expected "${ch}" at ${this.pos} in "${this.text}"`);
    this.pos++;
  }

  private skipSpace(): void {
    while (this.text[this.pos] === ' ') this.pos++;
  }
}

function unquote(name: string): string {
  return name.startsWith('"') ? name.slice(1, -1).replaceAll('""', '"') : name;
}

export function quoteName(name: string): string {
  return /^[a-z_][a-z0-9_]*$/.test(name) ? name : `"${name.replaceAll('"', '""')}"`;
}

/** CQL text of a type; `frozen` wraps collections and UDTs that are frozen. */
export function formatCqlType(type: CqlType): string {
  switch (type.kind) {
    case 'native':
      return type.name;
    case 'list':
    case 'set': {
      const inner = `${type.kind}<${formatCqlType(type.elem)}>`;
      return type.frozen ? `frozen<${inner}>` : inner;
    }
    case 'map': {
      const inner = `map<${formatCqlType(type.key)}, ${formatCqlType(type.value)}>`;
      return type.frozen ? `frozen<${inner}>` : inner;
    }
    case 'tuple':
      return `frozen<tuple<${type.elems.map(formatCqlType).join(', ')}>>`;
    case 'udt':
      return type.frozen ? `frozen<${quoteName(type.name)}>` : quoteName(type.name);
    case 'vector':
      return `vector<${formatCqlType(type.elem)}, ${type.dimension}>`;
  }
}

export function frozen(type: CqlType): CqlType {
  switch (type.kind) {
    case 'list':
    case 'set':
    case 'map':
    case 'udt':
      return { ...type, frozen: true };
    default:
      return type;
  }
}

/** Non-frozen collections and UDTs: the types whose cells CDC logs element by element. */
export function isNonFrozen(type: CqlType): boolean {
  return (
    (type.kind === 'list' || type.kind === 'set' || type.kind === 'map' || type.kind === 'udt') &&
    !type.frozen
  );
}
