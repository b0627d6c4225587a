import request from 'supertest';
import { waiveOpenActions } from './support/actions';
import { Harness, startHarness } from './support/harness';
import { refundKit } from './support/refunds';
import { WebhookReceiver } from './support/webhook-receiver';

/** Shanghai local time (UTC+8) → ISO. The harness starts on Monday 2026-11-23 10:00 there. */
const local = (s: string) => new Date(`${s}+08:00`).toISOString();
const MINUTE = 60_000;

const FIELDS = `id version status severity ownerDepartment notifyDepartments policeReportRequired amount outageMinutes
  acknowledgeBy resolveBy amendedAt
  actions { code status done dueAt doneAt late reason evidence retainUntil }
  decision { severity decidedAt ruleSetVersion }
  decisions { severity ownerDepartment notifyDepartments decidedAt ruleSetVersion facts firedRules { name } actions { code dueAt } }`;
const GET = `query($id: ID!) { incident(id: $id) { ${FIELDS} history { kind note detail actor } } }`;
const AMEND = `mutation($i: AmendIncidentInput!) { amendIncident(input: $i) { ${FIELDS} } }`;
const STATUS = `mutation($id: ID!, $s: IncidentStatus!) { setIncidentStatus(id: $id, status: $s) { ${FIELDS} } }`;
const COMPLETE = `mutation($id: ID!, $code: String!, $doneAt: DateTime, $ev: JSON) { completeAction(incidentId: $id, code: $code, doneAt: $doneAt, evidence: $ev) { ${FIELDS} } }`;
const WAIVE = `mutation($id: ID!, $code: String!, $reason: String!) { waiveAction(incidentId: $id, code: $code, reason: $reason) { ${FIELDS} } }`;
const SATISFACTION = `mutation($id: ID!) { recordSatisfaction(incidentId: $id, score: 5) { ${FIELDS} } }`;
const PAUSE = 'mutation($id: ID!) { pauseIncidentClock(id: $id, reason: "顾客要求稍后联系") { version } }';
const RESUME = 'mutation($id: ID!) { resumeIncidentClock(id: $id) { version } }';
const BREACHES = 'query($f: BreachFilter) { breaches(filter: $f, first: 100) { totalCount edges { node { subjectType kind code incidentId } } } }';
const SUBSCRIBE = 'mutation($i: CreateWebhookSubscriptionInput!) { createWebhookSubscription(input: $i) { secret } }';

type Action = {
  code: string;
  status: string;
  done: boolean;
  dueAt: string | null;
  doneAt: string | null;
  late: boolean | null;
  reason: string | null;
  evidence: any;
};
const action = (inc: { actions: Action[] }, code: string) => inc.actions.find((a) => a.code === code)!;
const codes = (inc: { actions: Action[] }, status = 'OPEN') => inc.actions.filter((a) => a.status === status).map((a) => a.code);

/**
 * Incidents that evolve, one scenario per situation of the policy: facts amended while the
 * emergency unfolds, actions done in time, settled by the work that fulfils them, waived, and
 * the closing guard.
 */
describe('incidents that evolve', () => {
  let h: Harness;
  let k: ReturnType<typeof refundKit>;
  let receiver: WebhookReceiver | null = null;
  beforeEach(async () => {
    h = await startHarness({ env: { WEBHOOK_ALLOWED_HOSTS: '127.0.0.1' } }); // the webhook receiver runs on this machine
    k = refundKit(h);
  });
  afterEach(async () => {
    await receiver?.close();
    receiver = null;
    await h.close();
  });

  const get = async (id: string) => (await h.gql(h.keys.ADMIN, GET, { id })).data.incident;
  async function ok(key: string, query: string, variables: Record<string, unknown>) {
    const res = await h.gql(key, query, variables);
    if (res.errors) throw new Error(JSON.stringify(res.errors));
    return Object.values(res.data as Record<string, any>)[0];
  }
  const refusal = async (key: string, query: string, variables: Record<string, unknown>) => (await h.gql(key, query, variables)).errors?.[0]?.extensions;

  /** incident.amended events the receiver got, after the worker ran. */
  async function amendedEvents(): Promise<any[]> {
    // Events of one incident go out one at a time, in order.
    for (let i = 0; i < 4; i++) await h.app.services.webhooks.runOnce();
    return receiver!.processed.filter((p) => p.type === 'incident.amended').map((p) => p.data);
  }
  async function listen() {
    receiver = await WebhookReceiver.start();
    await ok(h.keys.ADMIN, SUBSCRIBE, { i: { url: receiver.url, eventTypes: ['incident.amended'] } });
  }

  it('the hotline outage passes 30 minutes: informing the customers is due 10 minutes after the amendment; a retry changes nothing and tells nobody twice', async () => {
    await listen();
    const id = await k.incident({ category: 'SYSTEM_FAILURE', subtype: 'HOTLINE', outageMinutes: 20 });
    const before = await get(id);
    expect(before.actions.map((a: Action) => a.code)).not.toContain('INFORM_CUSTOMERS_OF_DELAY');
    expect(before.decisions).toHaveLength(1);
    expect(before.decisions[0].decidedAt).toBe(local('2026-11-23T10:00'));

    h.clock.set(new Date(local('2026-11-23T10:15')));
    const input = { id, expectedVersion: before.version, outageMinutes: 35, note: '热线仍未恢复,已中断35分钟' };
    const amended = await ok(h.keys.AGENT, AMEND, { i: input });
    expect(amended).toMatchObject({ version: before.version + 1, severity: 'SERIOUS', outageMinutes: 35, amendedAt: local('2026-11-23T10:15') });
    expect(action(amended, 'INFORM_CUSTOMERS_OF_DELAY')).toMatchObject({ status: 'OPEN', dueAt: local('2026-11-23T10:25'), late: null });
    // What was required already keeps its due time.
    expect(action(amended, 'ROOT_CAUSE_ANALYSIS').dueAt).toBe(action(before, 'ROOT_CAUSE_ANALYSIS').dueAt);
    expect(amended.decisions.map((d: any) => d.decidedAt)).toEqual([local('2026-11-23T10:00'), local('2026-11-23T10:15')]);
    expect(amended.decisions[0].facts).toMatchObject({ outageMinutes: 20 });
    expect(amended.decisions[1].facts).toMatchObject({ outageMinutes: 35 });
    expect(amended.decisions[1].firedRules.map((r: any) => r.name)).toContain('outage-over-30-minutes-inform-customers');
    expect(amended.decision.decidedAt).toBe(local('2026-11-23T10:15'));

    // The answer was lost; the ERP sends the same amendment again.
    h.clock.advance(MINUTE);
    const again = await ok(h.keys.AGENT, AMEND, { i: input });
    expect(again.version).toBe(amended.version);
    expect(again.decisions).toHaveLength(2);
    const history = (await get(id)).history.filter((e: any) => e.kind === 'AMENDED');
    expect(history).toEqual([expect.objectContaining({ note: '热线仍未恢复,已中断35分钟', actor: 'test-agent' })]);
    expect(history[0].detail).toMatchObject({ changed: { outageMinutes: [20, 35] }, added: ['INFORM_CUSTOMERS_OF_DELAY'], withdrawn: [] });
    const events = await amendedEvents();
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      incidentId: id,
      fromSeverity: 'SERIOUS',
      toSeverity: 'SERIOUS',
      actionsWithdrawn: [],
      actionsAdded: [{ code: 'INFORM_CUSTOMERS_OF_DELAY', dueAt: local('2026-11-23T10:25') }],
      note: '热线仍未恢复,已中断35分钟',
    });
  });

  it('a loss counted again, 3000 → 8000 yuan: police now, the clocks of an urgent incident with the pause kept; corrected back, open ones withdrawn and done ones kept', async () => {
    await listen();
    const id = await k.incident({
      category: 'PROPERTY_LOSS',
      subtype: 'STOLEN',
      propertyOwner: 'COMPANY',
      amount: '3000.00',
      occurredAt: local('2026-11-23T09:30'),
    });
    const reported = await get(id);
    expect(reported).toMatchObject({ severity: 'SERIOUS', policeReportRequired: false, acknowledgeBy: local('2026-11-23T11:00') });
    // The CCTV is kept 30 days from when it happened, not from the report.
    expect(reported.actions.find((a: any) => a.code === 'PRESERVE_CCTV').retainUntil).toBe(local('2026-12-23T09:30'));
    // Four minutes waiting on the customer.
    h.clock.set(new Date(local('2026-11-23T10:02')));
    await ok(h.keys.AGENT, PAUSE, { id });
    h.clock.set(new Date(local('2026-11-23T10:06')));
    await ok(h.keys.AGENT, RESUME, { id });

    h.clock.set(new Date(local('2026-11-23T10:08')));
    const resumed = await get(id);
    expect(action(resumed, 'PRESERVE_CCTV').dueAt).toBe(local('2026-11-23T11:04')); // 1 hour, moved by the pause
    const up = await ok(h.keys.CS_LEAD, AMEND, { i: { id, expectedVersion: resumed.version, amount: '8000.00', note: '盘点后损失8000元' } });
    expect(up).toMatchObject({ severity: 'URGENT', policeReportRequired: true, amount: '8000.00' });
    expect(up.notifyDepartments).toEqual(expect.arrayContaining(['SECURITY', 'DEPARTMENT_MANAGER']));
    // Counted from the report for the new severity (15 minutes, 24 hours), moved by the 4 minutes paused.
    expect(up.acknowledgeBy).toBe(local('2026-11-23T10:19'));
    expect(up.resolveBy).toBe(local('2026-11-24T10:04'));
    expect(action(up, 'POLICE_REPORT')).toMatchObject({ status: 'OPEN', dueAt: local('2026-11-23T10:13') });
    expect(action(up, 'PROTECT_SCENE_AND_PHOTOGRAPH').dueAt).toBe(local('2026-11-23T10:13'));
    expect(action(up, 'PRESERVE_CCTV').dueAt).toBe(local('2026-11-23T11:04')); // still required: keeps its due time

    // The police came at 10:10; the loss is then found to be 3000 after all.
    h.clock.set(new Date(local('2026-11-23T10:12')));
    await ok(h.keys.AGENT, COMPLETE, { id, code: 'POLICE_REPORT', doneAt: local('2026-11-23T10:10'), ev: { receiptNo: '沪公(2026)110-0042' } });
    h.clock.set(new Date(local('2026-11-23T10:20')));
    const down = await ok(h.keys.AGENT, AMEND, { i: { id, amount: '3000.00', note: '复核:重复计数,实际损失3000元' } });
    expect(down).toMatchObject({ severity: 'SERIOUS', policeReportRequired: false });
    expect(action(down, 'POLICE_REPORT')).toMatchObject({ status: 'DONE', late: false, doneAt: local('2026-11-23T10:10') });
    expect(action(down, 'PROTECT_SCENE_AND_PHOTOGRAPH')).toMatchObject({ status: 'WITHDRAWN', done: false, reason: expect.stringContaining('重复计数') });
    expect(down.decisions.map((d: any) => d.severity)).toEqual(['SERIOUS', 'URGENT', 'SERIOUS']);
    const events = await amendedEvents();
    expect(events.map((e) => [e.fromSeverity, e.toSeverity])).toEqual([
      ['SERIOUS', 'URGENT'],
      ['URGENT', 'SERIOUS'],
    ]);
    expect(events[0].newlyNotified).toContain('SECURITY');
    expect(events[1].actionsWithdrawn).toEqual(['PROTECT_SCENE_AND_PHOTOGRAPH']);

    // Withdrawn, it no longer breaches: the scheduler an hour later finds nothing of it.
    h.clock.set(new Date(local('2026-11-23T11:30')));
    await h.app.services.escalation.tick();
    const breaches = (await ok(h.keys.ADMIN, BREACHES, { f: { incidentId: id, subjectType: ['ACTION'] } })).edges.map((e: any) => e.node.code);
    expect(breaches).not.toContain('PROTECT_SCENE_AND_PHOTOGRAPH');
    expect(breaches).not.toContain('POLICE_REPORT');
  });

  it('two amendments at once: one wins, the other is CONFLICT on its expectedVersion; nothing is lost', async () => {
    const id = await k.incident({ category: 'AGITATED_CUSTOMER' });
    const v = (await get(id)).version;
    const results = await Promise.all([
      h.gql(h.keys.AGENT, AMEND, { i: { id, expectedVersion: v, escalating: true, note: '顾客情绪更加激动' } }),
      h.gql(h.keys.CS_LEAD, AMEND, { i: { id, expectedVersion: v, mediaAttention: true, note: '顾客开始直播' } }),
    ]);
    const won = results.filter((r) => !r.errors);
    const lost = results.filter((r) => r.errors);
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    expect(lost[0].errors![0].extensions).toMatchObject({ code: 'CONFLICT', field: 'input.expectedVersion', currentVersion: v + 1 });
    const after = await get(id);
    expect(after.version).toBe(v + 1);
    expect(after.decisions).toHaveLength(2);
    // The loser reads again and amends on top: both facts stand.
    const both = await ok(h.keys.CS_LEAD, AMEND, { i: { id, expectedVersion: after.version, escalating: true, mediaAttention: true, note: '两者皆有' } });
    expect(both.severity).toBe('URGENT');
    expect(both.decisions[2].facts).toMatchObject({ escalating: true, mediaAttention: true });
  });

  it('who may amend, and what is refused', async () => {
    const id = await k.incident({ category: 'SYSTEM_FAILURE', subtype: 'NETWORK', outageMinutes: 5 }, h.keys.ERP);
    expect(await refusal(h.keys.CRM, AMEND, { i: { id, outageMinutes: 40, note: 'x' } })).toMatchObject({ code: 'NOT_FOUND' });
    expect(await refusal(h.keys.ANALYST, AMEND, { i: { id, outageMinutes: 40, note: 'x' } })).toMatchObject({ code: 'FORBIDDEN' });
    expect(await refusal(h.keys.AGENT, AMEND, { i: { id, outageMinutes: 40, note: '  ' } })).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.note' });
    expect(await refusal(h.keys.AGENT, AMEND, { i: { id, subtype: 'FIRE', note: 'x' } })).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.subtype' });
    expect(await refusal(h.keys.AGENT, AMEND, { i: { id, outageMinutes: -1, note: 'x' } })).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'input.outageMinutes',
    });
    expect(await refusal(h.keys.AGENT, AMEND, { i: { id, amount: 12.5, note: 'x' } })).toMatchObject({ code: 'BAD_USER_INPUT' });
    expect(await refusal(h.keys.AGENT, AMEND, { i: { id, outageMinutes: 40, expectedVersion: 7, note: 'x' } })).toMatchObject({
      code: 'CONFLICT',
      field: 'input.expectedVersion',
    });
    expect((await get(id)).version).toBe(1);
    // The ERP that reported it may amend it.
    const amended = await ok(h.keys.ERP, AMEND, { i: { id, outageMinutes: 40, note: '网络仍未恢复' } });
    expect(codes(amended)).toContain('INFORM_CUSTOMERS_OF_DELAY');
    await waiveOpenActions(h, id, { all: true });
    await ok(h.keys.AGENT, STATUS, { id, s: 'CLOSED' });
    expect(await refusal(h.keys.AGENT, AMEND, { i: { id, outageMinutes: 90, note: 'x' } })).toMatchObject({ code: 'CONFLICT' });
  });

  it('an amount is not amended below what the incident’s live refunds come to; a cancelled refund does not count', async () => {
    const id = await k.incident({ category: 'OVERCHARGE', amount: '500.00' });
    const first = await k.requested(id, '200.00');
    await k.requested(id, '100.50');
    const below = await h.gql(h.keys.AGENT, AMEND, { i: { id, amount: '300.49', note: '复核金额' } });
    expect(below.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.amount' });
    expect(below.errors![0].message).toContain('300.50');
    expect((await ok(h.keys.AGENT, AMEND, { i: { id, amount: '300.50', note: '复核金额' } })).amount).toBe('300.50');
    await h.gql(h.keys.AGENT, `mutation($id: ID!) { cancelRefund(refundId: $id, reason: "重复申请") { id } }`, { id: first.id });
    expect((await ok(h.keys.AGENT, AMEND, { i: { id, amount: '100.50', note: '退款已撤销' } })).amount).toBe('100.50');
  });

  it('a fire: the 119 call recorded after the fact, done in time, never breaches; a doneAt in the future or long before is refused', async () => {
    const id = await k.incident({ category: 'ONSITE_EMERGENCY', subtype: 'FIRE' });
    const reported = await get(id);
    expect(action(reported, 'CALL_FIRE_SERVICE').dueAt).toBe(local('2026-11-23T10:05'));
    h.clock.set(new Date(local('2026-11-23T10:02')));
    await ok(h.keys.AGENT, STATUS, { id, s: 'ACKNOWLEDGED' });
    h.clock.set(new Date(local('2026-11-23T10:04')));
    expect(await refusal(h.keys.AGENT, COMPLETE, { id, code: 'CALL_FIRE_SERVICE', doneAt: local('2026-11-23T10:05') })).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'doneAt',
    });
    expect(await refusal(h.keys.AGENT, COMPLETE, { id, code: 'CALL_FIRE_SERVICE', doneAt: local('2026-11-23T09:54') })).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'doneAt',
    });
    const called = await ok(h.keys.AGENT, COMPLETE, { id, code: 'CALL_FIRE_SERVICE', doneAt: local('2026-11-23T09:58') });
    expect(action(called, 'CALL_FIRE_SERVICE')).toMatchObject({ status: 'DONE', done: true, doneAt: local('2026-11-23T09:58'), late: false });
    // Recording it twice (a retry) changes nothing.
    expect((await ok(h.keys.AGENT, COMPLETE, { id, code: 'CALL_FIRE_SERVICE' })).version).toBe(called.version);
    const evacuated = await ok(h.keys.AGENT, COMPLETE, { id, code: 'EVACUATE' });
    expect(action(evacuated, 'EVACUATE')).toMatchObject({ late: false, doneAt: local('2026-11-23T10:04') });
    for (const at of ['10:06', '10:30', '12:00']) {
      h.clock.set(new Date(local(`2026-11-23T${at}`)));
      await h.app.services.escalation.tick();
    }
    const breaches = await ok(h.keys.ADMIN, BREACHES, { f: { incidentId: id, subjectType: ['ACTION'] } });
    expect(breaches.totalCount).toBe(0);
  });

  it('a refund paid settles the REFUND action with its number; a refund requested settles REFUND_REQUEST', async () => {
    const over = await k.incident({ category: 'OVERCHARGE', amount: '300.00' });
    const refund = await k.requested(over, '300.00');
    for (const [key, step] of [
      [h.keys.CASHIER, 'CASHIER_CHECK'],
      [h.keys.ACCOUNTANT, 'ACCOUNTANT_REVIEW'],
      [h.keys.FINANCE_DIRECTOR, 'FINANCE_DIRECTOR_APPROVAL'],
    ]) {
      expect(action(await get(over), 'REFUND').status).toBe('OPEN');
      await k.approved(key, refund.id, step);
    }
    h.clock.advance(30 * MINUTE);
    const v = (await get(over)).version;
    await k.approved(h.keys.CASHIER, refund.id, 'PAYOUT');
    const paid = await get(over);
    expect(paid.version).toBe(v + 1);
    expect(action(paid, 'REFUND')).toMatchObject({
      status: 'DONE',
      late: false,
      evidence: { refundNo: refund.refundNo },
      doneAt: new Date(h.clock.now()).toISOString(),
    });
    expect(paid.history.find((e: any) => e.kind === 'ACTION_COMPLETED').detail).toMatchObject({
      code: 'REFUND',
      settledBy: 'REFUND_PAID',
      evidence: { refundNo: refund.refundNo },
    });

    const fault = await k.incident({ category: 'PAYMENT_FAULT', subtype: 'NO_ORDER_ISSUED', amount: '88.80' });
    expect(action(await get(fault), 'REFUND_REQUEST')).toMatchObject({ status: 'OPEN', dueAt: new Date(h.clock.now().getTime() + 10 * MINUTE).toISOString() });
    h.clock.advance(6 * MINUTE);
    const requested = await k.requested(fault, '88.80');
    const after = await get(fault);
    expect(action(after, 'REFUND_REQUEST')).toMatchObject({ status: 'DONE', late: false, evidence: { refundNo: requested.refundNo } });
    expect(action(after, 'REFUND').status).toBe('OPEN');
  });

  it('the satisfaction survey: due 2 working days after RESOLVED, done by recordSatisfaction; CLOSED waits for it', async () => {
    const id = await k.incident({ category: 'SERVICE', subtype: 'SLOW_RESPONSE' });
    expect(action(await get(id), 'SATISFACTION_SURVEY')).toMatchObject({ status: 'OPEN', dueAt: null, late: null });
    await ok(h.keys.AGENT, COMPLETE, { id, code: 'APOLOGIZE' });
    h.clock.set(new Date(local('2026-11-27T16:00'))); // a Friday afternoon
    const resolved = await ok(h.keys.AGENT, STATUS, { id, s: 'RESOLVED' });
    expect(action(resolved, 'SATISFACTION_SURVEY').dueAt).toBe(local('2026-12-01T16:00'));
    expect(await refusal(h.keys.AGENT, STATUS, { id, s: 'CLOSED' })).toMatchObject({ code: 'ACTIONS_OUTSTANDING', outstanding: ['SATISFACTION_SURVEY'] });
    // Reopened, the survey waits for the next resolution again.
    const reopened = await ok(h.keys.AGENT, STATUS, { id, s: 'OPEN' });
    expect(action(reopened, 'SATISFACTION_SURVEY').dueAt).toBeNull();
    h.clock.set(new Date(local('2026-11-30T11:00')));
    await ok(h.keys.AGENT, STATUS, { id, s: 'RESOLVED' });
    h.clock.set(new Date(local('2026-12-01T10:00')));
    const surveyed = await ok(h.keys.AGENT, SATISFACTION, { id });
    expect(action(surveyed, 'SATISFACTION_SURVEY')).toMatchObject({ status: 'DONE', late: false, dueAt: local('2026-12-02T11:00'), evidence: { score: '5' } });
    expect((await ok(h.keys.AGENT, STATUS, { id, s: 'CLOSED' })).status).toBe('CLOSED');
  });

  it('closing is refused while actions are open, and allowed once the rest is waived with a reason', async () => {
    const id = await k.incident({ category: 'PERSONAL_SAFETY', subtype: 'ASSAULT', injured: true });
    const open = codes(await get(id));
    expect(open).toEqual(expect.arrayContaining(['POLICE_REPORT', 'PRESERVE_CCTV', 'MEDICAL_AID', 'SECURE_VALUABLES']));
    const refused = await refusal(h.keys.AGENT, STATUS, { id, s: 'RESOLVED' });
    expect(refused).toMatchObject({ code: 'ACTIONS_OUTSTANDING' });
    expect([...refused!.outstanding].sort()).toEqual([...open].sort());
    expect(await refusal(h.keys.AGENT, STATUS, { id, s: 'CLOSED' })).toMatchObject({ code: 'ACTIONS_OUTSTANDING' });
    expect((await get(id)).status).toBe('OPEN');

    expect(await refusal(h.keys.AGENT, WAIVE, { id, code: 'CARE_VISIT', reason: '顾客拒绝' })).toMatchObject({ code: 'FORBIDDEN' });
    expect(await refusal(h.keys.CS_LEAD, WAIVE, { id, code: 'CARE_VISIT', reason: ' ' })).toMatchObject({ code: 'BAD_USER_INPUT', field: 'reason' });
    expect(await refusal(h.keys.CS_LEAD, WAIVE, { id, code: 'EVACUATE', reason: 'x' })).toMatchObject({ code: 'BAD_USER_INPUT', field: 'code' });
    h.clock.advance(MINUTE);
    await ok(h.keys.AGENT, COMPLETE, { id, code: 'POLICE_REPORT', ev: { receiptNo: 'A-1' } });
    await ok(h.keys.AGENT, COMPLETE, { id, code: 'MEDICAL_AID' });
    const waived = await ok(h.keys.CS_LEAD, WAIVE, { id, code: 'CARE_VISIT', reason: '顾客拒绝慰问' });
    expect(action(waived, 'CARE_VISIT')).toMatchObject({
      status: 'WAIVED',
      done: false,
      reason: '顾客拒绝慰问',
      late: false,
      doneAt: new Date(h.clock.now()).toISOString(),
    });
    expect(await refusal(h.keys.AGENT, COMPLETE, { id, code: 'CARE_VISIT' })).toMatchObject({ code: 'CONFLICT' });
    const left = await refusal(h.keys.AGENT, STATUS, { id, s: 'CLOSED' });
    expect(left!.outstanding).not.toContain('CARE_VISIT');
    await waiveOpenActions(h, id, { all: true });
    const closed = await ok(h.keys.AGENT, STATUS, { id, s: 'CLOSED' });
    expect(closed.status).toBe('CLOSED');
    expect(codes(closed)).toEqual([]);
  });
});

describe('small truths of the same walk', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness({ env: { METRICS_TOKEN: 'scrape-secret' } });
  });
  afterEach(() => h.close());

  it('PRESERVE_CCTV is kept 30 days from when it happened, and keptUntil is checked by the day in the business time zone', async () => {
    const k = refundKit(h);
    // 01:00 on the 24th in Shanghai is still the 23rd in UTC: the 30 days end on 24 December there.
    const id = await k.incident({
      category: 'PROPERTY_LOSS',
      subtype: 'LOST',
      propertyOwner: 'CUSTOMER',
      amount: '100.00',
      occurredAt: '2026-11-24T01:00:00+08:00',
    });
    const complete = (keptUntil: string) =>
      h.gql(
        h.keys.AGENT,
        'mutation($id: ID!, $ev: JSON) { completeAction(incidentId: $id, code: "PRESERVE_CCTV", evidence: $ev) { actions { code status retainUntil evidence } } }',
        {
          id,
          ev: { storageLocation: '监控室 NVR-1', keptUntil },
        },
      );
    const early = await complete('2026-12-23');
    expect(early.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'evidence.keptUntil', minimum: '2026-12-24' });
    const kept = await complete('2026-12-24');
    expect(kept.errors).toBeUndefined();
    expect(kept.data.completeAction.actions.find((a: any) => a.code === 'PRESERVE_CCTV')).toMatchObject({
      status: 'DONE',
      retainUntil: '2026-12-23T17:00:00.000Z',
    });
  });

  it('a deadline counted past the last date the holidays are known for says so; /metrics tells how far they go', async () => {
    h.clock.set(new Date('2026-12-28T10:00:00+08:00'));
    const res = await h.gql(
      h.keys.AGENT,
      `mutation($i: ReportIncidentInput!) { reportIncident(input: $i) { incident { decision { beyondCalendar calendarNote } } } }`,
      {
        i: { source: 'erp', externalRef: 'CAL-1', category: 'OVERCHARGE', amount: '20.00' },
      },
    );
    const d = res.data.reportIncident.incident.decision;
    expect([...d.beyondCalendar].sort()).toEqual(['ACCOUNTABILITY_REVIEW', 'ROOT_CAUSE_ANALYSIS']);
    expect(d.calendarNote).toContain('2026-12-31');
    const scrape = (await request(h.app.server).get('/metrics').set('authorization', 'Bearer scrape-secret')).text;
    expect(scrape).toMatch(/^triage_calendar_holidays_days_left 3$/m);
    expect(scrape).toContain(`triage_calendar_holidays_known_until_timestamp_seconds ${new Date('2027-01-01T00:00:00+08:00').getTime() / 1000}`);
  });
});
