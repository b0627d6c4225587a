import { Harness, ref, REPORT, startHarness } from './support/harness';
import { CANCEL, DECIDE, REQUEST, RESUBMIT } from './support/refunds';
import { waiveOpenActions } from './support/actions';

/**
 * Every mutation that touches an incident, fired concurrently at one incident (on MariaDB with
 * `npm run test:mysql`, where each runs in its own transaction on its own connection). What
 * must hold: no INTERNAL_SERVER_ERROR (a deadlock), CONFLICT only where the business rule or
 * an expected version says so, and the incident's version and history agree with the answers.
 */
describe('concurrent mutations on one incident', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h.close();
  });

  const N = 10;
  const FIELDS = 'id version status satisfactionScore actions { code done } clock { paused }';
  const SET_STATUS = `mutation($id: ID!, $status: IncidentStatus!, $v: Int) { setIncidentStatus(id: $id, status: $status, expectedVersion: $v) { ${FIELDS} } }`;
  const COMPLETE = `mutation($id: ID!, $code: String!) { completeAction(incidentId: $id, code: $code, note: "done") { ${FIELDS} } }`;
  const SATISFACTION = `mutation($id: ID!, $score: Int!) { recordSatisfaction(incidentId: $id, score: $score, comment: "ok") { ${FIELDS} } }`;
  const PAUSE = `mutation($id: ID!) { pauseIncidentClock(id: $id, reason: "等待顾客回复") { ${FIELDS} } }`;
  const RESUME = `mutation($id: ID!) { resumeIncidentClock(id: $id) { ${FIELDS} } }`;
  const READ = `query($id: ID!) { incident(id: $id) { ${FIELDS} history { kind detail } } }`;

  async function incident(input: Record<string, unknown> = {}) {
    const res = await h.gql(h.keys.AGENT, REPORT, { input: { source: 'erp', externalRef: ref('CC'), category: 'OVERCHARGE', amount: '1000.00', ...input } });
    if (res.errors) throw new Error(JSON.stringify(res.errors));
    return res.data.reportIncident.incident as { id: string; actions: Array<{ code: string }> };
  }
  const read = async (id: string) => (await h.gql(h.keys.ADMIN, READ, { id })).data.incident;
  /** Error codes of a burst's answers ('OK' for a success). */
  const codes = (answers: Array<{ errors?: Array<{ extensions: Record<string, any> }> }>) => answers.map((a) => a.errors?.[0]?.extensions?.code ?? 'OK');
  const count = (list: string[], code: string) => list.filter((c) => c === code).length;

  it('amendIncident on thirty incidents of one customer at once (three times the pool of 10): each re-decided on its own connection, every one amended', async () => {
    const AMEND = `mutation($i: AmendIncidentInput!) { amendIncident(input: $i) { id version amount } }`;
    const ids: string[] = [];
    for (let i = 0; i < 30; i++) ids.push((await incident({ customer: { id: 'C-POOL', phone: '13812345678' } })).id);
    const answers = await Promise.all(ids.map((id) => h.gql(h.keys.AGENT, AMEND, { i: { id, amount: '1200.00', note: '金额更正' } })));
    expect(codes(answers)).toEqual(Array(30).fill('OK'));
    for (const a of answers) expect(a.data.amendIncident.amount).toBe('1200.00');
  });

  it('recordSatisfaction ×10 at once: every one recorded, no CONFLICT', async () => {
    const { id } = await incident();
    const answers = await Promise.all(Array.from({ length: N }, (_, i) => h.gql(h.keys.AGENT, SATISFACTION, { id, score: 1 + (i % 5) })));
    expect(codes(answers)).toEqual(Array(N).fill('OK'));
    const after = await read(id);
    expect(after.version).toBe(1 + N);
    expect(after.history.filter((e: any) => e.kind === 'SATISFACTION_RECORDED')).toHaveLength(N);
  });

  it('setIncidentStatus ×10 at once: each a move or a CONFLICT the transition table gives, version = 1 + moves', async () => {
    const { id } = await incident();
    await waiveOpenActions(h, id, { all: true }); // the closing guard is not what this test is about
    const base = (await read(id)).version;
    const statuses = ['ACKNOWLEDGED', 'RESOLVED', 'OPEN', 'RESOLVED', 'ACKNOWLEDGED', 'OPEN', 'RESOLVED', 'OPEN', 'RESOLVED', 'OPEN'];
    const answers = await Promise.all(statuses.map((status) => h.gql(h.keys.AGENT, SET_STATUS, { id, status })));
    const got = codes(answers);
    expect(got.every((c) => c === 'OK' || c === 'CONFLICT')).toBe(true);
    for (const a of answers) if (a.errors) expect(a.errors[0].extensions.field).toBe('status'); // never "changed concurrently"
    const after = await read(id);
    expect(after.version).toBe(base + count(got, 'OK'));
    expect(after.history.filter((e: any) => e.kind === 'STATUS_CHANGED')).toHaveLength(count(got, 'OK'));
  });

  it('setIncidentStatus ×10 with the same expectedVersion: one moves, nine CONFLICT on the version', async () => {
    const { id } = await incident();
    const answers = await Promise.all(Array.from({ length: N }, () => h.gql(h.keys.AGENT, SET_STATUS, { id, status: 'ACKNOWLEDGED', v: 1 })));
    const got = codes(answers);
    expect(count(got, 'OK')).toBe(1);
    expect(count(got, 'CONFLICT')).toBe(N - 1);
    expect((await read(id)).version).toBe(2);
  });

  it('completeAction on every action, twice each, at once: all done, no error', async () => {
    const { id, actions } = await incident();
    expect(actions.length).toBeGreaterThan(1);
    const answers = await Promise.all([...actions, ...actions].map((a) => h.gql(h.keys.AGENT, COMPLETE, { id, code: a.code })));
    expect(codes(answers)).toEqual(Array(actions.length * 2).fill('OK'));
    const after = await read(id);
    expect(after.actions.every((a: any) => a.done)).toBe(true);
    expect(after.history.filter((e: any) => e.kind === 'ACTION_COMPLETED')).toHaveLength(actions.length);
  });

  it('pauseIncidentClock / resumeIncidentClock ×10 at once: each a move or the CONFLICT of a clock already in that state', async () => {
    const { id } = await incident();
    const answers = await Promise.all(Array.from({ length: N }, (_, i) => h.gql(h.keys.AGENT, i % 2 ? RESUME : PAUSE, { id })));
    const got = codes(answers);
    expect(got.every((c) => c === 'OK' || c === 'CONFLICT')).toBe(true);
    expect(count(got, 'OK')).toBeGreaterThan(0);
    const after = await read(id);
    const moves = after.history.filter((e: any) => e.kind === 'CLOCK_PAUSED' || e.kind === 'CLOCK_RESUMED').length;
    expect(moves).toBe(count(got, 'OK'));
    expect(after.version).toBe(1 + moves);
  });

  it('requestRefund ×10 at once: the incident amount is never exceeded, the rest is BAD_USER_INPUT', async () => {
    const { id } = await incident({ amount: '700.00' });
    const answers = await Promise.all(
      Array.from({ length: N }, () => h.gql(h.keys.AGENT, REQUEST, { input: { incidentId: id, amount: '100.00', method: 'ORIGINAL_PAYMENT' } })),
    );
    const got = codes(answers);
    expect(count(got, 'OK')).toBe(7);
    expect(count(got, 'BAD_USER_INPUT')).toBe(3);
  });

  it('decideRefundStep, cancelRefund and resubmitRefund on ten refunds of one incident at once, with recordSatisfaction: all move, no CONFLICT', async () => {
    const { id } = await incident({ amount: '1000.00' });
    const made = [];
    for (let i = 0; i < 10; i++)
      made.push((await h.gql(h.keys.AGENT, REQUEST, { input: { incidentId: id, amount: '10.00', method: 'ORIGINAL_PAYMENT' } })).data.requestRefund);
    for (const r of made.slice(6)) {
      const res = await h.gql(h.keys.CASHIER, DECIDE, { input: { refundId: r.id, step: r.currentStep, decision: 'RETURN', comment: '退回' } });
      expect(res.errors).toBeUndefined();
    }
    const answers = await Promise.all([
      ...made.slice(0, 3).map((r: any) => h.gql(h.keys.CASHIER, DECIDE, { input: { refundId: r.id, step: r.currentStep, decision: 'APPROVE' } })),
      ...made.slice(3, 6).map((r: any) => h.gql(h.keys.AGENT, CANCEL, { id: r.id, reason: '撤回' })),
      ...made.slice(6).map((r: any) => h.gql(h.keys.AGENT, RESUBMIT, { id: r.id, comment: '补全' })),
      h.gql(h.keys.AGENT, SATISFACTION, { id, score: 3 }),
    ]);
    expect(codes(answers)).toEqual(Array(answers.length).fill('OK'));
  });

  it('every mutation at once on one incident and its refunds, with the scheduler passing: no INTERNAL_SERVER_ERROR', async () => {
    const { id, actions } = await incident({ amount: '1000.00' });
    const request = (amount: string) => h.gql(h.keys.AGENT, REQUEST, { input: { incidentId: id, amount, method: 'ORIGINAL_PAYMENT' } });
    const r1 = (await request('100.00')).data.requestRefund;
    const r2 = (await request('100.00')).data.requestRefund;
    const r3 = (await request('100.00')).data.requestRefund;
    const returned = await h.gql(h.keys.CASHIER, DECIDE, { input: { refundId: r3.id, step: r3.currentStep, decision: 'RETURN', comment: '银行信息不全' } });
    expect(returned.errors).toBeUndefined();
    const answers = await Promise.all([
      h.gql(h.keys.AGENT, SATISFACTION, { id, score: 5 }),
      h.gql(h.keys.AGENT, SET_STATUS, { id, status: 'ACKNOWLEDGED' }),
      h.gql(h.keys.AGENT, PAUSE, { id }),
      ...actions.map((a) => h.gql(h.keys.AGENT, COMPLETE, { id, code: a.code })),
      request('100.00'),
      request('100.00'),
      h.gql(h.keys.CASHIER, DECIDE, { input: { refundId: r1.id, step: r1.currentStep, decision: 'APPROVE' } }),
      h.gql(h.keys.AGENT, CANCEL, { id: r2.id, reason: '顾客撤回' }),
      h.gql(h.keys.AGENT, RESUBMIT, { id: r3.id, comment: '补全' }),
      h.gql(h.keys.AGENT, SATISFACTION, { id, score: 4 }),
      h.app.services.escalation.tick().then(() => ({})),
      h.app.services.webhooks.runOnce().then(() => ({})),
    ]);
    expect(codes(answers)).toEqual(Array(answers.length).fill('OK'));
    const after = await read(id);
    const kinds = after.history.map((e: any) => e.kind);
    expect(count(kinds, 'SATISFACTION_RECORDED')).toBe(2);
    expect(count(kinds, 'STATUS_CHANGED')).toBe(1);
    expect(count(kinds, 'CLOCK_PAUSED')).toBe(1);
    expect(after.actions.every((a: any) => a.done)).toBe(true);
    // Every entry after REPORTED moved the version once, but an action settled by the work that
    // fulfils it (the survey, by recordSatisfaction) is written in that work's own change.
    const settledByWork = after.history.filter((e: any) => e.kind === 'ACTION_COMPLETED' && e.detail?.settledBy).length;
    expect(after.version).toBe(kinds.length - settledByWork);
  });
});
