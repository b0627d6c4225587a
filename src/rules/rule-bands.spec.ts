import path from 'node:path';
import { checkBands, coverageOf, formatBandWarning } from './rule-bands';
import { loadRulePack } from './rule-pack.loader';
import type { RuleDefinition, RuleEvent } from './types';

type Rule = RuleDefinition & { file: string };

const rule = (name: string, leaves: object[], event: RuleEvent, file = 'policy/x.json'): Rule => ({
  name, stage: 1, file, conditions: { all: leaves }, event,
});
const cat = (value: string) => ({ fact: 'category', operator: 'equal', value });
const amount = (operator: string, value: number) => ({ fact: 'amount', operator, value });
const severity = (level: 'GENERAL' | 'SERIOUS' | 'URGENT' | 'CRITICAL'): RuleEvent => ({ type: 'severity', params: { level } });

describe('checkBands', () => {
  it('reports the gap between amount <= 1000 and amount > 2000, naming the values and both rules', () => {
    const warnings = checkBands([
      rule('small-loss-general', [cat('PROPERTY_LOSS'), amount('lessThanInclusive', 1000)], severity('GENERAL')),
      rule('large-loss-urgent', [cat('PROPERTY_LOSS'), amount('greaterThan', 2000)], severity('URGENT')),
    ]);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ kind: 'gap', category: 'PROPERTY_LOSS', fact: 'amount', decision: 'severity', rules: ['small-loss-general', 'large-loss-urgent'], file: 'policy/x.json', pointer: '/rules/1' });
    expect(warnings[0].message).toContain('1000.01 to 2000.00');
    expect(formatBandWarning(warnings[0])).toMatch(/^policy\/x\.json:\/rules\/1: gap: for PROPERTY_LOSS, no severity rule covers amount 1000\.01 to 2000\.00/);
  });

  it('reports an overlap of two rules with different params, with the shared values', () => {
    const warnings = checkBands([
      rule('loss-up-to-3000-serious', [cat('PROPERTY_LOSS'), amount('lessThanInclusive', 3000)], severity('SERIOUS')),
      rule('loss-from-2000-urgent', [cat('PROPERTY_LOSS'), amount('greaterThanInclusive', 2000)], severity('URGENT')),
    ]);
    expect(warnings.map((w) => w.kind)).toEqual(['overlap']);
    expect(warnings[0].message).toContain('amount 2000.00 to 3000.00');
    expect(warnings[0].message).toContain('"loss-up-to-3000-serious" (severity SERIOUS, amount up to 3000.00)');
  });

  it('is silent for adjacent bands, for equal params and for rules of different decisions', () => {
    expect(checkBands([
      rule('a', [cat('X'), amount('lessThanInclusive', 5000)], severity('SERIOUS')),
      rule('b', [cat('X'), amount('greaterThan', 5000)], severity('URGENT')),
      rule('c', [cat('X'), amount('greaterThan', 100)], severity('URGENT')),
      rule('d', [cat('X'), amount('lessThan', 10)], { type: 'action', params: { code: 'APOLOGIZE' } }),
      rule('e', [cat('X'), amount('greaterThan', 20)], { type: 'action', params: { code: 'REFUND' } }),
    ])).toEqual([
      expect.objectContaining({ kind: 'overlap', rules: ['a', 'c'] }),
    ]);
  });

  it('counts whole minutes: outage < 30 and >= 30 touch, <= 29 and > 30 leave 30 uncovered', () => {
    const minutes = (operator: string, value: number) => ({ fact: 'outageMinutes', operator, value });
    expect(checkBands([
      rule('short', [cat('S'), minutes('lessThan', 30)], severity('GENERAL')),
      rule('long', [cat('S'), minutes('greaterThanInclusive', 30)], severity('SERIOUS')),
    ])).toEqual([]);
    const [gap] = checkBands([
      rule('short', [cat('S'), minutes('lessThanInclusive', 29)], severity('GENERAL')),
      rule('long', [cat('S'), minutes('greaterThan', 30)], severity('SERIOUS')),
    ]);
    expect(gap.message).toContain('outageMinutes 30,');
  });

  it('applies rules limited to no category to every category, and reports their own overlaps once', () => {
    const warnings = checkBands([
      rule('any-over-100-urgent', [amount('greaterThan', 100)], severity('URGENT')),
      rule('any-over-50-serious', [amount('greaterThan', 50)], severity('SERIOUS')),
      rule('a-all-general', [cat('A')], severity('GENERAL')),
      rule('b-all-general', [cat('B')], severity('GENERAL')),
    ]);
    const unlimited = warnings.filter((w) => w.category === null);
    expect(unlimited).toHaveLength(1);
    expect(unlimited[0].rules).toEqual(['any-over-100-urgent', 'any-over-50-serious']);
    expect(warnings.filter((w) => w.category === 'A').map((w) => w.rules.sort())).toEqual([
      ['a-all-general', 'any-over-100-urgent'],
      ['a-all-general', 'any-over-50-serious'],
    ]);
  });

  it('does not compare rules whose subtypes cannot both hold', () => {
    const sub = (value: string) => ({ fact: 'subtype', operator: 'equal', value });
    expect(checkBands([
      rule('stolen-small', [cat('P'), sub('STOLEN'), amount('lessThanInclusive', 1000)], severity('GENERAL')),
      rule('lost-large', [cat('P'), sub('LOST'), amount('greaterThan', 2000)], severity('URGENT')),
      rule('lost-medium', [cat('P'), sub('LOST'), amount('greaterThan', 500)], severity('SERIOUS')),
    ]).map((w) => w.rules)).toEqual([['lost-large', 'lost-medium']]);
  });

  it('groups notify rules per department and action rules per code', () => {
    const notify = (...departments: string[]): RuleEvent => ({ type: 'notify', params: { departments } });
    const warnings = checkBands([
      rule('small-notify', [cat('P'), amount('lessThanInclusive', 10)], notify('SECURITY', 'LEGAL')),
      rule('large-notify', [cat('P'), amount('greaterThan', 20)], notify('SECURITY')),
    ]);
    expect(warnings.map((w) => [w.kind, w.decision])).toEqual([['gap', 'notify SECURITY']]);
  });

  it('leaves a rule out when it reads the fact in a way it cannot follow', () => {
    expect(coverageOf({ all: [{ fact: 'amount', operator: 'greaterThan', value: { fact: 'outageMinutes' } }] }, 'amount')).toBe('unknown');
    expect(coverageOf({ any: [{ fact: 'amount', operator: 'lessThan', value: 10 }, { fact: 'amount', operator: 'greaterThan', value: 20 }] }, 'amount'))
      .toEqual([{ lo: 0, hi: 999 }, { lo: 2001, hi: Infinity }]);
    expect(coverageOf({ not: { fact: 'amount', operator: 'greaterThan', value: 5000 } }, 'amount')).toEqual([{ lo: 0, hi: 500000 }]);
    expect(coverageOf({ all: [{ fact: 'injured', operator: 'equal', value: true }] }, 'amount')).toEqual([{ lo: 0, hi: Infinity }]);
  });

  it('finds the deliberate overlaps of the shipped pack and no gaps', () => {
    const pack = loadRulePack(path.join(__dirname, '..', '..', 'rules'));
    const warnings = checkBands(pack.rules);
    expect(warnings.filter((w) => w.kind === 'gap')).toEqual([]);
    const loss = warnings.find((w) => w.rules.includes('property-loss-over-5000-urgent'));
    expect(loss).toMatchObject({ kind: 'overlap', category: 'PROPERTY_LOSS', file: 'policy/severity.json' });
    expect(loss!.rules).toContain('property-loss-serious');
    expect(loss!.message).toContain('amount 5000.01 and above');
  });
});
