import { emptyDecision } from './decision-algebra';
import { prepareRules, REPEAT_FACT, reportFacts, stageFactNames, stageFacts } from './pack-rules';
import { fixedFacts } from './rule-conditions';
import { REPORT_FACTS, RulePack } from './types';

describe('the facts a stage runs on', () => {
  // reportFacts and stageFacts are generated from the fact registry: they follow its lists.
  it('has every report fact, missing ones null, in REPORT_FACTS order, then repeatIncidents30d at 0', () => {
    const facts = reportFacts({ category: 'SERVICE', amount: 0, injured: false, repeatIncidents30d: 3 });
    expect(Object.keys(facts)).toEqual([...REPORT_FACTS, REPEAT_FACT]);
    expect(facts).toMatchObject({ category: 'SERVICE', amount: 0, injured: false, subtype: null, repeatIncidents30d: 0 });
    expect(Object.keys(facts)).toEqual([...stageFactNames(1)]);
  });

  it('adds what earlier stages decided from stage 2 on', () => {
    const facts = reportFacts({ category: 'SERVICE' });
    const decided = { ...emptyDecision({ defaultOwner: 'CUSTOMER_SERVICE' }), severity: 'URGENT' as const };
    expect(stageFacts(1, facts, decided)).toEqual(facts);
    expect(stageFacts(1, facts, decided)).not.toBe(facts);
    const later = stageFacts(2, facts, decided);
    expect(Object.keys(later)).toEqual([...stageFactNames(2)]);
    expect(later).toEqual({ ...facts, severity: 'URGENT', ownerDepartment: 'CUSTOMER_SERVICE' });
  });
});

describe('how a rule that holds becomes a FiredRule', () => {
  const rule = (conditions: unknown, reason?: { zh?: string; en?: string }) => ({
    name: 'r',
    stage: 1,
    file: 'r.json',
    conditions,
    event: { type: 'action' as const, params: { code: 'APOLOGIZE' } },
    ...(reason ? { reason } : {}),
  });
  const prepared = (r: ReturnType<typeof rule>) => prepareRules({ rules: [r] } as unknown as RulePack)[0];
  const service = reportFacts({ category: 'SERVICE', subtype: 'RUDE_STAFF', amount: 10 });

  it('knows the facts a rule fixes: an equal leaf on a string or boolean right under its root all', () => {
    const all = { all: [{ fact: 'category', operator: 'equal', value: 'SERVICE' }, { fact: 'injured', operator: 'equal', value: true }] };
    expect(fixedFacts(all, ['category', 'injured'])).toEqual({ category: 'SERVICE', injured: true });
    expect(fixedFacts(all, ['category', 'amount'])).toBeNull();
    expect(fixedFacts({ all: [{ fact: 'category', operator: 'in', value: ['SERVICE'] }] }, ['category'])).toBeNull();
    expect(fixedFacts({ all: [{ fact: 'amount', operator: 'equal', value: 10 }] }, ['amount'])).toBeNull();
    expect(fixedFacts({ all: [{ fact: 'category', operator: 'equal', value: 'SERVICE', path: '$.x' }] }, ['category'])).toBeNull();
    expect(fixedFacts({ any: [{ fact: 'category', operator: 'equal', value: 'SERVICE' }] }, ['category'])).toBeNull();
  });

  it('fires one frozen FiredRule, shared by every decision, when its conditions fix every fact it reads and its reason names none', () => {
    const fixed = prepared(rule({ all: [{ fact: 'category', operator: 'equal', value: 'SERVICE' }] }, { zh: '道歉', en: 'apologise' }));
    const first = fixed.fired(service);
    expect(first).toEqual({ name: 'r', stage: 1, event: fixed.definition.event, facts: { category: 'SERVICE' }, reason: { zh: '道歉', en: 'apologise' } });
    expect(Object.keys(first)).toEqual(['name', 'stage', 'event', 'facts', 'reason']);
    expect(fixed.fired(reportFacts({ category: 'SERVICE', amount: 99 }))).toBe(first);
    expect(Object.isFrozen(first) && Object.isFrozen(first.facts)).toBe(true);
  });

  it('makes a FiredRule afresh when a fact it reads may vary, or its reason names one', () => {
    const varying = prepared(rule({ all: [{ fact: 'category', operator: 'equal', value: 'SERVICE' }, { fact: 'amount', operator: 'greaterThan', value: 5 }] }));
    expect(varying.fired(service)).toEqual({ name: 'r', stage: 1, event: varying.definition.event, facts: { category: 'SERVICE', amount: 10 } });
    expect(varying.fired(service)).not.toBe(varying.fired(service));
    const named = prepared(rule({ all: [{ fact: 'category', operator: 'equal', value: 'SERVICE' }] }, { en: 'subtype {{subtype}}' }));
    expect(named.fired(service).reason).toEqual({ en: 'subtype RUDE_STAFF' });
    expect(named.fired(service)).not.toBe(named.fired(service));
  });
});
