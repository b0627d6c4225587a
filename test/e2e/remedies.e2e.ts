import { Harness, startHarness } from './support/harness';
import { refundKit } from './support/refunds';

const REMEDY_FIELDS = `
  id kind status currentStep orderNo items startedBy startedAt completedAt version cancelReason
  incident { id }
  steps { step status actor note trackingNo decidedAt dueAt role needsTrackingNo }
  history { kind fromStatus toStatus step actor note }
`;
const START = `mutation($input: StartRemedyInput!) { startRemedy(input: $input) { ${REMEDY_FIELDS} } }`;
const ADVANCE = `mutation($input: AdvanceRemedyInput!) { advanceRemedy(input: $input) { ${REMEDY_FIELDS} } }`;
const CANCEL = `mutation($id: ID!, $reason: String!) { cancelRemedy(remedyId: $id, reason: $reason) { ${REMEDY_FIELDS} } }`;
const GET = `query($id: ID!) { remedy(id: $id) { ${REMEDY_FIELDS} } }`;
const INCIDENT = `query($id: ID!) { incident(id: $id) { version decision { remedies } actions { code status evidence } remedies { id kind status } } }`;
const STATUS = 'mutation($id: ID!, $status: IncidentStatus!) { setIncidentStatus(id: $id, status: $status) { status } }';

/** After-sales remedies (货物售后) end to end over HTTP: every shipped kind, settling, cancel, concurrency, roles. */
describe('remedies over GraphQL', () => {
  let h: Harness;
  let k: ReturnType<typeof refundKit>;
  beforeAll(async () => {
    h = await startHarness();
    k = refundKit(h);
  });
  afterAll(async () => {
    await h.close();
  });

  const start = (key: string, input: Record<string, unknown>) => h.gql(key, START, { input });
  async function started(incidentId: string, kind: string, key = h.keys.AGENT) {
    const res = await start(key, { incidentId, kind, orderNo: 'SO-R', items: '电水壶 x1' });
    if (res.errors) throw new Error(JSON.stringify(res.errors));
    return res.data.startRemedy;
  }
  const advance = (key: string, input: Record<string, unknown>) => h.gql(key, ADVANCE, { input });
  async function advanced(key: string, remedyId: string, step: string, extra: Record<string, unknown> = {}) {
    const res = await advance(key, { remedyId, step, ...extra });
    if (res.errors) throw new Error(`${step}: ${JSON.stringify(res.errors)}`);
    return res.data.advanceRemedy;
  }
  const incident = async (id: string) => (await h.gql(h.keys.ADMIN, INCIDENT, { id })).data.incident;

  it('offers the kinds the rules allow, preferred first, and refuses any other with the allowed list', async () => {
    const id = await k.incident({ category: 'PRODUCT_QUALITY', subtype: 'FUNCTION_FAILURE', amount: '300.00' });
    expect((await incident(id)).decision.remedies).toEqual(['REPLACE', 'RETURN', 'REPAIR']);
    const cat = await h.gql(h.keys.AGENT, '{ catalog { remedyKinds } }');
    expect(cat.data.catalog.remedyKinds).toEqual(['REPAIR', 'REPLACE', 'RETURN', 'RESHIP', 'COMPENSATE']);
    const bad = await start(h.keys.AGENT, { incidentId: id, kind: 'RESHIP' });
    expect(bad.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.kind', allowed: ['REPLACE', 'RETURN', 'REPAIR'] });
    const none = await k.incident({ category: 'OVERCHARGE', amount: '30.00' });
    const refused = await start(h.keys.AGENT, { incidentId: none, kind: 'REPAIR' });
    expect(refused.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', allowed: [] });
    expect((await incident(id)).remedies).toEqual([]);
  });

  it('walks REPAIR from start to COMPLETED; starting it settles ARRANGE_REMEDY; each step due a working day count after the previous', async () => {
    const id = await k.incident({ category: 'PRODUCT_QUALITY', subtype: 'MINOR_MALFUNCTION' });
    const r = await started(id, 'REPAIR');
    expect(r).toMatchObject({
      kind: 'REPAIR',
      status: 'IN_PROGRESS',
      currentStep: 'TECH_ASSESSMENT',
      version: 1,
      startedBy: 'test-agent',
      orderNo: 'SO-R',
      incident: { id },
    });
    expect(r.steps.map((s: any) => [s.step, s.status, s.role])).toEqual([
      ['TECH_ASSESSMENT', 'PENDING', 'TECH'],
      ['REPAIRED', 'WAITING', 'TECH'],
      ['CUSTOMER_CONFIRMED', 'WAITING', 'AGENT'],
    ]);
    // Monday 2026-11-23 10:00 Shanghai + 1 working day = Tuesday 10:00.
    expect(r.steps[0].dueAt).toBe('2026-11-24T02:00:00.000Z');
    const arrange = (await incident(id)).actions.find((a: any) => a.code === 'ARRANGE_REMEDY');
    expect(arrange).toMatchObject({ status: 'DONE', evidence: { remedyId: r.id, kind: 'REPAIR' } });

    h.clock.advance(60 * 60_000);
    let v = await advanced(h.keys.TECH, r.id, 'TECH_ASSESSMENT', { note: '远程协助确认主板故障', expectedVersion: 1 });
    expect(v).toMatchObject({ currentStep: 'REPAIRED', version: 2 });
    // 11:00 Monday + 5 working days = 11:00 the next Monday.
    expect(v.steps[1].dueAt).toBe('2026-11-30T03:00:00.000Z');
    v = await advanced(h.keys.TECH, r.id, 'REPAIRED');
    expect(v).toMatchObject({ currentStep: 'CUSTOMER_CONFIRMED', version: 3 });
    v = await advanced(h.keys.AGENT, r.id, 'CUSTOMER_CONFIRMED', { note: '客户确认已修好' });
    expect(v).toMatchObject({ status: 'COMPLETED', currentStep: null, version: 4 });
    expect(v.completedAt).not.toBeNull();
    expect(v.history.map((t: any) => [t.kind, t.fromStatus, t.toStatus, t.step, t.actor])).toEqual([
      ['STARTED', null, 'IN_PROGRESS', 'TECH_ASSESSMENT', 'test-agent'],
      ['ADVANCED', 'IN_PROGRESS', 'IN_PROGRESS', 'TECH_ASSESSMENT', 'test-tech'],
      ['ADVANCED', 'IN_PROGRESS', 'IN_PROGRESS', 'REPAIRED', 'test-tech'],
      ['COMPLETED', 'IN_PROGRESS', 'COMPLETED', 'CUSTOMER_CONFIRMED', 'test-agent'],
    ]);
    const again = await advance(h.keys.AGENT, { remedyId: r.id, step: 'CUSTOMER_CONFIRMED' });
    expect(again.errors![0].extensions.code).toBe('CONFLICT');
  });

  it('walks REPLACE and RESHIP through the warehouse (LOGISTICS), a tracking number required where the step says', async () => {
    const id = await k.incident({ category: 'LOGISTICS', subtype: 'DAMAGED' });
    const r = await started(id, 'REPLACE', h.keys.CS_LEAD);
    await advanced(h.keys.LOGISTICS, r.id, 'PICKUP_ARRANGED');
    await advanced(h.keys.LOGISTICS, r.id, 'GOODS_RECEIVED');
    const missing = await advance(h.keys.LOGISTICS, { remedyId: r.id, step: 'REPLACEMENT_SHIPPED' });
    expect(missing.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.trackingNo' });
    expect((await h.gql(h.keys.ADMIN, GET, { id: r.id })).data.remedy.version).toBe(3);
    const shipped = await advanced(h.keys.LOGISTICS, r.id, 'REPLACEMENT_SHIPPED', { trackingNo: 'SF1234567890' });
    expect(shipped.steps[2]).toMatchObject({ status: 'APPROVED', trackingNo: 'SF1234567890', actor: 'test-logistics', needsTrackingNo: true });
    expect((await advanced(h.keys.AGENT, r.id, 'CUSTOMER_CONFIRMED')).status).toBe('COMPLETED');

    const lost = await k.incident({ category: 'LOGISTICS', subtype: 'LOST' });
    const rs = await started(lost, 'RESHIP');
    await advanced(h.keys.LOGISTICS, rs.id, 'RESHIPPED', { trackingNo: 'YT998877' });
    expect((await advanced(h.keys.AGENT, rs.id, 'CUSTOMER_CONFIRMED')).status).toBe('COMPLETED');
  });

  it('RETURN and COMPENSATE: requesting a refund of the incident does the REFUND_REQUESTED step; by hand only once one is requested', async () => {
    const id = await k.incident({ category: 'ORDER_ERROR', amount: '88.00' });
    const r = await started(id, 'RETURN');
    await advanced(h.keys.LOGISTICS, r.id, 'PICKUP_ARRANGED');
    await advanced(h.keys.LOGISTICS, r.id, 'GOODS_RECEIVED');
    const byHand = await advance(h.keys.AGENT, { remedyId: r.id, step: 'REFUND_REQUESTED' });
    expect(byHand.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.step' });
    const refund = await k.requested(id, '88.00');
    expect(refund.currentStep).toBe('CASHIER_CHECK'); // the refund runs its own chain
    let v = (await h.gql(h.keys.ADMIN, GET, { id: r.id })).data.remedy;
    expect(v).toMatchObject({ currentStep: 'CUSTOMER_CONFIRMED', version: 4 });
    expect(v.steps[2]).toMatchObject({ step: 'REFUND_REQUESTED', status: 'APPROVED', note: refund.refundNo, actor: 'test-agent' });
    v = await advanced(h.keys.AGENT, r.id, 'CUSTOMER_CONFIRMED');
    expect(v.status).toBe('COMPLETED');

    const lost = await k.incident({ category: 'LOGISTICS', subtype: 'LOST', amount: '200.00' });
    const c = await started(lost, 'COMPENSATE');
    const wrongRole = await advance(h.keys.AGENT, { remedyId: c.id, step: 'COMPENSATION_AGREED' });
    expect(wrongRole.errors![0].extensions.code).toBe('FORBIDDEN');
    await advanced(h.keys.CS_LEAD, c.id, 'COMPENSATION_AGREED', { note: '赔偿50元' });
    await k.requested(lost, '50.00');
    expect((await advanced(h.keys.AGENT, c.id, 'CUSTOMER_CONFIRMED')).status).toBe('COMPLETED');
  });

  it('an incident with a remedy in progress cannot be RESOLVED; a cancel with a reason lets it', async () => {
    const id = await k.incident({ category: 'PRODUCT_QUALITY', subtype: 'COSMETIC_DEFECT' });
    const r = await started(id, 'REPAIR');
    const held = await h.gql(h.keys.AGENT, STATUS, { id, status: 'RESOLVED' });
    expect(held.errors![0].extensions).toMatchObject({ code: 'ACTIONS_OUTSTANDING', remedies: [{ id: r.id, kind: 'REPAIR' }] });
    expect(held.errors![0].extensions.outstanding).toContain(`remedy:${r.id}`);
    const noReason = await h.gql(h.keys.AGENT, CANCEL, { id: r.id, reason: '' });
    expect(noReason.errors![0].extensions.code).toBe('BAD_USER_INPUT');
    const cancelled = (await h.gql(h.keys.AGENT, CANCEL, { id: r.id, reason: '客户改为退货' })).data.cancelRemedy;
    expect(cancelled).toMatchObject({ status: 'CANCELLED', currentStep: null, cancelReason: '客户改为退货', version: 2 });
    expect(cancelled.steps[0]).toMatchObject({ status: 'WAITING', dueAt: null });
    expect(cancelled.history.at(-1)).toMatchObject({ kind: 'CANCELLED', step: 'TECH_ASSESSMENT', note: '客户改为退货' });
    const twice = await h.gql(h.keys.AGENT, CANCEL, { id: r.id, reason: 'again' });
    expect(twice.errors![0].extensions.code).toBe('CONFLICT');
    const advanceCancelled = await advance(h.keys.TECH, { remedyId: r.id, step: 'TECH_ASSESSMENT' });
    expect(advanceCancelled.errors![0].extensions.code).toBe('CONFLICT');
    const resolved = await h.gql(h.keys.AGENT, STATUS, { id, status: 'RESOLVED' });
    expect(resolved.errors).toBeUndefined();
    expect(resolved.data.setIncidentStatus.status).toBe('RESOLVED');
  });

  it('two concurrent advances of one step: one moves, the other CONFLICT; a stale step or version is a CONFLICT', async () => {
    const id = await k.incident({ category: 'LOGISTICS', subtype: 'TRANSPORT_ACCIDENT' });
    const r = await started(id, 'RETURN');
    const results = await Promise.all([1, 2].map(() => advance(h.keys.LOGISTICS, { remedyId: r.id, step: 'PICKUP_ARRANGED', expectedVersion: 1 })));
    const codes = results.map((x) => x.errors?.[0]?.extensions?.code ?? 'OK').sort();
    expect(codes).toEqual(['CONFLICT', 'OK']);
    const after = (await h.gql(h.keys.ADMIN, GET, { id: r.id })).data.remedy;
    expect(after).toMatchObject({ version: 2, currentStep: 'GOODS_RECEIVED' });
    expect(after.history.filter((t: any) => t.step === 'PICKUP_ARRANGED' && t.kind === 'ADVANCED')).toHaveLength(1);
    const stale = await advance(h.keys.LOGISTICS, { remedyId: r.id, step: 'PICKUP_ARRANGED' });
    expect(stale.errors![0].extensions).toMatchObject({ code: 'CONFLICT', currentStep: 'GOODS_RECEIVED' });
    const oldVersion = await advance(h.keys.LOGISTICS, { remedyId: r.id, step: 'GOODS_RECEIVED', expectedVersion: 1 });
    expect(oldVersion.errors![0].extensions).toMatchObject({ code: 'CONFLICT', currentVersion: 2 });
  });

  it('role matrix: start and cancel AGENT, CS_LEAD, ADMIN; steps the role each names; an integration sees only its own source', async () => {
    const id = await k.incident({ category: 'ORDER_ERROR' });
    for (const role of ['TECH', 'CASHIER', 'ACCOUNTANT', 'FINANCE_DIRECTOR', 'PRESIDENT', 'ANALYST', 'LOGISTICS', 'ERP'] as const) {
      const res = await start(h.keys[role], { incidentId: id, kind: 'RESHIP' });
      expect([role, res.errors?.[0]?.extensions?.code]).toEqual([role, 'FORBIDDEN']);
    }
    const byAdmin = await started(id, 'RESHIP', h.keys.ADMIN);
    for (const role of ['AGENT', 'CS_LEAD', 'TECH', 'CASHIER', 'ANALYST', 'ADMIN'] as const) {
      const res = await advance(h.keys[role], { remedyId: byAdmin.id, step: 'RESHIPPED', trackingNo: 'SF1' });
      expect([role, res.errors?.[0]?.extensions?.code]).toEqual([role, 'FORBIDDEN']);
    }
    for (const role of ['LOGISTICS', 'TECH', 'ANALYST'] as const) {
      const res = await h.gql(h.keys[role], CANCEL, { id: byAdmin.id, reason: 'x' });
      expect([role, res.errors?.[0]?.extensions?.code]).toEqual([role, 'FORBIDDEN']);
    }
    expect((await h.gql(h.keys.CRM, GET, { id: byAdmin.id })).data.remedy).toBeNull();
    expect((await h.gql(h.keys.ERP, GET, { id: byAdmin.id })).data.remedy.id).toBe(byAdmin.id);
    expect((await h.gql(h.keys.CS_LEAD, CANCEL, { id: byAdmin.id, reason: '重复' })).data.cancelRemedy.status).toBe('CANCELLED');
  });
});
