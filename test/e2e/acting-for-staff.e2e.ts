import { Harness, REPORT, ref, startHarness } from './support/harness';
import { addStaff, gqlAs } from './support/staff-requests';

const ME = '{ me { name roles source staff { employeeNo name department roles phone active } } }';
const REQUEST = `mutation($i: RequestRefundInput!) { requestRefund(input: $i) { id requestedBy } }`;
const DECIDE = `mutation($i: DecideRefundStepInput!) { decideRefundStep(input: $i) { id status currentStep steps { step actor } } }`;

describe('integrations acting for staff (X-Triage-Employee)', () => {
  let h: Harness;
  let erpStaff: string;
  let erpStaff2: string;

  beforeAll(async () => {
    h = await startHarness({ now: new Date('2026-10-12T02:00:00Z'), env: { WEBHOOK_ALLOWED_HOSTS: '127.0.0.1' } });
    erpStaff = (await h.app.services.apiKeys.create('erp-people', ['INTEGRATION'], 'erp', { actForStaff: true })).key;
    erpStaff2 = (await h.app.services.apiKeys.create('erp-mobile', ['INTEGRATION'], 'erp', { actForStaff: true })).key;
    await addStaff(h, [
      { employeeNo: 'A01', name: '赵六', department: 'CUSTOMER_SERVICE', roles: ['AGENT'], phone: '13800000001' },
      { employeeNo: 'F01', name: '张三', department: 'FINANCE', roles: ['CASHIER', 'ACCOUNTANT'], phone: '13800000002' },
      { employeeNo: 'F02', name: '李四', department: 'FINANCE', roles: ['ACCOUNTANT'] },
      { employeeNo: 'F03', name: '王五', department: 'FINANCE', roles: ['FINANCE_DIRECTOR'] },
    ]);
  });
  afterAll(() => h.close());

  it("me: the key alone, or the member it acts for with the member's roles and the key's source", async () => {
    const alone = await gqlAs(h, erpStaff, null, ME);
    expect(alone.data.me).toEqual({ name: 'erp-people', roles: ['INTEGRATION'], source: 'erp', staff: null });
    const acting = await gqlAs(h, erpStaff, 'F01', ME);
    expect(acting.data.me).toEqual({
      name: 'erp-people',
      roles: ['CASHIER', 'ACCOUNTANT'],
      source: 'erp',
      staff: { employeeNo: 'F01', name: '张三', department: 'FINANCE', roles: ['CASHIER', 'ACCOUNTANT'], phone: '138****0002', active: true },
    });
    const agent = await gqlAs(h, h.keys.AGENT, null, ME);
    expect(agent.data.me).toEqual({ name: 'test-agent', roles: ['AGENT'], source: null, staff: null });
  });

  it('a key without the right, an unknown or malformed employee number: FORBIDDEN', async () => {
    for (const [key, emp] of [
      [h.keys.ERP, 'F01'],
      [h.keys.AGENT, 'F01'],
      [erpStaff, 'NOBODY'],
      [erpStaff, 'F 01'],
    ] as const) {
      const res = await gqlAs(h, key, emp, ME);
      expect(res.errors?.[0].extensions.code).toBe('FORBIDDEN');
    }
  });

  it("stays bound to the key's source: reports and reads only its own source, even for a staff role that sees all", async () => {
    const own = await gqlAs(h, erpStaff, 'A01', REPORT, { input: { source: 'erp', externalRef: ref('D'), category: 'SERVICE' } });
    expect(own.errors).toBeUndefined();
    const other = await gqlAs(h, erpStaff, 'A01', REPORT, { input: { source: 'crm', externalRef: ref('D'), category: 'SERVICE' } });
    expect(other.errors?.[0].extensions.code).toBe('FORBIDDEN');
    const crm = await h.gql(h.keys.CRM, REPORT, { input: { source: 'crm', externalRef: ref('C'), category: 'SERVICE' } });
    const id = crm.data.reportIncident.incident.id;
    expect((await gqlAs(h, erpStaff, 'A01', `query($id: ID!) { incident(id: $id) { id } }`, { id })).data.incident).toBeNull();
    expect((await h.gql(h.keys.AGENT, `query($id: ID!) { incident(id: $id) { id } }`, { id })).data.incident).toEqual({ id });
  });

  it('names the person in refund steps, history, reports and webhooks, and counts people when signing', async () => {
    await h.gql(
      h.keys.ADMIN,
      `mutation { createWebhookSubscription(input: { url: "http://127.0.0.1:9/hook", eventTypes: ["refund.step_decided"] }) { secret } }`,
    );
    const inc = await gqlAs(h, erpStaff, 'A01', REPORT, {
      input: { source: 'erp', externalRef: ref('R'), category: 'OVERCHARGE', amount: '300.00', customer: { phone: '13912345678' } },
    });
    const incidentId = inc.data.reportIncident.incident.id;
    const req = await gqlAs(h, erpStaff, 'A01', REQUEST, { i: { incidentId, amount: '100.00', method: 'CASH' } });
    expect(req.data.requestRefund.requestedBy).toBe('赵六 (erp)');
    const refundId = req.data.requestRefund.id;

    // The requester signs no approval step, whichever key brings them.
    await addStaff(h, [{ employeeNo: 'A01', name: '赵六', department: 'CUSTOMER_SERVICE', roles: ['AGENT', 'CASHIER'] }]);
    const own = await gqlAs(h, erpStaff2, 'A01', DECIDE, { i: { refundId, step: 'CASHIER_CHECK', decision: 'APPROVE' } });
    expect(own.errors?.[0].extensions.code).toBe('FORBIDDEN');

    const cashier = await gqlAs(h, erpStaff, 'F01', DECIDE, { i: { refundId, step: 'CASHIER_CHECK', decision: 'APPROVE' } });
    expect(cashier.data.decideRefundStep.currentStep).toBe('ACCOUNTANT_REVIEW');
    // 张三 again through another key of the same ERP: still one person, one approval step.
    const twice = await gqlAs(h, erpStaff2, 'F01', DECIDE, { i: { refundId, step: 'ACCOUNTANT_REVIEW', decision: 'APPROVE' } });
    expect(twice.errors?.[0].extensions).toMatchObject({ code: 'FORBIDDEN', signedStep: 'CASHIER_CHECK' });
    const accountant = await gqlAs(h, erpStaff2, 'F02', DECIDE, { i: { refundId, step: 'ACCOUNTANT_REVIEW', decision: 'APPROVE' } });
    expect(accountant.data.decideRefundStep.steps.slice(0, 2)).toEqual([
      { step: 'CASHIER_CHECK', actor: '张三 (erp)' },
      { step: 'ACCOUNTANT_REVIEW', actor: '李四 (erp)' },
    ]);
    // A bare finance key with a person's name is not that person: two keys are two people.
    const director = await h.gql(h.keys.FINANCE_DIRECTOR, DECIDE, { i: { refundId, step: 'FINANCE_DIRECTOR_APPROVAL', decision: 'APPROVE' } });
    expect(director.errors).toBeUndefined();

    const history = await h.app.services.ds.query('SELECT actor, kind FROM refund_transitions WHERE refund_id = ? ORDER BY id', [Number(refundId)]);
    expect(history.map((r: any) => [r.kind, r.actor])).toEqual([
      ['REQUESTED', '赵六 (erp)'],
      ['APPROVED', '张三 (erp)'],
      ['APPROVED', '李四 (erp)'],
      ['APPROVED', 'test-finance_director'],
    ]);

    const report = await h.gql(h.keys.ANALYST, `{ monthlyRefundReport(month: "2026-10") { customerServiceRows { refundNo submitter contact } } }`);
    expect(report.data.monthlyRefundReport.customerServiceRows).toEqual([expect.objectContaining({ submitter: '赵六 (erp)', contact: '139****5678' })]);

    await h.app.services.webhooks.runOnce();
    const hooks = await h.gql(h.keys.ADMIN, `{ webhookDeliveries(first: 10, filter: { eventType: ["refund.step_decided"] }) { edges { node { data } } } }`);
    const actors = hooks.data.webhookDeliveries.edges.map((e: any) => [e.node.data.step, e.node.data.actor]).reverse();
    expect(actors).toEqual([
      ['CASHIER_CHECK', '张三 (erp)'],
      ['ACCOUNTANT_REVIEW', '李四 (erp)'],
      ['FINANCE_DIRECTOR_APPROVAL', 'test-finance_director'],
    ]);
  });

  it('a deactivated member fails on the next request', async () => {
    expect((await gqlAs(h, erpStaff, 'F03', ME)).data.me.staff.employeeNo).toBe('F03');
    await addStaff(h, [{ employeeNo: 'F03', name: '王五', department: 'FINANCE', roles: ['FINANCE_DIRECTOR'], active: false }]);
    const res = await gqlAs(h, erpStaff, 'F03', ME);
    expect(res.errors?.[0].extensions.code).toBe('FORBIDDEN');
  });
  it('hands a shift over to a staff member (接交人 by employee number), who alone acknowledges it, through the ERP acting for them', async () => {
    await addStaff(h, [
      { employeeNo: 'C01', name: '钱七', department: 'CUSTOMER_SERVICE', roles: ['CS_LEAD'] },
      { employeeNo: 'T01', name: '孙八', department: 'TECH_SUPPORT', roles: ['TECH'] },
    ]);
    const input = {
      from: '2026-10-12T00:00:00Z',
      to: '2026-10-12T02:00:00Z',
      shift: 'DAY',
      handedOverTo: 'C01',
      attendance: { expected: 2, present: 2 },
      completedWork: ['交接'],
      cleaningDone: true,
    };
    const handed = await gqlAs(h, erpStaff, 'A01', 'mutation($i: HandOverShiftInput!) { handOverShift(input: $i) { id handedOverTo } }', { i: input });
    expect(handed.errors).toBeUndefined();
    expect(handed.data.handOverShift.handedOverTo).toBe('C01');
    const id = handed.data.handOverShift.id;
    const ACK = 'mutation($id: ID!) { acknowledgeShiftHandover(id: $id) { id acknowledgedAt } }';
    expect((await gqlAs(h, erpStaff, 'A01', ACK, { id })).errors?.[0].extensions.code).toBe('FORBIDDEN');
    expect((await h.gql(h.keys.CS_LEAD, ACK, { id })).errors?.[0].extensions.code).toBe('FORBIDDEN');
    const ack = await gqlAs(h, erpStaff, 'C01', ACK, { id });
    expect(ack.errors).toBeUndefined();
    expect(ack.data.acknowledgeShiftHandover.acknowledgedAt).not.toBeNull();
    const bad = await gqlAs(h, erpStaff, 'A01', 'mutation($i: HandOverShiftInput!) { handOverShift(input: $i) { id } }', {
      i: { ...input, handedOverTo: 'T01' }, // TECH takes over no shift
    });
    expect(bad.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.handedOverTo' });
  });
});
