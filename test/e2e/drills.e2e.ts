import ExcelJS from 'exceljs';
import request from 'supertest';
import { Harness, startHarness } from './support/harness';

const local = (s: string) => new Date(`${s}+08:00`);
const MINUTE = 60_000;
const SCHEDULE =
  'mutation($s: String!, $at: DateTime) { scheduleDrill(scenario: $s, startsAt: $at) { id status startsAt nextStepAt steps { stepId kind incidentId } } }';
const ABORT = 'mutation($id: ID!) { abortDrill(id: $id, note: "停电改期") { id status nextStepAt } }';
const RUN = 'query($id: ID!) { drillRun(id: $id) { id status nextStepAt finishedAt steps { stepId kind dueAt incidentId } } }';
const REPORT = `query($id: ID!) { drillReport(runId: $id) {
  onTimeRate onTime late missed pending
  incidents { incidentId stepId minutesToAcknowledge acknowledgeLate breaches escalations }
  items { kind code dueAt doneAt doneBy verdict minutesLate }
  previous { runId onTimeRate } improvements signedBy } }`;
const SIGN = 'mutation($id: ID!, $t: String!) { signDrillReport(runId: $id, improvements: $t) { improvements signedBy } }';
const OVERDUE = 'query { drillsOverdue { procedure dueBy overdue } drillProcedures { procedure lastDrilledAt dueBy overdue drillEveryMonths } }';
const INCIDENT = 'query($id: ID!) { incident(id: $id) { drill source status outageMinutes actions { code status dueAt } } }';
const STATUS = 'mutation($id: ID!, $s: IncidentStatus!) { setIncidentStatus(id: $id, status: $s) { status } }';
const COMPLETE = 'mutation($id: ID!, $code: String!, $doneAt: DateTime) { completeAction(incidentId: $id, code: $code, doneAt: $doneAt) { version } }';

/**
 * A drill (预案演练) end to end on simulated time: the hotline outage scenario scheduled by the
 * CS_LEAD, its report and its amendment injected by the escalation pass at their offsets, partly
 * answered by the test acting as the team, scored, signed and downloaded; and the procedures'
 * drill compliance with its warning a month before one falls overdue.
 */
describe('drills', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ now: local('2026-11-23T09:30') });
  });
  afterAll(() => h.close());

  const ok = async (key: string, query: string, variables: Record<string, unknown> = {}) => {
    const res = await h.gql(key, query, variables);
    if (res.errors) throw new Error(`${query.slice(0, 50)}: ${JSON.stringify(res.errors)}`);
    return res.data;
  };
  const tickAt = async (at: Date) => {
    h.clock.set(at);
    await h.app.services.escalation.tick();
  };
  const outbox = async () =>
    (
      (await h.app.services.ds.query('SELECT type, incident_id, payload FROM webhook_outbox ORDER BY id')) as Array<{
        type: string;
        incident_id: unknown;
        payload: string;
      }>
    ).map((e) => ({ type: e.type, incidentId: e.incident_id === null ? null : String(e.incident_id), data: JSON.parse(e.payload) }));
  const download = async (path: string, key: string) => {
    const res = await request(h.app.server)
      .get(path)
      .set('authorization', `Bearer ${key}`)
      .buffer(true)
      .parse((response, cb) => {
        const chunks: Buffer[] = [];
        response.on('data', (c: Buffer) => chunks.push(c));
        response.on('end', () => cb(null, Buffer.concat(chunks)));
      });
    return { status: res.status, body: res.body as any };
  };

  let runId: string;
  let incidentId: string;

  it('refuses an agent, an unknown scenario and a start in the past', async () => {
    expect((await h.gql(h.keys.AGENT, SCHEDULE, { s: 'HOTLINE_OUTAGE' })).errors?.[0].extensions.code).toBe('FORBIDDEN');
    const unknown = await h.gql(h.keys.CS_LEAD, SCHEDULE, { s: 'NO_SUCH' });
    expect(unknown.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'scenario' });
    const past = await h.gql(h.keys.CS_LEAD, SCHEDULE, { s: 'HOTLINE_OUTAGE', at: local('2026-11-23T08:00') });
    expect(past.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'startsAt' });
    expect(await h.app.services.ds.query('SELECT id FROM drill_runs')).toEqual([]);
  });

  it('a procedure never drilled gets one period from when the scheduler first sees it: not overdue, not warned yet', async () => {
    await tickAt(local('2026-11-23T09:31'));
    await tickAt(local('2026-11-23T09:32'));
    const status = (await ok(h.keys.CS_LEAD, OVERDUE)) as any;
    expect(status.drillsOverdue).toEqual([]);
    expect(status.drillProcedures.map((p: any) => p.procedure).sort()).toEqual(['AFTER_SALES', 'COMPLAINT', 'OVERCHARGE', 'REFUND', 'SERVICE_HALL']);
    expect(status.drillProcedures.find((p: any) => p.procedure === 'COMPLAINT')).toMatchObject({
      lastDrilledAt: null,
      dueBy: local('2027-11-23T09:31').toISOString(),
      overdue: false,
    });
    expect((await outbox()).filter((e) => e.data.subject?.type === 'DRILL_PROCEDURE')).toEqual([]);
  });

  it('a scheduled drill injects its report at the start and its amendment 25 minutes later', async () => {
    runId = (await ok(h.keys.CS_LEAD, SCHEDULE, { s: 'HOTLINE_OUTAGE', at: local('2026-11-23T10:00') })).scheduleDrill.id;
    await tickAt(local('2026-11-23T09:59'));
    expect((await ok(h.keys.CS_LEAD, RUN, { id: runId })).drillRun).toMatchObject({ status: 'SCHEDULED', steps: [] });

    await tickAt(local('2026-11-23T10:00'));
    const run = (await ok(h.keys.CS_LEAD, RUN, { id: runId })).drillRun;
    expect(run).toMatchObject({ status: 'RUNNING', nextStepAt: local('2026-11-23T10:25').toISOString() });
    expect(run.steps).toHaveLength(1);
    incidentId = run.steps[0].incidentId;
    const incident = (await ok(h.keys.AGENT, INCIDENT, { id: incidentId })).incident;
    expect(incident).toMatchObject({ drill: true, source: 'drill', outageMinutes: 10 });
    expect(incident.actions.map((a: any) => a.code)).not.toContain('INFORM_CUSTOMERS_OF_DELAY');
    // Webhooks carry the drill flag and the 【演练】 mark the notifications show too.
    const reported = (await outbox()).find((e) => e.type === 'incident.reported' && e.incidentId === incidentId)!;
    expect(reported.data).toMatchObject({ drill: true, source: 'drill', mark: '【演练】' });

    // The team acknowledges at 10:03; a second pass in between injects nothing twice.
    h.clock.set(local('2026-11-23T10:03'));
    await ok(h.keys.AGENT, STATUS, { id: incidentId, s: 'ACKNOWLEDGED' });
    await tickAt(local('2026-11-23T10:10'));
    expect((await ok(h.keys.CS_LEAD, RUN, { id: runId })).drillRun.steps).toHaveLength(1);

    await tickAt(local('2026-11-23T10:25'));
    const done = (await ok(h.keys.CS_LEAD, RUN, { id: runId })).drillRun;
    expect(done).toMatchObject({ status: 'COMPLETED', nextStepAt: null });
    expect(done.steps.map((s: any) => [s.stepId, s.kind, s.incidentId])).toEqual([
      ['report', 'REPORT', incidentId],
      ['longer', 'AMEND', incidentId],
    ]);
    const amended = (await ok(h.keys.AGENT, INCIDENT, { id: incidentId })).incident;
    expect(amended.outageMinutes).toBe(35);
    expect(amended.actions.map((a: any) => a.code)).toContain('INFORM_CUSTOMERS_OF_DELAY');
  });

  it('scores what the team did against what the live rules required: late and missed', async () => {
    const actions = (await ok(h.keys.AGENT, INCIDENT, { id: incidentId })).incident.actions as Array<{ code: string; dueAt: string | null }>;
    const inform = actions.find((a) => a.code === 'INFORM_CUSTOMERS_OF_DELAY')!;
    const others = actions.filter((a) => a !== inform && a.dueAt);
    expect(others.length).toBeGreaterThan(0);
    // Customers informed 4 minutes late; the rest left undone.
    h.clock.set(new Date(new Date(inform.dueAt!).getTime() + 4 * MINUTE));
    await ok(h.keys.AGENT, COMPLETE, { id: incidentId, code: 'INFORM_CUSTOMERS_OF_DELAY' });
    // Two weeks on, everything the rules required is due: what was left is missed.
    const asOf = local('2026-12-07T11:30');
    await tickAt(asOf);
    const report = (await ok(h.keys.CS_LEAD, REPORT, { id: runId })).drillReport;
    const byCode = new Map(report.items.map((i: any) => [i.code, i]));
    expect(byCode.get('INFORM_CUSTOMERS_OF_DELAY')).toMatchObject({ kind: 'ACTION', verdict: 'LATE', minutesLate: 4, doneBy: expect.any(String) });
    for (const a of others) {
      expect(byCode.get(a.code)).toMatchObject({
        verdict: 'MISSED',
        doneAt: null,
        minutesLate: Math.ceil((asOf.getTime() - new Date(a.dueAt!).getTime()) / MINUTE),
      });
    }
    const scored = report.onTime + report.late + report.missed;
    expect(report).toMatchObject({ onTime: 0, late: 1, missed: others.length, pending: 0, onTimeRate: 0 });
    expect(scored).toBe(others.length + 1);
    expect(report.incidents).toEqual([expect.objectContaining({ incidentId, stepId: 'report', minutesToAcknowledge: 3, acknowledgeLate: false })]);
    expect(report.previous).toEqual([]);
    // Escalations triggered by the missed deadlines are counted from the breaches recorded.
    const breaches = await h.app.services.ds.query('SELECT COUNT(*) AS n FROM breaches WHERE incident_id = ?', [Number(incidentId)]);
    expect(report.incidents[0].breaches).toBe(Number(breaches[0].n));
  });

  it('the lead signs the 演练总结 with its 改进措施 once, and it downloads as xlsx', async () => {
    const text = '热线故障时 10 分钟内告知顾客:值班长负责,下次演练前培训。';
    expect((await ok(h.keys.CS_LEAD, SIGN, { id: runId, t: text })).signDrillReport).toMatchObject({ improvements: text, signedBy: expect.any(String) });
    expect((await h.gql(h.keys.CS_LEAD, SIGN, { id: runId, t: 'again' })).errors?.[0].extensions.code).toBe('CONFLICT');
    expect((await download(`/reports/drills/${runId}.xlsx`, h.keys.AGENT)).status).toBe(403);
    const res = await download(`/reports/drills/${runId}.xlsx`, h.keys.CS_LEAD);
    expect(res.status).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.body);
    const ws = wb.getWorksheet('演练总结')!;
    const rows: unknown[][] = [];
    ws.eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
    expect(rows[0][0]).toBe('应急预案演练总结');
    const labelled = (label: string) => rows[rows.findIndex((r) => r[0] === label) + 1];
    expect(labelled('改进措施')[0]).toBe(text);
    expect(rows.find((r) => r[0] === '负责人签字')?.[1]).toEqual(expect.any(String));
    expect(rows.some((r) => r[1] === '告知顾客并征询等候或改天办理' && r[5] === '超时完成')).toBe(true);
  });

  it('a second run of the scenario is compared with the first; an aborted run injects nothing', async () => {
    const first = (await ok(h.keys.CS_LEAD, REPORT, { id: runId })).drillReport;
    h.clock.set(local('2026-12-08T10:00'));
    const second = (await ok(h.keys.ADMIN, SCHEDULE, { s: 'HOTLINE_OUTAGE' })).scheduleDrill;
    expect(second).toMatchObject({ status: 'RUNNING', steps: [expect.objectContaining({ stepId: 'report' })] });
    const compared = (await ok(h.keys.CS_LEAD, REPORT, { id: second.id })).drillReport;
    expect(compared.previous).toEqual([{ runId, onTimeRate: first.onTimeRate }]);
    const aborted = (await ok(h.keys.CS_LEAD, ABORT, { id: second.id })).abortDrill;
    expect(aborted).toMatchObject({ status: 'ABORTED', nextStepAt: null });
    await tickAt(local('2026-12-08T10:30'));
    expect((await ok(h.keys.CS_LEAD, RUN, { id: second.id })).drillRun.steps).toHaveLength(1);
    expect((await h.gql(h.keys.CS_LEAD, ABORT, { id: second.id })).errors?.[0].extensions.code).toBe('CONFLICT');
  });

  it('a procedure drilled is due again a year later; the CS_LEAD is warned a month before, once', async () => {
    const status = (await ok(h.keys.CS_LEAD, OVERDUE)) as any;
    expect(status.drillsOverdue.map((p: any) => p.procedure)).not.toContain('SERVICE_HALL');
    const hall = status.drillProcedures.find((p: any) => p.procedure === 'SERVICE_HALL');
    expect(hall).toMatchObject({
      lastDrilledAt: local('2026-11-23T10:00').toISOString(),
      dueBy: local('2027-11-23T10:00').toISOString(),
      overdue: false,
      drillEveryMonths: 12,
    });
    const hallWarnings = async () =>
      (await outbox()).filter((e) => e.type === 'sla.warning' && e.data.subject?.type === 'DRILL_PROCEDURE' && e.data.procedure === 'SERVICE_HALL');
    await tickAt(local('2027-10-23T09:59'));
    expect(await hallWarnings()).toHaveLength(0);
    await tickAt(local('2027-10-23T10:00'));
    await tickAt(local('2027-10-23T10:10'));
    const warned = await hallWarnings();
    expect(warned).toHaveLength(1);
    expect(warned[warned.length - 1].data).toMatchObject({
      overdueAt: local('2027-11-23T10:00').toISOString(),
      notify: { department: 'CUSTOMER_SERVICE', role: 'CS_LEAD' },
    });
    // The procedures never drilled, counted from 09:31 a year before, warned in the same passes.
    const complaint = (await outbox()).filter(
      (e) => e.type === 'sla.warning' && e.data.subject?.type === 'DRILL_PROCEDURE' && e.data.procedure === 'COMPLAINT',
    );
    expect(complaint.map((e) => e.data.overdueAt)).toEqual([local('2027-11-23T09:31').toISOString()]);
    h.clock.set(local('2027-11-23T10:01'));
    expect((await ok(h.keys.CS_LEAD, OVERDUE)).drillsOverdue.map((p: any) => p.procedure).sort()).toEqual([
      'AFTER_SALES',
      'COMPLAINT',
      'OVERCHARGE',
      'REFUND',
      'SERVICE_HALL',
    ]);
  });
});
