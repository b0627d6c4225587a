import { Harness, startHarness } from './support/harness';
import { refundKit } from './support/refunds';

const local = (s: string) => new Date(`${s}+08:00`);

/**
 * Drills never touch real figures: with one real overcharge and the refund-chain drill (its
 * refund taken through the whole chain) in the same month, every report, aggregate, statistic
 * and monthly table counts the real one only unless drills are asked for; the drill's PAYOUT
 * records SIMULATED and never tells the money side (no refund.paid).
 */
describe('drills stay out of real figures', () => {
  let h: Harness;
  let drillIncident: string;
  let drillRefund: any;
  beforeAll(async () => {
    h = await startHarness({ now: local('2026-11-23T10:00') });
    const k = refundKit(h);
    const real = await k.incident({ category: 'PAYMENT_FAULT', subtype: 'NO_ORDER_ISSUED', amount: '50.00' });
    const realRefund = await k.requested(real, '50.00');
    const started = await h.gql(h.keys.CS_LEAD, 'mutation { scheduleDrill(scenario: "REFUND_NO_ORDER") { steps { incidentId } } }');
    drillIncident = started.data.scheduleDrill.steps[0].incidentId;
    drillRefund = await k.requested(drillIncident, '320.00');
    for (const r of [realRefund, drillRefund]) {
      let cur = await k.get(r.id);
      const byRole: Record<string, string> = {
        CS_LEAD: h.keys.CS_LEAD,
        TECH: h.keys.TECH,
        CASHIER: h.keys.CASHIER,
        ACCOUNTANT: h.keys.ACCOUNTANT,
        FINANCE_DIRECTOR: h.keys.FINANCE_DIRECTOR,
        PRESIDENT: h.keys.PRESIDENT,
        AGENT: h.keys.AGENT,
      };
      while (cur.currentStep) {
        h.clock.set(new Date(h.clock.now().getTime() + 5 * 60_000));
        const step = cur.steps.find((s: any) => s.step === cur.currentStep && s.attempt === cur.attempt);
        cur = await k.approved(byRole[step.role], cur.id, cur.currentStep);
      }
      if (r === drillRefund) drillRefund = cur;
    }
    await h.app.services.escalation.tick();
  });
  afterAll(() => h.close());

  const both = async (query: string, vars: Record<string, unknown> = {}, key = h.keys.ADMIN) => {
    const a = await h.gql(key, query, { ...vars, d: false });
    const b = await h.gql(key, query, { ...vars, d: true });
    if (a.errors || b.errors) throw new Error(JSON.stringify(a.errors ?? b.errors));
    return [a.data, b.data];
  };
  const window = { from: local('2026-11-01T00:00'), to: local('2026-12-01T00:00') };

  it("the drill's PAYOUT records SIMULATED and sends no refund.paid", async () => {
    expect(drillRefund.drill).toBe(true);
    expect(drillRefund.history.map((t: any) => t.kind)).toContain('SIMULATED');
    expect(drillRefund.history.map((t: any) => t.kind)).not.toContain('PAID');
    expect(drillRefund.steps.find((s: any) => s.step === 'PAYOUT').comment).toMatch(/^SIMULATED/);
    const paid = (await h.app.services.ds.query("SELECT incident_id FROM webhook_outbox WHERE type = 'refund.paid'")) as Array<{ incident_id: unknown }>;
    expect(paid.map((p) => String(p.incident_id))).not.toContain(drillIncident);
    expect(paid).toHaveLength(1);
  });

  it('incidents, refunds and their aggregates', async () => {
    const [inc, incAll] = await both('query($d: Boolean) { incidents(filter: { includeDrills: $d }) { totalCount } }');
    expect(incAll.incidents.totalCount - inc.incidents.totalCount).toBe(1);
    const [ref, refAll] = await both('query($d: Boolean) { refunds(filter: { includeDrills: $d }) { totalCount } }');
    expect([ref.refunds.totalCount, refAll.refunds.totalCount]).toEqual([1, 2]);
    const [agg, aggAll] = await both('query($d: Boolean) { incidentAggregates(filter: { includeDrills: $d }, groupBy: [CATEGORY]) { keys count } }');
    const count = (rows: any[]) => rows.reduce((n, r) => n + r.count, 0);
    expect(count(aggAll.incidentAggregates) - count(agg.incidentAggregates)).toBe(1);
    const [ra, raAll] = await both(
      'query($d: Boolean) { refundAggregates(filter: { includeDrills: $d }, groupBy: [CATEGORY]) { count totalAmount paidCount } }',
    );
    expect(ra.refundAggregates).toEqual([{ count: 1, totalAmount: '50.00', paidCount: 1 }]);
    expect(raAll.refundAggregates).toEqual([{ count: 2, totalAmount: '370.00', paidCount: 2 }]);
    const [st, stAll] = await both('query($d: Boolean) { refundStageDurations(filter: { includeDrills: $d }) { step decided } }');
    const decided = (rows: any[]) => rows.find((r) => r.step === 'PAYOUT').decided;
    expect([decided(st.refundStageDurations), decided(stAll.refundStageDurations)]).toEqual([1, 2]);
  });

  it('action compliance, the shift handover and the monthly tables', async () => {
    const [ac, acAll] = await both(
      'query($d: Boolean!, $from: DateTime!, $to: DateTime!) { actionCompliance(from: $from, to: $to, includeDrills: $d) { code total } }',
      window,
    );
    const total = (rows: any[]) => rows.reduce((n, r) => n + r.total, 0);
    expect(total(acAll.actionCompliance)).toBeGreaterThan(total(ac.actionCompliance));
    const [sh, shAll] = await both(
      'query($d: Boolean!, $from: DateTime!, $to: DateTime!) { shiftHandover(from: $from, to: $to, includeDrills: $d) { openIncidents { id } paid { id } } }',
      { from: local('2026-11-23T08:00'), to: local('2026-11-23T23:00') },
    );
    expect(sh.shiftHandover.paid.map((r: any) => r.id)).not.toContain(drillRefund.id);
    expect(shAll.shiftHandover.paid.map((r: any) => r.id)).toContain(drillRefund.id);
    expect(sh.shiftHandover.openIncidents.map((i: any) => i.id)).not.toContain(drillIncident);
    const monthly = await h.gql(h.keys.ADMIN, 'query { monthlyRefundReport(month: "2026-11") { totalCount totalAmount } }');
    expect(monthly.data.monthlyRefundReport).toEqual({ totalCount: 1, totalAmount: '50.00' });
  });

  it('the metrics leave drills out', async () => {
    const metrics = await h.app.services.metrics.registry.metrics();
    const line = metrics.split('\n').find((l) => l.startsWith('triage_refunds{') && l.includes('COMPLETED'));
    expect(line).toMatch(/ 1$/);
  });
});
