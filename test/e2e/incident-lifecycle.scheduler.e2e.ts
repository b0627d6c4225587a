import { Harness, startHarness } from './support/harness';
import { refundKit } from './support/refunds';

const local = (s: string) => new Date(`${s}+08:00`);
const MINUTE = 60_000;
const STATUS = 'mutation($id: ID!, $s: IncidentStatus!) { setIncidentStatus(id: $id, status: $s) { status } }';
const COMPLETE =
  'mutation($id: ID!, $code: String!, $doneAt: DateTime, $ev: JSON) { completeAction(incidentId: $id, code: $code, doneAt: $doneAt, evidence: $ev) { version } }';
const WAIVE = 'mutation($id: ID!, $code: String!) { waiveAction(incidentId: $id, code: $code, reason: "由分管领导决定不需要") { version } }';
const AMEND = 'mutation($i: AmendIncidentInput!) { amendIncident(input: $i) { version } }';
const SURVEY = 'mutation($id: ID!) { recordSatisfaction(incidentId: $id, score: 4) { version } }';
const BREACHES = 'query { breaches(first: 100) { totalCount edges { node { subjectType kind code incidentId dueAt } } } }';
const INCIDENT = 'query($id: ID!) { incident(id: $id) { status actions { code status late dueAt } } }';

/**
 * Alarm fatigue is how emergency systems get ignored: across a whole simulated day with the
 * scheduler passing every 10 minutes, incidents whose every action is settled in time — done by
 * hand (some recorded after the fact), settled by a refund, waived, withdrawn by an amendment —
 * and which are acknowledged and resolved in time, give not one breach, warning or no.
 */
describe('the scheduler over a day of incidents handled in time', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness({ now: local('2026-11-23T09:00') });
  });
  afterEach(() => h.close());

  it('records zero breaches', async () => {
    const k = refundKit(h);
    const ok = async (key: string, query: string, variables: Record<string, unknown>) => {
      const res = await h.gql(key, query, variables);
      if (res.errors) throw new Error(`${query.slice(0, 40)}: ${JSON.stringify(res.errors)}`);
      return res.data;
    };
    /** Work due at a local time, in order, with scheduler passes every 10 minutes in between. */
    const plan: Array<[string, () => Promise<unknown>]> = [];
    const at = (time: string, work: () => Promise<unknown>) => plan.push([time, work]);
    const ids: Record<string, string> = {};

    // 09:00 a fire: 119 called at once (recorded at 09:03, done at 09:01), evacuated, acknowledged in 5 minutes.
    at('09:00', async () => {
      ids.fire = await k.incident({ category: 'ONSITE_EMERGENCY', subtype: 'FIRE' });
    });
    at('09:03', () => ok(h.keys.AGENT, COMPLETE, { id: ids.fire, code: 'CALL_FIRE_SERVICE', doneAt: local('2026-11-23T09:01') }));
    at('09:04', async () => {
      await ok(h.keys.AGENT, STATUS, { id: ids.fire, s: 'ACKNOWLEDGED' });
      await ok(h.keys.AGENT, COMPLETE, { id: ids.fire, code: 'EVACUATE' });
    });
    // 09:30 a payment fault: the refund request within 10 minutes settles REFUND_REQUEST, the payout REFUND.
    let refund: { id: string };
    at('09:30', async () => {
      ids.fault = await k.incident({ category: 'PAYMENT_FAULT', subtype: 'NO_ORDER_ISSUED', amount: '88.80' });
    });
    at('09:36', async () => {
      refund = await k.requested(ids.fault, '88.80');
    });
    at('09:40', async () => {
      await ok(h.keys.AGENT, STATUS, { id: ids.fault, s: 'ACKNOWLEDGED' });
      await k.approved(h.keys.CS_LEAD, refund.id, 'CS_REVIEW');
    });
    at('10:10', () => k.approved(h.keys.TECH, refund.id, 'TECH_VERIFY'));
    at('11:00', () => k.approved(h.keys.CASHIER, refund.id, 'CASHIER_CHECK'));
    at('12:00', () => k.approved(h.keys.ACCOUNTANT, refund.id, 'ACCOUNTANT_REVIEW'));
    at('13:00', () => k.approved(h.keys.FINANCE_DIRECTOR, refund.id, 'FINANCE_DIRECTOR_APPROVAL'));
    at('14:00', () => k.approved(h.keys.CASHIER, refund.id, 'PAYOUT'));
    at('14:30', () => k.approved(h.keys.AGENT, refund.id, 'CUSTOMER_NOTIFIED'));
    // 10:00 the hotline is down for 20 minutes; at 10:20 for 35: customers informed by 10:30.
    at('10:00', async () => {
      ids.hotline = await k.incident({ category: 'SYSTEM_FAILURE', subtype: 'HOTLINE', outageMinutes: 20 });
    });
    at('10:20', () => ok(h.keys.AGENT, AMEND, { i: { id: ids.hotline, outageMinutes: 35, note: '热线中断已35分钟' } }));
    at('10:25', async () => {
      await ok(h.keys.AGENT, STATUS, { id: ids.hotline, s: 'ACKNOWLEDGED' });
      await ok(h.keys.AGENT, COMPLETE, { id: ids.hotline, code: 'INFORM_CUSTOMERS_OF_DELAY' });
    });
    // 10:40 a loss of 8000: police and the scene at once, CCTV within the hour; then recounted
    // as 3000, which withdraws protecting the scene (not done yet) but keeps the police report.
    at('10:40', async () => {
      ids.loss = await k.incident({ category: 'PROPERTY_LOSS', subtype: 'STOLEN', propertyOwner: 'COMPANY', amount: '8000.00' });
    });
    at('10:43', async () => {
      await ok(h.keys.AGENT, COMPLETE, { id: ids.loss, code: 'POLICE_REPORT', ev: { receiptNo: '沪公110-7' } });
      await ok(h.keys.AGENT, STATUS, { id: ids.loss, s: 'ACKNOWLEDGED' });
      await ok(h.keys.AGENT, AMEND, { i: { id: ids.loss, amount: '3000.00', note: '复核后损失3000元' } });
    });
    at('11:20', () => ok(h.keys.AGENT, COMPLETE, { id: ids.loss, code: 'PRESERVE_CCTV', ev: { storageLocation: '监控室', keptUntil: '2026-12-31' } }));
    // 15:00 an overcharge: apology within the hour, the rest waived or settled, resolved, surveyed.
    at('15:00', async () => {
      ids.over = await k.incident({ category: 'OVERCHARGE', amount: '20.00' });
    });
    at('15:20', async () => {
      await ok(h.keys.AGENT, STATUS, { id: ids.over, s: 'ACKNOWLEDGED' });
      await ok(h.keys.AGENT, COMPLETE, { id: ids.over, code: 'APOLOGIZE' });
      for (const code of ['REFUND', 'ACCOUNTABILITY_REVIEW', 'ROOT_CAUSE_ANALYSIS']) await ok(h.keys.CS_LEAD, WAIVE, { id: ids.over, code });
      await ok(h.keys.AGENT, STATUS, { id: ids.over, s: 'RESOLVED' });
    });
    at('16:00', () => ok(h.keys.AGENT, SURVEY, { id: ids.over }));
    // The rest, within their deadlines: done or waived, then resolved.
    at('12:30', async () => {
      for (const id of [ids.fire, ids.hotline, ids.loss]) {
        const inc = (await ok(h.keys.ADMIN, INCIDENT, { id })).incident;
        for (const a of inc.actions.filter((x: any) => x.status === 'OPEN' && x.code !== 'SATISFACTION_SURVEY'))
          await ok(h.keys.CS_LEAD, WAIVE, { id, code: a.code });
        await ok(h.keys.AGENT, STATUS, { id, s: 'RESOLVED' });
      }
    });
    at('16:30', async () => {
      await ok(h.keys.CS_LEAD, WAIVE, { id: ids.fault, code: 'SATISFACTION_SURVEY' });
      await ok(h.keys.AGENT, STATUS, { id: ids.fault, s: 'CLOSED' });
    });

    plan.sort((a, b) => a[0].localeCompare(b[0]));
    const end = local('2026-11-24T09:00').getTime();
    let next = 0;
    let ticks = 0;
    for (let t = local('2026-11-23T09:00').getTime(); t <= end; t += 10 * MINUTE) {
      for (; next < plan.length && local(`2026-11-23T${plan[next][0]}`).getTime() < t + 10 * MINUTE; next++) {
        h.clock.set(local(`2026-11-23T${plan[next][0]}`));
        await plan[next][1]();
      }
      h.clock.set(new Date(Math.max(t, h.clock.now().getTime())));
      await h.app.services.escalation.tick();
      ticks++;
    }
    expect(next).toBe(plan.length);
    expect(ticks).toBeGreaterThanOrEqual(144);
    const breaches = (await ok(h.keys.ADMIN, BREACHES, {})).breaches;
    expect(breaches.edges.map((e: any) => e.node)).toEqual([]);
    expect(breaches.totalCount).toBe(0);
    // Every action settled, none late.
    for (const id of Object.values(ids)) {
      const inc = (await ok(h.keys.ADMIN, INCIDENT, { id })).incident;
      expect(inc.actions.filter((a: any) => a.status === 'OPEN' && a.code !== 'SATISFACTION_SURVEY')).toEqual([]);
      expect(inc.actions.filter((a: any) => a.late === true)).toEqual([]);
    }
  });
});
