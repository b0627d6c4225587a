import {
  applyStage, emptyDecision, finishDecision, foldActions, foldNotify, foldOwner, foldRefundSteps, foldSeverity,
} from './decision-algebra';
import type { DueClock } from './decision-plans';
import type { Catalog, Duration, RuleEvent } from './types';

const MIN = 60_000;
/** Wall clock only: enough to test the algebra without a business calendar. */
const clock: DueClock = {
  addDuration(from: Date, d: Duration) {
    if (d.afterResolution) return null;
    if (d.immediate) return from;
    const minutes = d.minutes ?? (d.hours ?? 0) * 60 + (d.workingHours ?? 0) * 60 + (d.workingDays ?? 0) * 9 * 60;
    return new Date(from.getTime() + minutes * MIN);
  },
};

const catalog: Pick<Catalog, 'actions' | 'departments' | 'deadlines' | 'defaultOwner' | 'immediately'> = {
  defaultOwner: 'CUSTOMER_SERVICE',
  departments: { CUSTOMER_SERVICE: 'cs', FINANCE: 'fin', SECURITY: 'sec', DEPARTMENT_MANAGER: 'dm', GENERAL_MANAGER: 'gm' },
  actions: {
    POLICE_REPORT: { label: 'police', due: { immediate: true } },
    PRESERVE_CCTV: { label: 'cctv', due: { hours: 1 }, retainDays: 30 },
    REFUND: { label: 'refund', due: { workingDays: 3 } },
    SATISFACTION_SURVEY: { label: 'survey', due: { afterResolution: true } },
    FOLLOW_UP: { label: 'follow-up', due: { workingDays: 2 }, dueFrom: 'RESOLVED' },
  },
  deadlines: {
    GENERAL: { acknowledge: { workingHours: 4 }, resolve: { workingDays: 5 } },
    SERIOUS: { acknowledge: { hours: 1 }, resolve: { workingDays: 3 } },
    URGENT: { acknowledge: { minutes: 15 }, resolve: { hours: 24 } },
    CRITICAL: { acknowledge: { minutes: 5 }, resolve: { hours: 4 } },
  },
};

const sev = (level: 'GENERAL' | 'SERIOUS' | 'URGENT' | 'CRITICAL'): RuleEvent => ({ type: 'severity', params: { level } });
const esc = (levels: number): RuleEvent => ({ type: 'escalate', params: { levels } });
const owner = (department: string, rank?: number): RuleEvent => ({ type: 'owner', params: rank === undefined ? { department } : { department, rank } });
const notify = (...departments: string[]): RuleEvent => ({ type: 'notify', params: { departments } });
const action = (code: string, due?: Duration): RuleEvent => ({ type: 'action', params: due ? { code, due } : { code } });
const chain = (steps: string[], rank?: number): RuleEvent => ({ type: 'refundChain', params: rank === undefined ? { steps } : { steps, rank } });
const insert = (step: string, after: string): RuleEvent => ({ type: 'insertRefundStep', params: { step, after } });

const at = new Date('2026-11-23T02:00:00Z');

describe('foldSeverity', () => {
  it('is GENERAL when no rule sets one', () => {
    expect(foldSeverity([])).toBe('GENERAL');
    expect(foldSeverity([notify('FINANCE')])).toBe('GENERAL');
  });

  it('is the highest level set, whatever the order', () => {
    expect(foldSeverity([sev('URGENT'), sev('SERIOUS'), sev('GENERAL')])).toBe('URGENT');
    expect(foldSeverity([sev('SERIOUS'), sev('CRITICAL')])).toBe('CRITICAL');
  });

  it('adds escalations after the max and caps at CRITICAL', () => {
    expect(foldSeverity([sev('SERIOUS'), esc(1)])).toBe('URGENT');
    expect(foldSeverity([esc(1), sev('GENERAL')])).toBe('SERIOUS');
    expect(foldSeverity([sev('URGENT'), esc(1), esc(1)])).toBe('CRITICAL');
    expect(foldSeverity([sev('CRITICAL'), esc(2)])).toBe('CRITICAL');
  });
});

describe('foldOwner', () => {
  it('falls back to the default owner', () => {
    expect(foldOwner([], 'CUSTOMER_SERVICE')).toBe('CUSTOMER_SERVICE');
  });

  it('takes the highest rank, the first on ties', () => {
    expect(foldOwner([owner('FINANCE'), owner('SECURITY')], 'X')).toBe('FINANCE');
    expect(foldOwner([owner('FINANCE'), owner('SECURITY', 5)], 'X')).toBe('SECURITY');
    expect(foldOwner([owner('FINANCE', 5), owner('SECURITY', 5)], 'X')).toBe('FINANCE');
    expect(foldOwner([owner('FINANCE', -1)], 'X')).toBe('FINANCE');
  });
});

describe('foldNotify', () => {
  it('is the union without the owner, in catalog order', () => {
    const order = Object.keys(catalog.departments);
    expect(foldNotify([notify('GENERAL_MANAGER', 'FINANCE'), notify('SECURITY', 'FINANCE', 'CUSTOMER_SERVICE')], 'CUSTOMER_SERVICE', order))
      .toEqual(['FINANCE', 'SECURITY', 'GENERAL_MANAGER']);
    expect(foldNotify([notify('FINANCE')], 'FINANCE', order)).toEqual([]);
  });
});

describe('foldActions', () => {
  it('gives each action its catalog due, in catalog order, with retention', () => {
    const actions = foldActions([action('SATISFACTION_SURVEY'), action('PRESERVE_CCTV'), action('POLICE_REPORT')], catalog, at, clock);
    expect(actions).toEqual([
      { code: 'POLICE_REPORT', dueAt: new Date(at.getTime() + 5 * MIN) },
      { code: 'PRESERVE_CCTV', dueAt: new Date(at.getTime() + 60 * MIN), retainUntil: new Date(at.getTime() + 30 * 24 * 60 * MIN) },
      { code: 'SATISFACTION_SURVEY', dueAt: null },
    ]);
  });

  it('counts "immediately" as the catalog says (default 5 minutes), the retention from when it happened, and leaves an action counted from the resolution without a due time', () => {
    const occurred = new Date(at.getTime() - 90 * MIN);
    const actions = foldActions([action('POLICE_REPORT'), action('PRESERVE_CCTV'), action('FOLLOW_UP')], { ...catalog, immediately: { minutes: 2 } }, at, clock, occurred);
    expect(actions).toEqual([
      { code: 'POLICE_REPORT', dueAt: new Date(at.getTime() + 2 * MIN) },
      { code: 'PRESERVE_CCTV', dueAt: new Date(at.getTime() + 60 * MIN), retainUntil: new Date(occurred.getTime() + 30 * 24 * 60 * MIN) },
      { code: 'FOLLOW_UP', dueAt: null, dueAfterResolution: { workingDays: 2 } },
    ]);
    // A rule may shorten an action counted from the resolution too: the shorter span wins.
    const overridden = foldActions([action('FOLLOW_UP'), action('FOLLOW_UP', { hours: 4 })], catalog, at, clock);
    expect(overridden).toEqual([{ code: 'FOLLOW_UP', dueAt: null, dueAfterResolution: { hours: 4 } }]);
  });

  it('lets an event override the due, and keeps the earliest due of one code', () => {
    const late = foldActions([action('REFUND'), action('REFUND', { hours: 24 })], catalog, at, clock);
    expect(late).toEqual([{ code: 'REFUND', dueAt: new Date(at.getTime() + 24 * 60 * MIN) }]);
    const early = foldActions([action('REFUND', { minutes: 5 }), action('REFUND')], catalog, at, clock);
    expect(early).toEqual([{ code: 'REFUND', dueAt: new Date(at.getTime() + 5 * MIN) }]);
    const dated = foldActions([action('SATISFACTION_SURVEY'), action('SATISFACTION_SURVEY', { hours: 2 })], catalog, at, clock);
    expect(dated[0].dueAt).toEqual(new Date(at.getTime() + 120 * MIN));
  });
});

describe('foldRefundSteps', () => {
  const std = ['CASHIER_CHECK', 'FINANCE_DIRECTOR_APPROVAL', 'PAYOUT'];
  const pf = ['CS_REVIEW', ...std];

  it('is empty when no chain fires (no refund expected), or the fallback', () => {
    expect(foldRefundSteps([])).toEqual([]);
    expect(foldRefundSteps([], std)).toEqual(std);
  });

  it('takes the highest-rank chain, the first on ties', () => {
    expect(foldRefundSteps([chain(std), chain(pf, 10)])).toEqual(pf);
    expect(foldRefundSteps([chain(pf), chain(std)])).toEqual(pf);
  });

  it('inserts steps after their anchor, only into a non-empty chain holding it, once', () => {
    const withPresident = ['CASHIER_CHECK', 'FINANCE_DIRECTOR_APPROVAL', 'PRESIDENT_APPROVAL', 'PAYOUT'];
    expect(foldRefundSteps([insert('PRESIDENT_APPROVAL', 'FINANCE_DIRECTOR_APPROVAL'), chain(std)])).toEqual(withPresident);
    expect(foldRefundSteps([chain(std), insert('PRESIDENT_APPROVAL', 'FINANCE_DIRECTOR_APPROVAL'), insert('PRESIDENT_APPROVAL', 'CASHIER_CHECK')]))
      .toEqual(withPresident);
    expect(foldRefundSteps([insert('PRESIDENT_APPROVAL', 'FINANCE_DIRECTOR_APPROVAL')])).toEqual([]);
    expect(foldRefundSteps([chain(['CASHIER_CHECK']), insert('PRESIDENT_APPROVAL', 'FINANCE_DIRECTOR_APPROVAL')])).toEqual(['CASHIER_CHECK']);
  });

  it('does not change the chain an event holds', () => {
    const event = chain([...std]);
    foldRefundSteps([event, insert('PRESIDENT_APPROVAL', 'CASHIER_CHECK')]);
    expect(event).toEqual(chain(std));
  });
});

describe('stages and the final decision', () => {
  it('recomputes severity and owner after each stage so the next stage reads them', () => {
    let partial = emptyDecision(catalog);
    expect(partial).toEqual({ events: [], severity: 'GENERAL', ownerDepartment: 'CUSTOMER_SERVICE' });
    partial = applyStage(partial, [sev('SERIOUS'), owner('FINANCE'), esc(1)], catalog);
    expect(partial.severity).toBe('URGENT');
    expect(partial.ownerDepartment).toBe('FINANCE');
    partial = applyStage(partial, [notify('DEPARTMENT_MANAGER')], catalog);
    expect(partial.events).toHaveLength(4);
  });

  it('builds the decision: police flag, deadlines of the final severity, notify without owner', () => {
    const partial = applyStage(emptyDecision(catalog), [
      sev('URGENT'), owner('FINANCE'), notify('FINANCE', 'SECURITY'), action('POLICE_REPORT'), action('REFUND'), chain(['CASHIER_CHECK']),
    ], catalog);
    const decision = finishDecision(partial, { catalog, clock, reportedAt: at, ruleSetVersion: 'v1', firedRules: [] });
    expect(decision).toEqual({
      severity: 'URGENT',
      ownerDepartment: 'FINANCE',
      notifyDepartments: ['SECURITY'],
      actions: [{ code: 'POLICE_REPORT', dueAt: new Date(at.getTime() + 5 * MIN) }, { code: 'REFUND', dueAt: new Date(at.getTime() + 27 * 60 * MIN) }],
      policeReportRequired: true,
      refundSteps: ['CASHIER_CHECK'],
      remedies: [],
      acknowledgeBy: new Date(at.getTime() + 15 * MIN),
      resolveBy: new Date(at.getTime() + 24 * 60 * MIN),
      ruleSetVersion: 'v1',
      firedRules: [],
    });
  });

  it('has no police report without POLICE_REPORT, and GENERAL deadlines with no events', () => {
    const decision = finishDecision(emptyDecision(catalog), { catalog, clock, reportedAt: at, ruleSetVersion: 'v1', firedRules: [] });
    expect(decision.policeReportRequired).toBe(false);
    expect(decision.severity).toBe('GENERAL');
    expect(decision.ownerDepartment).toBe('CUSTOMER_SERVICE');
    expect(decision.acknowledgeBy).toEqual(new Date(at.getTime() + 4 * 60 * MIN));
  });
});
