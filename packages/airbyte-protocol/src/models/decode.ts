import type { AirbyteMessage, AirbyteMessageType } from './message.js';
import { MESSAGE_SCHEMA_BY_TYPE } from './message.js';
import { isPlainObject } from './json.js';
import { formatZodIssues } from './zod-issues.js';

export type DecodeResult = { ok: true; message: AirbyteMessage } | { ok: false; reason: string };

const KNOWN_TYPES: ReadonlySet<string> = new Set(Object.keys(MESSAGE_SCHEMA_BY_TYPE));

/**
 * Checks that a parsed JSON value is an AirbyteMessage. Returns the input object itself on success
 * (nothing is copied), so unknown properties survive at every level.
 *
 * RECORD, the hot path, gets a hand-written structural check without zod: type, a non-empty `stream`,
 * an object `data`, a finite `emitted_at`, and the types of `namespace`/`meta`/`file_reference` when
 * present. The content of `meta.changes` is only checked for shape (objects with string fields), not
 * against the protocol's enums. Every other type is rare and runs its full zod schema.
 *
 * Unknown `type` values are reported as `{ ok: false }`: the protocol says to ignore them.
 */
export function decodeMessage(value: unknown): DecodeResult {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, reason: `expected a JSON object, got ${describeKind(value)}` };
  }
  const type = (value as { type?: unknown }).type;
  if (type === 'RECORD') {
    const reason = recordProblem((value as { record?: unknown }).record);
    return reason === undefined ? { ok: true, message: value as AirbyteMessage } : { ok: false, reason };
  }
  if (typeof type !== 'string') {
    return { ok: false, reason: type === undefined ? 'missing "type"' : `"type" must be a string` };
  }
  if (!KNOWN_TYPES.has(type)) return { ok: false, reason: `unknown message type ${JSON.stringify(type)}` };
  const result = MESSAGE_SCHEMA_BY_TYPE[type as AirbyteMessageType].safeParse(value);
  if (result.success) return { ok: true, message: value as AirbyteMessage };
  return {
    ok: false,
    reason: `invalid ${type} message: ${formatZodIssues(result.error, value, 'message').join('; ')}`,
  };
}

function recordProblem(record: unknown): string | undefined {
  if (typeof record !== 'object' || record === null || Array.isArray(record)) {
    return `invalid RECORD message: "record" must be an object, got ${describeKind(record)}`;
  }
  const r = record as Record<string, unknown>;
  const stream = r.stream;
  if (typeof stream !== 'string' || stream === '') {
    return `invalid RECORD message: record.stream must be a non-empty string, got ${describeKind(stream)}`;
  }
  const data = r.data;
  if (!isPlainObject(data)) {
    return typeof data === 'object' && data !== null && !Array.isArray(data)
      ? 'invalid RECORD message: record.data must be a plain JSON object'
      : `invalid RECORD message: record.data must be an object, got ${describeKind(data)}`;
  }
  const emittedAt = r.emitted_at;
  if (typeof emittedAt !== 'number' || !Number.isFinite(emittedAt)) {
    return `invalid RECORD message: record.emitted_at must be a number, got ${describeKind(emittedAt)}`;
  }
  const namespace = r.namespace;
  if (namespace !== undefined && namespace !== null && typeof namespace !== 'string') {
    return `invalid RECORD message: record.namespace must be a string, got ${describeKind(namespace)}`;
  }
  const meta = r.meta;
  if (meta !== undefined && meta !== null) {
    const problem = metaProblem(meta);
    if (problem !== undefined) return `invalid RECORD message: ${problem}`;
  }
  const fileReference = r.file_reference;
  if (
    fileReference !== undefined &&
    fileReference !== null &&
    (typeof fileReference !== 'object' || Array.isArray(fileReference))
  ) {
    return `invalid RECORD message: record.file_reference must be an object, got ${describeKind(fileReference)}`;
  }
  return undefined;
}

function metaProblem(meta: unknown): string | undefined {
  if (typeof meta !== 'object' || meta === null || Array.isArray(meta)) {
    return `record.meta must be an object, got ${describeKind(meta)}`;
  }
  const changes = (meta as { changes?: unknown }).changes;
  if (changes === undefined || changes === null) return undefined;
  if (!Array.isArray(changes)) return `record.meta.changes must be an array, got ${describeKind(changes)}`;
  for (let i = 0; i < changes.length; i++) {
    const change = changes[i] as Record<string, unknown> | null;
    if (
      typeof change !== 'object' ||
      change === null ||
      typeof change.field !== 'string' ||
      typeof change.change !== 'string' ||
      typeof change.reason !== 'string'
    ) {
      return `record.meta.changes[${i}] must be an object with string field, change and reason`;
    }
  }
  return undefined;
}

// Kind only, never the value: records carry user data that must not end up in logs.
function describeKind(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (value === undefined) return 'nothing';
  if (typeof value === 'string') return value === '' ? 'an empty string' : 'a string';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}
