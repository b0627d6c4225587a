import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { activateRulePack, smokeCorpus } from './pack-activation';
import { BUILT_IN_LANGUAGE, conditionSchemaDefs, CustomOperator } from './condition-language';
import { loadRulePack, RulesInvalidError } from './rule-pack.loader';
import { RulesFailedError } from './rule-pack.errors';
import { RuleEngine } from './rule-engine';
import { runPackTests } from './pack-tests';

const PACK = path.join(__dirname, '..', '..', 'rules');
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

/** A copy of the shipped pack with `leaf` pushed into the `all` of the first rule of policy/severity.json. */
function packWith(leaf: unknown, change?: (catalog: any) => void): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'triage-activation-'));
  dirs.push(dir);
  fs.cpSync(PACK, dir, { recursive: true });
  const file = path.join(dir, 'policy', 'severity.json');
  const json = JSON.parse(fs.readFileSync(file, 'utf8'));
  if (leaf) json.rules[0].conditions.all.push(leaf);
  fs.writeFileSync(file, JSON.stringify(json, null, 2));
  if (change) {
    const catalogFile = path.join(dir, 'catalog.json');
    const catalog = JSON.parse(fs.readFileSync(catalogFile, 'utf8'));
    change(catalog);
    fs.writeFileSync(catalogFile, JSON.stringify(catalog, null, 2));
  }
  return dir;
}

function refusal(run: () => unknown): Array<{ file: string; pointer: string; message: string }> {
  try {
    run();
  } catch (e) {
    if (e instanceof RulesInvalidError) return e.problems;
    throw e;
  }
  throw new Error('accepted');
}

const firstRule = JSON.parse(fs.readFileSync(path.join(PACK, 'policy', 'severity.json'), 'utf8')).rules[0];
const at = `/rules/0/conditions/all/${firstRule.conditions.all.length}`;

/** A test-only operator: always holds (the rule it joins decides as before), throws for the value it is armed with. */
function tripwire(): CustomOperator & { armed: unknown } {
  const op = {
    name: 'tripwire', factTypes: ['number'] as const, operands: ['scalar'] as const, meaning: 'test only', armed: undefined as unknown,
    evaluate(fact: unknown) {
      if (op.armed !== undefined && fact === op.armed) throw new Error('tripped');
      return true;
    },
  };
  return op;
}

describe('the condition language, one declaration', () => {
  it('is what the shipped rule-file schema says (the loader puts these definitions in; editors read the file)', () => {
    const shipped = JSON.parse(fs.readFileSync(path.join(PACK, 'schema', 'rule-file.schema.json'), 'utf8')).$defs;
    for (const [name, def] of Object.entries(conditionSchemaDefs(BUILT_IN_LANGUAGE))) expect({ [name]: shipped[name] }).toEqual({ [name]: def });
  });

  it.each([
    ['in against a fact', { fact: 'amount', operator: 'in', value: { fact: 'outageMinutes' } }, [`${at}/value`]],
    ['notIn against a fact', { fact: 'category', operator: 'notIn', value: { fact: 'subtype' } }, [`${at}/value`]],
    ['a path on a scalar fact, with an unknown code under it', { fact: 'category', path: '$', operator: 'equal', value: 'NO_SUCH_CATEGORY' }, [`${at}/path`, `${at}/value`]],
    ['in with a path and a single value', { fact: 'amount', path: '$.x', operator: 'in', value: 5 }, [`${at}/path`, `${at}/value`]],
    ['a path in a fact reference', { fact: 'amount', operator: 'equal', value: { fact: 'outageMinutes', path: '$.x' } }, [`${at}/value/path`]],
    ['a literal object', { fact: 'amount', operator: 'equal', value: { amount: 1 } }, [`${at}/value`]],
    ['a list under equal', { fact: 'category', operator: 'equal', value: ['OVERCHARGE'] }, [`${at}/value`]],
    ['facts of different types', { fact: 'amount', operator: 'equal', value: { fact: 'category' } }, [`${at}/value/fact`]],
  ])('refuses %s, naming the place', (_name, leaf, pointers) => {
    const problems = refusal(() => loadRulePack(packWith(leaf)));
    expect(problems.map((p) => [p.file, p.pointer])).toEqual(expect.arrayContaining(pointers.map((p) => ['policy/severity.json', p])));
    expect(problems.every((p) => p.file === 'policy/severity.json' && p.pointer.startsWith(at))).toBe(true);
  });

  it('accepts a custom operator given to the loader, and only then', () => {
    const dir = packWith({ fact: 'amount', operator: 'tripwire', value: 1 });
    expect(refusal(() => loadRulePack(dir))).toEqual(expect.arrayContaining([expect.objectContaining({ pointer: `${at}/operator` })]));
    expect(loadRulePack(dir, { operators: [tripwire()] }).rules.length).toBeGreaterThan(0);
    // …and within its declared shapes.
    expect(refusal(() => loadRulePack(packWith({ fact: 'category', operator: 'tripwire', value: 1 }), { operators: [tripwire()] })))
      .toEqual([expect.objectContaining({ pointer: `${at}/operator` })]);
  });

  it('requires the catalog fallback, with known codes', () => {
    expect(refusal(() => loadRulePack(packWith(null, (c) => delete c.fallback)))).toEqual([expect.objectContaining({ file: 'catalog.json', pointer: '' })]);
    const problems = refusal(() => loadRulePack(packWith(null, (c) => { c.fallback.ownerDepartment = 'NOBODY'; c.fallback.actions = ['CALL_119']; })));
    expect(problems.map((p) => p.pointer)).toEqual(['/fallback/actions/0', '/fallback/ownerDepartment']);
  });
});

describe('activation (fail closed)', () => {
  it('decides a smoke corpus of every category and subtype at the rules\' boundaries', async () => {
    const pack = loadRulePack(PACK);
    const corpus = smokeCorpus(pack);
    const categories = new Set(corpus.map((r) => r.input.category));
    expect([...categories].sort()).toEqual(Object.keys(pack.catalog.categories).sort());
    for (const amount of [5000, 5000.01, 4999.99, 50000.01]) expect(corpus.some((r) => r.input.amount === amount)).toBe(true);
    expect(corpus.some((r) => r.input.outageMinutes === 31)).toBe(true);
    await expect(activateRulePack(PACK)).resolves.toEqual(expect.objectContaining({ engine: expect.any(RuleEngine) }));
  });

  it('refuses a pack a rule of which throws on the corpus, naming the rule', async () => {
    const op = tripwire();
    op.armed = 5000.01; // a boundary of the shipped pack: the smoke corpus reaches it
    const dir = packWith({ fact: 'amount', operator: 'tripwire', value: 1 });
    await expect(activateRulePack(dir, { operators: [op] })).rejects.toThrow(RulesInvalidError);
    const problems = (await activateRulePack(dir, { operators: [op] }).catch((e: RulesInvalidError) => e.problems)) as RulesInvalidError['problems'];
    expect(problems).toEqual([{ file: 'policy/severity.json', pointer: '/rules/0', message: expect.stringContaining('tripped') }]);
    expect(problems[0].message).toContain(`rule "${firstRule.name}"`);
  });
});

describe('a rule that throws at decision time', () => {
  const op = tripwire();
  const dir = packWith({ fact: 'amount', operator: 'tripwire', value: 1 });
  const input = { category: firstRule.conditions.all[0].value as string, amount: 777.77, customerId: null, reportedAt: new Date('2026-11-23T02:00:00Z') };
  const deps = { now: input.reportedAt, dynamicFacts: { repeatIncidents30d: async () => 0 } };
  afterEach(() => { op.armed = undefined; });

  it('fails the decision with RULES_FAILED naming the rule, in both evaluators and in explanations', async () => {
    const pack = loadRulePack(dir, { operators: [op] });
    op.armed = 777.77;
    for (const engine of [new RuleEngine(pack), new RuleEngine(pack, { evaluator: 'json-rules-engine' })]) {
      const failed = await engine.decide(input, deps).catch((e: unknown) => e);
      expect(failed).toBeInstanceOf(RulesFailedError);
      expect((failed as RulesFailedError).code).toBe('RULES_FAILED');
      if (engine.evaluator === 'compiled') expect((failed as RulesFailedError).failure).toEqual({ rule: firstRule.name, file: 'policy/severity.json', message: 'tripped' });
    }
    await expect(new RuleEngine(pack).explain(input, deps)).rejects.toThrow(RulesFailedError);
  });

  it('gives the catalog\'s fallback decision', async () => {
    const engine = new RuleEngine(loadRulePack(dir, { operators: [op] }));
    op.armed = 777.77;
    const failed = (await engine.decide(input, deps).catch((e: unknown) => e)) as RulesFailedError;
    const decision = engine.fallbackDecision(input, failed);
    expect(decision).toMatchObject({
      severity: 'URGENT', ownerDepartment: 'CUSTOMER_SERVICE', notifyDepartments: ['DEPARTMENT_MANAGER'], actions: [], firedRules: [],
      fallback: true, failure: { rule: firstRule.name, file: 'policy/severity.json', message: 'tripped' }, ruleSetVersion: engine.version,
    });
    expect(decision.acknowledgeBy).toEqual(new Date(input.reportedAt.getTime() + 15 * 60_000)); // URGENT: 15 minutes
    expect(decision.facts).toMatchObject({ category: input.category, amount: 777.77 });
  });

  it('is a failing case of `rules test`, never a crash', async () => {
    const testsDir = path.join(dir, 'tests');
    fs.writeFileSync(path.join(testsDir, 'zz-trip.json'), JSON.stringify({
      $schema: '../schema/rule-test.schema.json',
      cases: [{ name: 'trips', input: { category: input.category, amount: 777.77 }, expect: { severity: 'GENERAL' } }],
    }));
    op.armed = 777.77;
    const report = await runPackTests(dir, new RuleEngine(loadRulePack(dir, { operators: [op] })));
    expect(report.failures).toEqual([expect.objectContaining({ case: 'tests/zz-trip.json › trips', field: 'decision' })]);
    expect(report.passed).toBeGreaterThan(100);
  });
});
