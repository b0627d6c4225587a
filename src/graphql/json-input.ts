import { GraphQLError, GraphQLScalarType, Kind, type ValueNode } from 'graphql';
import { JSONResolver } from 'graphql-scalars';

/** Bounds on every JSON input (the JSON scalar), from JSON_MAX_DEPTH / JSON_MAX_BYTES. */
export const jsonInputLimits = { maxDepth: 16, maxBytes: 65_536 };

/** Sets the bounds at boot (createApp): one value per process, like the schema itself. */
export function setJsonInputLimits(limits: { maxDepth: number; maxBytes: number }): void {
  Object.assign(jsonInputLimits, limits);
}

/** Nesting of a JSON value (a scalar 0, `{}` 1, `{"a":[1]}` 2), counted without recursion and given up past `limit`. */
export function jsonDepth(value: unknown, limit: number): number {
  let deepest = 0;
  const stack: Array<[unknown, number]> = [[value, 0]];
  while (stack.length) {
    const [v, depth] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    const here = depth + 1;
    if (here > deepest) deepest = here;
    if (deepest > limit) return deepest;
    for (const child of Array.isArray(v) ? v : Object.values(v)) stack.push([child, here]);
  }
  return deepest;
}

/** The same for a literal written in the query, before anything walks it recursively. */
function literalDepth(ast: ValueNode, limit: number): number {
  let deepest = 0;
  const stack: Array<[ValueNode, number]> = [[ast, 0]];
  while (stack.length) {
    const [node, depth] = stack.pop()!;
    if (node.kind !== Kind.OBJECT && node.kind !== Kind.LIST) continue;
    const here = depth + 1;
    if (here > deepest) deepest = here;
    if (deepest > limit) return deepest;
    if (node.kind === Kind.OBJECT) for (const f of node.fields) stack.push([f.value, here]);
    else for (const v of node.values) stack.push([v, here]);
  }
  return deepest;
}

function bounded(value: unknown): unknown {
  const { maxDepth, maxBytes } = jsonInputLimits;
  if (jsonDepth(value, maxDepth) > maxDepth) throw new GraphQLError(`JSON nested deeper than ${maxDepth} levels`);
  if (Buffer.byteLength(JSON.stringify(value) ?? '') > maxBytes) throw new GraphQLError(`JSON larger than ${maxBytes} bytes`);
  return value;
}

/**
 * graphql-scalars' JSON, bounded in depth and size: its own literal parser recurses per level
 * (a 3,000-deep literal overflowed the stack), and nothing bounded what a variable could hold.
 * Past a bound: a coded BAD_USER_INPUT naming the argument, as for any bad value.
 */
export const BoundedJSONScalar = new GraphQLScalarType({
  ...JSONResolver.toConfig(),
  parseValue: (value) => bounded(value),
  parseLiteral: (ast, variables) => {
    const { maxDepth } = jsonInputLimits;
    if (literalDepth(ast, maxDepth) > maxDepth) throw new GraphQLError(`JSON nested deeper than ${maxDepth} levels`);
    return bounded(JSONResolver.parseLiteral(ast, variables));
  },
});
