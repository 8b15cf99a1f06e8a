import type { z } from 'zod';

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** `config.hosts[0]["odd key"]`: a JavaScript-style path a user can follow in their JSON file. */
export function formatPath(root: string, path: readonly PropertyKey[]): string {
  let out = root;
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (typeof segment === 'string' && IDENTIFIER.test(segment))
      out += out === '' ? segment : `.${segment}`;
    else out += `[${JSON.stringify(String(segment))}]`;
  }
  return out;
}

/** The value found by following `path` from `root`, or undefined. */
export function valueAtPath(root: unknown, path: readonly PropertyKey[]): unknown {
  let current = root;
  for (const segment of path) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<PropertyKey, unknown>)[segment];
  }
  return current;
}

const MAX_SHOWN_STRING = 60;

/**
 * A short rendering of a given value for error messages: primitives are shown (long strings cut),
 * objects and arrays only by kind. Callers must not use it on secret values.
 */
export function describeGivenValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (typeof value === 'string') {
    return value.length > MAX_SHOWN_STRING
      ? `${JSON.stringify(value.slice(0, MAX_SHOWN_STRING))}… (${value.length} characters)`
      : JSON.stringify(value);
  }
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint')
    return String(value);
  if (Array.isArray(value))
    return value.length === 0 ? 'an empty array' : `an array of ${value.length} items`;
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/**
 * One line per zod issue, `path: problem, got value`. Missing values read "… is required" and
 * unknown keys of strict objects "… is not allowed".
 */
export function formatZodIssues(error: z.ZodError, input: unknown, root: string): string[] {
  const lines: string[] = [];
  for (const issue of error.issues) {
    const path = formatPath(root, issue.path);
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) lines.push(`${formatPath(root, [...issue.path, key])} is not allowed`);
      continue;
    }
    if (issue.code === 'custom') {
      lines.push(`${path}: ${issue.message}`);
      continue;
    }
    const given = valueAtPath(input, issue.path);
    if (given === undefined) {
      lines.push(`${path} is required`);
      continue;
    }
    lines.push(`${path}: ${stripZodPrefix(issue.message)}, got ${describeGivenValue(given)}`);
  }
  return lines;
}

// zod's default messages start with "Invalid input: expected …"; the path already says where.
function stripZodPrefix(message: string): string {
  return message.replace(/^Invalid (input|option): /, '').replace(/, received \w+$/, '');
}
