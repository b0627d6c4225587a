import { canonical, countDifferences, decisionDigest } from '../../bench/support/decision-digest';

const decision = () => ({
  ruleSetVersion: '2026.12.1',
  severity: 'SERIOUS',
  ownerDepartment: 'FINANCE',
  notifyDepartments: ['CUSTOMER_SERVICE'],
  actions: [{ action: 'REFUND', dueAt: new Date('2026-09-14T02:00:00Z'), deadlineAt: null }],
  policeReportRequired: false,
  refundSteps: ['FINANCE'],
  acknowledgeBy: new Date('2026-09-14T01:00:00Z'),
  resolveBy: null,
  firedRules: [{ name: 'overcharge', facts: { amount: 5000 }, reason: { en: 'over 5000' } }],
});

describe('canonical', () => {
  it('ignores key order and tells Dates, undefined and missing keys apart', () => {
    expect(canonical({ a: 1, b: [2, 'x'] })).toBe(canonical({ b: [2, 'x'], a: 1 }));
    expect(canonical({ a: new Date(0) })).not.toBe(canonical({ a: new Date(0).toISOString() }));
    expect(canonical({ a: undefined })).not.toBe(canonical({}));
    expect(canonical({ a: null })).not.toBe(canonical({ a: undefined }));
    expect(canonical([1, 2])).not.toBe(canonical([2, 1]));
  });
});

describe('decisionDigest', () => {
  it('is the same for equal decisions and ignores ruleSetVersion', () => {
    expect(decisionDigest(decision())).toBe(decisionDigest({ ...decision(), ruleSetVersion: 'other×10' }));
  });

  it('changes with any decided field, or with the explanation unless only the policy is compared', () => {
    const altered = { ...decision(), actions: [{ ...decision().actions[0], dueAt: new Date('2026-09-14T02:01:00Z') }] };
    expect(decisionDigest(altered)).not.toBe(decisionDigest(decision()));
    expect(decisionDigest(altered, true)).not.toBe(decisionDigest(decision(), true));
    const reworded = { ...decision(), firedRules: [{ ...decision().firedRules[0], reason: { en: 'more than 5000' } }] };
    expect(decisionDigest(reworded)).not.toBe(decisionDigest(decision()));
    expect(decisionDigest(reworded, true)).toBe(decisionDigest(decision(), true));
  });

  it('compares a policy decision without an explanation with the full decision on the policy fields', () => {
    const { ruleSetVersion: _v, firedRules: _f, ...policy } = decision();
    expect(decisionDigest(policy, true)).toBe(decisionDigest(decision(), true));
  });
});

describe('countDifferences', () => {
  const reference = [decision(), { ...decision(), severity: 'URGENT' }].map((d) => decisionDigest(d));

  it('counts nothing when every decision agrees', () => {
    expect(
      countDifferences(reference, [
        [0, reference[0]],
        [1, reference[1]],
        [0, reference[0]],
      ]),
    ).toBe(0);
  });

  it('counts a deliberately altered decision, and one with no reference', () => {
    const altered = decisionDigest({ ...decision(), policeReportRequired: true });
    expect(
      countDifferences(reference, [
        [0, altered],
        [1, reference[1]],
        [5, reference[0]],
      ]),
    ).toBe(2);
  });
});
