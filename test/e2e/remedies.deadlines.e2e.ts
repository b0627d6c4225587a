import request from 'supertest';
import { Harness, startHarness } from './support/harness';
import { refundKit } from './support/refunds';

const local = (s: string) => new Date(`${s}+08:00`);
const START = 'mutation($input: StartRemedyInput!) { startRemedy(input: $input) { id steps { step dueAt } } }';
const ADVANCE = 'mutation($input: AdvanceRemedyInput!) { advanceRemedy(input: $input) { id status currentStep } }';
const CANCEL = 'mutation($id: ID!, $reason: String!) { cancelRemedy(remedyId: $id, reason: $reason) { status } }';
const BREACHES = `query($id: ID!) { incident(id: $id) { breaches { subjectType subjectId kind code dueAt escalationLevel escalatedTo nextEscalationAt settledAt } } }`;
const HANDOVER = `query($from: DateTime!, $to: DateTime!) { shiftHandover(from: $from, to: $to) { tasks { kind incidentId code role dueAt overdue note } } }`;
const STEP_ID = 'SELECT s.id FROM remedy_steps s WHERE s.remedy_id = ? AND s.step = ?';

/** Remedy steps on the one deadline machinery: due times, warnings, breaches, the ladder; the handover, webhooks, /metrics. */
describe('remedy deadlines', () => {
  let h: Harness;
  let k: ReturnType<typeof refundKit>;
  beforeAll(async () => {
    h = await startHarness({ env: { METRICS_TOKEN: 'scrape-secret' } });
    k = refundKit(h);
  });
  afterAll(async () => {
    await h.close();
  });

  const ids = async (sql: string, params: unknown[]) => (await h.app.services.ds.query(sql, params)).map((r: any) => Number(r.id));
  const outbox = async (incidentId: string) =>
    (await h.app.services.ds.query('SELECT type, payload FROM webhook_outbox WHERE incident_id = ? ORDER BY id', [Number(incidentId)]))
      .filter((r: any) => String(r.type).startsWith('remedy.'))
      .map((r: any) => ({ type: r.type, data: JSON.parse(r.payload) }));

  it('a remedy step warns, breaches, climbs the ladder, and is settled when done; the handover lists it; webhooks and /metrics tell', async () => {
    h.clock.set(local('2026-11-23T10:00')); // Monday
    const id = await k.incident({ category: 'LOGISTICS', subtype: 'LOST' });
    const started = await h.gql(h.keys.AGENT, START, { input: { incidentId: id, kind: 'RESHIP' } });
    const r = started.data.startRemedy;
    expect(r.steps[0].dueAt).toBe(local('2026-11-24T10:00').toISOString()); // RESHIPPED: 1 working day
    const [stepId] = await ids(STEP_ID, [Number(r.id), 'RESHIPPED']);

    // The handover names the pending step, its role and the remedy.
    const handover = await h.gql(h.keys.CS_LEAD, HANDOVER, { from: local('2026-11-23T08:00').toISOString(), to: local('2026-11-23T20:00').toISOString() });
    expect(handover.data.shiftHandover.tasks).toContainEqual({
      kind: 'REMEDY_STEP',
      incidentId: id,
      code: 'RESHIPPED',
      role: 'LOGISTICS',
      dueAt: local('2026-11-24T10:00').toISOString(),
      overdue: false,
      note: `RESHIP #${r.id}`,
    });

    // 80% of the working day: a warning (the ARRANGE_REMEDY action is already done by the start).
    h.clock.set(local('2026-11-24T08:50'));
    await h.app.services.escalation.tick();
    const warned = await h.app.services.ds.query("SELECT subject_id FROM sla_warnings WHERE subject_type = 'REMEDY_STEP'");
    expect(warned.map((w: any) => Number(w.subject_id))).toEqual([stepId]);

    // Past due: one breach, escalated to the first rung at once.
    h.clock.set(local('2026-11-24T10:01'));
    await h.app.services.escalation.tick();
    await h.app.services.escalation.tick();
    let breaches = (await h.gql(h.keys.ADMIN, BREACHES, { id })).data.incident.breaches.filter((b: any) => b.subjectType === 'REMEDY_STEP');
    expect(breaches).toEqual([
      expect.objectContaining({
        subjectId: String(stepId),
        kind: 'DUE',
        code: 'RESHIPPED',
        dueAt: local('2026-11-24T10:00').toISOString(),
        escalationLevel: 1,
        escalatedTo: 'DEPARTMENT_MANAGER',
        settledAt: null,
      }),
    ]);
    // Four hours later, the next rung.
    h.clock.set(local('2026-11-24T14:02'));
    await h.app.services.escalation.tick();
    breaches = (await h.gql(h.keys.ADMIN, BREACHES, { id })).data.incident.breaches.filter((b: any) => b.subjectType === 'REMEDY_STEP');
    expect(breaches[0]).toMatchObject({ escalationLevel: 2, escalatedTo: 'SUPERVISING_LEADER' });
    const overdue = await request(h.app.server).get('/metrics').set('authorization', 'Bearer scrape-secret');
    expect(overdue.text).toMatch(/triage_remedy_steps_overdue 1\b/);

    // Done late: the breach is settled on the next pass; the next step is due 3 working days on.
    const done = await h.gql(h.keys.LOGISTICS, ADVANCE, { input: { remedyId: r.id, step: 'RESHIPPED', trackingNo: 'SF100' } });
    expect(done.data.advanceRemedy.currentStep).toBe('CUSTOMER_CONFIRMED');
    await h.app.services.escalation.tick();
    breaches = (await h.gql(h.keys.ADMIN, BREACHES, { id })).data.incident.breaches.filter((b: any) => b.subjectType === 'REMEDY_STEP');
    expect(breaches).toHaveLength(1);
    expect(breaches[0].settledAt).not.toBeNull();
    const escalatedEvents = (
      await h.app.services.ds.query("SELECT type FROM webhook_outbox WHERE type IN ('sla.breached', 'incident.escalated') AND incident_id = ?", [Number(id)])
    ).map((x: any) => x.type);
    expect(escalatedEvents).toContain('sla.breached');

    await h.gql(h.keys.AGENT, ADVANCE, { input: { remedyId: r.id, step: 'CUSTOMER_CONFIRMED' } });
    const events = await outbox(id);
    expect(events.map((e: any) => [e.type, e.data.status, e.data.currentStep])).toEqual([
      ['remedy.started', 'IN_PROGRESS', 'RESHIPPED'],
      ['remedy.advanced', 'IN_PROGRESS', 'CUSTOMER_CONFIRMED'],
      ['remedy.completed', 'COMPLETED', null],
    ]);
    expect(events[1].data).toMatchObject({ remedyId: r.id, incidentId: id, kind: 'RESHIP', step: 'RESHIPPED', actor: 'test-logistics' });
    const metrics = (await request(h.app.server).get('/metrics').set('authorization', 'Bearer scrape-secret')).text;
    expect(metrics).toMatch(/triage_remedy_transitions_total\{kind="RESHIP",transition="COMPLETED"\} 1/);
    expect(metrics).toMatch(/triage_remedies\{status="COMPLETED"\} 1/);
    expect(metrics).toMatch(/triage_remedy_steps_overdue 0\b/);
  });

  it('a cancelled remedy stops its clock and says so by webhook', async () => {
    h.clock.set(local('2026-11-25T10:00'));
    const id = await k.incident({ category: 'PRODUCT_QUALITY', subtype: 'COSMETIC_DEFECT' });
    const r = (await h.gql(h.keys.AGENT, START, { input: { incidentId: id, kind: 'REPAIR' } })).data.startRemedy;
    await h.gql(h.keys.CS_LEAD, CANCEL, { id: r.id, reason: '客户撤诉' });
    h.clock.set(local('2026-11-27T10:00'));
    await h.app.services.escalation.tick();
    const breaches = (await h.gql(h.keys.ADMIN, BREACHES, { id })).data.incident.breaches.filter((b: any) => b.subjectType === 'REMEDY_STEP');
    expect(breaches).toEqual([]);
    expect((await outbox(id)).map((e: any) => e.type)).toEqual(['remedy.started', 'remedy.cancelled']);
  });
});
