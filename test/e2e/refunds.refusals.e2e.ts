import { Harness, startHarness } from './support/harness';
import { refundKit } from './support/refunds';

/** Every refusal of the refund workflow: its error code (and field), and the refund untouched. */
describe('refund refusals', () => {
  let h: Harness;
  let k: ReturnType<typeof refundKit>;
  beforeAll(async () => {
    h = await startHarness();
    k = refundKit(h);
  });
  afterAll(async () => {
    await h.close();
  });

  it('refuses the wrong role, the wrong step, a replayed step and a stale version', async () => {
    const r = await k.requested(await k.incident({ category: 'OVERCHARGE', amount: '100.00' }), '100.00');
    await k.refused(await k.decide(h.keys.ANALYST, r.id, 'CASHIER_CHECK'), 'FORBIDDEN', r);
    await k.refused(await k.decide(h.keys.ACCOUNTANT, r.id, 'CASHIER_CHECK'), 'FORBIDDEN', r);
    await k.refused(await k.decide(h.keys.ADMIN, r.id, 'CASHIER_CHECK'), 'FORBIDDEN', r);
    await k.refused(await k.decide(h.keys.ACCOUNTANT, r.id, 'ACCOUNTANT_REVIEW'), 'CONFLICT', r);
    await k.refused(await k.decide(h.keys.CASHIER, r.id, 'PAYOUT'), 'CONFLICT', r);
    await k.refused(await k.decide(h.keys.CASHIER, r.id, 'CASHIER_CHECK', { expectedVersion: 7 }), 'CONFLICT', r);
    await k.refused(await k.decide(h.keys.CASHIER, r.id, 'PRESIDENT_APPROVAL'), 'BAD_USER_INPUT', r, 'input.step');
    const moved = await k.approved(h.keys.CASHIER, r.id, 'CASHIER_CHECK', { expectedVersion: 1 });
    await k.refused(await k.decide(h.keys.CASHIER, r.id, 'CASHIER_CHECK'), 'CONFLICT', moved);
    await k.refused(await k.decide(h.keys.ACCOUNTANT, r.id, 'ACCOUNTANT_REVIEW', { expectedVersion: 1 }), 'CONFLICT', moved);
    expect((await k.decide(h.keys.ACCOUNTANT, r.id, 'ACCOUNTANT_REVIEW', { expectedVersion: 2 })).errors).toBeUndefined();
  });

  it('one person signs at most one approval step; paying out is not an approval', async () => {
    const r = await k.requested(await k.incident({ category: 'OVERCHARGE', amount: '100.00' }), '100.00');
    const both = await h.key(`cashier-accountant-${r.id}`, ['CASHIER', 'ACCOUNTANT']);
    const afterCheck = await k.approved(both, r.id, 'CASHIER_CHECK');
    const refusal = await k.decide(both, r.id, 'ACCOUNTANT_REVIEW');
    await k.refused(refusal, 'FORBIDDEN', afterCheck);
    await k.approved(h.keys.ACCOUNTANT, r.id, 'ACCOUNTANT_REVIEW');
    await k.approved(h.keys.FINANCE_DIRECTOR, r.id, 'FINANCE_DIRECTOR_APPROVAL');
    expect((await k.approved(both, r.id, 'PAYOUT')).status).toBe('PAID');
  });

  it('the requester signs no approval step (but may tell the customer)', async () => {
    const agentCashier = await h.key('agent-cashier', ['AGENT', 'CASHIER']);
    const r = await k.requested(await k.incident({ category: 'OVERCHARGE', amount: '100.00' }), '100.00', agentCashier);
    await k.refused(await k.decide(agentCashier, r.id, 'CASHIER_CHECK'), 'FORBIDDEN', r);
    await k.approved(h.keys.CASHIER, r.id, 'CASHIER_CHECK');
    await k.approved(h.keys.ACCOUNTANT, r.id, 'ACCOUNTANT_REVIEW');
    await k.approved(h.keys.FINANCE_DIRECTOR, r.id, 'FINANCE_DIRECTOR_APPROVAL');
    await k.approved(agentCashier, r.id, 'PAYOUT');
    expect((await k.approved(agentCashier, r.id, 'CUSTOMER_NOTIFIED')).status).toBe('COMPLETED');
  });

  it('RETURN needs a reason and a step that may return', async () => {
    const r = await k.requested(await k.incident({ category: 'PAYMENT_FAULT', subtype: 'PAYMENT_TIMEOUT', amount: '10.00' }), '10.00');
    await k.refused(await k.decide(h.keys.CS_LEAD, r.id, 'CS_REVIEW', { decision: 'RETURN', comment: '不退' }), 'BAD_USER_INPUT', r, 'input.decision');
    await k.approved(h.keys.CS_LEAD, r.id, 'CS_REVIEW');
    const v2 = await k.approved(h.keys.TECH, r.id, 'TECH_VERIFY');
    await k.refused(await k.decide(h.keys.CASHIER, r.id, 'CASHIER_CHECK', { decision: 'RETURN' }), 'BAD_USER_INPUT', v2, 'input.comment');
    await k.refused(await k.decide(h.keys.CASHIER, r.id, 'CASHIER_CHECK', { decision: 'RETURN', comment: '  ' }), 'BAD_USER_INPUT', v2, 'input.comment');
    expect((await k.approved(h.keys.CASHIER, r.id, 'CASHIER_CHECK', { decision: 'RETURN', comment: '银行卡号缺失' })).status).toBe('RETURNED');
  });

  it('keeps an incident’s refunds within its amount; an incident without an amount cannot be refunded', async () => {
    const incidentId = await k.incident({ category: 'OVERCHARGE', amount: '300.00' });
    const first = await k.requested(incidentId, '200.00');
    const over = await k.request(h.keys.AGENT, { incidentId, amount: '100.01' });
    expect(over.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.amount', available: '100.00' });
    expect((await k.requested(incidentId, '100.00')).amount).toBe('100.00');
    const full = await k.request(h.keys.AGENT, { incidentId, amount: '0.01' });
    expect(full.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.amount', available: '0.00' });
    await h.gql(h.keys.AGENT, `mutation($id: ID!) { cancelRefund(refundId: $id, reason: "重复申请") { id } }`, { id: first.id });
    expect((await k.requested(incidentId, '150.00')).status).toBe('IN_APPROVAL');
    const noAmount = await k.incident({ category: 'OVERCHARGE' });
    const refused = await k.request(h.keys.AGENT, { incidentId: noAmount, amount: '1.00' });
    expect(refused.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.incidentId' });
    const list = await h.gql(h.keys.ADMIN, `query($id: ID!) { incident(id: $id) { refunds { id } } }`, { id: noAmount });
    expect(list.data.incident.refunds).toEqual([]);
  });

  it('settles concurrent requests against one incident within its amount', async () => {
    const incidentId = await k.incident({ category: 'OVERCHARGE', amount: '100.00' });
    const results = await Promise.all(Array.from({ length: 8 }, () => k.request(h.keys.AGENT, { incidentId, amount: '30.00' })));
    expect(results.filter((x) => !x.errors)).toHaveLength(3);
    for (const x of results.filter((y) => y.errors)) expect(x.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.amount' });
    const numbers = results.filter((x) => !x.errors).map((x) => x.data.requestRefund.refundNo);
    expect(new Set(numbers).size).toBe(3);
  });

  it('checks the request form field by field', async () => {
    const incidentId = await k.incident({ category: 'OVERCHARGE', amount: '100.00' });
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ amount: '0' }, 'input.amount'],
      [{ amount: '0.00' }, 'input.amount'],
      [{ amount: '-1.00' }, 'input.amount'],
      [{ amount: '1.234' }, 'input.amount'],
      [{ amount: 12.5 }, 'input.amount'],
      [{ method: 'PAYPAL' }, 'input.method'],
      [{ phone: 'call me' }, 'input.phone'],
      [{ bank: 'x'.repeat(200) }, 'input.bank'],
      [{ faultDescription: 'x'.repeat(5000) }, 'input.faultDescription'],
      [{ purchasedAt: '2099-01-01T00:00:00Z' }, 'input.purchasedAt'],
    ];
    for (const [input, field] of cases) {
      const res = await k.request(h.keys.AGENT, { incidentId, amount: '1.00', ...input });
      expect(res.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
    }
    const method = await k.request(h.keys.AGENT, { incidentId, amount: '1.00', method: 'PAYPAL' });
    expect(method.errors![0].extensions.allowed).toEqual(expect.arrayContaining(['ORIGINAL_PAYMENT', 'WECHAT', 'ALIPAY']));
    expect((await h.gql(h.keys.ADMIN, `query($id: ID!) { incident(id: $id) { refunds { id } } }`, { id: incidentId })).data.incident.refunds).toEqual([]);
  });

  it('asks the right roles and keys', async () => {
    const incidentId = await k.incident({ category: 'OVERCHARGE', amount: '100.00' });
    expect((await k.request(h.keys.ANALYST, { incidentId, amount: '1.00' })).errors![0].extensions.code).toBe('FORBIDDEN');
    expect((await k.request(h.keys.CASHIER, { incidentId, amount: '1.00' })).errors![0].extensions.code).toBe('FORBIDDEN');
    expect((await k.request(h.keys.CRM, { incidentId, amount: '1.00' })).errors![0].extensions.code).toBe('NOT_FOUND');
    expect((await k.request(h.keys.AGENT, { incidentId: '999999', amount: '1.00' })).errors![0].extensions.code).toBe('NOT_FOUND');
    expect((await k.request(null as unknown as string, { incidentId, amount: '1.00' })).errors![0].extensions.code).toBe('UNAUTHENTICATED');
    const r = await k.requested(incidentId, '1.00', h.keys.ERP);
    await k.refused(await h.gql(h.keys.ERP, `mutation($id: ID!) { cancelRefund(refundId: $id, reason: "x") { id } }`, { id: r.id }), 'FORBIDDEN', r);
    await k.refused(await h.gql(h.keys.CASHIER, `mutation($id: ID!) { resubmitRefund(refundId: $id) { id } }`, { id: r.id }), 'FORBIDDEN', r);
    await k.refused(
      await h.gql(h.keys.AGENT, `mutation($id: ID!) { cancelRefund(refundId: $id, reason: "") { id } }`, { id: r.id }),
      'BAD_USER_INPUT',
      r,
      'reason',
    );
    await k.refused(await h.gql(h.keys.AGENT, `mutation($id: ID!) { resubmitRefund(refundId: $id) { id } }`, { id: r.id }), 'CONFLICT', r);
    expect((await k.decide(h.keys.CASHIER, '999999', 'CASHIER_CHECK')).errors![0].extensions.code).toBe('NOT_FOUND');
    expect((await k.decide(h.keys.CASHIER, 'abc', 'CASHIER_CHECK')).errors![0].extensions.code).toBe('NOT_FOUND');
  });
});
