import type { z } from 'zod';
import { ConfigError, type TributaryErrorOptions } from '../errors/tributary-error.js';
import { createRedactor } from '../logging/redactor.js';
import { describeGivenValue, formatPath, valueAtPath } from '../models/zod-issues.js';
import { describeExpected } from './describe-expected.js';
import { cachedJsonSchema, type JsonSchema } from './json-schema.js';
import { schemasAtPath } from './schema-walk.js';
import { secretValues } from './secret-values.js';

/** A ConfigError that also lists its problems one by one. */
export class ConfigValidationError extends ConfigError {
  readonly problems: readonly string[];

  constructor(header: string, problems: readonly string[], options: TributaryErrorOptions = {}) {
    super(`${header}\n${problems.join('\n')}`, options);
    this.name = 'ConfigValidationError';
    this.problems = problems;
  }
}

export interface ValidateConfigOptions {
  /** Named in the first line of the error, e.g. "destination-scylla". */
  connector?: string;
}

/**
 * Validates a connector config and returns the parsed value (defaults applied). On failure throws a
 * {@link ConfigValidationError} with one line per problem, e.g.
 * `config.port: expected an integer between 0 and 65536, got "abc"`, `config.keyspace is required`,
 * `config.foo is not allowed`. Values at secret paths are never shown, and any secret of the given
 * config that still ended up in a line is masked.
 */
export function validateConfig<T>(schema: z.ZodType<T>, raw: unknown, opts: ValidateConfigOptions = {}): T {
  const result = schema.safeParse(raw);
  if (result.success) return result.data;

  let json: JsonSchema | undefined;
  try {
    json = cachedJsonSchema(schema);
  } catch {
    json = undefined; // unrepresentable schema: fall back to zod's own messages
  }
  const redact = json === undefined ? (s: string) => s : createRedactor(secretValues(json, raw));
  const problems = result.error.issues
    .flatMap((issue) => describeIssue(issue, raw, json, redact))
    .map(redact);
  const header =
    opts.connector === undefined ? 'Invalid configuration:' : `Invalid configuration for ${opts.connector}:`;
  throw new ConfigValidationError(header, problems);
}

const ROOT = 'config';

function describeIssue(
  issue: z.core.$ZodIssue,
  raw: unknown,
  json: JsonSchema | undefined,
  redact: (s: string) => string,
): string[] {
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => `${formatPath(ROOT, [...issue.path, key])} is not allowed`);
  }
  const path = formatPath(ROOT, issue.path);
  const given = valueAtPath(raw, issue.path);
  if (issue.code === 'custom') return [`${path}: ${issue.message}`];
  if (given === undefined) return [`${path} is required`];
  const at = json === undefined ? { nodes: [], secret: false } : schemasAtPath(json, issue.path);
  // A secret typed into the wrong field is hidden whole: a shortened rendering would not be
  // caught by the redactor and would show the secret's first characters.
  const hidden = at.secret || (typeof given === 'string' && redact(given) !== given);
  const shown = hidden ? 'a secret value (not shown)' : describeGivenValue(given);
  const expected = describeExpected(at.nodes) ?? zodExpectation(issue);
  return [`${path}: expected ${expected}, got ${shown}`];
}

// Used when the JSON schema has nothing to say (e.g. a refinement zod cannot express in JSON Schema).
function zodExpectation(issue: z.core.$ZodIssue): string {
  return issue.message
    .replace(/^Invalid (input|option): expected /, '')
    .replace(/, received \w+$/, '')
    .replace(/^Invalid /, 'a valid ');
}
