import {
  ASTVisitor,
  getNamedType,
  GraphQLError,
  GraphQLInterfaceType,
  GraphQLObjectType,
  isInterfaceType,
  isObjectType,
  Kind,
  SelectionSetNode,
  ValidationContext,
} from 'graphql';

/**
 * Deepest nesting of `{`, `[` and `(` in a GraphQL document, strings and comments skipped.
 * Measured on the text before it is parsed: graphql-js parses, validates and coerces nested
 * literals recursively, so a deep enough one would exhaust the stack instead of failing.
 */
export function nestingOf(source: string): number {
  let depth = 0;
  let deepest = 0;
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === '#') {
      while (i < source.length && source[i] !== '\n' && source[i] !== '\r') i++;
    } else if (c === '"') {
      if (source.startsWith('"""', i)) {
        i += 3;
        while (i < source.length && !source.startsWith('"""', i)) i += source.startsWith('\\"""', i) ? 4 : 1;
        i += 2;
      } else {
        i++;
        while (i < source.length && source[i] !== '"' && source[i] !== '\n') i += source[i] === '\\' ? 2 : 1;
      }
    } else if (c === '{' || c === '[' || c === '(') {
      if (++depth > deepest) deepest = depth;
    } else if (c === '}' || c === ']' || c === ')') {
      depth = Math.max(0, depth - 1);
    }
  }
  return deepest;
}

/** Most field selections the cycle check follows in one operation (fragments expanded) before it refuses it. */
const MAX_WALK = 100_000;

/**
 * Refuses an operation that selects a field inside itself: `incidents → refunds → incident →
 * refunds` asks for `Incident.refunds` within `Incident.refunds`, and each turn multiplies the
 * rows read, whatever the data. Going back once (a refund's incident) is fine. Fragments count
 * as written out. GRAPHQL_VALIDATION_FAILED, before anything runs.
 */
export function noCyclicSelectionRule(context: ValidationContext): ASTVisitor {
  const schema = context.getSchema();
  let walked = 0;
  type Composite = GraphQLObjectType | GraphQLInterfaceType;
  const refuse = (message: string, node: Parameters<ValidationContext['reportError']>[0]['nodes']) => {
    context.reportError(new GraphQLError(message, { nodes: node, extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }));
    return false;
  };
  const walk = (set: SelectionSetNode, type: Composite, onPath: Set<string>, fragments: Set<string>): boolean => {
    for (const sel of set.selections) {
      if (++walked > MAX_WALK) return refuse(`the operation selects more than ${MAX_WALK} fields once its fragments are written out`, [sel]);
      if (sel.kind === Kind.FIELD) {
        const def = type.getFields()[sel.name.value];
        const target = def && getNamedType(def.type);
        if (!sel.selectionSet || !target || !(isObjectType(target) || isInterfaceType(target))) continue;
        const key = `${type.name}.${sel.name.value}`;
        if (onPath.has(key)) return refuse(`${key} is selected inside itself: a cycle multiplies what is read; select it once per path`, [sel]);
        onPath.add(key);
        const ok = walk(sel.selectionSet, target, onPath, fragments);
        onPath.delete(key);
        if (!ok) return false;
      } else {
        const fragment = sel.kind === Kind.FRAGMENT_SPREAD ? context.getFragment(sel.name.value) : sel;
        if (!fragment) continue;
        const name = sel.kind === Kind.FRAGMENT_SPREAD ? sel.name.value : null;
        if (name && fragments.has(name)) continue; // a fragment cycle: graphql-js's own rule reports it
        const condition = fragment.typeCondition ? schema.getType(fragment.typeCondition.name.value) : type;
        if (!condition || !(isObjectType(condition) || isInterfaceType(condition))) continue;
        if (name) fragments.add(name);
        const ok = walk(fragment.selectionSet, condition, onPath, fragments);
        if (name) fragments.delete(name);
        if (!ok) return false;
      }
    }
    return true;
  };
  return {
    OperationDefinition(op) {
      const root = schema.getRootType(op.operation);
      if (root) walk(op.selectionSet, root, new Set(), new Set());
      return false;
    },
  };
}
