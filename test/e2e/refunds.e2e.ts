import { DateTime } from 'luxon';
import { Harness, startHarness } from './support/harness';
import { refundKit, STANDARD_CHAIN } from './support/refunds';

/** The refund workflow (退款执行流程) end to end over HTTP: chains, returns, time limits, concurrency, lists. */
describe('refunds over GraphQL', () => {
  let h: Harness;
  let k: ReturnType<typeof refundKit>;
  beforeAll(async () => {
    h = await startHarness();
    k = refundKit(h);
  });
  afterAll(async () => {
    await h.close();
  });

  it('walks an overcharge from request to COMPLETED through four different people', async () => {
    const incidentId = await k.incident({ category: 'OVERCHARGE', amount: '300.00', orderNo: 'SO-1', customer: { id: 'C-R1', phone: '13812345678' } });
    const r = await k.requested(incidentId, '120.50', h.keys.AGENT, {
      bank: '招商银行',
      purchasedAt: '2026-11-20T08:00:00Z',
      faultDescription: '多扣一次',
      customerOpinion: '要求原路退回',
    });
    expect(r).toMatchObject({
      status: 'IN_APPROVAL',
      amount: '120.50',
      method: 'ORIGINAL_PAYMENT',
      attempt: 1,
      version: 1,
      currentStep: 'CASHIER_CHECK',
      chain: STANDARD_CHAIN,
    });
    expect(r).toMatchObject({
      requestedBy: 'test-agent',
      orderNo: 'SO-1',
      bank: '招商银行',
      phone: '13812345678',
      drill: false,
      category: 'OVERCHARGE',
      incidentId,
    });
    const businessDate = DateTime.fromISO(r.requestedAt).setZone('Asia/Shanghai').toFormat('yyyyMMdd');
    expect(r.refundNo).toMatch(new RegExp(`^RF${businessDate}\\d{6,}$`));
    expect(r.steps.map((s: any) => s.status)).toEqual(['PENDING', 'WAITING', 'WAITING', 'WAITING', 'WAITING']);
    expect(Date.parse(r.steps[0].dueAt)).toBeGreaterThan(Date.parse(r.requestedAt));
    expect(r.steps[0].pendingSince).toBe(r.requestedAt);
    expect(r.steps.slice(1).every((s: any) => s.dueAt === null)).toBe(true);

    const walk: Array<[string, string, string]> = [
      ['CASHIER_CHECK', h.keys.CASHIER, 'IN_APPROVAL'],
      ['ACCOUNTANT_REVIEW', h.keys.ACCOUNTANT, 'IN_APPROVAL'],
      ['FINANCE_DIRECTOR_APPROVAL', h.keys.FINANCE_DIRECTOR, 'IN_APPROVAL'],
      ['PAYOUT', h.keys.CASHIER, 'PAID'],
      ['CUSTOMER_NOTIFIED', h.keys.AGENT, 'COMPLETED'],
    ];
    let version = 1;
    let last = r;
    for (const [step, key, status] of walk) {
      h.clock.advance(10 * 60_000);
      last = await k.approved(key, r.id, step, { expectedVersion: version, comment: `${step} ok` });
      version += 1;
      expect(last).toMatchObject({ status, version });
      if (step === 'PAYOUT') expect(last.paidAt).not.toBeNull();
    }
    expect(last.currentStep).toBeNull();
    expect(last.completedAt).not.toBeNull();
    expect(last.steps.map((s: any) => [s.step, s.status, s.actor])).toEqual([
      ['CASHIER_CHECK', 'APPROVED', 'test-cashier'],
      ['ACCOUNTANT_REVIEW', 'APPROVED', 'test-accountant'],
      ['FINANCE_DIRECTOR_APPROVAL', 'APPROVED', 'test-finance_director'],
      ['PAYOUT', 'APPROVED', 'test-cashier'],
      ['CUSTOMER_NOTIFIED', 'APPROVED', 'test-agent'],
    ]);
    expect(last.steps.every((s: any) => s.decidedAt && s.comment && !s.overdue)).toBe(true);
    expect(last.history.map((t: any) => [t.kind, t.fromStatus, t.toStatus, t.step])).toEqual([
      ['REQUESTED', null, 'IN_APPROVAL', 'CASHIER_CHECK'],
      ['APPROVED', 'IN_APPROVAL', 'IN_APPROVAL', 'CASHIER_CHECK'],
      ['APPROVED', 'IN_APPROVAL', 'IN_APPROVAL', 'ACCOUNTANT_REVIEW'],
      ['APPROVED', 'IN_APPROVAL', 'IN_APPROVAL', 'FINANCE_DIRECTOR_APPROVAL'],
      ['PAID', 'IN_APPROVAL', 'PAID', 'PAYOUT'],
      ['COMPLETED', 'PAID', 'COMPLETED', 'CUSTOMER_NOTIFIED'],
    ]);
    // Visible through the incident; the phone is masked for finance and analysts (注意保密).
    const viaIncident = await h.gql(h.keys.ANALYST, `query($id: ID!) { incident(id: $id) { refunds { id status phone incident { id } } } }`, {
      id: incidentId,
    });
    expect(viaIncident.data.incident.refunds).toEqual([{ id: r.id, status: 'COMPLETED', phone: '138****5678', incident: { id: incidentId } }]);
    expect((await k.get(r.id, h.keys.CASHIER)).phone).toBe('138****5678');
  });

  it('walks the seven steps of a PAYMENT_FAULT refund', async () => {
    const incidentId = await k.incident({ category: 'PAYMENT_FAULT', subtype: 'NO_ORDER_ISSUED', amount: '99.90' });
    const r = await k.requested(incidentId, '99.90');
    const chain = ['CS_REVIEW', 'TECH_VERIFY', ...STANDARD_CHAIN];
    expect(r.chain).toEqual(chain);
    const keys = [h.keys.CS_LEAD, h.keys.TECH, h.keys.CASHIER, h.keys.ACCOUNTANT, h.keys.FINANCE_DIRECTOR, h.keys.CASHIER, h.keys.AGENT];
    let last = r;
    for (let i = 0; i < chain.length; i++) {
      expect(last.currentStep).toBe(chain[i]);
      expect(last.steps[i]).toMatchObject({ status: 'PENDING', role: ['CS_LEAD', 'TECH', 'CASHIER', 'ACCOUNTANT', 'FINANCE_DIRECTOR', 'CASHIER', 'AGENT'][i] });
      last = await k.approved(keys[i], r.id, chain[i]);
    }
    expect(last).toMatchObject({ status: 'COMPLETED', version: 8 });
    expect(last.steps.map((s: any) => s.status)).toEqual(Array(7).fill('APPROVED'));
  });

  it('inserts PRESIDENT_APPROVAL above 50000, not at 50000.00', async () => {
    const incidentId = await k.incident({ category: 'OVERCHARGE', amount: '100000.01' });
    const at = await k.requested(incidentId, '50000.00');
    expect(at.chain).toEqual(STANDARD_CHAIN);
    const over = await k.requested(incidentId, '50000.01');
    expect(over.chain).toEqual(['CASHIER_CHECK', 'ACCOUNTANT_REVIEW', 'FINANCE_DIRECTOR_APPROVAL', 'PRESIDENT_APPROVAL', 'PAYOUT', 'CUSTOMER_NOTIFIED']);
    for (const [step, key] of [
      ['CASHIER_CHECK', h.keys.CASHIER],
      ['ACCOUNTANT_REVIEW', h.keys.ACCOUNTANT],
      ['FINANCE_DIRECTOR_APPROVAL', h.keys.FINANCE_DIRECTOR],
    ]) {
      await k.approved(key, over.id, step);
    }
    const director = await k.decide(h.keys.FINANCE_DIRECTOR, over.id, 'PRESIDENT_APPROVAL');
    await k.refused(director, 'FORBIDDEN', { id: over.id, version: 4 });
    const signed = await k.approved(h.keys.PRESIDENT, over.id, 'PRESIDENT_APPROVAL');
    expect(signed).toMatchObject({ status: 'IN_APPROVAL', currentStep: 'PAYOUT' });
    expect(signed.steps[3]).toMatchObject({ step: 'PRESIDENT_APPROVAL', status: 'APPROVED', actor: 'test-president', approval: true });
  });

  it("counts the incident's earlier live refunds toward the threshold: a split refund still reaches the president", async () => {
    const incidentId = await k.incident({ category: 'OVERCHARGE', amount: '60000.00' });
    const first = await k.requested(incidentId, '30000.00');
    expect(first.chain).toEqual(STANDARD_CHAIN);
    const second = await k.requested(incidentId, '30000.00');
    expect(second.chain).toContain('PRESIDENT_APPROVAL');
    // A cancelled refund no longer counts.
    const other = await k.incident({ category: 'OVERCHARGE', amount: '60000.00' });
    const cancelled = await k.requested(other, '30000.00');
    expect(
      (await h.gql(h.keys.AGENT, 'mutation($id: ID!) { cancelRefund(refundId: $id, reason: "顾客撤回") { status } }', { id: cancelled.id })).errors,
    ).toBeUndefined();
    expect((await k.requested(other, '30000.00')).chain).toEqual(STANDARD_CHAIN);
  });

  it('returns with a reason, then resubmits as a new attempt keeping the first one', async () => {
    const incidentId = await k.incident({ category: 'OVERCHARGE', amount: '80.00' });
    const r = await k.requested(incidentId, '80.00', h.keys.CS_LEAD);
    await k.approved(h.keys.CASHIER, r.id, 'CASHIER_CHECK');
    const returned = await k.approved(h.keys.ACCOUNTANT, r.id, 'ACCOUNTANT_REVIEW', { decision: 'RETURN', comment: '缺少支付凭证' });
    expect(returned).toMatchObject({ status: 'RETURNED', currentStep: null, returnReason: '缺少支付凭证', version: 3 });
    expect(returned.steps.map((s: any) => s.status)).toEqual(['APPROVED', 'RETURNED', 'WAITING', 'WAITING', 'WAITING']);
    await k.refused(await k.decide(h.keys.FINANCE_DIRECTOR, r.id, 'FINANCE_DIRECTOR_APPROVAL'), 'CONFLICT', { id: r.id, version: 3 });

    const again = (
      await h.gql(
        h.keys.AGENT,
        `mutation($id: ID!) { resubmitRefund(refundId: $id, comment: "已补凭证") { id status attempt version currentStep steps { attempt step status } } }`,
        { id: r.id },
      )
    ).data.resubmitRefund;
    expect(again).toMatchObject({ status: 'IN_APPROVAL', attempt: 2, version: 4, currentStep: 'CASHIER_CHECK' });
    expect(again.steps.map((s: any) => `${s.attempt}:${s.step}:${s.status}`)).toEqual([
      ...['1:CASHIER_CHECK:APPROVED', '1:ACCOUNTANT_REVIEW:RETURNED'],
      ...STANDARD_CHAIN.slice(2).map((s) => `1:${s}:WAITING`),
      '2:CASHIER_CHECK:PENDING',
      ...STANDARD_CHAIN.slice(1).map((s) => `2:${s}:WAITING`),
    ]);
    // The same cashier and accountant sign their own steps again in the new attempt.
    await k.approved(h.keys.CASHIER, r.id, 'CASHIER_CHECK');
    await k.approved(h.keys.ACCOUNTANT, r.id, 'ACCOUNTANT_REVIEW');
    await k.approved(h.keys.FINANCE_DIRECTOR, r.id, 'FINANCE_DIRECTOR_APPROVAL');
    await k.approved(h.keys.CASHIER, r.id, 'PAYOUT');
    const done = await k.approved(h.keys.AGENT, r.id, 'CUSTOMER_NOTIFIED');
    expect(done).toMatchObject({ status: 'COMPLETED', attempt: 2 });
    expect(done.history.map((t: any) => t.kind)).toEqual([
      'REQUESTED',
      'APPROVED',
      'RETURNED',
      'RESUBMITTED',
      'APPROVED',
      'APPROVED',
      'APPROVED',
      'PAID',
      'COMPLETED',
    ]);
    expect(done.history[2]).toMatchObject({ decision: 'RETURN', comment: '缺少支付凭证', actor: 'test-accountant', attempt: 1 });
    expect(done.history[3]).toMatchObject({ comment: '已补凭证', actor: 'test-agent', attempt: 2 });
  });

  it('cancels with a reason; a cancelled refund frees its amount and accepts nothing more', async () => {
    const incidentId = await k.incident({ category: 'OVERCHARGE', amount: '50.00' });
    const r = await k.requested(incidentId, '50.00');
    const cancelled = (
      await h.gql(
        h.keys.CS_LEAD,
        `mutation($id: ID!) { cancelRefund(refundId: $id, reason: "顾客撤回") { status cancelReason currentStep version history { kind comment step } } }`,
        { id: r.id },
      )
    ).data.cancelRefund;
    expect(cancelled).toMatchObject({ status: 'CANCELLED', cancelReason: '顾客撤回', currentStep: null, version: 2 });
    expect(cancelled.history.at(-1)).toEqual({ kind: 'CANCELLED', comment: '顾客撤回', step: 'CASHIER_CHECK' });
    await k.refused(await k.decide(h.keys.CASHIER, r.id, 'CASHIER_CHECK'), 'CONFLICT', { id: r.id, version: 2 });
    await k.refused(await h.gql(h.keys.AGENT, `mutation($id: ID!) { resubmitRefund(refundId: $id) { id } }`, { id: r.id }), 'CONFLICT', {
      id: r.id,
      version: 2,
    });
    await k.refused(await h.gql(h.keys.AGENT, `mutation($id: ID!) { cancelRefund(refundId: $id, reason: "again") { id } }`, { id: r.id }), 'CONFLICT', {
      id: r.id,
      version: 2,
    });
    expect((await k.get(r.id)).steps[0].overdue).toBe(false);
    // The step it waited at is no longer pending nor due: nothing of a cancelled refund waits.
    const steps = (await h.gql(h.keys.CS_LEAD, `query($id: ID!) { refund(id: $id) { steps { step status dueAt } } }`, { id: r.id })).data.refund.steps;
    expect(steps.filter((s: { status: string }) => s.status === 'PENDING')).toEqual([]);
    expect(steps[0]).toMatchObject({ step: 'CASHIER_CHECK', status: 'WAITING', dueAt: null });
    expect((await k.requested(incidentId, '50.00')).status).toBe('IN_APPROVAL');
  });

  it('counts time limits: finance 12 hours in all from the cashier, customer told by the next working day', async () => {
    h.clock.set(new Date('2026-11-27T11:30:00Z')); // Friday 19:30 in Shanghai
    const incidentId = await k.incident({ category: 'OVERCHARGE', amount: '66.00' });
    const r = await k.requested(incidentId, '66.00');
    // the policy: "finance (cashier to payout) 12 hours in all" — wall-clock hours (the policy says
    // "working" where it means it), one deadline for the whole phase: Saturday 07:30.
    const financeDue = '2026-11-27T23:30:00.000Z';
    expect(r.steps[0]).toMatchObject({ step: 'CASHIER_CHECK', status: 'PENDING', dueAt: financeDue });
    for (const [i, [step, key]] of [
      ['CASHIER_CHECK', h.keys.CASHIER],
      ['ACCOUNTANT_REVIEW', h.keys.ACCOUNTANT],
      ['FINANCE_DIRECTOR_APPROVAL', h.keys.FINANCE_DIRECTOR],
      ['PAYOUT', h.keys.CASHIER],
    ].entries()) {
      h.clock.advance(2 * 3600_000); // each step takes two hours: the phase deadline does not move
      const pending = (await k.get(r.id)).steps[i];
      expect(pending).toMatchObject({ step, status: 'PENDING', dueAt: financeDue });
      await k.approved(key, r.id, step);
    }
    const paid = await k.get(r.id);
    const notify = paid.steps[4];
    expect(notify).toMatchObject({ step: 'CUSTOMER_NOTIFIED', status: 'PENDING' });
    // One working day from Friday evening (after hours): the end of Monday's working hours.
    expect(DateTime.fromISO(notify.dueAt).setZone('Asia/Shanghai').toFormat('yyyy-MM-dd')).toBe('2026-11-30');
    expect(notify.dueAt).toBe('2026-11-30T10:00:00.000Z');
    expect(notify.overdue).toBe(false);
    h.clock.set(new Date('2026-11-30T10:00:01Z'));
    const late = await k.get(r.id);
    expect(late.steps[4].overdue).toBe(true);
    expect(late.overdue).toBe(true);
    const told = await k.approved(h.keys.AGENT, r.id, 'CUSTOMER_NOTIFIED');
    expect(told.steps[4]).toMatchObject({ overdue: false, late: true });
  });

  it('settles 20 concurrent approvals of one step: exactly one moves the refund', async () => {
    const incidentId = await k.incident({ category: 'OVERCHARGE', amount: '20.00' });
    const r = await k.requested(incidentId, '20.00');
    const cashiers = await Promise.all(Array.from({ length: 20 }, (_, i) => h.key(`cashier-race-${r.id}-${i}`, ['CASHIER'])));
    const results = await Promise.all(cashiers.map((key) => k.decide(key, r.id, 'CASHIER_CHECK', { expectedVersion: 1 })));
    const ok = results.filter((x) => !x.errors);
    expect(ok).toHaveLength(1);
    expect(results.filter((x) => x.errors?.[0].extensions.code === 'CONFLICT')).toHaveLength(19);
    const after = await k.get(r.id);
    expect(after).toMatchObject({ version: 2, currentStep: 'ACCOUNTANT_REVIEW' });
    expect(after.steps[0].actor).toBe(ok[0].data.decideRefundStep.steps[0].actor);
    expect(after.history.filter((t: any) => t.kind === 'APPROVED')).toHaveLength(1);
  });

  it('pays once whatever is retried: concurrent payouts move it once', async () => {
    const incidentId = await k.incident({ category: 'OVERCHARGE', amount: '30.00' });
    const r = await k.requested(incidentId, '30.00');
    for (const [step, key] of [
      ['CASHIER_CHECK', h.keys.CASHIER],
      ['ACCOUNTANT_REVIEW', h.keys.ACCOUNTANT],
      ['FINANCE_DIRECTOR_APPROVAL', h.keys.FINANCE_DIRECTOR],
    ])
      await k.approved(key, r.id, step);
    const second = await h.key(`cashier-pay-${r.id}`, ['CASHIER']);
    const results = await Promise.all([h.keys.CASHIER, second, h.keys.CASHIER, second].map((key) => k.decide(key, r.id, 'PAYOUT')));
    expect(results.filter((x) => !x.errors)).toHaveLength(1);
    const paid = await k.get(r.id);
    expect(paid).toMatchObject({ status: 'PAID', version: 5 });
    const replay = await k.refused(await k.decide(h.keys.CASHIER, r.id, 'PAYOUT'), 'CONFLICT', paid);
    expect(replay.paidAt).toBe(paid.paidAt);
    expect(paid.history.filter((t: any) => t.kind === 'PAID')).toHaveLength(1);
    await k.refused(await h.gql(h.keys.AGENT, `mutation($id: ID!) { cancelRefund(refundId: $id, reason: "太晚了") { id } }`, { id: r.id }), 'CONFLICT', paid);
  });

  it('lists refunds newest first with cursors, filters and a total; drills are flagged and left out', async () => {
    h.clock.set(new Date('2027-03-01T02:00:00Z'));
    const from = h.clock.now().toISOString();
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      h.clock.advance(1000);
      ids.push((await k.requested(await k.incident({ category: 'ORDER_ERROR', amount: '10.00' }), '10.00')).id);
    }
    const drill = await k.requested(await k.incident({ category: 'ORDER_ERROR', amount: '10.00', drill: true }), '10.00');
    expect(drill.drill).toBe(true);
    const erp = await k.requested(await k.incident({ category: 'LOGISTICS', subtype: 'LOST', amount: '10.00' }), '5.00', h.keys.ERP);
    expect(erp.requestedBy).toBe('test-erp');
    const q = `query($f: RefundFilter, $after: String) { refunds(filter: $f, first: 2, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id drill category } } } }`;
    const seen: string[] = [];
    let after: string | null = null;
    for (;;) {
      const res: any = await h.gql(h.keys.ANALYST, q, { f: { from, category: ['ORDER_ERROR'] }, after });
      expect(res.data.refunds.totalCount).toBe(3);
      seen.push(...res.data.refunds.edges.map((e: any) => e.node.id));
      if (!res.data.refunds.pageInfo.hasNextPage) break;
      after = res.data.refunds.pageInfo.endCursor;
    }
    expect(seen).toEqual([...ids].reverse());
    const withDrills = await h.gql(h.keys.ANALYST, q, { f: { from, includeDrills: true } });
    expect(withDrills.data.refunds.totalCount).toBe(5);
    const byStatus = await h.gql(h.keys.ANALYST, `query($f: RefundFilter) { refunds(filter: $f) { totalCount } }`, { f: { from, status: ['COMPLETED'] } });
    expect(byStatus.data.refunds.totalCount).toBe(0);
    // An integration sees only its own source's refunds.
    const crm = await h.gql(h.keys.CRM, `query($f: RefundFilter) { refunds(filter: $f) { totalCount } }`, { f: { from } });
    expect(crm.data.refunds.totalCount).toBe(0);
    expect((await h.gql(h.keys.CRM, `query($id: ID!) { refund(id: $id) { id } }`, { id: erp.id })).data.refund).toBeNull();
    expect((await h.gql(h.keys.ERP, `query($id: ID!) { refund(id: $id) { id } }`, { id: erp.id })).data.refund.id).toBe(erp.id);
    expect((await h.gql(h.keys.ANALYST, `{ refunds(after: "nonsense") { totalCount } }`)).errors![0].extensions.code).toBe('BAD_USER_INPUT');
  });
});
