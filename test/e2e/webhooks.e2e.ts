import pino from 'pino';
import { createApp, App } from '../../src/app';
import type { Clock } from '../../src/common/clock';
import { isSqlite } from '../../src/database/dialect';
import { rawParams } from '../../src/database/raw-params';
import { verify } from '../../src/webhooks/webhook-signature';
import { waiveOpenActions } from './support/actions';
import { Harness, startHarness } from './support/harness';
import { refundKit } from './support/refunds';
import { WebhookReceiver } from './support/webhook-receiver';

const ALL_EVENTS = [
  'incident.reported',
  'incident.escalated',
  'incident.status_changed',
  'sla.warning',
  'sla.breached',
  'refund.step_decided',
  'refund.paid',
  'rules.reloaded',
  'incident.decision_failed',
  'incident.amended',
  'remedy.started',
  'remedy.advanced',
  'remedy.completed',
  'remedy.cancelled',
];
const CREATE =
  'mutation($i: CreateWebhookSubscriptionInput!) { createWebhookSubscription(input: $i) { secret subscription { id url eventTypes source active secretCount createdBy } } }';
const UPDATE =
  'mutation($id: ID!, $i: UpdateWebhookSubscriptionInput!) { updateWebhookSubscription(id: $id, input: $i) { secret subscription { id url eventTypes active secretCount } } }';
const DELIVERIES = `query($f: WebhookDeliveryFilter) { webhookDeliveries(filter: $f, first: 200) { totalCount edges { node {
  id subscriptionId eventId eventType incidentId status attempts lastStatusCode lastError deliveredAt data } } } }`;
const STATUS = 'mutation($id: ID!, $s: IncidentStatus!) { setIncidentStatus(id: $id, status: $s) { version } }';
const MINUTE = 60_000;
const PHONE = '13912345678';

/** Signed webhooks against a real receiver on 127.0.0.1 that fails, hangs and recovers. */
describe('webhooks', () => {
  let h: Harness;
  let k: ReturnType<typeof refundKit>;
  let receiver: WebhookReceiver;
  const others: App[] = [];
  afterEach(async () => {
    for (const a of others.splice(0)) await a.close();
    await receiver?.close();
    await h.close();
  });

  async function start(script: Parameters<typeof WebhookReceiver.start>[0] = [], env: Record<string, string> = {}, slowMs?: number) {
    // The receiver runs on this machine: an internal destination, allowed by name.
    h = await startHarness({ env: { WEBHOOK_TIMEOUT_MS: '300', WEBHOOK_ALLOWED_HOSTS: '127.0.0.1', ...env } });
    k = refundKit(h);
    receiver = await WebhookReceiver.start(script, slowMs);
  }

  async function subscribe(input: Record<string, unknown> = {}): Promise<{ id: string; secret: string }> {
    const res = await h.gql(h.keys.ADMIN, CREATE, { i: { url: receiver.url, eventTypes: ALL_EVENTS, ...input } });
    if (res.errors) throw new Error(JSON.stringify(res.errors));
    return { id: res.data.createWebhookSubscription.subscription.id, secret: res.data.createWebhookSubscription.secret };
  }

  async function deliveries(f: Record<string, unknown> = {}): Promise<any[]> {
    const res = await h.gql(h.keys.ADMIN, DELIVERIES, { f });
    return res.data.webhookDeliveries.edges.map((e: any) => e.node).sort((a: any, b: any) => Number(a.id) - Number(b.id));
  }

  /** Runs the worker, moving the clock past each backoff, until nothing is left to send. */
  async function drain(app: App = h.app, rounds = 30): Promise<void> {
    for (let i = 0; i < rounds; i++) {
      await app.services.webhooks.runOnce();
      const left = await deliveries({ status: ['PENDING', 'DELIVERING'] });
      if (!left.length) return;
      h.clock.advance(10 * MINUTE);
    }
    throw new Error('deliveries still pending');
  }

  it('lets ADMIN manage subscriptions: secret shown once, rotation, validation', async () => {
    await start();
    expect((await h.gql(h.keys.AGENT, CREATE, { i: { url: receiver.url, eventTypes: ['refund.paid'] } })).errors![0].extensions.code).toBe('FORBIDDEN');
    const bad = async (i: Record<string, unknown>) =>
      (await h.gql(h.keys.ADMIN, CREATE, { i: { url: receiver.url, eventTypes: ['refund.paid'], ...i } })).errors![0].extensions;
    expect(await bad({ url: 'ftp://erp.example.com/hook' })).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.url' });
    expect(await bad({ url: 'not a url' })).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.url' });
    expect(await bad({ eventTypes: ['refund.paid', 'refund.lost'] })).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'input.eventTypes.1',
      allowed: ALL_EVENTS,
    });
    expect(await bad({ eventTypes: [] })).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.eventTypes' });
    expect(await bad({ secret: 'hunter2' })).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.secret' });

    const created = (
      await h.gql(h.keys.ADMIN, CREATE, { i: { url: receiver.url, eventTypes: ['refund.paid', 'incident.reported'], source: 'erp', description: 'ERP 退款' } })
    ).data.createWebhookSubscription;
    expect(created.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(created.subscription).toMatchObject({
      url: receiver.url,
      eventTypes: ['incident.reported', 'refund.paid'],
      source: 'erp',
      active: true,
      secretCount: 1,
      createdBy: 'test-admin',
    });
    const list = await h.gql(h.keys.ADMIN, '{ webhookSubscriptions { id secretCount } webhookEventTypes }');
    expect(list.data).toEqual({ webhookSubscriptions: [{ id: created.subscription.id, secretCount: 1 }], webhookEventTypes: ALL_EVENTS });
    expect(JSON.stringify(list)).not.toContain(created.secret);

    const id = created.subscription.id;
    const rotated = (await h.gql(h.keys.ADMIN, UPDATE, { id, i: { rotateSecret: true, active: false } })).data.updateWebhookSubscription;
    expect(rotated.secret).toMatch(/^whsec_/);
    expect(rotated.secret).not.toBe(created.secret);
    expect(rotated.subscription).toMatchObject({ active: false, secretCount: 2 });
    const dropped = (await h.gql(h.keys.ADMIN, UPDATE, { id, i: { dropPreviousSecret: true, active: true } })).data.updateWebhookSubscription;
    expect(dropped).toMatchObject({ secret: null, subscription: { active: true, secretCount: 1 } });
    expect((await h.gql(h.keys.ADMIN, UPDATE, { id: '999999', i: { active: false } })).errors![0].extensions.code).toBe('NOT_FOUND');
    expect((await h.gql(h.keys.ADMIN, 'mutation($id: ID!) { deleteWebhookSubscription(id: $id) }', { id })).data.deleteWebhookSubscription).toBe(true);
    expect((await h.gql(h.keys.ADMIN, '{ webhookSubscriptions { id } }')).data.webhookSubscriptions).toEqual([]);
  });

  it('delivers every event through two refusals and a timeout: signed, once each, in order per incident', async () => {
    await start(['fail', 'fail', 'hang']);
    const first = await subscribe();

    // Two incidents' worth of events, interleaved, and a rule reload.
    const a = await k.incident({ category: 'OVERCHARGE', amount: '300.00', customer: { id: 'C-WEBHOOK', phone: PHONE } }); // the refund takes the phone too
    const b = await k.incident({ category: 'LOGISTICS', subtype: 'DAMAGED' });
    await h.gql(h.keys.AGENT, STATUS, { id: a, s: 'ACKNOWLEDGED' });
    const refund = await k.requested(a, '120.50');
    await k.approved(h.keys.CASHIER, refund.id, 'CASHIER_CHECK');
    await h.gql(h.keys.AGENT, STATUS, { id: b, s: 'ACKNOWLEDGED' });
    expect((await h.gql(h.keys.ADMIN, 'mutation { reloadRules { version } }')).errors).toBeUndefined();
    await k.approved(h.keys.ACCOUNTANT, refund.id, 'ACCOUNTANT_REVIEW');
    await k.approved(h.keys.FINANCE_DIRECTOR, refund.id, 'FINANCE_DIRECTOR_APPROVAL');
    await k.approved(h.keys.CASHIER, refund.id, 'PAYOUT');
    await waiveOpenActions(h, b);
    await h.gql(h.keys.AGENT, STATUS, { id: b, s: 'RESOLVED' });
    h.clock.set(new Date('2026-11-23T02:16:00Z')); // b's acknowledge deadline was met; a's refund steps were in time
    await h.app.services.escalation.tick();

    await drain();
    const all = await deliveries();
    expect(all.every((d) => d.status === 'DELIVERED')).toBe(true);
    expect(all.map((d) => d.eventType)).toEqual([
      'incident.reported',
      'incident.reported',
      'incident.status_changed',
      'refund.step_decided',
      'incident.status_changed',
      'rules.reloaded',
      'refund.step_decided',
      'refund.step_decided',
      'refund.step_decided',
      'refund.paid',
      'incident.status_changed',
      ...all.slice(11).map((d) => d.eventType), // what the scheduler found at 10:16 (warnings of a's clocks)
    ]);
    expect(all.slice(11).every((d) => d.eventType.startsWith('sla.') || d.eventType === 'incident.escalated')).toBe(true);

    // The receiver refused twice, then one request hung past the 300 ms timeout; then it took everything.
    expect(receiver.requests.slice(0, 3).map((r) => r.behaviour)).toEqual(['fail', 'fail', 'hang']);
    expect(receiver.allSigned([first.secret])).toBe(true);
    // Every event arrived, processed once each (the receiver dedupes by webhook-id).
    expect(receiver.processed.map((p) => p.id).sort()).toEqual(all.map((d) => d.eventId).sort());
    expect(all.reduce((n, d) => n + d.attempts, 0)).toBe(receiver.requests.length);
    // Order per incident: no event of an incident was sent before every earlier one of it was taken.
    const order = new Map<string, string[]>();
    for (const d of all) if (d.incidentId) order.set(d.incidentId, [...(order.get(d.incidentId) ?? []), d.eventId]);
    const taken = new Set<string>();
    for (const r of receiver.requests) {
      const incidentId = JSON.parse(r.body).data.incidentId as string | undefined;
      if (incidentId) {
        const earlier = order.get(incidentId)!.slice(0, order.get(incidentId)!.indexOf(r.id));
        expect(earlier.filter((e) => !taken.has(e))).toEqual([]);
      }
      if (r.behaviour !== 'fail' && r.behaviour !== 'hang') taken.add(r.id);
    }
    for (const [incidentId, ids] of order) {
      expect(receiver.processed.filter((p) => p.data.incidentId === incidentId).map((p) => p.id)).toEqual(ids);
    }

    // What the events say.
    const data = (type: string) => receiver.processed.filter((p) => p.type === type).map((p) => p.data);
    // (Across incidents the order is free: a receiver failing on one incident's event does not hold the others.)
    expect(data('incident.reported').find((d) => d.incidentId === a)).toMatchObject({
      source: 'erp',
      category: 'OVERCHARGE',
      severity: 'SERIOUS',
      amount: '300.00',
      drill: false,
    });
    const moves = data('incident.status_changed').map((d) => [d.incidentId, d.fromStatus, d.toStatus]);
    expect(moves.filter(([id]) => id === a)).toEqual([[a, 'OPEN', 'ACKNOWLEDGED']]);
    expect(moves.filter(([id]) => id === b)).toEqual([
      [b, 'OPEN', 'ACKNOWLEDGED'],
      [b, 'ACKNOWLEDGED', 'RESOLVED'],
    ]);
    expect(data('refund.step_decided').map((d) => [d.step, d.decision, d.actor])).toEqual([
      ['CASHIER_CHECK', 'APPROVE', 'test-cashier'],
      ['ACCOUNTANT_REVIEW', 'APPROVE', 'test-accountant'],
      ['FINANCE_DIRECTOR_APPROVAL', 'APPROVE', 'test-finance_director'],
      ['PAYOUT', 'APPROVE', 'test-cashier'],
    ]);
    expect(data('refund.paid')).toEqual([
      expect.objectContaining({ refundId: refund.id, refundNo: refund.refundNo, incidentId: a, amount: '120.50', method: 'ORIGINAL_PAYMENT' }),
    ]);
    expect(data('rules.reloaded')).toEqual([expect.objectContaining({ loadedBy: 'test-admin', version: expect.any(String) })]);
    expect(JSON.stringify(receiver.requests)).not.toContain(PHONE); // no phone numbers in payloads

    // A secret rotation: while it lasts every delivery carries both signatures.
    const rotated = (await h.gql(h.keys.ADMIN, UPDATE, { id: first.id, i: { rotateSecret: true } })).data.updateWebhookSubscription.secret;
    await waiveOpenActions(h, a);
    await h.gql(h.keys.AGENT, STATUS, { id: a, s: 'RESOLVED' });
    await drain();
    const last = receiver.requests.at(-1)!;
    expect(last.signature.split(' ')).toHaveLength(2);
    expect(verify(rotated, last.id, last.timestamp, last.body, last.signature)).toBe(true);
    expect(verify(first.secret, last.id, last.timestamp, last.body, last.signature)).toBe(true);
    expect(JSON.parse(last.body)).toMatchObject({ type: 'incident.status_changed', data: { incidentId: a, toStatus: 'RESOLVED' } });
  });

  it('loses nothing when the service restarts mid-delivery', async () => {
    await start(['slow'], { WEBHOOK_TIMEOUT_MS: '10000' }, 5_000);
    const { secret } = await subscribe({ eventTypes: ['incident.reported'] });
    const ids = [await k.incident({ category: 'SERVICE', subtype: 'ATTITUDE' }), await k.incident({ category: 'SERVICE', subtype: 'SLOW_RESPONSE' })];
    // The receiver takes the first message but is slow to answer: the service stops meanwhile.
    const running = h.app.services.webhooks.runOnce();
    await receiver.requestsReach(1);
    await h.app.close();
    await running;
    const config = h.app.services.config;

    const next = await createApp(config, { clock: h.clock as Clock, migrate: true, log: pino({ level: 'silent' }) });
    others.push(next);
    for (let i = 0; i < 3; i++) await next.services.webhooks.runOnce();
    const res = await next.services.webhooks.deliveries.list({}, 50, null);
    expect(res.views.map((v) => v.delivery.status)).toEqual(['DELIVERED', 'DELIVERED']);
    // At least once: the message taken before the restart came again, and the receiver deduped it.
    expect(receiver.requests.filter((r) => r.duplicate).length).toBeGreaterThanOrEqual(1);
    expect(receiver.processed.map((p) => p.data.incidentId).sort()).toEqual([...ids].sort());
    expect(receiver.allSigned([secret])).toBe(true);
  });

  it('delivers each event once with two instances working the same outbox', async () => {
    await start();
    const { secret } = await subscribe({ eventTypes: ['incident.reported', 'incident.status_changed'] });
    const second = await createApp(h.app.services.config, { clock: h.clock as Clock, migrate: true, log: pino({ level: 'silent' }) });
    others.push(second);
    const ids: string[] = [];
    for (let i = 0; i < 6; i++) {
      const id = await k.incident({ category: 'SERVICE', subtype: 'ATTITUDE' });
      await h.gql(h.keys.AGENT, STATUS, { id, s: 'ACKNOWLEDGED' });
      await waiveOpenActions(h, id);
      await h.gql(h.keys.AGENT, STATUS, { id, s: 'RESOLVED' });
      ids.push(id);
    }
    const onMysql = !isSqlite(h.app.services.ds);
    for (let round = 0; round < 6; round++) {
      if (onMysql) await Promise.all([h.app.services.webhooks.runOnce(), second.services.webhooks.runOnce()]);
      else for (const a of [h.app, second]) await a.services.webhooks.runOnce();
    }
    const all = await deliveries();
    expect(all).toHaveLength(18);
    expect(all.every((d) => d.status === 'DELIVERED' && d.attempts === 1)).toBe(true);
    expect(receiver.requests).toHaveLength(18);
    expect(receiver.requests.some((r) => r.duplicate)).toBe(false);
    expect(receiver.allSigned([secret])).toBe(true);
    for (const id of ids) {
      expect(receiver.processed.filter((p) => p.data.incidentId === id).map((p) => p.data.toStatus ?? 'REPORTED')).toEqual([
        'REPORTED',
        'ACKNOWLEDGED',
        'RESOLVED',
      ]);
    }
  });

  it('fans out a backlog bigger than one batch in one poll (reports may come faster than 200 a second)', async () => {
    await start();
    const { id } = await subscribe({ eventTypes: ['incident.reported'] });
    const incidentId = await k.incident({ category: 'SERVICE', subtype: 'ATTITUDE' });
    const ds = h.app.services.ds;
    const sqlite = isSqlite(ds);
    // 449 more incident.reported events in the outbox, as a burst of reports leaves them.
    const rows = Array.from({ length: 449 }, (_v, i) => [
      `msg_backlog${i}`,
      'incident.reported',
      Number(incidentId),
      'ERP',
      JSON.stringify({ incidentId }),
      sqlite ? '2026-11-23 02:00:00.000' : new Date('2026-11-23T02:00:00Z'),
      0,
    ]);
    await ds.query(
      `INSERT INTO webhook_outbox (event_id, type, incident_id, source, payload, occurred_at, fanned_out) VALUES ${rows.map(() => '(?, ?, ?, ?, ?, ?, ?)').join(', ')}`,
      rows.flat(),
    );
    // Batch after batch in one call; a budget no loaded machine runs out of (the 1 s default is the poll's).
    expect(await h.app.services.webhooks.worker.fanOutBacklog(60_000)).toBe(450);
    const [left] = await ds.query('SELECT COUNT(*) AS n FROM webhook_outbox WHERE fanned_out = ?', [0]);
    expect(Number(left.n)).toBe(0);
    const [made] = await ds.query('SELECT COUNT(*) AS n FROM webhook_deliveries WHERE subscription_id = ?', [Number(id)]);
    expect(Number(made.n)).toBe(450);
  });

  it('takes over a delivery whose worker died (expired claim)', async () => {
    await start();
    await subscribe({ eventTypes: ['incident.reported'] });
    await k.incident({ category: 'SERVICE', subtype: 'ATTITUDE' });
    await h.app.services.webhooks.worker.fanOut();
    // A worker that claimed it and was killed (kill -9): its claim runs out after timeout + 60 s.
    await h.app.services.ds.query(
      "UPDATE webhook_deliveries SET status = 'DELIVERING', claimed_by = 'killed-worker', claimed_until = ?",
      rawParams(h.app.services.ds, [new Date('2026-11-23T02:01:00Z')]),
    );
    expect(await h.app.services.webhooks.runOnce()).toMatchObject({ delivered: 0 });
    h.clock.set(new Date('2026-11-23T02:01:01Z'));
    expect(await h.app.services.webhooks.runOnce()).toMatchObject({ delivered: 1 });
    expect(receiver.processed).toHaveLength(1);
  });

  it('parks a delivery as dead after 24 hours of failures, and redelivers it on request', async () => {
    await start(['fail', 'fail', 'fail']);
    await subscribe({ eventTypes: ['incident.reported'] });
    await k.incident({ category: 'SERVICE', subtype: 'ATTITUDE' });
    expect(await h.app.services.webhooks.runOnce()).toMatchObject({ fannedOut: 1, failed: 1 });
    h.clock.advance(MINUTE);
    expect(await h.app.services.webhooks.runOnce()).toMatchObject({ failed: 1 });
    h.clock.advance(25 * 60 * MINUTE);
    expect(await h.app.services.webhooks.runOnce()).toMatchObject({ dead: 1 });
    const [dead] = await deliveries();
    expect(dead).toMatchObject({ status: 'DEAD', attempts: 3, lastStatusCode: 500, lastError: 'HTTP 500', deliveredAt: null });
    h.clock.advance(60 * MINUTE);
    expect(await h.app.services.webhooks.runOnce()).toMatchObject({ delivered: 0, failed: 0 }); // dead stays dead

    const REDELIVER = 'mutation($id: ID!) { redeliverWebhook(deliveryId: $id) { id status attempts } }';
    expect((await h.gql(h.keys.AGENT, REDELIVER, { id: dead.id })).errors![0].extensions.code).toBe('FORBIDDEN');
    expect((await h.gql(h.keys.ADMIN, REDELIVER, { id: '424242' })).errors![0].extensions.code).toBe('NOT_FOUND');
    expect((await h.gql(h.keys.ADMIN, REDELIVER, { id: dead.id })).data.redeliverWebhook).toEqual({ id: dead.id, status: 'PENDING', attempts: 0 });
    expect(await h.app.services.webhooks.runOnce()).toMatchObject({ delivered: 1 });
    expect((await deliveries())[0]).toMatchObject({ status: 'DELIVERED', lastStatusCode: 204 });
    expect(receiver.processed).toHaveLength(1);
  });

  it('delivers on its own when the worker runs in the background', async () => {
    await start([], { WEBHOOK_INTERVAL_MS: '50' });
    await subscribe({ eventTypes: ['incident.reported', 'incident.status_changed'] });
    const id = await k.incident({ category: 'SERVICE', subtype: 'ATTITUDE' });
    await h.gql(h.keys.AGENT, STATUS, { id, s: 'ACKNOWLEDGED' });
    await waiveOpenActions(h, id);
    await h.gql(h.keys.AGENT, STATUS, { id, s: 'RESOLVED' });
    await receiver.requestsReach(3, 5_000);
    expect(receiver.processed.map((p) => p.data.toStatus ?? p.type)).toEqual(['incident.reported', 'ACKNOWLEDGED', 'RESOLVED']);
  });

  it('never slows the API: reports answer while the receiver hangs', async () => {
    await start(Array(50).fill('hang'), { WEBHOOK_TIMEOUT_MS: '5000', WEBHOOK_INTERVAL_MS: '50' });
    await subscribe({ eventTypes: ['incident.reported'] });
    const started = Date.now();
    for (let i = 0; i < 10; i++) await k.incident({ category: 'SERVICE', subtype: 'ATTITUDE' });
    await receiver.requestsReach(2); // the worker is stuck on the hanging receiver…
    const t = Date.now();
    await k.incident({ category: 'SERVICE', subtype: 'ATTITUDE' }); // …and a report still answers at once
    expect(Date.now() - t).toBeLessThan(1_000);
    expect(Date.now() - started).toBeLessThan(5_000);
    // At most half the slots go to one subscription.
    expect(receiver.requests.length).toBeLessThanOrEqual(4);
  });

  it('prunes settled events past WEBHOOK_RETENTION_DAYS, never one still to deliver; /metrics counts the attempts', async () => {
    await start(['fail'], { WEBHOOK_RETENTION_DAYS: '7' });
    await subscribe({ eventTypes: ['incident.reported'] });
    await k.incident({ category: 'SERVICE', subtype: 'ATTITUDE' }); // its first attempt fails: PENDING, retried later
    await h.app.services.webhooks.runOnce();
    h.clock.advance(10 * MINUTE);
    await h.app.services.webhooks.runOnce(); // now delivered
    const pendingForever = await k.incident({ category: 'SERVICE', subtype: 'SLOW_RESPONSE' });
    await h.app.services.webhooks.worker.fanOut(); // fanned out, not yet attempted
    expect(await deliveries()).toHaveLength(2);
    const { retention } = h.app.services.webhooks;
    expect(await retention.prune()).toBe(0); // nothing is 7 days old yet
    h.clock.advance(8 * 24 * 60 * MINUTE);
    // The delivered event goes, with its delivery; the pending one stays, however old.
    expect(await retention.prune()).toBe(1);
    const left = await deliveries();
    expect(left).toHaveLength(1);
    expect(left[0]).toMatchObject({ status: 'PENDING' });
    const outbox = await h.app.services.ds.query('SELECT incident_id FROM webhook_outbox');
    expect(outbox.map((r: { incident_id: unknown }) => String(r.incident_id))).toEqual([pendingForever]);
    const metrics = await h.app.services.metrics.registry.metrics();
    expect(metrics).toMatch(/triage_webhook_attempts_total\{outcome="failed"\} 1/);
    expect(metrics).toMatch(/triage_webhook_attempts_total\{outcome="delivered"\} 1/);
    expect(metrics).toMatch(/triage_webhook_deliveries\{status="PENDING"\} 1/);
    expect(metrics).toMatch(/triage_webhook_outbox_backlog 0/);
  });
});
