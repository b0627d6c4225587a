/**
 * Walking json-rules-engine condition trees as plain JSON (no engine): the leaves with their
 * JSON pointers, the facts a rule reads, and the categories a rule is limited to.
 */

/** A leaf `{ fact, operator, value, path?, params? }`. */
export interface FactCondition {
  fact: string;
  operator: string;
  value: unknown;
  path?: string;
  params?: Record<string, unknown>;
}

export interface LeafVisit {
  leaf: FactCondition;
  pointer: string;
  /** The `all` groups enclosing this leaf, innermost last (their direct leaf siblings). */
  allGroups: FactCondition[][];
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A leaf condition (has `fact`) as opposed to a group or a reference. */
export function isFactCondition(node: unknown): node is FactCondition {
  return isObject(node) && typeof node.fact === 'string' && typeof node.operator === 'string';
}

/** `{ fact: name }` used as a value: compare with another fact. */
export function factReference(value: unknown): string | null {
  return isObject(value) && typeof value.fact === 'string' ? value.fact : null;
}

/**
 * Visits every node depth-first. `onLeaf` gets each fact condition; `onOther` gets nodes that
 * are neither a group nor a leaf (condition references, malformed nodes) with their pointer.
 * Tolerates malformed input: it is also used on files that failed schema validation.
 */
export function walkConditions(
  root: unknown,
  pointer: string,
  onLeaf: (visit: LeafVisit) => void,
  onOther: (node: unknown, pointer: string) => void = () => undefined,
): void {
  const visit = (node: unknown, ptr: string, allGroups: FactCondition[][]): void => {
    if (!isObject(node)) return onOther(node, ptr);
    if (Array.isArray(node.all)) {
      const leaves = node.all.filter(isFactCondition);
      node.all.forEach((child, i) => visit(child, `${ptr}/all/${i}`, [...allGroups, leaves]));
    } else if (Array.isArray(node.any)) {
      node.any.forEach((child, i) => visit(child, `${ptr}/any/${i}`, allGroups));
    } else if ('not' in node) {
      // An `all` group outside a `not` still scopes what is inside it: all[A, not(B)] is about A.
      visit(node.not, `${ptr}/not`, allGroups);
    } else if (isFactCondition(node)) {
      onLeaf({ leaf: node, pointer: ptr, allGroups });
    } else {
      onOther(node, ptr);
    }
  };
  visit(root, pointer, []);
}

/** Every fact a condition tree reads, as a leaf's fact or as a `{ fact }` value, in first-seen order. */
export function factsRead(conditions: unknown): string[] {
  const facts = new Set<string>();
  walkConditions(conditions, '', ({ leaf }) => {
    facts.add(leaf.fact);
    const ref = factReference(leaf.value);
    if (ref) facts.add(ref);
  });
  return [...facts];
}

/** The literal values a leaf on `fact` compares with under equal / in (null otherwise). */
export function positiveValues(leaf: FactCondition, fact: string): string[] | null {
  if (leaf.fact !== fact || leaf.path !== undefined) return null;
  if (leaf.operator === 'equal' && typeof leaf.value === 'string') return [leaf.value];
  if (leaf.operator === 'in' && Array.isArray(leaf.value)) return leaf.value.filter((v): v is string => typeof v === 'string');
  return null;
}

/**
 * The value each of `facts` has whenever the rule holds, when its root `all` fixes every one of
 * them with a direct `equal` leaf on a string or a boolean (no path, no params: `===` on the
 * fact itself); null when any of them is not fixed so.
 */
export function fixedFacts(conditions: unknown, facts: readonly string[]): Record<string, string | boolean> | null {
  if (!isObject(conditions) || !Array.isArray(conditions.all)) return null;
  const fixed: Record<string, string | boolean> = {};
  for (const fact of facts) {
    const leaf = conditions.all.find(
      (c): c is FactCondition =>
        isFactCondition(c) && c.fact === fact && c.operator === 'equal' && c.path === undefined && c.params === undefined && (typeof c.value === 'string' || typeof c.value === 'boolean'),
    );
    if (!leaf) return null;
    fixed[fact] = leaf.value as string | boolean;
  }
  return fixed;
}

/**
 * The categories a rule can fire for, when its root is an `all` with a direct
 * `category equal|in` leaf; null when the rule may fire for any category.
 */
export function rootCategories(conditions: unknown): string[] | null {
  if (!isObject(conditions) || !Array.isArray(conditions.all)) return null;
  let categories: string[] | null = null;
  for (const child of conditions.all) {
    if (!isFactCondition(child)) continue;
    const values = positiveValues(child, 'category');
    if (values) categories = categories ? categories.filter((c) => values.includes(c)) : values;
  }
  return categories;
}
