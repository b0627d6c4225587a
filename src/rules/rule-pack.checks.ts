/**
 * Meaning checks over a parsed rule pack: what JSON Schema cannot know (codes from the
 * catalog, facts per stage, duplicate names, operator/value types). Pure: no I/O, no engine.
 * Tolerant of malformed input, so every problem of a pack is reported in one pass.
 */
import { pointerJoin, RuleProblem } from './rule-pack.errors';
import { FactCondition, factReference, positiveValues, walkConditions } from './rule-conditions';
import { COMPUTED_FACTS, DECIDED_FACTS, REPORT_FACTS, SEVERITIES } from './types';

/** One parsed pack file: its path relative to the pack directory and its JSON. */
export interface PackFile {
  file: string;
  data: unknown;
}

/** json-rules-engine's built-in operators, the only ones a pack may use. */
export const OPERATORS = [
  'equal', 'notEqual', 'in', 'notIn', 'lessThan', 'lessThanInclusive', 'greaterThan', 'greaterThanInclusive',
  'contains', 'doesNotContain',
] as const;

export const EVENT_TYPES = ['severity', 'escalate', 'owner', 'notify', 'action', 'refundChain', 'insertRefundStep'] as const;

const NUMERIC_OPERATORS = ['lessThan', 'lessThanInclusive', 'greaterThan', 'greaterThanInclusive'];
const LIST_OPERATORS = ['contains', 'doesNotContain'];
const DURATION_KEYS = ['immediate', 'minutes', 'hours', 'workingHours', 'workingDays', 'afterResolution'];

type FactType = 'string' | 'number' | 'boolean';
/** The JS type of every fact a rule may read. */
export const FACT_TYPES: Record<string, FactType> = {
  category: 'string', subtype: 'string', amount: 'number', propertyOwner: 'string', injured: 'boolean',
  outageMinutes: 'number', escalating: 'boolean', mediaAttention: 'boolean', legalThreat: 'boolean', channel: 'string',
  customerTier: 'string', repeatIncidents30d: 'number', severity: 'string', ownerDepartment: 'string',
};

const STAGE_ONE_FACTS: readonly string[] = [...REPORT_FACTS, ...COMPUTED_FACTS];
const DECIDED: readonly string[] = DECIDED_FACTS;

/** The facts a rule of `stage` may read. */
export function factsForStage(stage: number): string[] {
  return stage > 1 ? [...STAGE_ONE_FACTS, ...DECIDED] : [...STAGE_ONE_FACTS];
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const keysOf = (v: unknown): string[] => (isObject(v) ? Object.keys(v) : []);
const list = (xs: readonly string[]) => xs.join(', ');

/** What is wrong with a Duration, or null when it is valid (exactly one known key). */
export function durationProblem(d: unknown): string | null {
  if (!isObject(d)) return 'a duration must be an object such as { "hours": 1 }';
  const keys = Object.keys(d);
  if (keys.length !== 1) return `a duration has exactly one of ${list(DURATION_KEYS)}; found ${keys.length ? list(keys) : 'none'}`;
  const [key] = keys;
  const value = d[key];
  if (!DURATION_KEYS.includes(key)) return `unknown duration unit "${key}"; one of ${list(DURATION_KEYS)}`;
  if (key === 'immediate' || key === 'afterResolution') return value === true ? null : `${key} must be true`;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) return `${key} must be a number above 0`;
  return null;
}

/** Codes the rules may use, read defensively from a possibly malformed catalog. */
interface CatalogCodes {
  categories: Map<string, string[]>;
  subtypes: Set<string>;
  departments: string[];
  actions: string[];
  refundSteps: string[];
  factValues: Record<string, string[]>;
}

function codesOf(catalog: unknown): CatalogCodes {
  const c = isObject(catalog) ? catalog : {};
  const categories = new Map<string, string[]>();
  for (const [code, cat] of Object.entries(isObject(c.categories) ? c.categories : {})) {
    categories.set(code, keysOf(isObject(cat) ? cat.subtypes : undefined));
  }
  const factValues: Record<string, string[]> = {};
  for (const [fact, values] of Object.entries(isObject(c.factValues) ? c.factValues : {})) {
    if (Array.isArray(values)) factValues[fact] = values.filter((v): v is string => typeof v === 'string');
  }
  return {
    categories,
    subtypes: new Set([...categories.values()].flat()),
    departments: keysOf(c.departments),
    actions: keysOf(c.actions),
    refundSteps: keysOf(c.refundSteps),
    factValues,
  };
}

/** Meaning checks of catalog.json. */
export function checkCatalog({ file, data }: PackFile): RuleProblem[] {
  const problems: RuleProblem[] = [];
  const add = (pointer: string, message: string) => problems.push({ file, pointer, message });
  if (!isObject(data)) {
    add('', 'the catalog must be a JSON object');
    return problems;
  }
  const codes = codesOf(data);
  const roles = keysOf(data.roles);
  if (typeof data.defaultOwner === 'string' && !codes.departments.includes(data.defaultOwner)) {
    add('/defaultOwner', `unknown department "${data.defaultOwner}"; one of ${list(codes.departments)}`);
  }
  if (Array.isArray(data.defaultRefundChain)) {
    data.defaultRefundChain.forEach((step, i) => {
      if (typeof step === 'string' && !codes.refundSteps.includes(step)) {
        add(`/defaultRefundChain/${i}`, `unknown refund step "${step}"; one of ${list(codes.refundSteps)}`);
      }
    });
  }
  for (const [code, action] of Object.entries(isObject(data.actions) ? data.actions : {})) {
    if (!isObject(action)) continue;
    const problem = durationProblem(action.due);
    if (problem) add(pointerJoin('/actions', code, 'due'), problem);
    checkEvidence(action, pointerJoin('/actions', code, 'evidence'), add);
  }
  for (const [code, step] of Object.entries(isObject(data.refundSteps) ? data.refundSteps : {})) {
    if (!isObject(step)) continue;
    if (step.due !== undefined) {
      const problem = durationProblem(step.due);
      if (problem) add(pointerJoin('/refundSteps', code, 'due'), problem);
    }
    if (typeof step.role === 'string' && !roles.includes(step.role)) {
      add(pointerJoin('/refundSteps', code, 'role'), `unknown role "${step.role}"; one of ${list(roles)}`);
    }
  }
  const deadlines = isObject(data.deadlines) ? data.deadlines : {};
  for (const severity of SEVERITIES) {
    const d = deadlines[severity];
    if (!isObject(d)) continue;
    for (const which of ['acknowledge', 'resolve']) {
      const problem = durationProblem(d[which]);
      if (problem) add(`/deadlines/${severity}/${which}`, problem);
    }
  }
  for (const fact of Object.keys(isObject(data.factValues) ? data.factValues : {})) {
    if (FACT_TYPES[fact] !== 'string' || !STAGE_ONE_FACTS.includes(fact)) {
      add(pointerJoin('/factValues', fact), `"${fact}" is not a report fact with code values`);
    }
  }
  checkEscalation(data.escalation, codes.departments, add);
  problems.push(...checkCalendar(file, data.calendar));
  return problems;
}

/** An action's evidence: keys unique; coversRetention only on a date, of an action that has retainDays. */
function checkEvidence(action: Record<string, unknown>, at: string, add: Add): void {
  if (!Array.isArray(action.evidence)) return;
  const seen = new Set<string>();
  action.evidence.forEach((field, i) => {
    if (!isObject(field)) return;
    if (typeof field.key === 'string') {
      if (seen.has(field.key)) add(`${at}/${i}/key`, `evidence key "${field.key}" is listed twice`);
      seen.add(field.key);
    }
    if (field.coversRetention === true) {
      if (field.type !== 'date') add(`${at}/${i}/coversRetention`, 'coversRetention needs "type": "date"');
      else if (action.retainDays === undefined) add(`${at}/${i}/coversRetention`, 'coversRetention needs the action to have retainDays');
    }
  });
}

/** The escalation ladder names known departments, each once, with durations that are clocks. */
function checkEscalation(escalation: unknown, departments: string[], add: Add): void {
  if (!isObject(escalation) || !Array.isArray(escalation.ladder)) return;
  const seen = new Set<string>();
  escalation.ladder.forEach((rung, i) => {
    if (!isObject(rung)) return;
    const at = `/escalation/ladder/${i}`;
    if (typeof rung.department === 'string') {
      if (!departments.includes(rung.department)) add(`${at}/department`, `unknown department "${rung.department}"; one of ${list(departments)}`);
      else if (seen.has(rung.department)) add(`${at}/department`, `"${rung.department}" is already a level of the ladder`);
      seen.add(rung.department);
    }
    if (rung.after === undefined) return;
    const problem = durationProblem(rung.after);
    if (problem) add(`${at}/after`, problem);
    else if (isObject(rung.after) && rung.after.afterResolution === true) add(`${at}/after`, 'an escalation waits for a time, not for resolution');
  });
}

function checkCalendar(file: string, calendar: unknown): RuleProblem[] {
  const problems: RuleProblem[] = [];
  if (!isObject(calendar)) return problems;
  const add = (pointer: string, message: string) => problems.push({ file, pointer, message });
  if (typeof calendar.timeZone === 'string') {
    try {
      new Intl.DateTimeFormat('en', { timeZone: calendar.timeZone });
    } catch {
      add('/calendar/timeZone', `unknown time zone "${calendar.timeZone}"`);
    }
  }
  const hours = isObject(calendar.workingHours) ? calendar.workingHours : {};
  if (typeof hours.start === 'string' && typeof hours.end === 'string' && hours.start >= hours.end) {
    add('/calendar/workingHours', `working hours must end after they start (${hours.start}–${hours.end})`);
  }
  const weekend = Array.isArray(calendar.weekend) ? calendar.weekend : [];
  const dates = (key: 'holidays' | 'workdays') => (Array.isArray(calendar[key]) ? (calendar[key] as unknown[]) : []);
  const holidays = new Set(dates('holidays'));
  dates('holidays').forEach((d, i) => {
    if (typeof d === 'string' && isoWeekday(d) === null) add(`/calendar/holidays/${i}`, `"${d}" is not a date`);
  });
  dates('workdays').forEach((d, i) => {
    if (typeof d !== 'string') return;
    const weekday = isoWeekday(d);
    if (weekday === null) add(`/calendar/workdays/${i}`, `"${d}" is not a date`);
    else if (!weekend.includes(weekday)) add(`/calendar/workdays/${i}`, `${d} is not a weekend day; only weekend days can be made working days`);
    if (holidays.has(d)) add(`/calendar/workdays/${i}`, `${d} is also listed as a holiday`);
  });
  return problems;
}

/** ISO weekday (1 = Monday … 7 = Sunday) of a YYYY-MM-DD date, or null when it is not a real date. */
function isoWeekday(date: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) return null;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  if (d.getUTCFullYear() !== Number(m[1]) || d.getUTCMonth() !== Number(m[2]) - 1 || d.getUTCDate() !== Number(m[3])) return null;
  return d.getUTCDay() === 0 ? 7 : d.getUTCDay();
}

/** Meaning checks of the rule files against the catalog (and each other: duplicate names). */
export function checkRuleFiles(catalog: unknown, files: PackFile[]): RuleProblem[] {
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
      const stageFacts = factsForStage(stage ?? 1);
      // A missing property is the schema's to report ("must have required property").
      if (rule.conditions !== undefined) checkConditions(rule.conditions, `${at}/conditions`, stage ?? 1, stageFacts, codes, add);
      checkReason(rule.reason, `${at}/reason`, stageFacts, add);
      if (rule.event !== undefined) checkEvent(rule.event, `${at}/event`, codes, add);
    });
  }
  return problems;
}

/** Every meaning problem of a parsed pack. */
export function checkPack(catalog: PackFile, ruleFiles: PackFile[]): RuleProblem[] {
  return [...checkCatalog(catalog), ...checkRuleFiles(catalog.data, ruleFiles)];
}

type Add = (pointer: string, message: string) => void;

function checkConditions(conditions: unknown, at: string, stage: number, stageFacts: string[], codes: CatalogCodes, add: Add): void {
  if (!isObject(conditions) || !['all', 'any', 'not', 'condition'].some((k) => k in conditions)) {
    add(at, 'conditions must be { "all": [...] }, { "any": [...] }, { "not": {...} } or { "condition": name }');
    return;
  }
  const checkFact = (fact: string, pointer: string): boolean => {
    if (stageFacts.includes(fact)) return true;
    if (DECIDED.includes(fact)) add(pointer, `fact "${fact}" is decided by the rules; only stage 2 or later may read it (this rule is stage ${stage})`);
    else add(pointer, `unknown fact "${fact}"; one of ${list(stageFacts)}`);
    return false;
  };
  walkConditions(
    conditions,
    at,
    ({ leaf, pointer, allGroups }) => {
      const factKnown = checkFact(leaf.fact, `${pointer}/fact`);
      const ref = factReference(leaf.value);
      if (ref !== null) checkFact(ref, `${pointer}/value/fact`);
      if (!(OPERATORS as readonly string[]).includes(leaf.operator)) {
        add(`${pointer}/operator`, `unknown operator "${leaf.operator}"; one of ${list(OPERATORS)}`);
        return;
      }
      if (!factKnown || leaf.path !== undefined) return;
      checkValue(leaf.fact, leaf.operator, leaf.value, ref !== null, pointer, add);
      if (ref === null) checkCodes(leaf.fact, leaf.operator, leaf.value, allGroups, `${pointer}/value`, codes, add);
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

/** The operator fits the fact's type and the value fits both. */
function checkValue(fact: string, operator: string, value: unknown, isRef: boolean, leafAt: string, add: Add): void {
  const type = FACT_TYPES[fact];
  const at = `${leafAt}/value`;
  const fits = (v: unknown) => v === null || typeof v === type;
  if (LIST_OPERATORS.includes(operator)) {
    add(`${leafAt}/operator`, `operator "${operator}" needs a list-valued fact; "${fact}" is a single ${type}: use equal or in`);
  } else if (NUMERIC_OPERATORS.includes(operator)) {
    if (type !== 'number') add(`${leafAt}/operator`, `operator "${operator}" compares numbers; "${fact}" is a ${type}`);
    else if (!isRef && typeof value !== 'number') add(at, `"${operator}" needs a number, not ${JSON.stringify(value)}`);
  } else if (isRef) {
    return;
  } else if (operator === 'in' || operator === 'notIn') {
    if (!Array.isArray(value)) add(at, `"${operator}" needs a list of values`);
    else value.forEach((v, i) => { if (!fits(v)) add(`${at}/${i}`, `"${fact}" is a ${type}; ${JSON.stringify(v)} never matches`); });
  } else if (!fits(value)) {
    add(at, `"${fact}" is a ${type}; ${JSON.stringify(value)} never matches`);
  }
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
  }
}
