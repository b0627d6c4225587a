/**
 * json-rules-engine conditions compiled once into synchronous closures that give json-rules-engine
 * 7.3's results exactly (read against its dist/rule.js, condition.js, almanac.js, operator*.js):
 *
 * - leaves `{ fact, operator, value, path?, params? }`: the operator is json-rules-engine's own
 *   Operator (validator, then callback), so `in`/`notIn`/`contains`/numeric comparisons treat
 *   null, strings and lists as it does; a `{ fact }` value reads that fact; `path` goes through
 *   its JSONPath resolver (objects only); `params` mean nothing for constant facts;
 * - a fact the run does not have throws "Undefined fact" (allowUndefinedFacts: false), and an
 *   unknown operator throws "Unknown operator", as json-rules-engine's run rejects;
 * - `all: []` and `any: []` hold; one child passes its result through; `not` negates;
 * - with several children, json-rules-engine evaluates them in priority sets (highest first),
 *   every child of a set, and stops between sets once the group is decided. The result does
 *   not depend on that order, only whether an error is reached does: groups whose children
 *   cannot throw simply short-circuit, the others follow json-rules-engine's order exactly.
 *
 * Invariant: fact values are JSON values (null, booleans, numbers, strings, lists, objects), as
 * the API delivers them. On those, the built-in operators cannot throw except `in`/`notIn`
 * against something that is not a list.
 *
 * A tree compiles to JavaScript source, generated once per rule (`ConditionSource`): leaves the
 * compiler specialises (a plain fact against a literal with equal, notEqual, in, notIn or a
 * numeric comparison) and groups that cannot throw are written out as expressions; anything else
 * (json-rules-engine's operators, paths, fact references, groups run in json-rules-engine's
 * priority order) is its closure, called from the source. A rule's `test` is that source made a
 * function, and CompiledStages writes the sources of a category's rules into one function, so
 * a decision makes one call per few rules instead of one per condition.
 */
import { Almanac, Engine } from 'json-rules-engine';
import { BUILT_IN_LANGUAGE, ConditionLanguage, operandShape } from './condition-language';
import { constant, generatedFunction, literal } from './generated-code';

export type FactValues = Readonly<Record<string, unknown>>;
export type ConditionTest = (facts: FactValues) => boolean;

export interface CompiledConditions {
  test: ConditionTest;
  /** Can a run throw (as json-rules-engine's would reject)? A rule that cannot is safe to skip when it cannot hold. */
  canThrow: boolean;
  /** The test as a JavaScript expression (over `f`, the facts, and `c`, the constants it adds to `constants`): test(f) is its value. */
  source(constants: unknown[]): string;
}

/** Source of a condition: an expression over `f` (the facts) and `c` (the constants, which it appends to). */
export type ConditionSource = (constants: unknown[]) => string;

/** Calls the node's closure from the source: for what is not written out. */
const callOf =
  (test: ConditionTest): ConditionSource =>
  (constants) =>
    `${constant(constants, test)}(f)`;

/** A condition tree outside what the compiler reproduces exactly (the caller keeps json-rules-engine). */
export class UnsupportedConditionError extends Error {
  constructor(readonly pointer: string, reason: string) {
    super(`${pointer || '/'}: ${reason}`);
    this.name = 'UnsupportedConditionError';
  }
}

/** json-rules-engine's error for a fact the run was not given (its class is not exported). */
export class UndefinedFactError extends Error {
  readonly code = 'UNDEFINED_FACT';
  constructor(fact: unknown) {
    super(`Undefined fact: ${String(fact)}`);
    this.name = 'UndefinedFactError';
  }
}

interface JreOperator {
  name: string;
  evaluate(factValue: unknown, jsonValue: unknown): boolean;
}

/** A compiled node, with what json-rules-engine would group it by in its parent. */
interface Node extends CompiledConditions {
  priority: unknown;
}

/** A node before its source is known: a closure-only node's source calls the closure. */
type Compiled = Omit<Node, 'source'> & { source?: ConditionSource };

const withSource = (node: Compiled): Node => ({ ...node, source: node.source ?? callOf(node.test) });

type Reader = (facts: FactValues) => unknown;

const BUILT_IN = new Set(['equal', 'notEqual', 'in', 'notIn', 'lessThan', 'lessThanInclusive', 'greaterThan', 'greaterThanInclusive', 'contains', 'doesNotContain']);
const BOOLEAN_KEYS = ['any', 'all', 'not'] as const;

const hasOwn = (o: object, key: string) => Object.prototype.hasOwnProperty.call(o, key);
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** json-rules-engine's operators (built-ins and decorated forms such as `not:in`), from a private Engine. */
const operators = (new Engine([], {}) as unknown as { operators: { get(name: string): JreOperator | null } }).operators;
/** json-rules-engine's default path resolver (JSONPath, unwrapped). */
const resolvePath = (new Almanac({}) as unknown as { pathResolver: (value: object, path: string) => unknown }).pathResolver;

/**
 * Compiles one rule's `conditions` for runs that have exactly the facts `facts`.
 * @throws UnsupportedConditionError for trees json-rules-engine itself would refuse, condition
 *   references, or priorities it would order by string keys.
 */
export function compileConditions(conditions: unknown, facts: ReadonlySet<string>, language: ConditionLanguage = BUILT_IN_LANGUAGE): CompiledConditions {
  if (!isObject(conditions)) throw new UnsupportedConditionError('', 'conditions must be an object');
  if (!BOOLEAN_KEYS.some((k) => hasOwn(conditions, k))) throw new UnsupportedConditionError('', 'the root must be all, any or not');
  const { canThrow, source } = compileNode(conditions, '', { facts, language });
  const constants: unknown[] = [];
  const test = generatedFunction<ConditionTest>(['f'], `return ${source(constants)};`, constants);
  return { test, canThrow, source };
}

/** What a whole tree compiles against: the facts of the run and the pack's language (its custom operators). */
interface Scope {
  facts: ReadonlySet<string>;
  language: ConditionLanguage;
}

function compileNode(node: unknown, pointer: string, scope: Scope): Node {
  return withSource(compileTree(node, pointer, scope));
}

function compileTree(node: unknown, pointer: string, scope: Scope): Compiled {
  if (!isObject(node)) throw new UnsupportedConditionError(pointer, 'a condition must be an object');
  const kinds = [...BOOLEAN_KEYS, 'condition', 'fact'].filter((k) => hasOwn(node, k));
  if (kinds.length !== 1) throw new UnsupportedConditionError(pointer, `expected exactly one of all, any, not or fact; found ${kinds.join(', ') || 'none'}`);
  const [kind] = kinds;
  if (kind === 'condition') throw new UnsupportedConditionError(pointer, 'condition references are not compiled');
  if (kind === 'fact') return compileLeaf(node, pointer, scope);
  // A group's own priority is parseInt(priority) || 1 (condition.js).
  const priority = Number.parseInt(node.priority as string, 10) || 1;
  if (kind === 'not') {
    if (Array.isArray(node.not)) throw new UnsupportedConditionError(`${pointer}/not`, '"not" cannot be an array');
    const child = compileNode(node.not, `${pointer}/not`, scope);
    const inner = child.test;
    return { test: (f) => !inner(f), canThrow: child.canThrow, priority, source: (constants) => `!(${child.source(constants)})` };
  }
  const list = node[kind];
  if (!Array.isArray(list)) throw new UnsupportedConditionError(`${pointer}/${kind}`, `"${kind}" must be an array`);
  const children = list.map((child, i) => compileNode(child, `${pointer}/${kind}/${i}`, scope));
  return { ...compileGroup(kind as 'all' | 'any', children, `${pointer}/${kind}`), priority };
}

function compileGroup(kind: 'all' | 'any', children: Node[], pointer: string): Omit<Compiled, 'priority'> {
  const tests = children.map((c) => c.test);
  if (tests.length === 0) return { test: () => true, canThrow: false, source: () => 'true' };
  if (tests.length === 1) return { test: tests[0], canThrow: children[0].canThrow, source: children[0].source };
  const canThrow = children.some((c) => c.canThrow);
  if (!canThrow) return { test: shortCircuit(kind, tests), canThrow, source: shortCircuitSource(kind, children) };
  // json-rules-engine's order (rule.js prioritizeAndRun): sets by priority, highest first; every
  // child of a set is evaluated; the group stops after a set that decides it.
  const sets = prioritySets(children, pointer);
  // A set decides an `any` when some child holds, an `all` when some child does not.
  const decisive = kind === 'any';
  return {
    canThrow,
    test: (f) => {
      for (const set of sets) {
        let decided = false;
        for (const test of set) if ((test(f) === true) === decisive) decided = true;
        if (decided) return decisive;
      }
      return !decisive;
    },
  };
}

/** shortCircuit's expression: two children's values as they are, more children's as booleans (every, some). */
function shortCircuitSource(kind: 'all' | 'any', children: Node[]): ConditionSource {
  const op = kind === 'all' ? ' && ' : ' || ';
  if (children.length === 2) return (constants) => `(${children.map((c) => `(${c.source(constants)})`).join(op)})`;
  return (constants) => `(${children.map((c) => `!!(${c.source(constants)})`).join(op)})`;
}

function shortCircuit(kind: 'all' | 'any', tests: ConditionTest[]): ConditionTest {
  if (tests.length === 2) {
    const [a, b] = tests;
    return kind === 'all' ? (f) => a(f) && b(f) : (f) => a(f) || b(f);
  }
  return kind === 'all' ? (f) => tests.every((t) => t(f)) : (f) => tests.some((t) => t(f));
}

/**
 * Children grouped as json-rules-engine's prioritizeConditions does: by the condition's own
 * priority, or 1 (the fact's priority; runtime facts have 1); sets ordered highest first.
 */
function prioritySets(children: Node[], pointer: string): ConditionTest[][] {
  const byPriority = new Map<number, ConditionTest[]>();
  for (const child of children) {
    const priority = child.priority || 1;
    // Object keys sorted by Number(key) are only well ordered for distinct finite numbers.
    if (typeof priority !== 'number' || !Number.isFinite(priority)) {
      throw new UnsupportedConditionError(pointer, `priority ${JSON.stringify(child.priority)} is not a number`);
    }
    const set = byPriority.get(priority) ?? [];
    set.push(child.test);
    byPriority.set(priority, set);
  }
  return [...byPriority.entries()].sort(([a], [b]) => b - a).map(([, set]) => set);
}

function compileLeaf(node: Record<string, unknown>, pointer: string, { facts, language }: Scope): Compiled {
  for (const key of ['operator', 'value']) {
    if (!hasOwn(node, key)) throw new UnsupportedConditionError(pointer, `a fact condition needs "${key}"`);
  }
  if (typeof node.operator !== 'string') throw new UnsupportedConditionError(pointer, 'operator must be a string');
  // A leaf's priority is its own, unparsed (condition.js copies it before parsing).
  const priority = node.priority;
  // A pack's custom operator takes the name before json-rules-engine's (the engine adds it so too).
  const op = (language.engineOperator(node.operator) as unknown as JreOperator | undefined) ?? operators.get(node.operator);
  if (!op) {
    const message = `Unknown operator: ${node.operator}`;
    return { test: () => { throw new Error(message); }, canThrow: true, priority };
  }
  const value = node.value;
  const reference = operandShape(value) === 'factRef' ? (value as Record<string, unknown>) : null;
  const rhs = reference ? readFact(reference.fact, reference.path, facts, `${pointer}/value`) : null;
  const lhs = readFact(node.fact, node.path, facts, pointer);
  const canThrow = lhs.canThrow || (rhs?.canThrow ?? false) || !BUILT_IN.has(op.name)
    || ((op.name === 'in' || op.name === 'notIn') && (rhs !== null || !Array.isArray(value)));

  if (rhs) {
    // Both sides are read (almanac.getValue first), then compared.
    const right = rhs.read;
    const left = lhs.read;
    return { test: (f) => { const b = right(f); return op.evaluate(left(f), b); }, canThrow, priority };
  }
  return { ...compare(op, lhs, value), canThrow, priority };
}

const COMPARISONS: Readonly<Record<string, string>> = { lessThan: '<', lessThanInclusive: '<=', greaterThan: '>', greaterThanInclusive: '>=' };

/**
 * A leaf against a literal, specialised where that is provably the operator's own result, with
 * the source of the specialised forms (the same expression, `value` a literal or constant). Fact
 * values are plain data, so reading one twice reads the same value.
 */
function compare(op: JreOperator, lhs: { read: Reader; fact: string | null }, value: unknown): { test: ConditionTest; source?: ConditionSource } {
  const fact = lhs.fact;
  if (fact === null) {
    const read = lhs.read;
    return { test: (f) => op.evaluate(read(f), value) };
  }
  const a = `f[${JSON.stringify(fact)}]`;
  switch (op.name) {
    case 'equal': return { test: (f) => f[fact] === value, source: (c) => `${a} === ${literal(c, value)}` };
    case 'notEqual': return { test: (f) => f[fact] !== value, source: (c) => `${a} !== ${literal(c, value)}` };
    case 'in':
      if (Array.isArray(value)) return { test: (f) => value.indexOf(f[fact]) > -1, source: (c) => membership(c, a, value) ?? `${constant(c, value)}.indexOf(${a}) > -1` };
      break;
    case 'notIn':
      if (Array.isArray(value)) return { test: (f) => value.indexOf(f[fact]) === -1, source: (c) => { const m = membership(c, a, value); return m === null ? `${constant(c, value)}.indexOf(${a}) === -1` : `!${m}`; } };
      break;
    // For a number the validator (parseFloat(a).toString() !== 'NaN') only rejects NaN, which
    // every comparison rejects too; anything else goes through the operator itself.
    case 'lessThan': return { test: (f) => { const x = f[fact]; return typeof x === 'number' ? x < (value as number) : op.evaluate(x, value); }, source: numeric(op, a, value) };
    case 'lessThanInclusive': return { test: (f) => { const x = f[fact]; return typeof x === 'number' ? x <= (value as number) : op.evaluate(x, value); }, source: numeric(op, a, value) };
    case 'greaterThan': return { test: (f) => { const x = f[fact]; return typeof x === 'number' ? x > (value as number) : op.evaluate(x, value); }, source: numeric(op, a, value) };
    case 'greaterThanInclusive': return { test: (f) => { const x = f[fact]; return typeof x === 'number' ? x >= (value as number) : op.evaluate(x, value); }, source: numeric(op, a, value) };
    default: break;
  }
  return { test: (f) => op.evaluate(f[fact], value) };
}

/** Lists up to this long are written out as comparisons (the common short lists of codes). */
const MEMBERSHIP_LIMIT = 8;

/**
 * `list.indexOf(a) > -1` as a chain of `===` (indexOf's own comparison), with the items as
 * literals or constants: no builtin call per condition. Null for a list too long, or with holes
 * (which indexOf skips and a comparison would not).
 */
function membership(constants: unknown[], a: string, list: readonly unknown[]): string | null {
  if (list.length > MEMBERSHIP_LIMIT) return null;
  for (let i = 0; i < list.length; i++) if (!(i in list)) return null;
  if (list.length === 0) return '(false)';
  return `(${list.map((item) => `${a} === ${literal(constants, item)}`).join(' || ')})`;
}

/** The numeric comparisons' source: the comparison on a number, the operator itself on anything else. */
function numeric(op: JreOperator, a: string, value: unknown): ConditionSource {
  const evaluate = (x: unknown) => op.evaluate(x, value);
  // A missing fact (null) is the commonest non-number: the operator's answer for it, asked once
  // (json-rules-engine's numeric operators are pure: their validator rejects null before comparing).
  const onNull = evaluate(null);
  const other = (c: unknown[]) => (typeof onNull === 'boolean' ? `${a} === null ? ${onNull} : ${constant(c, evaluate)}(${a})` : `${constant(c, evaluate)}(${a})`);
  return (c) => `(typeof ${a} === "number" ? ${a} ${COMPARISONS[op.name]} ${literal(c, value)} : ${other(c)})`;
}

/**
 * Reads a fact as the almanac does. `fact` is set when the read is a plain property read.
 * With a path, an object value goes through the JSONPath resolver and anything else is the value itself.
 */
function readFact(fact: unknown, path: unknown, facts: ReadonlySet<string>, pointer: string): { read: Reader; fact: string | null; canThrow: boolean } {
  if (typeof fact !== 'string' || !facts.has(fact)) {
    return { read: () => { throw new UndefinedFactError(fact); }, fact: null, canThrow: true };
  }
  if (path === undefined || path === null || path === '') return { read: (f) => f[fact], fact, canThrow: false };
  if (typeof path !== 'string') throw new UnsupportedConditionError(pointer, 'path must be a string');
  return {
    read: (f) => {
      const value = f[fact];
      return value !== null && typeof value === 'object' ? resolvePath(value, path) : value;
    },
    fact: null,
    canThrow: true,
  };
}

/**
 * The values the input's `category` must be among for the rule to hold: from the root `all`'s
 * direct `category equal | in [list]` leaves (intersected), or null when the rule may hold for
 * any category. Only meaningful for rules that cannot throw.
 */
export function categoryLimit(conditions: unknown): unknown[] | null {
  if (!isObject(conditions) || !Array.isArray(conditions.all) || hasOwn(conditions, 'any') || hasOwn(conditions, 'not')) return null;
  let limit: unknown[] | null = null;
  for (const leaf of conditions.all) {
    if (!isObject(leaf) || leaf.fact !== 'category' || leaf.path || [...BOOLEAN_KEYS, 'condition'].some((k) => hasOwn(leaf, k))) continue;
    const value = leaf.value;
    if (value !== null && typeof value === 'object' && hasOwn(value, 'fact')) continue;
    let values: unknown[];
    if (leaf.operator === 'equal') values = [value];
    else if (leaf.operator === 'in' && Array.isArray(value)) values = value;
    else continue;
    limit = limit === null ? [...values] : limit.filter((v) => values.includes(v));
  }
  return limit;
}
