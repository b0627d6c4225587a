import pino from 'pino';
import { createApp, App } from '../../src/app';
import type { Clock } from '../../src/common/clock';
import { verify } from '../../src/webhooks/webhook-signature';
import { Harness, onDatabaseServer, startHarness } from './support/harness';
import { refundKit } from './support/refunds';
import { WebhookReceiver } from './support/webhook-receiver';

/** Shanghai local time (UTC+8) → Date. The harness starts on Monday 2026-11-23 10:00 there. */
const local = (s: string) => new Date(`${s}+08:00`);

const HISTORY = `query($id: ID!) { incident(id: $id) {
  version acknowledgeBy escalationLevel escalatedTo
  actions { code dueAt done evidence }
  clock { paused pausedAt pausedBy reason pauses pausedSeconds pausedWorkingSeconds }
  breaches { id subjectType subjectId kind code refundId dueAt detectedAt escalationLevel escalatedTo nextEscalationAt settledAt }
  history { kind actor note detail }
} }`;
const STATUS = 'mutation($id: ID!, $s: IncidentStatus!) { setIncidentStatus(id: $id, status: $s) { status version } }';
const COMPLETE =
  'mutation($id: ID!, $code: String!, $ev: JSON) { completeAction(incidentId: $id, code: $code, evidence: $ev) { version actions { code done evidence } } }';
const PAUSE = 'mutation($id: ID!, $r: String!) { pauseIncidentClock(id: $id, reason: $r) { version acknowledgeBy clock { paused reason pausedBy } } }';
const RESUME =
  'mutation($id: ID!) { resumeIncidentClock(id: $id) { version acknowledgeBy actions { code dueAt } clock { paused pauses pausedSeconds pausedWorkingSeconds } } }';
const BREACHES = `query($f: BreachFilter) { breaches(filter: $f, first: 100) { totalCount edges { node { id incidentId subjectType kind code escalationLevel escalatedTo settledAt } } } }`;

/** Deadlines that act: breaches recorded once, the ladder climbed once per rung, pauses, evidence. */
describe('escalation', () => {
  let h: Harness;
  let k: ReturnType<typeof refundKit>;
  const others: App[] = [];
  beforeEach(async () => {
    h = await startHarness({ env: { WEBHOOK_ALLOWED_HOSTS: '127.0.0.1' } }); // the webhook receiver runs on this machine
    k = refundKit(h);
  });
  afterEach(async () => {
    for (const a of others.splice(0)) await a.close();
    await h.close();
  });

  /** Errors the second instance logged (a failed mark, a deadlock…): none expected. */
  const errors: string[] = [];
  /** Another service instance on the same database and clock. */
  async function secondInstance(): Promise<App> {
    errors.length = 0;
    const log = pino({ level: 'error' }, { write: (line: string) => void errors.push(line) });
    const app = await createApp(h.app.services.config, { clock: h.clock as Clock, migrate: true, log });
    others.push(app);
    return app;
  }

  /** A scheduler pass on every instance: at the same time on MySQL, one after the other on SQLite. Returns the sums. */
  async function tickAll(apps: App[]): Promise<{ breaches: number; escalations: number }> {
    const results = onDatabaseServer ? await Promise.all(apps.map((a) => a.services.escalation.tick())) : [];
    if (!onDatabaseServer) for (const a of apps) results.push(await a.services.escalation.tick());
    return { breaches: results.reduce((n, r) => n + r.breaches, 0), escalations: results.reduce((n, r) => n + r.escalations, 0) };
  }

  const incident = async (id: string) => (await h.gql(h.keys.ADMIN, HISTORY, { id })).data.incident;

  it('Done when: a refund step left past due escalates to DEPARTMENT_MANAGER once with two instances, and the receiver gets incident.escalated, signed, after refusing twice', async () => {
    const second = await secondInstance();
    const receiver = await WebhookReceiver.start(['fail', 'fail']);
    try {
      const sub = await h.gql(
        h.keys.ADMIN,
        'mutation($i: CreateWebhookSubscriptionInput!) { createWebhookSubscription(input: $i) { secret subscription { id } } }',
        {
          i: { url: receiver.url, eventTypes: ['incident.escalated'] },
        },
      );
      const secret: string = sub.data.createWebhookSubscription.secret;
      expect(secret).toMatch(/^whsec_/);

      // An overcharge, acknowledged and apologised for in time: only its refund will be late.
      // Reported at 01:00, its refund reaches the cashier then: finance's 12 hours end at 13:00.
      h.clock.set(local('2026-11-23T01:00'));
      const id = await k.incident({ category: 'OVERCHARGE', amount: '300.00' });
      expect((await h.gql(h.keys.AGENT, STATUS, { id, s: 'ACKNOWLEDGED' })).errors).toBeUndefined();
      expect((await h.gql(h.keys.AGENT, COMPLETE, { id, code: 'APOLOGIZE' })).errors).toBeUndefined();
      const refund = await k.requested(id, '100.00');
      expect(refund.steps[0]).toMatchObject({ step: 'CASHIER_CHECK', dueAt: local('2026-11-23T13:00').toISOString() });

      h.clock.set(local('2026-11-23T12:59'));
      await tickAll([h.app, second]);
      expect((await incident(id)).breaches).toEqual([]);

      h.clock.set(local('2026-11-23T13:01'));
      expect(await tickAll([h.app, second])).toEqual({ breaches: 1, escalations: 1 }); // one instance did each, the other found it done
      await tickAll([h.app, second]); // and again: nothing more
      const after = await incident(id);
      expect(after.breaches).toHaveLength(1);
      expect(after.breaches[0]).toMatchObject({
        subjectType: 'REFUND_STEP',
        kind: 'DUE',
        code: 'CASHIER_CHECK',
        refundId: refund.id,
        escalationLevel: 1,
        escalatedTo: 'DEPARTMENT_MANAGER',
        dueAt: local('2026-11-23T13:00').toISOString(),
        nextEscalationAt: local('2026-11-23T17:01').toISOString(),
        settledAt: null,
      });
      expect(after).toMatchObject({ escalationLevel: 1, escalatedTo: 'DEPARTMENT_MANAGER' });
      const escalated = after.history.filter((e: any) => e.kind === 'ESCALATED');
      expect(escalated).toHaveLength(1);
      expect(escalated[0]).toMatchObject({
        actor: 'system:escalation',
        detail: { level: 1, escalatedTo: 'DEPARTMENT_MANAGER', escalatedToLabel: '部门经理', subject: { type: 'REFUND_STEP', code: 'CASHIER_CHECK' } },
      });
      expect(after.history.filter((e: any) => e.kind === 'SLA_BREACHED')).toHaveLength(1);
      const steps = (await h.gql(h.keys.ADMIN, 'query($id: ID!) { refund(id: $id) { steps { step breached } } }', { id: refund.id })).data.refund.steps;
      expect(steps.map((s: any) => s.breached)).toEqual([true, false, false, false, false]);

      // The receiver refuses twice (500); the third attempt, from either instance, is accepted.
      expect(await h.app.services.webhooks.runOnce()).toMatchObject({ delivered: 0, failed: 1 }); // only incident.escalated is subscribed
      h.clock.advance(60_000);
      expect(await second.services.webhooks.runOnce()).toMatchObject({ failed: 1 });
      h.clock.advance(60_000);
      expect(await h.app.services.webhooks.runOnce()).toMatchObject({ delivered: 1 });
      expect(receiver.requests.map((r) => r.behaviour)).toEqual(['fail', 'fail', 'ok']);
      expect(new Set(receiver.requests.map((r) => r.id)).size).toBe(1);
      expect(receiver.requests.every((r) => verify(secret, r.id, r.timestamp, r.body, r.signature))).toBe(true);
      expect(receiver.processed).toHaveLength(1);
      expect(receiver.processed[0]).toMatchObject({
        type: 'incident.escalated',
        data: { incidentId: id, level: 1, escalatedTo: 'DEPARTMENT_MANAGER', subject: { type: 'REFUND_STEP', code: 'CASHIER_CHECK', refundId: refund.id } },
      });
      const deliveries = await h.gql(h.keys.ADMIN, '{ webhookDeliveries { totalCount edges { node { status attempts lastStatusCode eventType } } } }');
      expect(deliveries.data.webhookDeliveries.edges.map((e: any) => e.node)).toEqual([
        { status: 'DELIVERED', attempts: 3, lastStatusCode: 204, eventType: 'incident.escalated' },
      ]);

      // Up the ladder: 分管领导 four hours later, 总经理 a day after that, each once, then no further.
      const climbs: string[] = [];
      for (const at of ['2026-11-23T17:00', '2026-11-23T17:02', '2026-11-24T17:01', '2026-11-24T17:03', '2026-11-27T12:00']) {
        h.clock.set(local(at));
        await tickAll([h.app, second]);
        const b = (await incident(id)).breaches.find((x: any) => x.subjectType === 'REFUND_STEP');
        climbs.push(`${b.escalationLevel}:${b.escalatedTo}`);
      }
      expect(climbs).toEqual(['1:DEPARTMENT_MANAGER', '2:SUPERVISING_LEADER', '2:SUPERVISING_LEADER', '3:GENERAL_MANAGER', '3:GENERAL_MANAGER']);
      const final = await incident(id);
      const stepBreach = final.breaches.find((x: any) => x.subjectType === 'REFUND_STEP');
      expect(final.history.filter((e: any) => e.kind === 'ESCALATED' && e.detail.breachId === stepBreach.id).map((e: any) => e.detail.escalatedTo)).toEqual([
        'DEPARTMENT_MANAGER',
        'SUPERVISING_LEADER',
        'GENERAL_MANAGER',
      ]);
      expect(stepBreach.nextEscalationAt).toBeNull();
      expect(final.escalationLevel).toBe(3);
      expect(errors).toEqual([]);
    } finally {
      await receiver.close();
    }
  });

  it('marks many breaches once each with two instances ticking together', async () => {
    const second = await secondInstance();
    const ids: string[] = [];
    h.clock.set(local('2026-11-23T01:00')); // finance's 12 hours end at 13:00
    for (let i = 0; i < 8; i++) {
      const id = await k.incident({ category: 'LOGISTICS', subtype: 'DAMAGED' }); // acknowledge within 15 minutes
      await k.requested(await k.incident({ category: 'OVERCHARGE', amount: '80.00' }), '10.00');
      ids.push(id);
    }
    h.clock.set(local('2026-11-23T13:05')); // every LOGISTICS ack, every CASHIER_CHECK, every overcharge ack and apology
    const sums = [await tickAll([h.app, second, h.app, second]), await tickAll([second, h.app])];
    const { data } = await h.gql(h.keys.ADMIN, BREACHES, { f: {} });
    const breaches = data.breaches.edges.map((e: any) => e.node);
    const keys = breaches.map((b: any) => `${b.incidentId}/${b.subjectType}/${b.kind}/${b.code}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(breaches.filter((b: any) => b.code === 'CASHIER_CHECK')).toHaveLength(8);
    expect(breaches.filter((b: any) => ids.includes(b.incidentId))).toHaveLength(8);
    expect(breaches.every((b: any) => b.escalationLevel === 1)).toBe(true);
    expect(sums.reduce((n, s) => n + s.breaches, 0)).toBe(breaches.length);
    expect(sums.reduce((n, s) => n + s.escalations, 0)).toBe(breaches.length);
    const histories = await Promise.all([...new Set<string>(breaches.map((b: any) => b.incidentId))].map(incident));
    const escalated = histories.flatMap((i: any) => i.history.filter((e: any) => e.kind === 'ESCALATED').map((e: any) => e.detail.breachId));
    expect(escalated.sort()).toEqual(breaches.map((b: any) => b.id).sort()); // each breach escalated once
    expect(errors).toEqual([]);
  });

  it('records each breach once and stops climbing once its subject is done', async () => {
    h.clock.set(local('2026-11-23T01:00')); // finance's 12 hours end at 13:00
    const id = await k.incident({ category: 'OVERCHARGE', amount: '300.00' });
    await h.gql(h.keys.AGENT, STATUS, { id, s: 'ACKNOWLEDGED' });
    await h.gql(h.keys.AGENT, COMPLETE, { id, code: 'APOLOGIZE' });
    const refund = await k.requested(id, '50.00');
    h.clock.set(local('2026-11-23T13:30'));
    expect(await h.app.services.escalation.tick()).toMatchObject({ breaches: 1, escalations: 1 });
    expect(await h.app.services.escalation.tick()).toMatchObject({ breaches: 0, escalations: 0 });
    await k.approved(h.keys.CASHIER, refund.id, 'CASHIER_CHECK');
    h.clock.set(local('2026-11-23T13:31'));
    // The next pass settles CASHIER_CHECK's breach — done, it stops climbing and is no longer
    // open, without waiting for its next rung (17:30) — and ACCOUNTANT_REVIEW (due 13:00 too) breaches in its turn.
    expect(await h.app.services.escalation.tick()).toMatchObject({ breaches: 1, escalations: 1, settled: 1 });
    const b = (await incident(id)).breaches.find((x: any) => x.code === 'CASHIER_CHECK');
    expect(b).toMatchObject({ escalationLevel: 1, settledAt: local('2026-11-23T13:31').toISOString(), nextEscalationAt: null });
    h.clock.set(local('2026-11-23T17:31'));
    expect(await h.app.services.escalation.tick()).toMatchObject({ breaches: 0, escalations: 1, settled: 0 }); // ACCOUNTANT_REVIEW's second rung only
    // The next step shares finance's deadline (12 hours from the cashier's start): 13:00, past now.
    const open = await h.gql(h.keys.ADMIN, BREACHES, { f: { incidentId: id, open: true } });
    expect(open.data.breaches.edges.map((e: any) => e.node.code)).toEqual(['ACCOUNTANT_REVIEW']);
    // What the scheduler did is counted for /metrics; open breaches are read on scrape.
    const metrics = await h.app.services.metrics.registry.metrics();
    expect(metrics).toMatch(/triage_sla_events_total\{event="breach"\} 2/);
    expect(metrics).toMatch(/triage_sla_events_total\{event="settled"\} 1/);
    expect(metrics).toMatch(/triage_sla_breaches_open [1-9]/);
  });

  it('pauses an incident clock while waiting on the customer: nothing breaches, and deadlines move by the time paused', async () => {
    // SERVICE/ATTITUDE is GENERAL: acknowledge in 4 working hours (14:00), apologise within an hour (11:00, wall clock).
    const id = await k.incident({ category: 'SERVICE', subtype: 'ATTITUDE' });
    let inc = await incident(id);
    expect(inc.acknowledgeBy).toBe(local('2026-11-23T14:00').toISOString());
    expect(inc.actions.find((a: any) => a.code === 'APOLOGIZE').dueAt).toBe(local('2026-11-23T11:00').toISOString());

    expect((await h.gql(h.keys.ANALYST, PAUSE, { id, r: 'x' })).errors![0].extensions.code).toBe('FORBIDDEN');
    expect((await h.gql(h.keys.AGENT, PAUSE, { id, r: '  ' })).errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'reason' });
    expect((await h.gql(h.keys.AGENT, RESUME, { id })).errors![0].extensions.code).toBe('CONFLICT');
    h.clock.set(local('2026-11-23T10:30'));
    const paused = await h.gql(h.keys.CS_LEAD, PAUSE, { id, r: '等待顾客提供订单截图' });
    expect(paused.data.pauseIncidentClock).toMatchObject({ version: 2, clock: { paused: true, reason: '等待顾客提供订单截图', pausedBy: 'test-cs_lead' } });
    expect((await h.gql(h.keys.AGENT, PAUSE, { id, r: 'again' })).errors![0].extensions.code).toBe('CONFLICT');

    h.clock.set(local('2026-11-23T15:00')); // past both deadlines, but paused
    expect(await h.app.services.escalation.tick()).toEqual({ warnings: 0, breaches: 0, escalations: 0, settled: 0 });

    const resumed = (await h.gql(h.keys.AGENT, RESUME, { id })).data.resumeIncidentClock;
    // Paused 4 h 30 min, all of it working time: 14:00 + 4.5 working hours is Tuesday 09:30; 11:00 + 4.5 h is 15:30.
    expect(resumed).toMatchObject({
      version: 3,
      acknowledgeBy: local('2026-11-24T09:30').toISOString(),
      clock: { paused: false, pauses: 1, pausedSeconds: 16200, pausedWorkingSeconds: 16200 },
    });
    expect(resumed.actions.find((a: any) => a.code === 'APOLOGIZE').dueAt).toBe(local('2026-11-23T15:30').toISOString());
    inc = await incident(id);
    expect(inc.history.filter((e: any) => e.kind.startsWith('CLOCK_')).map((e: any) => [e.kind, e.actor, e.note])).toEqual([
      ['CLOCK_PAUSED', 'test-cs_lead', '等待顾客提供订单截图'],
      ['CLOCK_RESUMED', 'test-agent', null],
    ]);
    expect(inc.history.find((e: any) => e.kind === 'CLOCK_RESUMED').detail).toMatchObject({
      pausedMs: 16200000,
      pausedWorkingMs: 16200000,
      actions: { APOLOGIZE: local('2026-11-23T15:30').toISOString() },
    });

    // The warning at 80 % of the (moved) hour: 15:18 of a clock that now runs 14:30 → 15:30.
    h.clock.set(local('2026-11-23T15:19'));
    expect(await h.app.services.escalation.tick()).toMatchObject({ warnings: 1, breaches: 0 });
    h.clock.set(local('2026-11-23T15:31'));
    expect(await h.app.services.escalation.tick()).toMatchObject({ warnings: 0, breaches: 1, escalations: 1 });
    inc = await incident(id);
    expect(inc.breaches.map((b: any) => [b.subjectType, b.code, b.escalatedTo])).toEqual([['ACTION', 'APOLOGIZE', 'DEPARTMENT_MANAGER']]);
    expect(inc.history.filter((e: any) => e.kind === 'SLA_WARNING').map((e: any) => e.detail.subject.code)).toEqual(['APOLOGIZE']);
  });

  it('holds the ladder while paused: the next rung moves by the time paused', async () => {
    const id = await k.incident({ category: 'LOGISTICS', subtype: 'DAMAGED' }); // acknowledge by 10:15
    h.clock.set(local('2026-11-23T10:16'));
    await h.app.services.escalation.tick();
    expect((await incident(id)).breaches[0]).toMatchObject({
      kind: 'ACKNOWLEDGE',
      escalationLevel: 1,
      nextEscalationAt: local('2026-11-23T14:16').toISOString(),
    });
    h.clock.set(local('2026-11-23T11:00'));
    await h.gql(h.keys.AGENT, PAUSE, { id, r: '顾客联系不上' });
    h.clock.set(local('2026-11-23T13:00'));
    expect(await h.app.services.escalation.tick()).toMatchObject({ escalations: 0 });
    await h.gql(h.keys.AGENT, RESUME, { id });
    expect((await incident(id)).breaches[0]).toMatchObject({ escalationLevel: 1, nextEscalationAt: local('2026-11-23T16:16').toISOString() });
    h.clock.set(local('2026-11-23T16:00'));
    expect(await h.app.services.escalation.tick()).toMatchObject({ escalations: 0 });
    h.clock.set(local('2026-11-23T16:17'));
    expect(await h.app.services.escalation.tick()).toMatchObject({ escalations: 1 });
    expect((await incident(id)).escalatedTo).toBe('SUPERVISING_LEADER');
  });

  it('warns once at 80 % of a target, before the breach', async () => {
    // LOGISTICS/DAMAGED is URGENT: acknowledge within 15 minutes (10:15).
    const id = await k.incident({ category: 'LOGISTICS', subtype: 'DAMAGED' });
    h.clock.set(local('2026-11-23T10:11'));
    expect(await h.app.services.escalation.tick()).toMatchObject({ warnings: 0 });
    h.clock.set(local('2026-11-23T10:12'));
    expect(await h.app.services.escalation.tick()).toMatchObject({ warnings: 1, breaches: 0 });
    expect(await h.app.services.escalation.tick()).toMatchObject({ warnings: 0 });
    h.clock.set(local('2026-11-23T10:16'));
    expect(await h.app.services.escalation.tick()).toMatchObject({ warnings: 0, breaches: 1, escalations: 1 });
    const inc = await incident(id);
    expect(inc.history.filter((e: any) => e.kind.startsWith('SLA_') || e.kind === 'ESCALATED').map((e: any) => `${e.kind}:${e.detail.subject.kind}`)).toEqual([
      'SLA_WARNING:ACKNOWLEDGE',
      'SLA_BREACHED:ACKNOWLEDGE',
      'ESCALATED:ACKNOWLEDGE',
    ]);
    const { data } = await h.gql(h.keys.ADMIN, '{ webhookDeliveries { totalCount } }');
    expect(data.webhookDeliveries.totalCount).toBe(0); // no subscription: the events wait in the outbox only
  });

  it('requires the evidence the catalog declares, and reports compliance per action code', async () => {
    // A theft over 5000: POLICE_REPORT (immediately), PROTECT_SCENE_AND_PHOTOGRAPH, PRESERVE_CCTV (1 hour, keep 30 days)…
    const id = await k.incident({ category: 'PROPERTY_LOSS', subtype: 'STOLEN', amount: '6000.00', propertyOwner: 'CUSTOMER' });
    const before = await incident(id);
    const missing = await h.gql(h.keys.AGENT, COMPLETE, { id, code: 'POLICE_REPORT' });
    expect(missing.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'evidence.receiptNo' });
    const wrong = await h.gql(h.keys.AGENT, COMPLETE, { id, code: 'POLICE_REPORT', ev: { receipt: 'x' } });
    expect(wrong.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'evidence.receiptNo' });
    expect((await incident(id)).version).toBe(before.version);

    h.clock.set(local('2026-11-23T10:20'));
    const done = await h.gql(h.keys.AGENT, COMPLETE, { id, code: 'POLICE_REPORT', ev: { receiptNo: '沪公(2026)110-0042' } });
    expect(done.data.completeAction.actions.find((a: any) => a.code === 'POLICE_REPORT')).toEqual({
      code: 'POLICE_REPORT',
      done: true,
      evidence: { receiptNo: '沪公(2026)110-0042' },
    });
    const cctv = before.actions.find((a: any) => a.code === 'PRESERVE_CCTV');
    expect(cctv).toBeDefined();
    const tooShort = await h.gql(h.keys.AGENT, COMPLETE, { id, code: 'PRESERVE_CCTV', ev: { storageLocation: '监控室 NVR-2', keptUntil: '2026-12-01' } });
    expect(tooShort.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'evidence.keptUntil', minimum: '2026-12-23' });
    const kept = await h.gql(h.keys.AGENT, COMPLETE, { id, code: 'PRESERVE_CCTV', ev: { storageLocation: '监控室 NVR-2', keptUntil: '2026-12-23' } });
    expect(kept.errors).toBeUndefined();
    expect((await incident(id)).history.filter((e: any) => e.kind === 'ACTION_COMPLETED').map((e: any) => e.detail)).toEqual([
      { code: 'POLICE_REPORT', evidence: { receiptNo: '沪公(2026)110-0042' }, doneAt: '2026-11-23T02:20:00.000Z', late: true },
      { code: 'PRESERVE_CCTV', evidence: { storageLocation: '监控室 NVR-2', keptUntil: '2026-12-23' }, doneAt: '2026-11-23T02:20:00.000Z', late: false },
    ]);

    h.clock.set(local('2026-11-23T12:00'));
    const q = 'query($from: DateTime!, $to: DateTime!) { actionCompliance(from: $from, to: $to) { code label total onTime late notDone notYetDue } }';
    const vars = { from: local('2026-11-23T00:00').toISOString(), to: local('2026-11-24T00:00').toISOString() };
    expect((await h.gql(h.keys.AGENT, q, vars)).errors![0].extensions.code).toBe('FORBIDDEN');
    const rows = (await h.gql(h.keys.ANALYST, q, vars)).data.actionCompliance;
    const by = (code: string) => rows.find((r: any) => r.code === code);
    expect(by('POLICE_REPORT')).toEqual({ code: 'POLICE_REPORT', label: '拨打110报警', total: 1, onTime: 0, late: 1, notDone: 0, notYetDue: 0 }); // due immediately
    expect(by('PRESERVE_CCTV')).toMatchObject({ total: 1, onTime: 1, late: 0 });
    expect(by('PROTECT_SCENE_AND_PHOTOGRAPH')).toMatchObject({ total: 1, notDone: 1 });
    expect(by('WRITTEN_REPORT') ?? by('ROOT_CAUSE_ANALYSIS')).toMatchObject({ notYetDue: 1 });
    expect((await h.gql(h.keys.ANALYST, q, { ...vars, from: vars.to })).errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'to' });
  });

  it("shows an INTEGRATION key only its own source's breaches", async () => {
    const erp = await k.incident({ category: 'LOGISTICS', subtype: 'DAMAGED', source: 'erp' });
    const crm = await k.incident({ category: 'LOGISTICS', subtype: 'DAMAGED', source: 'crm' });
    h.clock.set(local('2026-11-23T10:16'));
    await h.app.services.escalation.tick();
    const ids = async (key: string, f: Record<string, unknown> = {}) =>
      (await h.gql(key, BREACHES, { f })).data.breaches.edges.map((e: any) => e.node.incidentId);
    expect(new Set(await ids(h.keys.ADMIN))).toEqual(new Set([erp, crm]));
    expect(new Set(await ids(h.keys.ERP))).toEqual(new Set([erp]));
    expect(await ids(h.keys.ERP, { incidentId: crm })).toEqual([]);
    expect(await ids(h.keys.ADMIN, { escalated: false })).toEqual([]);
    expect((await h.gql(h.keys.ADMIN, BREACHES, { f: { incidentId: 'x' } })).errors![0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'filter.incidentId',
    });
  });
});
