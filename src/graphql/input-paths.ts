import type { ApolloServerPlugin } from '@apollo/server';
import { Kind } from 'graphql';
import type { ArgumentNode, ASTNode, DocumentNode, FieldNode, OperationDefinitionNode, SelectionSetNode, ValueNode } from 'graphql';
import type { GqlContext } from './context';
import { requestHooks } from './request-hooks';

/**
 * The contract's `extensions.field` names the input path of a bad value ("input.occurredAt"),
 * however the value came:
 * - as a variable, graphql-js names the variable ("$i" → "i.occurredAt"): the path the
 *   variable stands for in the operation replaces its name;
 * - written in the query itself, validation refuses it (GRAPHQL_VALIDATION_FAILED, no field):
 *   it is bad input like any other, so it becomes BAD_USER_INPUT with its path.
 * Errors about the document itself (syntax, unknown output fields) keep Apollo's codes.
 */
const paths = new WeakMap<object, string>();

/** The input path found for `error` by `inputPathPlugin`, if any. */
export function inputPathOf(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null ? paths.get(error) : undefined;
}

export function inputPathPlugin(): ApolloServerPlugin<GqlContext> {
  return requestHooks({
    async didEncounterErrors({ errors, document, operationName }) {
      if (!document) return;
      for (const error of errors) {
        const code = error.extensions?.code;
        const path =
          code === 'GRAPHQL_VALIDATION_FAILED'
            ? literalPath(document, error.nodes?.[0], error.message)
            : code === 'BAD_USER_INPUT'
              ? variablePath(document, operationName ?? null, error.message)
              : undefined;
        if (path) paths.set(error, path);
      }
    },
  });
}

type Path = Array<string | number>;

function text(path: Path): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
}

/** Every argument of every field in the document's operations and fragments, with its field. */
function* argumentsOf(document: DocumentNode, operationName: string | null): Generator<{ field: FieldNode; argument: ArgumentNode }> {
  function* inSelections(set: SelectionSetNode | undefined): Generator<{ field: FieldNode; argument: ArgumentNode }> {
    for (const s of set?.selections ?? []) {
      if (s.kind === Kind.FIELD) {
        for (const argument of s.arguments ?? []) yield { field: s, argument };
      }
      if (s.kind !== Kind.FRAGMENT_SPREAD) yield* inSelections(s.selectionSet);
    }
  }
  for (const d of document.definitions) {
    if (d.kind === Kind.OPERATION_DEFINITION && operationName && d.name?.value !== operationName) continue;
    if (d.kind === Kind.OPERATION_DEFINITION || d.kind === Kind.FRAGMENT_DEFINITION) yield* inSelections((d as OperationDefinitionNode).selectionSet);
  }
}

/** The path of `target` inside `value` (reached by `path`), or null. */
function find(value: ValueNode, target: ASTNode | ((v: ValueNode) => boolean), path: Path): Path | null {
  if (typeof target === 'function' ? target(value) : value === target) return path;
  if (value.kind === Kind.OBJECT) {
    for (const f of value.fields) {
      if (f === target) return [...path, f.name.value];
      const hit = find(f.value, target, [...path, f.name.value]);
      if (hit) return hit;
    }
  }
  if (value.kind === Kind.LIST) {
    for (let i = 0; i < value.values.length; i++) {
      const hit = find(value.values[i], target, [...path, i]);
      if (hit) return hit;
    }
  }
  return null;
}

/**
 * A value written in the query: where the refused node sits under an argument. A missing
 * required input field is refused on its object ("Field "ReportIncidentInput.category" of
 * required type …"), a missing required argument on its field.
 */
function literalPath(document: DocumentNode, node: ASTNode | undefined, message: string): string | undefined {
  if (!node) return undefined;
  for (const { field, argument } of argumentsOf(document, null)) {
    if (node === field) {
      const missing = /argument "([^"]+)" of type "[^"]+" is required/.exec(message)?.[1];
      if (missing) return missing;
      continue;
    }
    const hit = node === argument ? [argument.name.value] : find(argument.value, node, [argument.name.value]);
    if (!hit) continue;
    const missing = /^Field "[^".]+\.([^"]+)" of required type/.exec(message)?.[1];
    return text(missing ? [...hit, missing] : hit);
  }
  return undefined;
}

/**
 * A variable graphql-js refused: the variable's name in `fieldOf`'s path becomes the path the
 * variable is used at in the operation.
 */
function variablePath(document: DocumentNode, operationName: string | null, message: string): string | undefined {
  const name = /^Variable "\$([^"]+)"/.exec(message)?.[1];
  const field = fieldOf(message);
  if (!name || !field) return undefined;
  const within = field.slice(name.length); // ".occurredAt", "[0].code" or ""
  for (const { argument } of argumentsOf(document, operationName)) {
    const hit = find(argument.value, (v) => v.kind === Kind.VARIABLE && v.name.value === name, [argument.name.value]);
    if (hit) return text(hit) + within;
  }
  return undefined;
}

/**
 * The input path named in graphql-js variable errors:
 * `Variable "$input" got invalid value "x" at "input.amount"; …` → input.amount;
 * `…; Field "source" of required type "String!" was not provided.` → input.source.
 */
export function fieldOf(message: string): string | undefined {
  const variable = /^Variable "\$([^"]+)"/.exec(message)?.[1];
  if (!variable) return undefined;
  const at = /got invalid value .* at "([^"]+)"/.exec(message)?.[1] ?? variable;
  const missing = /Field "([^"]+)" of required type/.exec(message)?.[1] ?? /Field "([^"]+)" is not defined by type/.exec(message)?.[1];
  return missing ? `${at}.${missing}` : at;
}
