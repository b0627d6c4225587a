import fs from 'node:fs';
import path from 'node:path';
import { loadRulePack } from '../../src/rules/rule-pack.loader';
import { conditionText, durationText, renderPolicyDoc } from '../../src/rules/pack-doc';

const root = path.join(__dirname, '..', '..');

describe('docs/policy.md', () => {
  it('is the shipped pack written out (run `npx triage rules doc rules > docs/policy.md` after changing the pack)', () => {
    const committed = fs.readFileSync(path.join(root, 'docs', 'policy.md'), 'utf8');
    expect(renderPolicyDoc(loadRulePack(path.join(root, 'rules')))).toBe(committed);
  });
});

describe('the policy page renderer', () => {
  it('writes conditions as one line, nesting in parentheses', () => {
    const text = conditionText({
      all: [
        { fact: 'category', operator: 'equal', value: 'PROPERTY_LOSS' },
        { any: [{ fact: 'amount', operator: 'greaterThan', value: 5000 }, { not: { fact: 'injured', operator: 'equal', value: false } }] },
      ],
    });
    expect(text).toBe('category = PROPERTY_LOSS and (amount > 5000 or not injured = false)');
    expect(conditionText({ fact: 'x', path: '$.a', operator: 'in', value: { fact: 'y' } })).toBe('x.a in y');
  });

  it('writes due times in words', () => {
    expect(durationText({ workingDays: 1 })).toBe('1 working day');
    expect(durationText({ minutes: 10 })).toBe('10 minutes');
    expect(durationText({ immediate: true })).toBe('immediately');
    expect(durationText(undefined)).toBe('–');
  });
});
