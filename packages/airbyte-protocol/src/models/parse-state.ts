import { ConfigError } from '../errors/tributary-error.js';
import { isPlainObject } from './json.js';
import { type AirbyteStateMessage, AirbyteStateMessageSchema, stateTypeOf } from './state.js';
import { formatZodIssues } from './zod-issues.js';

/**
 * Reads a source's `--state` file. Accepted shapes:
 * - an array of AirbyteStateMessage (the current protocol); items wrapped as `{type: "STATE", state}`
 *   AirbyteMessages are unwrapped;
 * - any other JSON object: a LEGACY state blob, returned as `[{type: "LEGACY", data: object}]`;
 * - `null`, `{}` or `[]`: no state.
 * Mixing state types (e.g. STREAM and GLOBAL) is rejected: a source could not tell which one to use.
 * Throws a ConfigError naming the path of every problem.
 */
export function parseState(value: unknown): AirbyteStateMessage[] {
  if (value === null || value === undefined) return [];
  if (!Array.isArray(value)) {
    if (!isPlainObject(value)) {
      throw new ConfigError('Invalid state: expected an array of state messages or a legacy state object');
    }
    return Object.keys(value).length === 0 ? [] : [{ type: 'LEGACY', data: value }];
  }
  const states: AirbyteStateMessage[] = [];
  const problems: string[] = [];
  value.forEach((item, index) => {
    const wrapped = isPlainObject(item) && item.type === 'STATE' && isPlainObject(item.state);
    const candidate = wrapped ? (item as { state: unknown }).state : item;
    const result = AirbyteStateMessageSchema.safeParse(candidate);
    if (result.success) states.push(candidate as AirbyteStateMessage);
    else
      problems.push(
        ...formatZodIssues(result.error, candidate, wrapped ? `state[${index}].state` : `state[${index}]`),
      );
  });
  if (problems.length > 0) throw new ConfigError(`Invalid state:\n${problems.join('\n')}`);
  const first = states[0];
  if (first !== undefined) {
    const firstType = stateTypeOf(first);
    const mixedAt = states.findIndex((state) => stateTypeOf(state) !== firstType);
    const mixed = states[mixedAt];
    if (mixed !== undefined) {
      throw new ConfigError(
        `Invalid state:\nstate[${mixedAt}]: a ${stateTypeOf(mixed)} state cannot follow ${firstType} states in one state file`,
      );
    }
  }
  return states;
}
