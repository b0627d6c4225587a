import path from 'node:path';
import { Harness, REPORT, ref, startHarness } from './support/harness';
import { addStaff, gqlAs } from './support/staff-requests';

/**
 * the policy as a matrix: every operation × every role answers FORBIDDEN exactly when the
 * role may not do it. "Allowed" means anything but FORBIDDEN/UNAUTHENTICATED (data, or a
 * NOT_FOUND/CONFLICT/BAD_USER_INPUT that comes from the data, not the role).
 */
const ROLES = ['ADMIN', 'INTEGRATION', 'AGENT', 'CS_LEAD', 'TECH', 'CASHIER', 'ACCOUNTANT', 'FINANCE_DIRECTOR', 'PRESIDENT', 'ANALYST', 'LOGISTICS'] as const;
type Role = (typeof ROLES)[number];
const ALL: readonly Role[] = ROLES;
const REPORTS: readonly Role[] = ['ANALYST', 'FINANCE_DIRECTOR', 'ACCOUNTANT', 'ADMIN'];
const CHANGE: readonly Role[] = ['AGENT', 'CS_LEAD', 'ADMIN'];
const STATISTICS: readonly Role[] = ['ANALYST', 'CS_LEAD', 'FINANCE_DIRECTOR', 'ACCOUNTANT', 'ADMIN'];
const STAFF: readonly Role[] = ROLES.filter((r) => r !== 'INTEGRATION');
/** The shift handover: the reporting roles and the shift staff. */
const HANDOVER: readonly Role[] = [...REPORTS, 'AGENT', 'CS_LEAD'];

interface Fixture {
  incidentId: string;
  refundId: string;
}

interface Op {
  name: string;
  allowed: readonly Role[];
  /** Runs the operation as `key`; `fresh` builds new data when the operation changes state. */
  run: (h: Harness, key: string, fx: Fixture) => ReturnType<Harness['gql']>;
  fresh?: boolean;
}

const rulesDir = path.join(__dirname, '..', '..', 'rules');

/** A fresh RESHIP remedy (its first step is the warehouse's), made through the services so any harness may use it. */
async function newRemedy(h: Harness): Promise<string> {
  const admin = { keyId: 0, name: 'matrix-admin', roles: new Set(['ADMIN'] as const), source: null };
  const { incident } = await h.app.services.incidents.report(admin, { source: 'erp', externalRef: ref('RMR'), category: 'LOGISTICS', subtype: 'LOST' } as any);
  return String((await h.app.services.remedies.start(admin, { incidentId: String(incident.entity.id), kind: 'RESHIP' })).entity.id);
}

const OPS: Op[] = [
  {
    name: 'reportIncident',
    allowed: ['INTEGRATION', 'AGENT', 'ADMIN'],
    run: (h, k) => h.gql(k, REPORT, { input: { source: 'erp', externalRef: ref('RM'), category: 'SERVICE' } }),
  },
  {
    name: 'evaluate',
    allowed: ALL,
    run: (h, k) =>
      h.gql(k, `query($i: ReportIncidentInput!) { evaluate(input: $i) { severity } }`, { i: { source: 'erp', externalRef: 'x', category: 'SERVICE' } }),
  },
  { name: 'incident', allowed: ALL, run: (h, k, fx) => h.gql(k, `query($id: ID!) { incident(id: $id) { id } }`, { id: fx.incidentId }) },
  { name: 'incidentByExternalRef', allowed: ALL, run: (h, k) => h.gql(k, `{ incidentByExternalRef(source: "erp", externalRef: "none") { id } }`) },
  { name: 'incidents', allowed: ALL, run: (h, k) => h.gql(k, `{ incidents(first: 1) { totalCount } }`) },
  { name: 'catalog', allowed: ALL, run: (h, k) => h.gql(k, `{ catalog { actions } }`) },
  { name: 'activeRuleSet', allowed: ALL, run: (h, k) => h.gql(k, `{ activeRuleSet { version } }`) },
  {
    name: 'setIncidentStatus',
    allowed: CHANGE,
    fresh: true,
    run: (h, k, fx) => h.gql(k, `mutation($id: ID!) { setIncidentStatus(id: $id, status: ACKNOWLEDGED) { id } }`, { id: fx.incidentId }),
  },
  {
    name: 'completeAction',
    allowed: CHANGE,
    fresh: true,
    run: (h, k, fx) => h.gql(k, `mutation($id: ID!) { completeAction(incidentId: $id, code: "APOLOGIZE") { id } }`, { id: fx.incidentId }),
  },
  {
    name: 'recordSatisfaction',
    allowed: CHANGE,
    fresh: true,
    run: (h, k, fx) => h.gql(k, `mutation($id: ID!) { recordSatisfaction(incidentId: $id, score: 5) { id } }`, { id: fx.incidentId }),
  },
  {
    name: 'requestRefund',
    allowed: ['AGENT', 'CS_LEAD', 'ADMIN', 'INTEGRATION'],
    fresh: true,
    run: (h, k, fx) =>
      h.gql(k, `mutation($i: RequestRefundInput!) { requestRefund(input: $i) { id } }`, { i: { incidentId: fx.incidentId, amount: '1.00', method: 'CASH' } }),
  },
  {
    name: 'decideRefundStep (CASHIER_CHECK)',
    allowed: ['CASHIER'],
    fresh: true,
    run: (h, k, fx) =>
      h.gql(k, `mutation($i: DecideRefundStepInput!) { decideRefundStep(input: $i) { id } }`, {
        i: { refundId: fx.refundId, step: 'CASHIER_CHECK', decision: 'APPROVE' },
      }),
  },
  {
    name: 'resubmitRefund',
    allowed: CHANGE,
    fresh: true,
    run: (h, k, fx) => h.gql(k, `mutation($id: ID!) { resubmitRefund(refundId: $id) { id } }`, { id: fx.refundId }),
  },
  {
    name: 'cancelRefund',
    allowed: CHANGE,
    fresh: true,
    run: (h, k, fx) => h.gql(k, `mutation($id: ID!) { cancelRefund(refundId: $id, reason: "test") { id } }`, { id: fx.refundId }),
  },
  { name: 'refund', allowed: ALL, run: (h, k, fx) => h.gql(k, `query($id: ID!) { refund(id: $id) { id } }`, { id: fx.refundId }) },
  { name: 'refunds', allowed: ALL, run: (h, k) => h.gql(k, `{ refunds(first: 1) { totalCount } }`) },
  { name: 'refundAggregates', allowed: REPORTS, run: (h, k) => h.gql(k, `{ refundAggregates(groupBy: [MONTH]) { count } }`) },
  { name: 'refundStageDurations', allowed: REPORTS, run: (h, k) => h.gql(k, `{ refundStageDurations { step } }`) },
  { name: 'monthlyRefundReport', allowed: REPORTS, run: (h, k) => h.gql(k, `{ monthlyRefundReport(month: "2026-10") { totalCount } }`) },
  { name: 'incidentAggregates', allowed: STATISTICS, run: (h, k) => h.gql(k, `{ incidentAggregates(groupBy: [MONTH, CATEGORY]) { count } }`) },
  { name: 'shiftHandover', allowed: HANDOVER, run: (h, k) => h.gql(k, `{ shiftHandover(from: "2026-11-23T00:00:00Z", to: "2026-11-23T12:00:00Z") { from } }`) },
  // Filed documents: each table's supervisor reviews it (the month is over), ADMIN archives; the handover records.
  {
    name: 'signOffMonthlyRefundReport (CUSTOMER_SERVICE, REVIEWED)',
    allowed: ['CS_LEAD'],
    run: (h, k) => h.gql(k, `mutation { signOffMonthlyRefundReport(month: "2026-10", table: CUSTOMER_SERVICE, stage: REVIEWED) { month } }`),
  },
  {
    name: 'signOffMonthlyRefundReport (FINANCE, REVIEWED)',
    allowed: ['FINANCE_DIRECTOR'],
    run: (h, k) => h.gql(k, `mutation { signOffMonthlyRefundReport(month: "2026-10", table: FINANCE, stage: REVIEWED) { month } }`),
  },
  {
    name: 'signOffMonthlyRefundReport (ARCHIVED)',
    allowed: ['ADMIN'],
    run: (h, k) => h.gql(k, `mutation { signOffMonthlyRefundReport(month: "2026-09", table: FINANCE, stage: ARCHIVED) { month } }`),
  },
  {
    name: 'handOverShift',
    allowed: HANDOVER,
    run: (h, k) =>
      h.gql(k, `mutation($i: HandOverShiftInput!) { handOverShift(input: $i) { id } }`, {
        i: {
          from: '2026-11-23T00:00:00Z',
          to: '2026-11-23T02:00:00Z',
          shift: 'DAY',
          handedOverTo: 'test-cs_lead',
          attendance: { expected: 2, present: 2 },
          completedWork: ['交接'],
          cleaningDone: true,
        },
      }),
  },
  { name: 'acknowledgeShiftHandover', allowed: HANDOVER, run: (h, k) => h.gql(k, `mutation { acknowledgeShiftHandover(id: "999999") { id } }`) },
  {
    name: 'shiftHandoverRecords',
    allowed: HANDOVER,
    run: (h, k) => h.gql(k, `{ shiftHandoverRecords(from: "2026-11-23T00:00:00Z", to: "2026-11-24T00:00:00Z") { id } }`),
  },
  { name: 'reloadRules', allowed: ['ADMIN'], run: (h, k) => h.gql(k, `mutation { reloadRules { version } }`) },
  { name: 'ruleSetVersions', allowed: ['ADMIN'], run: (h, k) => h.gql(k, `{ ruleSetVersions { version } }`) },
  {
    name: 'simulateRules',
    allowed: ['ADMIN'],
    run: (h, k) => h.gql(k, `query($d: String!) { simulateRules(draftDir: $d) { draftVersion } }`, { d: rulesDir }),
  },
  // Incidents that evolve: amended facts, waived actions.
  {
    name: 'amendIncident',
    allowed: ['AGENT', 'CS_LEAD', 'ADMIN', 'INTEGRATION'],
    fresh: true,
    run: (h, k, fx) =>
      h.gql(k, `mutation($i: AmendIncidentInput!) { amendIncident(input: $i) { id } }`, { i: { id: fx.incidentId, amount: '120.00', note: '金额更正' } }),
  },
  {
    name: 'waiveAction',
    allowed: ['CS_LEAD', 'ADMIN'],
    fresh: true,
    run: (h, k, fx) => h.gql(k, `mutation($id: ID!) { waiveAction(incidentId: $id, code: "APOLOGIZE", reason: "顾客已离开") { id } }`, { id: fx.incidentId }),
  },
  // deadlines that act, and webhooks.
  {
    name: 'pauseIncidentClock',
    allowed: CHANGE,
    fresh: true,
    run: (h, k, fx) => h.gql(k, `mutation($id: ID!) { pauseIncidentClock(id: $id, reason: "等待顾客") { id } }`, { id: fx.incidentId }),
  },
  {
    name: 'resumeIncidentClock',
    allowed: CHANGE,
    fresh: true,
    run: (h, k, fx) => h.gql(k, `mutation($id: ID!) { resumeIncidentClock(id: $id) { id } }`, { id: fx.incidentId }),
  },
  { name: 'breaches', allowed: ALL, run: (h, k) => h.gql(k, `{ breaches(first: 1) { totalCount } }`) },
  {
    name: 'actionCompliance',
    allowed: REPORTS,
    run: (h, k) => h.gql(k, `{ actionCompliance(from: "2026-11-01T00:00:00Z", to: "2026-12-01T00:00:00Z") { code } }`),
  },
  { name: 'webhookEventTypes', allowed: ALL, run: (h, k) => h.gql(k, `{ webhookEventTypes }`) },
  { name: 'webhookSubscriptions', allowed: ['ADMIN'], run: (h, k) => h.gql(k, `{ webhookSubscriptions { id } }`) },
  {
    name: 'createWebhookSubscription',
    allowed: ['ADMIN'],
    run: (h, k) =>
      h.gql(k, `mutation { createWebhookSubscription(input: { url: "http://127.0.0.1:9/hook", eventTypes: ["refund.paid"], active: false }) { secret } }`),
  },
  {
    name: 'updateWebhookSubscription',
    allowed: ['ADMIN'],
    run: (h, k) => h.gql(k, `mutation { updateWebhookSubscription(id: "999999", input: { active: false }) { secret } }`),
  },
  { name: 'deleteWebhookSubscription', allowed: ['ADMIN'], run: (h, k) => h.gql(k, `mutation { deleteWebhookSubscription(id: "999999") }`) },
  { name: 'webhookDeliveries', allowed: ['ADMIN'], run: (h, k) => h.gql(k, `{ webhookDeliveries(first: 1) { totalCount } }`) },
  { name: 'redeliverWebhook', allowed: ['ADMIN'], run: (h, k) => h.gql(k, `mutation { redeliverWebhook(deliveryId: "999999") { id } }`) },
  // People, not keys: staff directory, contacts and on-call (ADMIN manages, every staff role reads).
  { name: 'me', allowed: ALL, run: (h, k) => h.gql(k, `{ me { name } }`) },
  { name: 'staffMembers', allowed: STAFF, run: (h, k) => h.gql(k, `{ staffMembers { employeeNo } }`) },
  { name: 'contacts', allowed: STAFF, run: (h, k) => h.gql(k, `{ contacts { id } }`) },
  { name: 'upsertContact', allowed: ['ADMIN'], run: (h, k) => h.gql(k, `mutation { upsertContact(input: { kind: "EXTERNAL", name: "119" }) { id } }`) },
  { name: 'deleteContact', allowed: ['ADMIN'], run: (h, k) => h.gql(k, `mutation { deleteContact(id: "999999") }`) },
  { name: 'onCall', allowed: STAFF, run: (h, k) => h.gql(k, `{ onCall(department: "FACILITIES") { employeeNo } }`) },
  {
    name: 'setOnCall',
    allowed: ['ADMIN'],
    run: (h, k) =>
      h.gql(
        k,
        `mutation { setOnCall(shifts: [{ department: "IT", employeeNo: "M-TECH", from: "2026-11-23T00:00:00Z", to: "2026-11-24T00:00:00Z" }]) { department } }`,
      ),
  },
  { name: 'notifications', allowed: STAFF, run: (h, k, fx) => h.gql(k, `query($id: ID) { notifications(incidentId: $id) { id } }`, { id: fx.incidentId }) },
  { name: 'remedy', allowed: ALL, run: async (h, k) => h.gql(k, `query($id: ID!) { remedy(id: $id) { id } }`, { id: await newRemedy(h) }) },
  {
    name: 'startRemedy',
    allowed: CHANGE,
    fresh: true,
    run: async (h, k) => {
      const admin = { keyId: 0, name: 'matrix-admin', roles: new Set(['ADMIN'] as const), source: null };
      const { incident } = await h.app.services.incidents.report(admin, { source: 'erp', externalRef: ref('RMS'), category: 'ORDER_ERROR' } as any);
      return h.gql(k, `mutation($i: StartRemedyInput!) { startRemedy(input: $i) { id } }`, { i: { incidentId: String(incident.entity.id), kind: 'RESHIP' } });
    },
  },
  {
    name: 'advanceRemedy (RESHIPPED)',
    allowed: ['LOGISTICS'],
    run: async (h, k) =>
      h.gql(k, `mutation($i: AdvanceRemedyInput!) { advanceRemedy(input: $i) { id } }`, {
        i: { remedyId: await newRemedy(h), step: 'RESHIPPED', trackingNo: 'SF1' },
      }),
  },
  {
    name: 'cancelRemedy',
    allowed: CHANGE,
    run: async (h, k) => h.gql(k, `mutation($id: ID!) { cancelRemedy(remedyId: $id, reason: "test") { id } }`, { id: await newRemedy(h) }),
  },
  {
    name: 'upsertStaffMember',
    allowed: ['ADMIN'],
    run: (h, k) => h.gql(k, `mutation { upsertStaffMember(input: { employeeNo: "M1", name: "x", department: "IT", roles: ["TECH"] }) { id } }`),
  },
];

describe('the role matrix of the policy', () => {
  let h: Harness;
  const keyOf = (role: Role) => (role === 'INTEGRATION' ? h.keys.ERP : h.keys[role]);

  async function fixture(): Promise<Fixture> {
    const inc = await h.gql(h.keys.ERP, REPORT, { input: { source: 'erp', externalRef: ref('RMF'), category: 'OVERCHARGE', amount: '100.00' } });
    const incidentId = inc.data.reportIncident.incident.id;
    const refund = await h.gql(h.keys.AGENT, `mutation($i: RequestRefundInput!) { requestRefund(input: $i) { id } }`, {
      i: { incidentId, amount: '10.00', method: 'CASH' },
    });
    return { incidentId, refundId: refund.data.requestRefund.id };
  }

  /** An ERP key acting for staff (X-Triage-Employee), and one member per staff role. */
  let delegate: string;
  beforeAll(async () => {
    h = await startHarness({ env: { RATE_LIMIT_PER_MINUTE: '0' } });
    delegate = (await h.app.services.apiKeys.create('erp-delegate', ['INTEGRATION'], 'erp', { actForStaff: true })).key;
    await addStaff(
      h,
      STAFF.map((role) => ({ employeeNo: `M-${role}`, name: `成员${role}`, department: 'CUSTOMER_SERVICE', roles: [role] })),
    );
  });
  afterAll(async () => h.close());

  it.each(OPS.map((op) => [op.name, op] as const))('%s', async (_name, op) => {
    const shared = await fixture();
    const outcomes: Record<string, string> = {};
    for (const role of ROLES) {
      const fx = op.fresh ? await fixture() : shared;
      const res = await op.run(h, keyOf(role), fx);
      outcomes[role] = res.errors?.[0]?.extensions?.code ?? 'OK';
    }
    const expected = Object.fromEntries(ROLES.map((r) => [r, op.allowed.includes(r) ? 'allowed' : 'FORBIDDEN']));
    const actual = Object.fromEntries(ROLES.map((r) => [r, outcomes[r] === 'FORBIDDEN' || outcomes[r] === 'UNAUTHENTICATED' ? outcomes[r] : 'allowed']));
    expect(actual).toEqual(expected);
  });

  it.each(OPS.map((op) => [op.name, op] as const))("%s, by an integration acting for a member of each role: the member's roles decide", async (_name, op) => {
    const shared = await fixture();
    const actual: Record<string, string> = {};
    for (const role of STAFF) {
      const fx = op.fresh ? await fixture() : shared;
      const acting = { ...h, gql: (_k: string, q: string, v?: Record<string, unknown>) => gqlAs(h, delegate, `M-${role}`, q, v) } as Harness;
      const code = (await op.run(acting, delegate, fx)).errors?.[0]?.extensions?.code ?? 'OK';
      actual[role] = code === 'FORBIDDEN' || code === 'UNAUTHENTICATED' ? code : 'allowed';
    }
    expect(actual).toEqual(Object.fromEntries(STAFF.map((r) => [r, op.allowed.includes(r) ? 'allowed' : 'FORBIDDEN'])));
  });

  it('every operation without a key is UNAUTHENTICATED', async () => {
    const fx = await fixture();
    for (const op of OPS) {
      const res = await op.run(h, null as unknown as string, fx);
      expect([op.name, res.errors?.[0]?.extensions?.code]).toEqual([op.name, 'UNAUTHENTICATED']);
    }
  });

  it('an INTEGRATION key never sees or touches another source', async () => {
    const crm = await h.gql(h.keys.CRM, REPORT, { input: { source: 'crm', externalRef: ref('CRM'), category: 'OVERCHARGE', amount: '50.00' } });
    const id = crm.data.reportIncident.incident.id;
    const refund = await h.gql(h.keys.AGENT, `mutation($i: RequestRefundInput!) { requestRefund(input: $i) { id } }`, {
      i: { incidentId: id, amount: '5.00', method: 'CASH' },
    });
    expect((await h.gql(h.keys.ERP, `query($id: ID!) { incident(id: $id) { id } }`, { id })).data.incident).toBeNull();
    expect((await h.gql(h.keys.ERP, `query($id: ID!) { refund(id: $id) { id } }`, { id: refund.data.requestRefund.id })).data.refund).toBeNull();
    const list = await h.gql(h.keys.ERP, `{ refunds(first: 200) { edges { node { incident { source } } } } }`);
    expect(list.data.refunds.edges.every((e: any) => e.node.incident.source === 'erp')).toBe(true);
    const steal = await h.gql(h.keys.ERP, `mutation($i: RequestRefundInput!) { requestRefund(input: $i) { id } }`, {
      i: { incidentId: id, amount: '1.00', method: 'CASH' },
    });
    expect(['NOT_FOUND', 'FORBIDDEN']).toContain(steal.errors![0].extensions.code);
  });
});
