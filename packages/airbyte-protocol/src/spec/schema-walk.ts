import { isObject, type JsonSchema } from './json-schema.js';

/** The node and every alternative it offers (oneOf/anyOf/allOf members, recursively). */
export function alternatives(node: JsonSchema): JsonSchema[] {
  const out: JsonSchema[] = [node];
  for (const keyword of ['oneOf', 'anyOf', 'allOf']) {
    const members = node[keyword];
    if (!Array.isArray(members)) continue;
    for (const member of members) if (isObject(member)) out.push(...alternatives(member));
  }
  return out;
}

export function isSecretNode(node: JsonSchema): boolean {
  return alternatives(node).some((alt) => alt.airbyte_secret === true);
}

/** The schemas that may describe the child `segment` of a value described by `node`. */
export function childSchemas(node: JsonSchema, segment: PropertyKey): JsonSchema[] {
  const out: JsonSchema[] = [];
  for (const alt of alternatives(node)) {
    if (typeof segment === 'number') {
      if (isObject(alt.items)) out.push(alt.items);
      else if (Array.isArray(alt.items) && isObject(alt.items[segment])) out.push(alt.items[segment]);
      continue;
    }
    if (typeof segment !== 'string') continue;
    const property = isObject(alt.properties) ? alt.properties[segment] : undefined;
    if (isObject(property)) out.push(property);
    else if (isObject(alt.additionalProperties)) out.push(alt.additionalProperties);
  }
  return out;
}

/**
 * Follows `path` through the schema. `secret` is true when any schema on the way (including the
 * ones at the end) is marked `airbyte_secret`: a path into a secret object is secret too.
 */
export function schemasAtPath(
  root: JsonSchema,
  path: readonly PropertyKey[],
): { nodes: JsonSchema[]; secret: boolean } {
  let nodes = [root];
  let secret = isSecretNode(root);
  for (const segment of path) {
    nodes = nodes.flatMap((node) => childSchemas(node, segment));
    if (nodes.some(isSecretNode)) secret = true;
    if (nodes.length === 0) break;
  }
  return { nodes, secret };
}
