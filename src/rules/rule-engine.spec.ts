import path from 'node:path';
import { DecisionInput, DynamicFacts, RuleEngine } from './rule-engine';
import { loadRulePack } from './rule-pack.loader';
import type { RulePack } from './types';
import { prng } from '../common/prng';

const PACK = path.join(__dirname, '..', '..', 'rules');
const AT = new Date('2026-11-23T02:00:00Z'); // Monday 10:00 in Shanghai

/** Answers repeatIncidents30d from a table, after a random pause so concurrent runs interleave. */
function fakeRepeats(byCustomer: Record<string, number> = {}, jitter = false) {
  const calls: Array<[string, Date]> = [];
  const facts: DynamicFacts = {
    async repeatIncidents30d(customerId, before) {
      calls.push([customerId, before]);
      if (jitter) await new Promise((r) => setTimeout(r, Math.floor(Math.random() * 3)));
      return byCustomer[customerId] ?? 0;
    },
  };
  return { facts, calls };
}


function variedInputs(pack: RulePack, count: number): DecisionInput[] {
  const rand = prng(42);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
  const maybe = <T>(v: T): T | null => (rand() < 0.5 ? v : null);
  const categories = Object.keys(pack.catalog.categories);
  const amounts = [0, 20, 4999.99, 5000, 5000.01, 50000, 50000.01, 123456.78];
  return Array.from({ length: count }, (_, i) => {
    const category = pick(categories);
    const subtypes = Object.keys(pack.catalog.categories[category].subtypes);
    return {
      category,
      subtype: subtypes.length ? pick(subtypes) : null,
      amount: maybe(pick(amounts)),
      propertyOwner: maybe(pick(['COMPANY', 'CUSTOMER'])),
      injured: maybe(rand() < 0.5),
      outageMinutes: maybe(pick([0, 30, 31, 240])),
      escalating: maybe(rand() < 0.5),
      mediaAttention: rand() < 0.15,
      legalThreat: rand() < 0.15,
      channel: null,
      customerTier: null,
      customerId: `C-${i % 7}`,
      reportedAt: new Date(AT.getTime() + Math.floor(rand() * 14 * 24) * 3_600_000),
    };
  });
}

describe('RuleEngine', () => {
  const pack = loadRulePack(PACK);
  const engine = new RuleEngine(pack);
  const deps = (facts: DynamicFacts) => ({ now: AT, dynamicFacts: facts });

  it('exposes the pack, its version and the business calendar', () => {
    expect(engine.pack).toBe(pack);
    expect(engine.version).toBe(pack.version);
    expect(typeof engine.calendar.addDuration).toBe('function');
  });

  it('explains each fired rule: stage, event, rendered reason and the facts it read', async () => {
    const decision = await engine.decide(
      { category: 'PROPERTY_LOSS', subtype: 'STOLEN', propertyOwner: 'COMPANY', amount: 5000.01, reportedAt: AT },
      deps(fakeRepeats().facts),
    );
    const police = decision.firedRules.find((r) => r.name === 'property-loss-over-5000-police');
    expect(police).toEqual({
      name: 'property-loss-over-5000-police',
      stage: 1,
      event: { type: 'action', params: { code: 'POLICE_REPORT' } },
      reason: { zh: '财产损失5000.01元,超5000元,须报警', en: 'loss of 5000.01 yuan is over 5000: police report' },
      facts: { category: 'PROPERTY_LOSS', amount: 5000.01 },
    });
    const manager = decision.firedRules.find((r) => r.name === 'urgent-notify-department-manager');
    expect(manager).toMatchObject({ stage: 2, facts: { severity: 'URGENT' }, reason: { en: 'severity URGENT is urgent or higher: tell the department manager' } });
    // Fired rules come by stage, then in pack order.
    const stages = decision.firedRules.map((r) => r.stage);
    expect(stages).toEqual([...stages].sort());
    expect(decision.ruleSetVersion).toBe(pack.version);
    expect(decision.facts).toMatchObject({ category: 'PROPERTY_LOSS', amount: 5000.01, repeatIncidents30d: 0, injured: null });
  });

  it('fetches repeatIncidents30d once, for the customer, before the report time', async () => {
    const { facts, calls } = fakeRepeats({ 'C-9': 3 });
    const decision = await engine.decide({ category: 'SERVICE', subtype: 'SLOW_RESPONSE', customerId: 'C-9', reportedAt: AT }, deps(facts));
    expect(calls).toEqual([['C-9', AT]]);
    expect(decision.severity).toBe('SERIOUS');
    expect(decision.facts?.repeatIncidents30d).toBe(3);
  });

  it('does not fetch repeatIncidents30d without a customer, or when no rule reads it', async () => {
    const { facts, calls } = fakeRepeats({ 'C-9': 3 });
    const anonymous = await engine.decide({ category: 'SERVICE', subtype: 'SLOW_RESPONSE', reportedAt: AT }, deps(facts));
    expect(anonymous.severity).toBe('GENERAL');
    expect(anonymous.facts?.repeatIncidents30d).toBe(0);
    const withoutRepeatRule = new RuleEngine({ ...pack, rules: pack.rules.filter((r) => r.name !== 'repeat-customer-escalate') });
    await withoutRepeatRule.decide({ category: 'SERVICE', customerId: 'C-9', reportedAt: AT }, deps(facts));
    expect(calls).toEqual([]);
  });

  it('decides the refund chain of a refund, with the default chain when the rules decide none', async () => {
    const fin = ['CASHIER_CHECK', 'ACCOUNTANT_REVIEW', 'FINANCE_DIRECTOR_APPROVAL', 'PAYOUT', 'CUSTOMER_NOTIFIED'];
    expect(await engine.refundChainFor({ category: 'PAYMENT_FAULT', subtype: 'NO_ORDER_ISSUED', amount: 10 }))
      .toEqual(['CS_REVIEW', 'TECH_VERIFY', ...fin]);
    expect(await engine.refundChainFor({ category: 'PERSONAL_SAFETY', subtype: 'ANIMAL_BITE', amount: 10 })).toEqual(fin);
    expect(await engine.refundChainFor({ category: 'PROPERTY_LOSS', subtype: 'LOST', amount: 50000.01 }))
      .toEqual(['CASHIER_CHECK', 'ACCOUNTANT_REVIEW', 'FINANCE_DIRECTOR_APPROVAL', 'PRESIDENT_APPROVAL', 'PAYOUT', 'CUSTOMER_NOTIFIED']);
  });

  it('explains every rule, fired or not, with each leaf\'s fact value and result', async () => {
    const input = { category: 'SYSTEM_FAILURE', subtype: 'NETWORK', outageMinutes: 31, reportedAt: AT };
    const { decision, rules } = await engine.explain(input, deps(fakeRepeats().facts));
    expect(rules.map((r) => r.name)).toEqual(pack.rules.map((r) => r.name));
    expect(rules.filter((r) => r.fired).map((r) => r.name)).toEqual(expect.arrayContaining(decision.firedRules.map((r) => r.name)));
    expect(rules.filter((r) => r.fired)).toHaveLength(decision.firedRules.length);
    const outage = rules.find((r) => r.name === 'outage-over-30-minutes-inform-customers')!;
    expect(outage).toMatchObject({ fired: true, stage: 1, file: 'policy/actions.json' });
    expect(outage.conditions).toEqual({
      all: [
        { fact: 'category', operator: 'equal', value: 'SYSTEM_FAILURE', factResult: 'SYSTEM_FAILURE', result: true },
        { fact: 'outageMinutes', operator: 'greaterThan', value: 30, factResult: 31, result: true },
      ],
      result: true,
    });
    const fire = rules.find((r) => r.name === 'fire-call-fire-service')!;
    expect(fire.fired).toBe(false);
    expect((fire.conditions as { all: Array<{ factResult: unknown; result: boolean | null }> }).all[0]).toMatchObject({ factResult: 'SYSTEM_FAILURE', result: false });
    expect(decision).toEqual(await engine.decide(input, deps(fakeRepeats().facts)));
  });

  it('decides the same with only the category\'s rules as with all of them', async () => {
    const { facts } = fakeRepeats({ 'C-1': 3, 'C-2': 5 });
    for (const input of variedInputs(pack, 200)) {
      const fast = await engine.decide(input, deps(facts));
      const { decision: full } = await engine.explain(input, deps(facts));
      expect(fast).toEqual(full);
    }
  }, 60_000);

  it('decideOn, on a repeat count already read, decides as decide() reading it: synchronously when compiled, on either evaluator', async () => {
    const counts: Record<string, number> = { 'C-1': 3, 'C-2': 5, 'C-3': 1 };
    const { facts } = fakeRepeats(counts);
    const plain = new RuleEngine(pack, { evaluator: 'json-rules-engine' });
    for (const input of variedInputs(pack, 200)) {
      const read = { repeatIncidents30d: counts[input.customerId ?? ''] ?? 0 };
      const compiled = engine.decideOn(input, read);
      expect(compiled).not.toBeInstanceOf(Promise);
      expect(compiled).toEqual(await engine.decide(input, deps(facts)));
      expect(await plain.decideOn(input, read)).toEqual(await plain.decide(input, deps(facts)));
    }
  }, 60_000);

  it('gives 1,000 concurrent decisions the same answers as one at a time (json-rules-engine #303)', async () => {
    const repeats = { 'C-1': 3, 'C-2': 5, 'C-4': 1 };
    const inputs = variedInputs(pack, 1000);
    const sequential = [];
    for (const input of inputs) sequential.push(await engine.decide(input, deps(fakeRepeats(repeats).facts)));
    const shared = new RuleEngine(pack);
    const concurrent = await Promise.all(inputs.map((input) => shared.decide(input, deps(fakeRepeats(repeats, true).facts))));
    expect(concurrent).toEqual(sequential);
    // The inputs really vary: every category and every severity is among the answers.
    expect(new Set(sequential.map((d) => d.severity)).size).toBe(4);
    expect(new Set(inputs.map((i) => i.category)).size).toBe(Object.keys(pack.catalog.categories).length);
  }, 60_000);

  it('decides with the compiled conditions unless json-rules-engine is asked for', async () => {
    expect(engine.evaluator).toBe('compiled');
    const reference = new RuleEngine(pack, { evaluator: 'json-rules-engine' });
    expect(reference.evaluator).toBe('json-rules-engine');
    const input = { category: 'PROPERTY_LOSS', subtype: 'STOLEN', propertyOwner: 'COMPANY', amount: 50000.01, customerId: 'C-1', reportedAt: AT };
    const facts = fakeRepeats({ 'C-1': 4 }).facts;
    expect(await engine.decide(input, deps(facts))).toEqual(await reference.decide(input, deps(facts)));
  });

  it('runs a later stage on every fact its rules read, in conditions and in reasons', async () => {
    // The compiled stage 2 copies only what its rules read: a stage-1 fact in a condition, another only in a reason.
    const late = {
      ...pack.rules[0],
      name: 'late-large-amount',
      stage: 2,
      conditions: { all: [{ fact: 'severity', operator: 'in', value: ['URGENT', 'CRITICAL'] }, { fact: 'amount', operator: 'greaterThan', value: 5000 }] },
      event: { type: 'notify' as const, params: { departments: ['FINANCE'] } },
      reason: { zh: '{{ownerDepartment}} 金额 {{amount}} 元, 顾客 {{customerTier}}', en: 'subtype {{subtype}}' },
    };
    const withLate = { ...pack, rules: [...pack.rules, late] };
    const compiled = new RuleEngine(withLate);
    expect(compiled.evaluator).toBe('compiled');
    const reference = new RuleEngine(withLate, { evaluator: 'json-rules-engine' });
    const input = { category: 'PROPERTY_LOSS', subtype: 'STOLEN', propertyOwner: 'COMPANY', amount: 8000, reportedAt: AT };
    const decision = await compiled.decide(input, deps(fakeRepeats().facts));
    expect(decision).toEqual(await reference.decide(input, deps(fakeRepeats().facts)));
    const fired = decision.firedRules.find((r) => r.name === 'late-large-amount');
    expect(fired?.facts).toEqual({ severity: decision.severity, amount: 8000 });
    expect(fired?.reason).toEqual({ zh: `${decision.ownerDepartment} 金额 8000 元, 顾客 `, en: 'subtype STOLEN' });
  });

  it('leaves a pack the compiler cannot reproduce exactly to json-rules-engine', async () => {
    // Order matters where a condition can fail, and json-rules-engine orders priorities as object keys.
    const odd = { all: [{ fact: 'category', operator: 'equal', value: 'SERVICE', priority: 'high' }, { fact: 'severity', operator: 'equal', value: 'X' }] };
    const rules = [...pack.rules, { ...pack.rules[0], name: 'odd-priority', conditions: odd }];
    const fallback = new RuleEngine({ ...pack, rules });
    expect(fallback.evaluator).toBe('json-rules-engine');
    const input = { category: 'OVERCHARGE', reportedAt: AT };
    expect(await fallback.decide(input, deps(fakeRepeats().facts))).toEqual(await engine.decide(input, deps(fakeRepeats().facts)));
  });

  it('gives concurrent explanations the same answers as one at a time', async () => {
    const inputs = variedInputs(pack, 100);
    const sequential = [];
    for (const input of inputs) sequential.push(await engine.explain(input, deps(fakeRepeats().facts)));
    const concurrent = await Promise.all(inputs.map((input) => engine.explain(input, deps(fakeRepeats({}, true).facts))));
    expect(concurrent).toEqual(sequential);
  }, 60_000);
});
