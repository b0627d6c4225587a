/**
 * The shipped rule pack decides what the policy (docs/policy.md) says: every case of rules/tests/*.json, plus
 * the headline cases spelled out here.
 */
import path from 'node:path';
import { runPackTests } from '../../src/rules/pack-tests';
import { DecisionInput, DynamicFacts, RuleEngine } from '../../src/rules/rule-engine';
import { loadRulePack } from '../../src/rules/rule-pack.loader';
import type { Decision } from '../../src/rules/types';

const PACK = path.join(__dirname, '..', '..', 'rules');
const MONDAY = new Date('2026-11-23T10:00:00+08:00');
const FRIDAY = new Date('2026-11-20T10:00:00+08:00');
const FIN = ['CASHIER_CHECK', 'ACCOUNTANT_REVIEW', 'FINANCE_DIRECTOR_APPROVAL', 'PAYOUT', 'CUSTOMER_NOTIFIED'];

const engine = new RuleEngine(loadRulePack(PACK));

function decide(facts: Omit<DecisionInput, 'reportedAt'> & { reportedAt?: Date }, repeats = 0): Promise<Decision> {
  const dynamicFacts: DynamicFacts = { repeatIncidents30d: async () => repeats };
  const reportedAt = facts.reportedAt ?? MONDAY;
  return engine.decide({ customerId: 'C-1', ...facts, reportedAt }, { now: reportedAt, dynamicFacts });
}

const codes = (d: Decision) => d.actions.map((a) => a.code);
const dueOf = (d: Decision, code: string) => d.actions.find((a) => a.code === code)?.dueAt;

describe('the rule pack tests (rules/tests/*.json)', () => {
  it('all pass, and every rule fires in at least one case', async () => {
    const report = await runPackTests(PACK, engine);
    expect(report.failures).toEqual([]);
    expect(report.failed).toBe(0);
    expect(report.passed).toBeGreaterThanOrEqual(100);
    expect(report.unfiredRules).toEqual([]);
  });
});

describe('the policy (docs/policy.md), spelled out', () => {
  it('FIRE: critical, customer service owns, fire service and evacuation, facilities and managers told', async () => {
    const d = await decide({ category: 'ONSITE_EMERGENCY', subtype: 'FIRE' });
    expect(d.severity).toBe('CRITICAL');
    expect(d.ownerDepartment).toBe('CUSTOMER_SERVICE');
    expect(codes(d)).toEqual(expect.arrayContaining(['CALL_FIRE_SERVICE', 'EVACUATE']));
    expect(dueOf(d, 'CALL_FIRE_SERVICE')).toEqual(new Date(MONDAY.getTime() + 5 * 60_000)); // "immediately": 5 minutes
    expect(d.notifyDepartments).toEqual(expect.arrayContaining(['FACILITIES', 'DEPARTMENT_MANAGER', 'GENERAL_MANAGER']));
    expect(d.acknowledgeBy).toEqual(new Date(MONDAY.getTime() + 5 * 60_000));
    expect(d.resolveBy).toEqual(new Date(MONDAY.getTime() + 4 * 3_600_000));
  });

  it('PROPERTY_LOSS of the company: 5000.00 is not over 5000, 5000.01 is (police, security, urgent)', async () => {
    const at = await decide({ category: 'PROPERTY_LOSS', subtype: 'STOLEN', propertyOwner: 'COMPANY', amount: 5000.0 });
    const over = await decide({ category: 'PROPERTY_LOSS', subtype: 'STOLEN', propertyOwner: 'COMPANY', amount: 5000.01 });
    expect(at).toMatchObject({ severity: 'SERIOUS', ownerDepartment: 'FINANCE', policeReportRequired: false, notifyDepartments: ['DEPARTMENT_MANAGER'] });
    expect(codes(at)).not.toContain('POLICE_REPORT');
    expect(over).toMatchObject({ severity: 'URGENT', ownerDepartment: 'FINANCE', policeReportRequired: true });
    expect(codes(over)).toEqual(expect.arrayContaining(['POLICE_REPORT', 'PROTECT_SCENE_AND_PHOTOGRAPH', 'PRESERVE_CCTV']));
    expect(over.notifyDepartments).toEqual(['SECURITY', 'DEPARTMENT_MANAGER']);
    const cctv = over.actions.find((a) => a.code === 'PRESERVE_CCTV')!;
    expect(cctv.retainUntil).toEqual(new Date(MONDAY.getTime() + 30 * 86_400_000));
  });

  it('SYSTEM_FAILURE: an outage of 30 minutes has not passed 30, 31 has (inform customers, serious)', async () => {
    const thirty = await decide({ category: 'SYSTEM_FAILURE', subtype: 'COMPUTER', outageMinutes: 30 });
    const thirtyOne = await decide({ category: 'SYSTEM_FAILURE', subtype: 'COMPUTER', outageMinutes: 31 });
    expect(thirty.severity).toBe('GENERAL');
    expect(codes(thirty)).not.toContain('INFORM_CUSTOMERS_OF_DELAY');
    expect(thirtyOne.severity).toBe('SERIOUS');
    expect(dueOf(thirtyOne, 'INFORM_CUSTOMERS_OF_DELAY')).toEqual(new Date(MONDAY.getTime() + 10 * 60_000));
    expect(codes(thirtyOne)).toContain('ROOT_CAUSE_ANALYSIS');
  });

  it('a customer with 3 incidents in 30 days is escalated one level, with 2 not', async () => {
    const two = await decide({ category: 'PRODUCT_QUALITY', subtype: 'FUNCTION_FAILURE' }, 2);
    const three = await decide({ category: 'PRODUCT_QUALITY', subtype: 'FUNCTION_FAILURE' }, 3);
    expect(two.severity).toBe('SERIOUS');
    expect(three.severity).toBe('URGENT');
    expect(three.notifyDepartments).toContain('DEPARTMENT_MANAGER');
    expect(three.firedRules.map((r) => r.name)).toContain('repeat-customer-escalate');
    expect(three.firedRules.find((r) => r.name === 'repeat-customer-escalate')?.reason?.zh).toBe('该顾客30天内已有3次事件,升级一级');
  });

  it('a refund reported on a Friday is due after the weekend (3 working days); a payment fault 24 hours later', async () => {
    const overcharge = await decide({ category: 'OVERCHARGE', amount: 30, reportedAt: FRIDAY });
    // Friday 10:00 + 27 working hours: Fri 8 h, Mon 9 h, Tue 9 h, Wed 1 h.
    expect(dueOf(overcharge, 'REFUND')).toEqual(new Date('2026-11-25T10:00:00+08:00'));
    expect(dueOf(overcharge, 'SATISFACTION_SURVEY')).toBeNull();
    const late = await decide({ category: 'OVERCHARGE', amount: 30, reportedAt: new Date('2026-11-20T17:00:00+08:00') });
    expect(dueOf(late, 'REFUND')).toEqual(new Date('2026-11-25T17:00:00+08:00'));
    const paymentFault = await decide({ category: 'PAYMENT_FAULT', subtype: 'NO_ORDER_ISSUED', amount: 30, reportedAt: FRIDAY });
    expect(dueOf(paymentFault, 'REFUND')).toEqual(new Date('2026-11-21T10:00:00+08:00'));
  });

  it('a payment fault refund takes the 7-step chain; over 50000 the president approves after the finance director', async () => {
    const small = await decide({ category: 'PAYMENT_FAULT', subtype: 'NO_ORDER_ISSUED', amount: 50000.0 });
    const large = await decide({ category: 'PAYMENT_FAULT', subtype: 'NO_ORDER_ISSUED', amount: 50000.01 });
    expect(small.refundSteps).toEqual(['CS_REVIEW', 'TECH_VERIFY', ...FIN]);
    expect(large.refundSteps).toEqual([
      'CS_REVIEW',
      'TECH_VERIFY',
      'CASHIER_CHECK',
      'ACCOUNTANT_REVIEW',
      'FINANCE_DIRECTOR_APPROVAL',
      'PRESIDENT_APPROVAL',
      'PAYOUT',
      'CUSTOMER_NOTIFIED',
    ]);
    expect(small.ownerDepartment).toBe('CUSTOMER_SERVICE');
    expect(small.notifyDepartments).toEqual(['FINANCE', 'TECH_SUPPORT']);
    expect(await engine.refundChainFor({ category: 'OVERCHARGE', amount: 50000.01 })).toEqual([
      'CASHIER_CHECK',
      'ACCOUNTANT_REVIEW',
      'FINANCE_DIRECTOR_APPROVAL',
      'PRESIDENT_APPROVAL',
      'PAYOUT',
      'CUSTOMER_NOTIFIED',
    ]);
  });

  it('refunds are not expected for personal safety, property loss, system failures and on-site emergencies', async () => {
    for (const [category, subtype] of [
      ['PERSONAL_SAFETY', 'ASSAULT'],
      ['PROPERTY_LOSS', 'LOST'],
      ['SYSTEM_FAILURE', 'HOTLINE'],
      ['ONSITE_EMERGENCY', 'FIRE'],
    ]) {
      expect((await decide({ category, subtype })).refundSteps).toEqual([]);
    }
  });

  it("actions over the incident's life: immediately is 5 minutes; the refund request within 10 minutes of a payment fault; the survey 2 working days after resolution; each settled by its work", async () => {
    const catalog = engine.pack.catalog;
    expect(catalog.immediately).toEqual({ minutes: 5 });
    const fault = await decide({ category: 'PAYMENT_FAULT', subtype: 'PAYMENT_TIMEOUT', amount: 30 });
    expect(dueOf(fault, 'REFUND_REQUEST')).toEqual(new Date(MONDAY.getTime() + 10 * 60_000));
    const survey = fault.actions.find((a) => a.code === 'SATISFACTION_SURVEY')!;
    expect(survey).toMatchObject({ dueAt: null, dueAfterResolution: { workingDays: 2 } });
    expect(
      Object.fromEntries(
        Object.entries(catalog.actions)
          .filter(([, a]) => a.settledBy)
          .map(([code, a]) => [code, a.settledBy]),
      ),
    ).toEqual({ REFUND_REQUEST: 'REFUND_REQUESTED', REFUND: 'REFUND_PAID', ARRANGE_REMEDY: 'REMEDY_STARTED', SATISFACTION_SURVEY: 'SATISFACTION_RECORDED' });
    expect(catalog.actions.SATISFACTION_SURVEY.dueFrom).toBe('RESOLVED');
    for (const category of ['OVERCHARGE', 'PRODUCT_QUALITY', 'SERVICE', 'LOGISTICS', 'ORDER_ERROR', 'AGITATED_CUSTOMER']) {
      expect(codes(await decide({ category, subtype: category === 'PRODUCT_QUALITY' ? 'COSMETIC_DEFECT' : null }))).not.toContain('REFUND_REQUEST');
    }
  });

  it('OVERCHARGE tells the supervising leader (及时上报公司领导)', async () => {
    const d = await decide({ category: 'OVERCHARGE', amount: 30 });
    expect(d).toMatchObject({ ownerDepartment: 'FINANCE', notifyDepartments: ['CUSTOMER_SERVICE', 'SALES', 'SUPERVISING_LEADER'] });
  });

  it('PRESERVE_CCTV is kept 30 days from when it happened, else from the report', async () => {
    const occurredAt = new Date('2026-11-22T21:00:00+08:00');
    const d = await decide({ category: 'PERSONAL_SAFETY', subtype: 'WORK_INJURY', occurredAt });
    expect(d.actions.find((a) => a.code === 'PRESERVE_CCTV')!.retainUntil).toEqual(new Date(occurredAt.getTime() + 30 * 86_400_000));
  });

  it('the holiday calendar says how far it is known; working-day deadlines counted past it say so', async () => {
    expect(engine.calendar.holidaysKnownUntil).toBe('2026-12-31');
    const d = await decide({ category: 'OVERCHARGE', amount: 30, reportedAt: new Date('2026-12-29T10:00:00+08:00') });
    expect(d.beyondCalendar).toEqual(expect.arrayContaining(['ACCOUNTABILITY_REVIEW', 'ROOT_CAUSE_ANALYSIS', 'resolveBy']));
    expect(d.beyondCalendar).not.toContain('APOLOGIZE'); // one wall-clock hour: no calendar in it
    expect((await decide({ category: 'OVERCHARGE', amount: 30 })).beyondCalendar).toBeUndefined();
  });
});
