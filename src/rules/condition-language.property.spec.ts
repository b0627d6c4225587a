/**
 * Soundness of the condition language (condition-language.ts), by property: random packs over
 * the whole accepted language and beyond it (unknown facts and operators, every operand shape
 * on every operator, paths, fact references, literal objects, wrongly typed values, unknown
 * codes, priorities, nested all/any/not, stage-2 facts). Every pack the validator (the pack's
 * JSON Schema with the language's definitions, and the meaning checks) accepts must compile,
 * decide every generated report of every category without throwing, and decide it exactly as
 * json-rules-engine does; a pack that would throw can therefore only be one the validator refused.
 *
 * CI runs a fixed seed; `RULES_PROPERTY_RUNS=5000 RULES_PROPERTY_SEED=<n>` runs more, or another
 * sequence (a failure prints its seed and path to replay it with fast-check).
 */
import fs from 'node:fs';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import { DecisionInput, DynamicFacts, RuleEngine } from './rule-engine';
import { CATALOG_FILE, compileSchemas, packFromFiles, RuleProblem, RulesInvalidError } from './rule-pack.loader';
import { BUILT_IN_LANGUAGE, BUILT_IN_OPERATORS } from './condition-language';
import { FACT_TYPES } from './rule-pack.check-helpers';
import { REPORT_FACTS, SEVERITIES } from './types';
import type { Catalog } from './types';

const PACK = path.join(__dirname, '..', '..', 'rules');
const RUNS = Number(process.env.RULES_PROPERTY_RUNS ?? 300);
const SEED = Number(process.env.RULES_PROPERTY_SEED ?? 20261206);
const REPORTS_PER_PACK = 24;

const catalogRaw = fs.readFileSync(path.join(PACK, CATALOG_FILE), 'utf8');
const catalog = JSON.parse(catalogRaw) as Catalog;
const schemaProblems: RuleProblem[] = [];
const validators = compileSchemas(PACK, ['catalog', 'ruleFile'], schemaProblems, BUILT_IN_LANGUAGE);

const categories = Object.keys(catalog.categories);
const subtypes = [...new Set(categories.flatMap((c) => Object.keys(catalog.categories[c].subtypes)))];
const departments = Object.keys(catalog.departments);
const actions = Object.keys(catalog.actions);
const STAGE_ONE = [...REPORT_FACTS, 'repeatIncidents30d'];
const ALL_FACTS = [...STAGE_ONE, 'severity', 'ownerDepartment'];
const AMOUNTS = [0, 0.01, 4999.99, 5000, 5000.01, 50000, 50000.01, 123.45];
const COUNTS = [0, 1, 2, 3, 29, 30, 31, 240];

/** Literal values a fact of this name is compared with, when written by someone who knows the catalog. */
const codesOf = (fact: string): fc.Arbitrary<unknown> => {
  switch (fact) {
    case 'category': return fc.constantFrom(...categories);
    case 'subtype': return fc.constantFrom(...subtypes);
    case 'severity': return fc.constantFrom(...SEVERITIES);
    case 'ownerDepartment': return fc.constantFrom(...departments);
    case 'propertyOwner': return fc.constantFrom(...catalog.factValues.propertyOwner);
    case 'amount': return fc.constantFrom(...AMOUNTS);
    case 'outageMinutes': case 'repeatIncidents30d': return fc.constantFrom(...COUNTS);
    case 'channel': return fc.constantFrom('PHONE', 'STORE', 'APP');
    case 'customerTier': return fc.constantFrom('VIP', 'REGULAR');
    default: return fc.boolean();
  }
};

/** Anything a careless admin could write as a value. */
const wildScalar = fc.oneof(
  fc.constantFrom<unknown>(null, 0, -1, 5000, 30.5, '', 'NO_SUCH_CODE', 'OVERCHARGE', 'LOST', 'true', true, false, '5000'),
  fc.constantFrom(...categories),
  fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 }),
);
const wildValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: wildScalar },
  { weight: 3, arbitrary: fc.array(wildScalar, { maxLength: 4 }) },
  { weight: 2, arbitrary: fc.record({ fact: fc.constantFrom(...ALL_FACTS, 'nope') }) },
  { weight: 1, arbitrary: fc.record({ fact: fc.constantFrom(...ALL_FACTS), path: fc.constantFrom('$', '$.x') }) },
  { weight: 1, arbitrary: fc.record({ name: wildScalar }) },
  { weight: 1, arbitrary: fc.array(fc.array(wildScalar, { maxLength: 2 }), { maxLength: 2 }) },
);

/** A leaf written by someone who knows the language: an operator for the fact's type, a value of an accepted shape. */
const wellTypedLeaf = fc.constantFrom(...ALL_FACTS).chain((fact) => {
  const type = FACT_TYPES[fact];
  const ops = Object.entries(BUILT_IN_OPERATORS).filter(([, s]) => s.factTypes.includes(type)).map(([name]) => name);
  const sameType = ALL_FACTS.filter((f) => FACT_TYPES[f] === type);
  return fc.constantFrom(...ops).chain((operator) => {
    const spec = BUILT_IN_OPERATORS[operator];
    const values: Array<fc.Arbitrary<unknown>> = [];
    if (spec.operands.includes('scalar')) values.push(codesOf(fact), ...(type === 'number' ? [] : [fc.constant(null)]));
    if (spec.operands.includes('list')) values.push(fc.array(fc.oneof(codesOf(fact), fc.constant(null)), { maxLength: 4 }));
    if (spec.operands.includes('factRef')) values.push(fc.constantFrom(...sameType).map((f) => ({ fact: f })));
    return fc.record({ fact: fc.constant(fact), operator: fc.constant(operator), value: fc.oneof(...values) });
  });
});

/** A leaf from anywhere: any fact (or none known), any operator (or an unknown one), any value, maybe a path. */
const wildLeaf = fc.record(
  {
    fact: fc.constantFrom(...ALL_FACTS, 'nope'),
    operator: fc.constantFrom(...Object.keys(BUILT_IN_OPERATORS), 'bogus'),
    value: wildValue,
    path: fc.constantFrom('$', '$.x', '$..y'),
    priority: fc.constantFrom(1, 2, 3),
  },
  { requiredKeys: ['fact', 'operator', 'value'] },
);

const leaf = fc.oneof({ weight: 9, arbitrary: wellTypedLeaf }, { weight: 1, arbitrary: wildLeaf }).chain((l) =>
  fc.option(fc.constantFrom(1, 2, 3), { freq: 5 }).map((priority) => (priority === null ? l : { ...l, priority })));

const { tree } = fc.letrec<{ tree: unknown; node: unknown }>((tie) => ({
  tree: fc.oneof(
    fc.record({ all: fc.array(tie('node'), { minLength: 1, maxLength: 3 }) }),
    fc.record({ any: fc.array(tie('node'), { minLength: 1, maxLength: 3 }) }),
    fc.record({ not: tie('node') }),
  ),
  node: fc.oneof({ depthSize: 'small', withCrossShrink: true }, { weight: 4, arbitrary: leaf }, { weight: 1, arbitrary: tie('tree') }),
}));

const event = fc.oneof(
  fc.constantFrom(...SEVERITIES).map((level) => ({ type: 'severity', params: { level } })),
  fc.constantFrom(...departments).map((department) => ({ type: 'owner', params: { department } })),
  fc.constantFrom(...departments).map((d) => ({ type: 'notify', params: { departments: [d] } })),
  fc.constantFrom(...actions).map((code) => ({ type: 'action', params: { code } })),
  fc.constant({ type: 'escalate', params: { levels: 1 } }),
);

const rules = fc.array(fc.record({ stage: fc.constantFrom(1, 1, 2), conditions: tree, event }), { minLength: 1, maxLength: 4 })
  .map((list) => list.map((r, i) => ({ name: `rule-${i}`, ...r })));

const report: fc.Arbitrary<{ input: DecisionInput; repeats: number }> = fc.record({
  category: fc.constantFrom(...categories),
  subtype: fc.option(fc.constantFrom(...subtypes), { freq: 4 }),
  amount: fc.option(fc.constantFrom(...AMOUNTS), { freq: 3 }),
  propertyOwner: fc.option(fc.constantFrom(...catalog.factValues.propertyOwner), { freq: 3 }),
  injured: fc.option(fc.boolean(), { freq: 3 }),
  outageMinutes: fc.option(fc.constantFrom(...COUNTS), { freq: 3 }),
  escalating: fc.option(fc.boolean(), { freq: 3 }),
  mediaAttention: fc.option(fc.boolean(), { freq: 3 }),
  legalThreat: fc.option(fc.boolean(), { freq: 3 }),
  channel: fc.option(fc.constantFrom('PHONE', 'STORE', 'APP'), { freq: 3 }),
  customerTier: fc.option(fc.constantFrom('VIP', 'REGULAR'), { freq: 3 }),
  repeats: fc.constantFrom(...COUNTS),
}).map(({ repeats, ...facts }) => ({ input: { ...facts, customerId: 'C-1', reportedAt: new Date('2026-11-23T02:00:00Z') }, repeats }));

/** The pack of the shipped catalog and these rules, or the problems the validator finds. */
function validate(list: unknown[]): { engine: RuleEngine; reference: RuleEngine } | RuleProblem[] {
  const files = { [CATALOG_FILE]: catalogRaw, 'policy/random.json': JSON.stringify({ rules: list }) };
  try {
    const pack = packFromFiles(files, ['policy/random.json'], validators);
    return { engine: new RuleEngine(pack), reference: new RuleEngine(pack, { evaluator: 'json-rules-engine' }) };
  } catch (e) {
    if (e instanceof RulesInvalidError) return e.problems;
    throw e;
  }
}

async function outcome(engine: RuleEngine, input: DecisionInput, dynamicFacts: DynamicFacts): Promise<unknown> {
  try {
    return { value: await engine.decide(input, { now: input.reportedAt, dynamicFacts }) };
  } catch (e) {
    return { error: e instanceof Error ? e.message : String(e) };
  }
}

describe('the condition language is sound (property)', () => {
  it('loads the shipped schemas', () => expect(schemaProblems).toEqual([]));

  it(`every accepted pack of ${RUNS} random packs decides ${REPORTS_PER_PACK} reports each without throwing, as json-rules-engine does`, async () => {
    const seen = { accepted: 0, refused: 0, refusedThatThrow: 0, decisions: 0 };
    await fc.assert(
      fc.asyncProperty(rules, fc.array(report, { minLength: REPORTS_PER_PACK, maxLength: REPORTS_PER_PACK }), async (list, reports) => {
        const checked = validate(list);
        if (Array.isArray(checked)) {
          seen.refused++;
          // What the validator guards against: how many refused packs json-rules-engine would indeed fail on.
          if (seen.refusedThatThrow < 50) {
            const reference = referenceOf(list);
            if (reference && await throwsOnAny(reference, reports)) seen.refusedThatThrow++;
          }
          return;
        }
        seen.accepted++;
        const { engine, reference } = checked;
        expect(engine.evaluator).toBe('compiled');
        for (const { input, repeats } of reports) {
          const dynamicFacts: DynamicFacts = { repeatIncidents30d: async () => repeats };
          const actual = await outcome(engine, input, dynamicFacts);
          const expected = await outcome(reference, input, dynamicFacts);
          seen.decisions++;
          if (!('value' in (actual as object)) || !isDeepStrictEqual(actual, expected)) {
            throw new Error(`accepted pack ${JSON.stringify(list)} on ${JSON.stringify(input)}: compiled ${JSON.stringify(actual)}, json-rules-engine ${JSON.stringify(expected)}`);
          }
        }
      }),
      { numRuns: RUNS, seed: SEED },
    );
    // The generator covers both sides in earnest: accepted packs deciding thousands of reports,
    // and refused packs among which json-rules-engine would have thrown.
    expect(seen.accepted).toBeGreaterThan(RUNS / 10);
    expect(seen.refused).toBeGreaterThan(RUNS / 10);
    expect(seen.decisions).toBeGreaterThanOrEqual(1000);
    expect(seen.refusedThatThrow).toBeGreaterThan(0);
  }, 300_000);
});

/** json-rules-engine over a pack the validator refused (skipping the checks), when its events fold at all. */
function referenceOf(list: Array<{ name: string }>): RuleEngine | null {
  const pack = { catalog: { ...catalog, $schema: undefined } as Catalog, rules: list.map((r) => ({ ...r, file: 'policy/random.json' })) as never, checksum: 'x', version: 'x', files: {} };
  try {
    return new RuleEngine(pack, { evaluator: 'json-rules-engine' });
  } catch {
    return null;
  }
}

async function throwsOnAny(engine: RuleEngine, reports: Array<{ input: DecisionInput; repeats: number }>): Promise<boolean> {
  for (const { input, repeats } of reports) {
    const result = await outcome(engine, input, { repeatIncidents30d: async () => repeats });
    if ('error' in (result as object)) return true;
  }
  return false;
}
