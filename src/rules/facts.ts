/**
 * The facts a rule may read, declared once: name, type, label, where the value comes from and,
 * for a report fact, how it is given and checked. Everything else reads this registry:
 * - the report's and the amendment's checks (`incidents/incident.validation.ts` enforces each
 *   fact's `input` kind and limits, `incident-amend.service.ts` lays the `amendable` ones over
 *   the stored report);
 * - fact building: from a checked report (`ofReport`), from a stored incident (`ofStoredReport`:
 *   amendments, refund chains, backtests, the decisions of an incident) and the facts every
 *   stage runs on (`reportFacts`, `stageFacts`, built by code generated once per registry);
 * - the rule-pack checks (a condition names a fact its stage may read, with an operator of its
 *   type), the smoke corpus and the threshold bands (number facts and their decimals);
 * - the pack tests' JSON Schema (`testInputSchemaDefs`: the loader uses it, and a test keeps the
 *   shipped `schema/rule-test.schema.json` equal to it), explanations (labels), the CLI;
 * - the GraphQL inputs are written out as classes (type-graphql decorators, in the schema's field
 *   order): a test checks that their fact fields are the registry's report and amendable facts.
 *
 * Adding a fact is one declaration below plus its tests. Pure: no I/O.
 */
import { fenToNumber } from '../money/money';
import { generatedFunction } from './generated-code';

/** A fact's value type in the rules. */
export type FactType = 'string' | 'number' | 'boolean';

/**
 * Where a fact's value comes from: the report (the input of reportIncident, corrected by
 * amendIncident), the database while deciding (read only when a rule for the category reads it,
 * and kept with the incident as the rules saw it), or what earlier stages decided (stage 2 on).
 */
export type FactOrigin = 'report' | 'dynamic' | 'decided';

/** How a report fact is given and checked. The GraphQL type of its input field follows from it. */
export type FactInput =
  /** A code the catalog lists: categories, the report's category's subtypes, or `factValues[fact]`. */
  | { kind: 'code'; codes: 'categories' | 'subtypes' | 'factValues' }
  /** Text of at most `max` characters, no control characters. */
  | { kind: 'text'; max: number }
  /** true or false. */
  | { kind: 'flag' }
  /** A whole number of `unit`, 0 or more. */
  | { kind: 'wholeNumber'; unit: string }
  /** Exact money: a decimal string of yuan in, fen stored, a yuan number for the rules. */
  | { kind: 'yuan' };

export type FactInputKind = FactInput['kind'];

/** The GraphQL type of a report fact's input field, by its input kind. */
export const GRAPHQL_INPUT_TYPES: Readonly<Record<FactInputKind, string>> = { code: 'String', text: 'String', flag: 'Boolean', wholeNumber: 'Int', yuan: 'Decimal' };

export interface FactDeclaration {
  /** camelCase; what rule conditions, reasons (`{{name}}`) and decisions' facts call it. */
  readonly name: string;
  readonly type: FactType;
  readonly label: { readonly zh: string; readonly en: string };
  readonly origin: FactOrigin;
  /** Number facts: the decimals that count (amount: 2, fen); 0 when absent. */
  readonly decimals?: number;
  /** Report facts: how the value is given and checked. */
  readonly input?: FactInput;
  /** Report facts: the input field, a dotted path when nested (customerTier: `customer.tier`); the name when absent. */
  readonly field?: string;
  /** Report facts: the key the checked and stored report keeps it under, when not `field` (amount: `amountFen`). */
  readonly stored?: string;
  /** Report facts: every report gives it. */
  readonly required?: boolean;
  /** Report facts: amendIncident may correct it. */
  readonly amendable?: boolean;
  /** What the pack tests' schema says of it, when its label is not enough. */
  readonly note?: string;
}

/**
 * The facts. The order is the facts' order everywhere: in a decision's facts, in the lists the
 * checks print, in the pack tests' schema.
 */
export const FACT_DECLARATIONS = [
  { name: 'category', type: 'string', origin: 'report', label: { zh: '类别', en: 'category' }, input: { kind: 'code', codes: 'categories' }, required: true },
  { name: 'subtype', type: 'string', origin: 'report', label: { zh: '子类', en: 'subtype' }, input: { kind: 'code', codes: 'subtypes' }, amendable: true },
  {
    name: 'amount',
    type: 'number',
    origin: 'report',
    label: { zh: '金额(元)', en: 'amount (yuan)' },
    decimals: 2,
    input: { kind: 'yuan' },
    stored: 'amountFen',
    amendable: true,
    note: 'yuan',
  },
  {
    name: 'propertyOwner',
    type: 'string',
    origin: 'report',
    label: { zh: '财产归属', en: 'property owner' },
    input: { kind: 'code', codes: 'factValues' },
    amendable: true,
  },
  { name: 'injured', type: 'boolean', origin: 'report', label: { zh: '有人受伤', en: 'someone injured' }, input: { kind: 'flag' }, amendable: true },
  {
    name: 'outageMinutes',
    type: 'number',
    origin: 'report',
    label: { zh: '中断时长(分钟)', en: 'outage (minutes)' },
    input: { kind: 'wholeNumber', unit: 'minutes' },
    amendable: true,
  },
  { name: 'escalating', type: 'boolean', origin: 'report', label: { zh: '情绪激动', en: 'escalating' }, input: { kind: 'flag' }, amendable: true },
  { name: 'mediaAttention', type: 'boolean', origin: 'report', label: { zh: '媒体关注', en: 'media attention' }, input: { kind: 'flag' }, amendable: true },
  { name: 'legalThreat', type: 'boolean', origin: 'report', label: { zh: '扬言诉讼', en: 'legal threat' }, input: { kind: 'flag' }, amendable: true },
  { name: 'channel', type: 'string', origin: 'report', label: { zh: '渠道', en: 'channel' }, input: { kind: 'text', max: 64 } },
  { name: 'customerTier', type: 'string', origin: 'report', label: { zh: '客户等级', en: 'customer tier' }, input: { kind: 'text', max: 32 }, field: 'customer.tier' },
  {
    name: 'repeatIncidents30d',
    type: 'number',
    origin: 'dynamic',
    label: { zh: '30天内重复事件数', en: 'incidents in the last 30 days' },
    note: 'what the database would answer for this customer',
  },
  { name: 'severity', type: 'string', origin: 'decided', label: { zh: '严重程度', en: 'severity' } },
  { name: 'ownerDepartment', type: 'string', origin: 'decided', label: { zh: '负责部门', en: 'owner department' } },
] as const satisfies readonly FactDeclaration[];

type Declared = (typeof FACT_DECLARATIONS)[number];
type ValueOf<T extends FactType> = T extends 'string' ? string : T extends 'number' ? number : boolean;
type ReportDeclared = Extract<Declared, { origin: 'report' }>;

/** The names of the report facts. */
export type ReportFactName = ReportDeclared['name'];

/**
 * Facts a rule may read. Report facts come from the input (missing ones null); dynamic ones are
 * read while deciding. Stage > 1 rules may additionally read the decided `severity` and
 * `ownerDepartment`. `amount` is yuan as a JS number, only for comparisons (exact for ≤ 2
 * decimals and ≤ 12 integer digits).
 */
export type Facts = { [D in ReportDeclared as D extends { required: true } ? D['name'] : never]: ValueOf<D['type']> } & {
  [D in ReportDeclared as D extends { required: true } ? never : D['name']]?: ValueOf<D['type']> | null;
} & { [D in Extract<Declared, { origin: 'dynamic' }> as D['name']]?: ValueOf<D['type']> };

/** A fact's value as the checked report keeps it (amounts in fen) or the stored report JSON (fen as text). */
const fromChecked: Record<FactInputKind, (v: unknown) => unknown> = {
  code: (v) => v ?? null,
  text: (v) => v ?? null,
  flag: (v) => v ?? null,
  wholeNumber: (v) => v ?? null,
  yuan: (v) => (v === null || v === undefined ? null : fenToNumber(typeof v === 'bigint' ? v : BigInt(v as string))),
};

const IDENTIFIER = /^[a-z][A-Za-z0-9]*$/;

/** A report fact with where to read it, prepared once. */
interface ReportFact {
  declaration: FactDeclaration;
  /** The input field's path (customer.tier → ['customer', 'tier']). */
  path: readonly string[];
  /** Where the checked and stored report keeps it (amountFen; customer.tier). */
  storedPath: readonly string[];
  value: (checked: unknown) => unknown;
}

/** Reads a dotted path out of a plain object (null on the way: undefined). */
export function valueAt(source: unknown, path: readonly string[]): unknown {
  let v = source;
  for (const key of path) {
    if (v === null || v === undefined || typeof v !== 'object') return undefined;
    v = (v as Record<string, unknown>)[key];
  }
  return v;
}

/**
 * A set of fact declarations made usable: the lists, the types, the builders. `FACTS` is the
 * product's; tests build others (an extra fact) to see everything follow.
 */
export class FactRegistry {
  readonly declarations: readonly FactDeclaration[];
  private readonly byName: ReadonlyMap<string, FactDeclaration>;
  /** Report facts, in order. */
  readonly report: readonly string[];
  /** Facts read while deciding (repeatIncidents30d). */
  readonly dynamic: readonly string[];
  /** What earlier stages decided, readable from stage 2 on. */
  readonly decided: readonly string[];
  /** The facts of stage 1: report and dynamic ones. */
  readonly stageOne: readonly string[];
  /** Every fact's type, by name. */
  readonly types: Readonly<Record<string, FactType>>;
  /** The report facts amendIncident may correct, in order. */
  readonly amendable: readonly FactDeclaration[];
  /** The report facts with their input fields and stored keys. */
  readonly reportFields: readonly ReportFact[];

  /**
   * The facts of a decision: `input`'s report facts (missing ones null) in order, then each
   * dynamic fact at 0 (the engine sets what it reads). One object literal, generated once per
   * registry: V8 builds an object key by key, or a spread with extra keys, in microseconds, more
   * than the rules cost.
   */
  readonly reportFacts: (input: object) => Facts;
  /** The values a stage runs on: a copy of the facts, plus from stage 2 what earlier stages decided (generated as `reportFacts`). */
  readonly stageFacts: (stage: number, facts: Facts, decided: object) => Record<string, unknown>;

  constructor(declarations: readonly FactDeclaration[]) {
    const byName = new Map<string, FactDeclaration>();
    for (const d of declarations) {
      if (!IDENTIFIER.test(d.name)) throw new Error(`fact name "${d.name}" must be camelCase letters and digits`);
      if (byName.has(d.name)) throw new Error(`fact "${d.name}" is declared twice`);
      if ((d.origin === 'report') !== (d.input !== undefined)) throw new Error(`fact "${d.name}": report facts, and only they, declare their input`);
      if (d.input?.kind === 'yuan' && d.type !== 'number') throw new Error(`fact "${d.name}": yuan is a number fact`);
      if (d.amendable && `${d.field ?? ''}${d.stored ?? ''}`.includes('.')) throw new Error(`fact "${d.name}": an amendable fact sits at the top of the report`);
      byName.set(d.name, d);
    }
    this.declarations = declarations;
    this.byName = byName;
    const named = (origin: FactOrigin) => declarations.filter((d) => d.origin === origin).map((d) => d.name);
    this.report = named('report');
    this.dynamic = named('dynamic');
    this.decided = named('decided');
    this.stageOne = [...this.report, ...this.dynamic];
    this.types = Object.fromEntries(declarations.map((d) => [d.name, d.type]));
    this.amendable = declarations.filter((d) => d.amendable);
    this.reportFields = declarations
      .filter((d) => d.origin === 'report')
      .map((d) => {
        const field = d.field ?? d.name;
        return { declaration: d, path: field.split('.'), storedPath: (d.stored ?? field).split('.'), value: fromChecked[d.input!.kind] };
      });
    this.reportFacts = generatedReportFacts(this.report, this.dynamic);
    this.stageFacts = generatedStageFacts(this.stageOne, this.decided);
  }

  has(name: string): boolean {
    return this.byName.has(name);
  }

  declaration(name: string): FactDeclaration | undefined {
    return this.byName.get(name);
  }

  /**
   * `stageFacts` of a stage from 2 on, holding only `names` (the facts its rules read): each read
   * as stageFacts reads it, in the registry's order. A compiled stage reads nothing else, so it
   * copies those few instead of every fact (names no stage has are left out: absent either way).
   */
  stageValues(names: ReadonlySet<string>): (facts: Facts, decided: object) => Record<string, unknown> {
    return generatedLiteral(['facts', 'decided'], stageEntries(this.stageOne, this.decided, (n) => names.has(n)));
  }

  /** The facts a rule of `stage` may read, in order. */
  forStage(stage: number): string[] {
    return stage > 1 ? [...this.stageOne, ...this.decided] : [...this.stageOne];
  }

  /** The label of a fact, `金额(元) / amount (yuan)`; the name for a fact not declared. */
  label(name: string): string {
    const d = this.byName.get(name);
    return d ? `${d.label.zh} / ${d.label.en}` : name;
  }

  /** The report facts of a checked report (its amounts in fen), in order. */
  ofReport(checked: object): Facts {
    const out: Record<string, unknown> = {};
    for (const f of this.reportFields) out[f.declaration.name] = f.value(valueAt(checked, f.storedPath));
    return out as Facts;
  }

  /** The facts of a stored report (the incident's `report` JSON): its report facts and, with `dynamic`, the dynamic ones as the rules saw them. */
  ofStoredReport(stored: object, options: { dynamic?: boolean } = {}): Facts {
    const out = this.ofReport(stored) as Record<string, unknown>;
    if (options.dynamic) for (const name of this.dynamic) out[name] = Number((stored as Record<string, unknown>)[name] ?? 0);
    return out as Facts;
  }

  /**
   * The JSON Schema `$defs` of a pack test's input (`schema/rule-test.schema.json`): the facts a
   * case gives, then its own `reportedAt`, `resolvedAt` and `occurredAt`. The loader checks the pack's tests
   * with it; a test keeps the shipped file equal.
   */
  testInputSchemaDefs(): Record<string, unknown> {
    const properties: Record<string, unknown> = {};
    for (const d of this.declarations) {
      if (d.origin === 'decided') continue;
      properties[d.name] = testInputProperty(d);
    }
    properties.reportedAt = { type: 'string', format: 'date-time', description: 'default 2026-11-23T10:00:00+08:00 (a Monday)' };
    properties.resolvedAt = {
      type: 'string',
      format: 'date-time',
      description: 'when the incident is resolved: actionDue then gives the due times of the actions counted from the resolution',
    };
    properties.occurredAt = {
      type: 'string',
      format: 'date-time',
      description: 'when it happened: evidence retention (retainUntil) counts from it, else from reportedAt',
    };
    const required = this.declarations.filter((d) => d.required).map((d) => d.name);
    return { input: { type: 'object', additionalProperties: false, required, properties } };
  }
}

/** A fact in a pack test's input, as JSON Schema. */
function testInputProperty(d: FactDeclaration): Record<string, unknown> {
  const described = (schema: Record<string, unknown>) => (d.note ? { ...schema, description: d.note } : schema);
  const wholeNumbers = d.type === 'number' && !d.decimals;
  if (d.origin === 'dynamic') return described(wholeNumbers ? { type: 'integer', minimum: 0 } : { type: d.type, minimum: 0 });
  const code = { $ref: '#/$defs/code' };
  if (d.input?.kind === 'code' && d.input.codes !== 'factValues') return d.required ? code : { anyOf: [code, { type: 'null' }] };
  if (d.type === 'number') return described({ type: [wholeNumbers ? 'integer' : 'number', 'null'], minimum: 0 });
  return described({ type: [d.type, 'null'] });
}

/**
 * The facts' builders: a function returning one object literal, `entries` its keys in order with
 * the expression of each (generated-code.ts). V8 builds an object key by key, or a spread with
 * extra keys, in far more time than a literal of a known shape. Keys are quoted with
 * JSON.stringify (a literal's key then names the property an assignment would set).
 */
function generatedLiteral<F>(params: readonly string[], entries: ReadonlyArray<readonly [key: string, expression: string]>, prefix = ''): F {
  return generatedFunction<F>(params, `${prefix}return ${literalSource(entries)};`);
}

/** The object literal of `entries` (keys in order, each with its expression). */
function literalSource(entries: ReadonlyArray<readonly [key: string, expression: string]>): string {
  return `{ ${entries.map(([key, expression]) => `${JSON.stringify(key)}: ${expression}`).join(', ')} }`;
}

/** `source[name]` as generated code reads it. */
const read = (source: string, name: string) => `${source}[${JSON.stringify(name)}]`;

function generatedReportFacts(report: readonly string[], dynamic: readonly string[]): (input: object) => Facts {
  return generatedLiteral(['input'], [...report.map((n) => [n, `${read('input', n)} ?? null`] as const), ...dynamic.map((n) => [n, '0'] as const)]);
}

function generatedStageFacts(stageOne: readonly string[], decided: readonly string[]): (stage: number, facts: Facts, decided: object) => Record<string, unknown> {
  return generatedLiteral(['stage', 'facts', 'decided'], stageEntries(stageOne, decided), 'if (stage <= 1) return { ...facts }; ');
}

/** A later stage's values as literal entries: the stage-1 facts read from `facts`, the decided ones from `decided` (those `keep` keeps). */
function stageEntries(stageOne: readonly string[], decided: readonly string[], keep: (name: string) => boolean = () => true) {
  return [
    ...stageOne.filter(keep).map((n) => [n, read('facts', n)] as const),
    ...decided.filter(keep).map((n) => [n, read('decided', n)] as const),
  ];
}

/**
 * The values of `names` picked out of a stage's values (`values`, an expression of generated
 * code), missing ones null, in `names`' order: what a fired rule shows of the facts its
 * conditions read. One object literal, as `reportFacts`'s, written into the code that fires the rule.
 */
export function factPickSource(names: readonly string[], values: string): string {
  return literalSource(names.map((n) => [n, `${read(values, n)} ?? null`] as const));
}

/** The product's facts. */
export const FACTS = new FactRegistry(FACT_DECLARATIONS);

export const REPORT_FACTS = FACTS.report as readonly ReportFactName[];
export const COMPUTED_FACTS = FACTS.dynamic;
/** Facts that exist only from stage 2 on: what the earlier stages decided. */
export const DECIDED_FACTS = FACTS.decided;
/** The JS type of every fact a rule may read. */
export const FACT_TYPES = FACTS.types;
export const STAGE_ONE_FACTS = FACTS.stageOne;
/** The dynamic fact the engine reads from the database (when a rule for the category reads it). */
export const REPEAT_FACT = 'repeatIncidents30d' satisfies Extract<Declared, { origin: 'dynamic' }>['name'];
