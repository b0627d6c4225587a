/**
 * Meaning checks over a parsed rule pack: what JSON Schema cannot know (codes from the
 * catalog, facts per stage, duplicate names, operator/value types). Pure: no I/O, no engine.
 * Tolerant of malformed input, so every problem of a pack is reported in one pass.
 */
import { pointerJoin, RuleProblem } from './rule-pack.errors';
import { FactCondition, factReference, positiveValues, walkConditions } from './rule-conditions';
import { BUILT_IN_LANGUAGE, BUILT_IN_OPERATORS, ConditionLanguage, operandShape, OperatorSpec, pathAllowed, SHAPE_NAMES } from './condition-language';
import { SEVERITIES } from './types';
import { Add, CatalogCodes, codesOf, durationProblem, FACT_TYPES, isObject, list, PackFile } from './rule-pack.check-helpers';
import { FACTS, FactRegistry, FactType } from './facts';
import { checkCatalog } from './rule-pack.catalog-checks';

export { checkCatalog, durationProblem, FACT_TYPES };
export type { PackFile };

/** json-rules-engine's built-in operators (condition-language.ts declares what each accepts). */
export const OPERATORS = Object.keys(BUILT_IN_OPERATORS);

export const EVENT_TYPES = ['severity', 'escalate', 'owner', 'notify', 'action', 'refundChain', 'insertRefundStep', 'remedies'] as const;

/** The facts a rule of `stage` may read. */
export function factsForStage(stage: number, facts: FactRegistry = FACTS): string[] {
  return facts.forStage(stage);
}

/** Meaning checks of the rule files against the catalog (and each other: duplicate names), for the facts of `facts`. */
export function checkRuleFiles(catalog: unknown, files: PackFile[], language: ConditionLanguage = BUILT_IN_LANGUAGE, facts: FactRegistry = FACTS): RuleProblem[] {
  const codes = codesOf(catalog);
  const problems: RuleProblem[] = [];
  const seen = new Map<string, string>();
  for (const { file, data } of files) {
    const rules = isObject(data) ? data.rules : undefined;
    if (!Array.isArray(rules)) {
      problems.push({ file, pointer: '/rules', message: 'a rule file needs a "rules" array' });
      continue;
    }
    rules.forEach((rule, i) => {
      const at = `/rules/${i}`;
      const add = (pointer: string, message: string) => problems.push({ file, pointer, message });
      if (!isObject(rule)) return add(at, 'a rule must be an object');
      if (typeof rule.name === 'string') {
        const first = seen.get(rule.name);
        if (first) add(`${at}/name`, `duplicate rule name "${rule.name}" (first at ${first})`);
        else seen.set(rule.name, `${file}:${at}`);
      }
      const stage = typeof rule.stage === 'number' && Number.isInteger(rule.stage) ? rule.stage : null;
      if (stage === null) {
        if (rule.stage !== undefined) add(`${at}/stage`, 'stage must be a whole number, 1 or more');
      } else if (stage < 1) add(`${at}/stage`, `stage ${stage} is below 1; stage 1 reads the report, stage 2+ also what earlier stages decided`);
      const stageFacts = factsForStage(stage ?? 1, facts);
      // A missing property is the schema's to report ("must have required property").
      if (rule.conditions !== undefined) checkConditions(rule.conditions, `${at}/conditions`, stage ?? 1, stageFacts, codes, language, facts, add);
      checkReason(rule.reason, `${at}/reason`, stageFacts, add);
      if (rule.event !== undefined) checkEvent(rule.event, `${at}/event`, codes, add);
    });
  }
  return problems;
}

/** Every meaning problem of a parsed pack. */
export function checkPack(catalog: PackFile, ruleFiles: PackFile[], language: ConditionLanguage = BUILT_IN_LANGUAGE): RuleProblem[] {
  return [...checkCatalog(catalog), ...checkRuleFiles(catalog.data, ruleFiles, language)];
}

function checkConditions(
  conditions: unknown,
  at: string,
  stage: number,
  stageFacts: string[],
  codes: CatalogCodes,
  language: ConditionLanguage,
  facts: FactRegistry,
  add: Add,
): void {
  const types = facts.types;
  if (!isObject(conditions) || !['all', 'any', 'not', 'condition'].some((k) => k in conditions)) {
    add(at, 'conditions must be { "all": [...] }, { "any": [...] }, { "not": {...} } or { "condition": name }');
    return;
  }
  const checkFact = (fact: string, pointer: string): boolean => {
    if (stageFacts.includes(fact)) return true;
    if (facts.decided.includes(fact)) add(pointer, `fact "${fact}" is decided by the rules; only stage 2 or later may read it (this rule is stage ${stage})`);
    else add(pointer, `unknown fact "${fact}"; one of ${list(stageFacts)}`);
    return false;
  };
  const checkPath = (fact: string, path: unknown, pointer: string) => {
    if (path !== undefined && !pathAllowed(types[fact])) {
      add(pointer, `"path" reads into object-valued facts; "${fact}" is a single ${types[fact]}: compare it without a path`);
    }
  };
  walkConditions(
    conditions,
    at,
    ({ leaf, pointer, allGroups }) => {
      const factKnown = checkFact(leaf.fact, `${pointer}/fact`);
      if (factKnown) checkPath(leaf.fact, leaf.path, `${pointer}/path`);
      const shape = operandShape(leaf.value);
      let refType: string | null = null;
      if (shape === 'factRef') {
        const value = leaf.value as Record<string, unknown>;
        const ref = factReference(value);
        if (ref === null) add(`${pointer}/value/fact`, 'a fact reference names a fact: { "fact": name }');
        else if (checkFact(ref, `${pointer}/value/fact`)) {
          refType = types[ref];
          checkPath(ref, value.path, `${pointer}/value/path`);
        }
        for (const key of Object.keys(value)) if (key !== 'fact' && key !== 'path') add(`${pointer}/value/${key}`, `unknown property "${key}" of a fact reference`);
      }
      const spec = language.spec(leaf.operator);
      if (!spec) {
        add(`${pointer}/operator`, `unknown operator "${leaf.operator}"; one of ${list(language.operators)}`);
        return;
      }
      if (!factKnown) return;
      if (!checkOperand(leaf, types[leaf.fact], spec, shape, refType, pointer, add)) return;
      if (shape !== 'factRef') checkCodes(leaf.fact, leaf.operator, leaf.value, allGroups, `${pointer}/value`, codes, add);
    },
    (node, pointer) => {
      if (isObject(node) && typeof node.condition === 'string') {
        add(`${pointer}/condition`, `condition reference "${node.condition}": a pack defines no named conditions; write the conditions out`);
      } else {
        add(pointer, 'not a condition: expected all, any, not or { "fact", "operator", "value" }');
      }
    },
  );
}

/**
 * The operator applies to the fact's type, its value has a shape the operator accepts, and the
 * value (each listed value, the referenced fact) has the fact's type. False when it does not fit.
 */
function checkOperand(
  leaf: FactCondition,
  type: FactType,
  spec: OperatorSpec,
  shape: ReturnType<typeof operandShape>,
  refType: string | null,
  leafAt: string,
  add: Add,
): boolean {
  const { fact, operator, value } = leaf;
  const at = `${leafAt}/value`;
  if (!spec.factTypes.includes(type)) {
    if (spec.factTypes.includes('list')) add(`${leafAt}/operator`, `operator "${operator}" needs a list-valued fact; "${fact}" is a single ${type}: use equal or in`);
    else if (spec.factTypes.length === 1 && spec.factTypes[0] === 'number') add(`${leafAt}/operator`, `operator "${operator}" compares numbers; "${fact}" is a ${type}`);
    else add(`${leafAt}/operator`, `operator "${operator}" applies to ${list(spec.factTypes)} facts; "${fact}" is a ${type}`);
    return false;
  }
  if (shape === 'object') {
    add(at, 'a value is a literal, a list of literals or a fact reference { "fact": name }');
    return false;
  }
  if (!spec.operands.includes(shape)) {
    add(at, `"${operator}" takes ${spec.operands.map((s) => SHAPE_NAMES[s]).join(' or ')}, not ${SHAPE_NAMES[shape]}`);
    return false;
  }
  const numeric = spec.factTypes.length === 1 && spec.factTypes[0] === 'number';
  const fits = (v: unknown) => (numeric ? typeof v === 'number' : v === null || typeof v === type);
  const never = (v: unknown) => (numeric ? `"${operator}" needs a number, not ${JSON.stringify(v)}` : `"${fact}" is a ${type}; ${JSON.stringify(v)} never matches`);
  if (shape === 'factRef') {
    if (refType !== null && refType !== type) {
      add(`${at}/fact`, `"${fact}" is a ${type} and "${(value as { fact: string }).fact}" a ${refType}: they never compare`);
      return false;
    }
    return true;
  }
  if (shape === 'list') {
    let ok = true;
    (value as unknown[]).forEach((v, i) => {
      if (!fits(v)) {
        add(`${at}/${i}`, never(v));
        ok = false;
      }
    });
    return ok;
  }
  if (!fits(value)) {
    add(at, never(value));
    return false;
  }
  return true;
}

/** Code values of category, subtype, severity, ownerDepartment and catalog.factValues facts are known. */
function checkCodes(fact: string, operator: string, value: unknown, allGroups: FactCondition[][], at: string, codes: CatalogCodes, add: Add): void {
  if (!['equal', 'notEqual', 'in', 'notIn'].includes(operator)) return;
  const values: Array<[string, string]> = Array.isArray(value)
    ? value.flatMap((v, i) => (typeof v === 'string' ? [[v, `${at}/${i}`] as [string, string]] : []))
    : typeof value === 'string' ? [[value, at]] : [];
  const known = (allowed: readonly string[], what: string) => {
    for (const [v, ptr] of values) if (!allowed.includes(v)) add(ptr, `unknown ${what} "${v}"; one of ${list(allowed)}`);
  };
  if (fact === 'category') return known([...codes.categories.keys()], 'category');
  if (fact === 'severity') return known(SEVERITIES, 'severity level');
  if (fact === 'ownerDepartment') return known(codes.departments, 'department');
  if (fact !== 'subtype') {
    if (codes.factValues[fact]) known(codes.factValues[fact], `${fact} value`);
    return;
  }
  // A subtype belongs to a category the rule constrains (the innermost enclosing `all` that
  // names categories), or to any category when the rule names none.
  let scope: string[] | null = null;
  for (const group of allGroups) {
    const named = group.flatMap((leaf) => positiveValues(leaf, 'category') ?? []);
    if (named.length > 0) scope = named.filter((c) => codes.categories.has(c));
  }
  for (const [v, ptr] of values) {
    if (!codes.subtypes.has(v)) add(ptr, `unknown subtype "${v}"`);
    else if (scope && scope.length > 0 && !scope.some((c) => codes.categories.get(c)!.includes(v))) {
      add(ptr, `subtype "${v}" does not belong to ${list(scope)}`);
    }
  }
}

function checkReason(reason: unknown, at: string, stageFacts: string[], add: Add): void {
  if (!isObject(reason)) return;
  for (const lang of Object.keys(reason)) {
    const template = reason[lang];
    if (typeof template !== 'string') continue;
    for (const m of template.matchAll(/\{\{\s*([^}\s]*)\s*\}\}/g)) {
      if (!stageFacts.includes(m[1])) add(pointerJoin(at, lang), `unknown fact "{{${m[1]}}}" in the reason; one of ${list(stageFacts)}`);
    }
  }
}

function checkEvent(event: unknown, at: string, codes: CatalogCodes, add: Add): void {
  if (!isObject(event)) return add(at, 'an event must be { "type", "params" }');
  const type = event.type;
  if (typeof type !== 'string' || !(EVENT_TYPES as readonly string[]).includes(type)) {
    return add(`${at}/type`, `unknown event type ${JSON.stringify(type)}; one of ${list(EVENT_TYPES)}`);
  }
  const p = isObject(event.params) ? event.params : null;
  const pa = `${at}/params`;
  if (!p) return add(pa, `a "${type}" event needs params`);
  const code = (key: string, allowed: string[], what: string, ptr = `${pa}/${key}`, v: unknown = p[key]) => {
    if (typeof v !== 'string') add(ptr, `${key} must be a ${what} code`);
    else if (!allowed.includes(v)) add(ptr, `unknown ${what} "${v}"; one of ${list(allowed)}`);
  };
  const codeList = (key: string, allowed: string[], what: string, minItems: number) => {
    const v = p[key];
    if (!Array.isArray(v) || v.length < minItems) return add(`${pa}/${key}`, `${key} must be a list of ${what} codes${minItems ? ' (at least one)' : ''}`);
    v.forEach((x, i) => code(key, allowed, what, `${pa}/${key}/${i}`, x));
    const dup = v.find((x, i) => v.indexOf(x) !== i);
    if (dup !== undefined) add(`${pa}/${key}`, `"${String(dup)}" is listed twice`);
  };
  const rank = () => {
    if (p.rank !== undefined && !Number.isInteger(p.rank)) add(`${pa}/rank`, 'rank must be a whole number');
  };
  switch (type) {
    case 'severity':
      return code('level', [...SEVERITIES], 'severity level');
    case 'escalate':
      if (!Number.isInteger(p.levels) || (p.levels as number) < 1) add(`${pa}/levels`, 'levels must be a whole number, 1 or more');
      return;
    case 'owner':
      code('department', codes.departments, 'department');
      return rank();
    case 'notify':
      return codeList('departments', codes.departments, 'department', 1);
    case 'action': {
      code('code', codes.actions, 'action');
      const problem = p.due === undefined ? null : durationProblem(p.due);
      if (problem) add(`${pa}/due`, problem);
      return;
    }
    case 'refundChain':
      codeList('steps', codes.refundSteps, 'refund step', 0);
      return rank();
    case 'insertRefundStep':
      code('step', codes.refundSteps, 'refund step');
      code('after', codes.refundSteps, 'refund step');
      if (p.step === p.after) add(`${pa}/after`, 'a step cannot be inserted after itself');
      return;
    case 'remedies':
      codeList('kinds', codes.remedyKinds, 'remedy kind', 0);
      return rank();
  }
}
