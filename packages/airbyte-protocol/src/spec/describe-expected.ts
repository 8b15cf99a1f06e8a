import { isObject, type JsonSchema } from './json-schema.js';

const FORMATS: Record<string, string> = {
  uri: 'a URL',
  url: 'a URL',
  email: 'an email address',
  uuid: 'a UUID',
  'date-time': 'an ISO 8601 date-time',
  date: 'a date (YYYY-MM-DD)',
  time: 'a time (HH:MM:SS)',
  ipv4: 'an IPv4 address',
  ipv6: 'an IPv6 address',
  hostname: 'a host name',
};

const PLURALS: Record<string, string> = {
  string: 'strings',
  integer: 'integers',
  number: 'numbers',
  boolean: 'booleans',
  object: 'objects',
  array: 'arrays',
};

/**
 * What the schemas accept, in words: "an integer between 0 and 65536", "one of "a", "b"",
 * "a non-empty string". Undefined when nothing useful can be said.
 */
export function describeExpected(nodes: readonly JsonSchema[]): string | undefined {
  const descriptions = [...new Set(nodes.map(describeNode).filter((d): d is string => d !== undefined))];
  if (descriptions.length === 0) return undefined;
  const consts = nodes.every((node) => node.const !== undefined);
  if (consts && nodes.length > 1) return `one of ${descriptions.join(', ')}`;
  return descriptions.join(' or ');
}

function describeNode(node: JsonSchema): string | undefined {
  if (node.const !== undefined) return JSON.stringify(node.const);
  if (Array.isArray(node.enum)) {
    const values = node.enum.map((value) => JSON.stringify(value));
    return values.length === 1 ? values[0] : `one of ${values.join(', ')}`;
  }
  const options = Array.isArray(node.oneOf) ? node.oneOf : Array.isArray(node.anyOf) ? node.anyOf : undefined;
  if (options !== undefined) return describeOptions(options.filter(isObject));
  if (Array.isArray(node.type)) {
    const parts = node.type.map((type) => describeType({ ...node, type }));
    return parts.filter((part): part is string => part !== undefined).join(' or ') || undefined;
  }
  return describeType(node);
}

function describeOptions(options: JsonSchema[]): string | undefined {
  const titles = options.map((option) => option.title);
  if (titles.length > 0 && titles.every((title): title is string => typeof title === 'string')) {
    return `an object for one of the options ${titles.map((title) => JSON.stringify(title)).join(', ')}`;
  }
  return describeExpected(options);
}

function describeType(node: JsonSchema): string | undefined {
  switch (node.type) {
    case 'integer':
      return `an integer${describeRange(node)}`;
    case 'number':
      return `a number${describeRange(node)}`;
    case 'string':
      return describeString(node);
    case 'boolean':
      return 'true or false';
    case 'null':
      return 'null';
    case 'object':
      return 'an object';
    case 'array':
      return describeArray(node);
    default:
      return undefined;
  }
}

function describeRange(node: JsonSchema): string {
  const min = numberOr(node.minimum);
  const max = numberOr(node.maximum);
  const exclusiveMin = numberOr(node.exclusiveMinimum);
  const exclusiveMax = numberOr(node.exclusiveMaximum);
  const parts: string[] = [];
  if (min !== undefined && max !== undefined) parts.push(`between ${min} and ${max}`);
  else {
    if (exclusiveMin !== undefined) parts.push(`> ${exclusiveMin}`);
    else if (min !== undefined) parts.push(`>= ${min}`);
    if (exclusiveMax !== undefined) parts.push(`< ${exclusiveMax}`);
    else if (max !== undefined) parts.push(`<= ${max}`);
  }
  const multipleOf = numberOr(node.multipleOf);
  if (multipleOf !== undefined) parts.push(`a multiple of ${multipleOf}`);
  return parts.length === 0 ? '' : ` ${parts.join(' and ')}`;
}

function describeString(node: JsonSchema): string {
  if (typeof node.format === 'string') return FORMATS[node.format] ?? `a string in ${node.format} format`;
  const minLength = numberOr(node.minLength);
  const maxLength = numberOr(node.maxLength);
  let base = 'a string';
  if (minLength !== undefined && maxLength !== undefined) {
    base =
      minLength === maxLength
        ? `a string of ${minLength} characters`
        : `a string of ${minLength} to ${maxLength} characters`;
  } else if (minLength === 1) base = 'a non-empty string';
  else if (minLength !== undefined) base = `a string of at least ${minLength} characters`;
  else if (maxLength !== undefined) base = `a string of at most ${maxLength} characters`;
  if (typeof node.pattern === 'string') {
    const hint = typeof node.pattern_descriptor === 'string' ? ` (${node.pattern_descriptor})` : '';
    return `${base} matching /${node.pattern}/${hint}`;
  }
  return base;
}

function describeArray(node: JsonSchema): string {
  const itemType =
    isObject(node.items) && typeof node.items.type === 'string' ? PLURALS[node.items.type] : undefined;
  const minItems = numberOr(node.minItems);
  const maxItems = numberOr(node.maxItems);
  const base = itemType === undefined ? 'an array' : `an array of ${itemType}`;
  if (minItems !== undefined && maxItems !== undefined)
    return `${base} with ${minItems} to ${maxItems} items`;
  if (minItems === 1) return `a non-empty array${itemType === undefined ? '' : ` of ${itemType}`}`;
  if (minItems !== undefined) return `${base} with at least ${minItems} items`;
  if (maxItems !== undefined) return `${base} with at most ${maxItems} items`;
  return base;
}

function numberOr(value: unknown): number | undefined {
  return typeof value === 'number' ? value : undefined;
}
