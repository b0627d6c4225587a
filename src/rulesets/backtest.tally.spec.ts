import { BacktestTally } from './backtest.tally';
import { DecisionSummary, describeChange, diffDecisions, summarizeDecision } from './decision-diff';

const base: DecisionSummary = {
  severity: 'SERIOUS',
  ownerDepartment: 'FINANCE',
  notifyDepartments: ['DEPARTMENT_MANAGER', 'SALES'],
  actions: ['PRESERVE_CCTV', 'ROOT_CAUSE_ANALYSIS'],
  policeReportRequired: false,
  refundSteps: ['CASHIER_CHECK', 'PAYOUT'],
  ruleSetVersion: 'live@1',
  firedRules: ['a'],
};
const incident = (id: number, category = 'PROPERTY_LOSS') => ({
  id,
  source: 'erp',
  externalRef: `R-${id}`,
  category,
  reportedAt: new Date('2026-11-23T02:00:00Z'),
});

describe('diffDecisions', () => {
  it('finds no change when only the version, fired rules or the order of sets differ', () => {
    const after = {
      ...base,
      ruleSetVersion: 'draft@2',
      firedRules: ['b'],
      notifyDepartments: ['SALES', 'DEPARTMENT_MANAGER'],
      actions: ['ROOT_CAUSE_ANALYSIS', 'PRESERVE_CCTV'],
    };
    expect(diffDecisions(base, after)).toEqual([]);
  });

  it('names every changed part, in a fixed order; the refund chain compares in order', () => {
    const after: DecisionSummary = {
      ...base,
      severity: 'URGENT',
      ownerDepartment: 'CUSTOMER_SERVICE',
      notifyDepartments: ['SALES'],
      actions: [...base.actions, 'POLICE_REPORT'],
      policeReportRequired: true,
      refundSteps: ['PAYOUT', 'CASHIER_CHECK'],
    };
    expect(diffDecisions(base, after)).toEqual(['SEVERITY', 'OWNER', 'NOTIFY', 'ACTIONS', 'POLICE', 'REFUND_CHAIN']);
    expect(describeChange(base, after, ['SEVERITY', 'ACTIONS', 'POLICE'])).toBe('severity SERIOUS → URGENT; actions +POLICE_REPORT; police no → yes');
  });

  it('summarises a stored decision and a fresh one alike (codes, no dates)', () => {
    const s = summarizeDecision({
      severity: 'GENERAL',
      ownerDepartment: 'IT',
      notifyDepartments: [],
      policeReportRequired: false,
      ruleSetVersion: 'v',
      actions: [{ code: 'APOLOGIZE', dueAt: '2026-11-23T03:00:00.000Z' } as { code: string }],
      firedRules: [{ name: 'r' }],
    });
    expect(s).toEqual({
      severity: 'GENERAL',
      ownerDepartment: 'IT',
      notifyDepartments: [],
      actions: ['APOLOGIZE'],
      policeReportRequired: false,
      refundSteps: [],
      ruleSetVersion: 'v',
      firedRules: ['r'],
    });
  });
});

describe('BacktestTally', () => {
  const police = { ...base, policeReportRequired: true, actions: [...base.actions, 'POLICE_REPORT'] };

  it('counts totals, changes per part and police direction, per category too', () => {
    const t = new BacktestTally(10);
    t.add(incident(1), base, police);
    t.add(incident(2), police, base);
    t.add(incident(3), base, base);
    t.add(incident(4, 'SERVICE'), base, { ...base, severity: 'GENERAL' });
    const r = t.result();
    expect(r.counts).toEqual({
      total: 4,
      changed: 3,
      severity: 1,
      owner: 0,
      notify: 0,
      actions: 2,
      police: 2,
      policeNowRequired: 1,
      policeNoLongerRequired: 1,
      refundChain: 0,
    });
    expect(r.byCategory.map((c) => [c.category, c.counts.total, c.counts.changed, c.counts.policeNowRequired])).toEqual([
      ['PROPERTY_LOSS', 3, 2, 1],
      ['SERVICE', 1, 1, 0],
    ]);
    expect(r.samples.map((s) => [s.id, s.changed])).toEqual([
      [1, ['ACTIONS', 'POLICE']],
      [2, ['ACTIONS', 'POLICE']],
      [4, ['SEVERITY']],
    ]);
    expect(r.samples[0]).toMatchObject({ externalRef: 'R-1', before: { policeReportRequired: false }, after: { policeReportRequired: true } });
  });

  it('keeps only the first N changed incidents, and with `only` just those where that part changed', () => {
    const t = new BacktestTally(2, ['POLICE']);
    t.add(incident(1), base, { ...base, severity: 'URGENT' });
    for (let id = 2; id <= 5; id++) t.add(incident(id), base, police);
    const r = t.result();
    expect(r.counts.changed).toBe(5);
    expect(r.samples.map((s) => s.id)).toEqual([2, 3]);
    expect(new BacktestTally(0).add(incident(9), base, police)).toBeNull();
    expect(new BacktestTally(1).add(incident(9), base, police)).toMatchObject({ id: 9, changed: ['ACTIONS', 'POLICE'] });
    expect(new BacktestTally(1).add(incident(9), base, base)).toBeNull();
  });
});
