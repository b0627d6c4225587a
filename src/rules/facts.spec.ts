import fs from 'node:fs';
import path from 'node:path';
import { BUILT_IN_LANGUAGE } from './condition-language';
import { emptyDecision } from './decision-algebra';
import { FACT_DECLARATIONS, FactDeclaration, FactRegistry, FACTS } from './facts';
import { checkRuleFiles } from './rule-pack.checks';
import { compileSchemas, loadRulePack } from './rule-pack.loader';
import { RuleProblem } from './rule-pack.errors';
import { describeFacts } from './rule-explain';

const PACK = path.join(__dirname, '..', '..', 'rules');
const shippedSchema = (name: string) => JSON.parse(fs.readFileSync(path.join(PACK, 'schema', name), 'utf8'));

/** A fact the product does not have: a report comes in through the VIP hotline or not. */
const VIP_LINE: FactDeclaration = { name: 'vipLine', type: 'boolean', origin: 'report', label: { zh: 'VIP专线', en: 'VIP line' }, input: { kind: 'flag' }, amendable: true };
const WITH_VIP_LINE = new FactRegistry([...FACT_DECLARATIONS.slice(0, 11), VIP_LINE, ...FACT_DECLARATIONS.slice(11)]);

describe('the fact registry', () => {
  it('lists the report, dynamic and decided facts in their order, with their types', () => {
    expect(FACTS.report).toEqual([
      'category', 'subtype', 'amount', 'propertyOwner', 'injured', 'outageMinutes', 'escalating', 'mediaAttention', 'legalThreat', 'channel', 'customerTier',
    ]);
    expect(FACTS.dynamic).toEqual(['repeatIncidents30d']);
    expect(FACTS.decided).toEqual(['severity', 'ownerDepartment']);
    expect(FACTS.forStage(1)).toEqual([...FACTS.report, 'repeatIncidents30d']);
    expect(FACTS.forStage(2)).toEqual([...FACTS.report, 'repeatIncidents30d', 'severity', 'ownerDepartment']);
    expect(FACTS.types).toMatchObject({ amount: 'number', injured: 'boolean', channel: 'string', repeatIncidents30d: 'number' });
    expect(FACTS.amendable.map((d) => d.name)).toEqual(['subtype', 'amount', 'propertyOwner', 'injured', 'outageMinutes', 'escalating', 'mediaAttention', 'legalThreat']);
  });

  it('refuses a declaration that cannot work', () => {
    expect(() => new FactRegistry([...FACT_DECLARATIONS, FACT_DECLARATIONS[0]])).toThrow('declared twice');
    expect(() => new FactRegistry([{ name: 'no-dash', type: 'string', origin: 'dynamic', label: { zh: '', en: '' } }])).toThrow('camelCase');
    expect(() => new FactRegistry([{ name: 'x', type: 'string', origin: 'report', label: { zh: '', en: '' } }])).toThrow('declare their input');
    expect(() => new FactRegistry([{ ...VIP_LINE, field: 'customer.vipLine' }])).toThrow('top of the report');
  });

  it("is what the shipped rule-test schema gives as a case's input (the loader puts it in; editors read the file)", () => {
    expect(shippedSchema('rule-test.schema.json').$defs.input).toEqual(FACTS.testInputSchemaDefs().input);
  });

  it("agrees with the drill scenarios' schema: a report step gives the report facts of the report's top level, an amendment the amendable ones", () => {
    const { report, amend } = shippedSchema('drill-scenario.schema.json').$defs;
    const facts = (props: Record<string, unknown>) => Object.keys(props).filter((k) => FACTS.has(k));
    expect(facts(report.properties)).toEqual(FACTS.reportFields.filter((f) => f.path.length === 1).map((f) => f.declaration.name));
    expect(facts(amend.properties)).toEqual(FACTS.amendable.map((d) => d.name));
  });

  it('reads a stored report: amounts from fen, nested fields, and the dynamic facts as stored', () => {
    const stored = { category: 'PROPERTY_LOSS', amountFen: '500001', injured: true, customer: { id: 'c1', tier: 'VIP' }, repeatIncidents30d: 2, description: 'x' };
    expect(FACTS.ofStoredReport(stored)).toEqual({
      category: 'PROPERTY_LOSS', subtype: null, amount: 5000.01, propertyOwner: null, injured: true, outageMinutes: null,
      escalating: null, mediaAttention: null, legalThreat: null, channel: null, customerTier: 'VIP',
    });
    expect(FACTS.ofStoredReport(stored, { dynamic: true })).toMatchObject({ repeatIncidents30d: 2 });
    expect(FACTS.ofStoredReport({ category: 'SERVICE' }, { dynamic: true })).toMatchObject({ repeatIncidents30d: 0, amount: null });
  });

  it('labels facts for explanations', () => {
    expect(FACTS.label('amount')).toBe('金额(元) / amount (yuan)');
    expect(describeFacts({ category: 'PROPERTY_LOSS', amount: 5000.01 })).toBe('类别 category="PROPERTY_LOSS", 金额(元) amount=5000.01');
    expect(describeFacts({ unknown: 1 })).toBe('unknown=1');
  });

  it('has a label in both languages for every fact', () => {
    for (const d of FACTS.declarations) expect([d.name, d.label.zh.length > 0, d.label.en.length > 0]).toEqual([d.name, true, true]);
  });
});

describe('adding a fact is one declaration', () => {
  const catalog = loadRulePack(PACK).catalog;
  const ruleFile = (fact: string) => ({
    file: 'policy/vip.json',
    data: { rules: [{ name: 'vip-line-urgent', stage: 1, conditions: { all: [{ fact, operator: 'equal', value: true }] }, event: { type: 'severity', params: { level: 'URGENT' } } }] },
  });

  it('is built into the facts every stage reads, from a report and from a stored one', () => {
    const facts = WITH_VIP_LINE.reportFacts({ category: 'SERVICE', vipLine: true });
    expect(Object.keys(facts)).toEqual(WITH_VIP_LINE.forStage(1));
    expect(facts).toMatchObject({ vipLine: true, repeatIncidents30d: 0 });
    expect(WITH_VIP_LINE.reportFacts({ category: 'SERVICE' })).toMatchObject({ vipLine: null });
    const later = WITH_VIP_LINE.stageFacts(2, facts, emptyDecision({ defaultOwner: 'CUSTOMER_SERVICE' }));
    expect(later).toMatchObject({ vipLine: true, severity: 'GENERAL', ownerDepartment: 'CUSTOMER_SERVICE' });
    expect(WITH_VIP_LINE.ofStoredReport({ category: 'SERVICE', vipLine: false })).toMatchObject({ vipLine: false });
    // A compiled later stage copies only what its rules read, in the registry's order, as stageFacts reads it.
    const read = WITH_VIP_LINE.stageValues(new Set(['severity', 'vipLine', 'noSuchFact']));
    expect(read(facts, emptyDecision({ defaultOwner: 'CUSTOMER_SERVICE' }))).toEqual({ vipLine: true, severity: 'GENERAL' });
  });

  it('may be read by rules, with the operators of its type', () => {
    expect(checkRuleFiles(catalog, [ruleFile('vipLine')], BUILT_IN_LANGUAGE, WITH_VIP_LINE)).toEqual([]);
    expect(checkRuleFiles(catalog, [ruleFile('vipLine')], BUILT_IN_LANGUAGE).map((p) => p.message)).toEqual([expect.stringMatching(/^unknown fact "vipLine"/)]);
    const compared = ruleFile('vipLine');
    compared.data.rules[0].conditions.all[0] = { fact: 'vipLine', operator: 'greaterThan', value: 1 } as never;
    expect(checkRuleFiles(catalog, [compared], BUILT_IN_LANGUAGE, WITH_VIP_LINE).map((p) => p.message)).toEqual(['operator "greaterThan" compares numbers; "vipLine" is a boolean']);
  });

  it("is in the pack tests' schema", () => {
    expect((WITH_VIP_LINE.testInputSchemaDefs().input as { properties: Record<string, unknown> }).properties.vipLine).toEqual({ type: ['boolean', 'null'] });
    const testFile = { cases: [{ name: 'vip', input: { category: 'SERVICE', vipLine: true }, expect: { severity: 'URGENT' } }] };
    const problems: RuleProblem[] = [];
    expect(compileSchemas(PACK, ['ruleTest'], problems, BUILT_IN_LANGUAGE, WITH_VIP_LINE).ruleTest!(testFile)).toBe(true);
    expect(compileSchemas(PACK, ['ruleTest'], problems).ruleTest!(testFile)).toBe(false);
    expect(problems).toEqual([]);
  });

  it('is explained with its label', () => {
    expect(describeFacts({ vipLine: true }, WITH_VIP_LINE)).toBe('VIP专线 vipLine=true');
  });
});
