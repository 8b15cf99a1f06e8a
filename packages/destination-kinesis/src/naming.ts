import { shortHash, toAlphanumericAndUnderscore, truncateWithHash } from '@tributary/airbyte-protocol';

/** Kinesis stream names: 1..128 characters of [a-zA-Z0-9_.-]. */
export const MAX_STREAM_NAME_LENGTH = 128;
const NOT_ALLOWED_IN_LITERAL = /[^A-Za-z0-9_.-]/g;

export type TemplatePart =
  | { readonly kind: 'literal'; readonly text: string }
  | { readonly kind: 'namespace' }
  | { readonly kind: 'stream' };

/**
 * Parses a stream name template such as `{namespace}_{stream}` or `airbyte.{stream}`.
 * Throws on an unknown placeholder, a stray brace, or a template without `{stream}` (every Airbyte
 * stream must get a stream of its own).
 */
export function parseStreamNameTemplate(template: string): TemplatePart[] {
  const parts: TemplatePart[] = [];
  let hasStream = false;
  const re = /\{([^{}]*)\}/g;
  let last = 0;
  for (let m = re.exec(template); m !== null; m = re.exec(template)) {
    if (m.index > last) parts.push(literal(template.slice(last, m.index)));
    const name = m[1];
    if (name === 'namespace') parts.push({ kind: 'namespace' });
    else if (name === 'stream') {
      parts.push({ kind: 'stream' });
      hasStream = true;
    } else throw new Error(`unknown placeholder {${name}}; use {namespace} and {stream}`);
    last = re.lastIndex;
  }
  if (last < template.length) parts.push(literal(template.slice(last)));
  if (!hasStream)
    throw new Error('the template must contain {stream}, so that every stream gets its own Kinesis stream');
  return parts;
}

function literal(text: string): TemplatePart {
  if (text.includes('{') || text.includes('}')) {
    throw new Error(`unbalanced brace in "${text}"; placeholders are {namespace} and {stream}`);
  }
  return { kind: 'literal', text };
}

/**
 * The stream name a template gives, before collisions are resolved: names are normalised like
 * upstream (`Names.toAlphanumericAndUnderscore`: accents dropped, everything outside
 * [A-Za-z0-9_] becomes `_`), a missing namespace is empty (so the default template gives
 * upstream's leading `_`), literal text keeps `.` and `-` (allowed by Kinesis), and names over
 * 128 characters are cut with a hash suffix (upstream cut them plainly, which could collide).
 */
export function renderStreamName(
  parts: readonly TemplatePart[],
  namespace: string | null,
  stream: string,
): string {
  let out = '';
  for (const p of parts) {
    if (p.kind === 'literal') out += p.text.replace(NOT_ALLOWED_IN_LITERAL, '_');
    else if (p.kind === 'namespace') out += toAlphanumericAndUnderscore(namespace ?? '');
    else out += toAlphanumericAndUnderscore(stream);
  }
  if (out.length === 0) out = '_';
  return truncateWithHash(out, MAX_STREAM_NAME_LENGTH);
}

export interface StreamId {
  readonly namespace: string | null;
  readonly name: string;
}

/** A stable string key of an Airbyte stream (namespace and name cannot run into each other). */
export function streamIdKey(id: StreamId): string {
  return JSON.stringify([id.namespace ?? null, id.name]);
}

/**
 * Kinesis stream names of all configured streams, collision-free: when two Airbyte streams would
 * get the same name (`a-b` and `a_b`, or namespace `x_y` + `z` and `x` + `y_z`), one keeps it and
 * the others get `_<hash of their namespace and name>`, whatever order the catalog lists them in.
 * The keeper is the stream whose unnormalised name already is the stream name (`a_b` above),
 * otherwise the first by namespace and name.
 */
export function kinesisStreamNames(streams: readonly StreamId[], template: string): Map<string, string> {
  const parts = parseStreamNameTemplate(template);
  const byKey = new Map<string, StreamId>();
  for (const s of streams) byKey.set(streamIdKey(s), s);
  const keys = [...byKey.keys()].sort(compareCodeUnits);
  const groups = new Map<string, string[]>();
  for (const key of keys) {
    const s = byKey.get(key)!;
    const candidate = renderStreamName(parts, s.namespace, s.name);
    const group = groups.get(candidate);
    if (group) group.push(key);
    else groups.set(candidate, [key]);
  }
  const result = new Map<string, string>();
  const taken = new Set(groups.keys());
  const losers: Array<[string, string]> = [];
  for (const [candidate, group] of groups) {
    const keeper =
      group.find((key) => {
        const s = byKey.get(key)!;
        return rawName(parts, s.namespace, s.name) === candidate;
      }) ?? group[0]!;
    result.set(keeper, candidate);
    for (const key of group) if (key !== keeper) losers.push([key, candidate]);
  }
  for (const [key, candidate] of losers) {
    for (let salt = 0; ; salt++) {
      const hash = shortHash(salt === 0 ? key : `${key}\u0000${salt}`, HASH_LENGTH);
      const name = `${candidate.slice(0, MAX_STREAM_NAME_LENGTH - HASH_LENGTH - 1)}_${hash}`;
      if (!taken.has(name)) {
        taken.add(name);
        result.set(key, name);
        break;
      }
    }
  }
  return result;
}

const HASH_LENGTH = 8;

/** The template filled with the names as they are (to find the stream whose name needs no change). */
function rawName(parts: readonly TemplatePart[], namespace: string | null, stream: string): string {
  return parts
    .map((p) => (p.kind === 'literal' ? p.text : p.kind === 'namespace' ? (namespace ?? '') : stream))
    .join('');
}

function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
