import request from 'supertest';
import { Harness, REPORT, ref, startHarness } from './support/harness';

/** Inputs a client could make too large for the service: they answer BAD_USER_INPUT with the field, never 500. */
describe('input bounds', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h.close();
  });

  const MONTHLY = 'query($m: String!) { monthlyRefundReport(month: $m) { month dueDate totalCount } }';

  it.each(['9999-12', '0000-01', '1899-12', '2101-01', '2026-13', '2026-00'])('monthlyRefundReport(month: %p) is BAD_USER_INPUT on month', async (m) => {
    const res = await h.gql(h.keys.ANALYST, MONTHLY, { m });
    expect(res.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'month' });
    const literal = await h.gql(h.keys.ANALYST, `{ monthlyRefundReport(month: "${m}") { month } }`);
    expect(literal.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'month' });
  });

  it('the monthly downloads refuse the same months with 400', async () => {
    const res = await request(h.app.server).get('/reports/refunds/monthly/9999-12.csv').set('authorization', `Bearer ${h.keys.ANALYST}`);
    expect(res.status).toBe(400);
  });

  it('answers the months in range', async () => {
    for (const m of ['2000-01', '2026-10', '2099-12']) expect((await h.gql(h.keys.ANALYST, MONTHLY, { m })).data.monthlyRefundReport.month).toBe(m);
  });

  const COMPLETE = 'mutation($id: ID!, $e: JSON) { completeAction(incidentId: $id, code: "POLICE_REPORT", evidence: $e) { actions { code done } } }';
  async function policeIncident() {
    const res = await h.gql(h.keys.AGENT, REPORT, {
      input: { source: 'erp', externalRef: ref('EV'), category: 'PROPERTY_LOSS', subtype: 'STOLEN', propertyOwner: 'COMPANY', amount: '6000.00' },
    });
    return res.data.reportIncident.incident.id as string;
  }
  const nested = (depth: number) => {
    let v: unknown = 'x';
    for (let i = 0; i < depth; i++) v = { a: v };
    return v;
  };

  it.each([
    ['3,000 deep', () => ({ receiptNo: '沪公(2026)110-0042', more: nested(3000) })],
    ['17 deep', () => ({ receiptNo: 'R-1', more: nested(16) })],
    ['over 64 KiB', () => ({ receiptNo: 'R-1', notes: 'x'.repeat(70_000) })],
    ['3,000 deep in an array', () => ({ receiptNo: 'R-1', list: JSON.parse('['.repeat(3000) + ']'.repeat(3000)) })],
  ])('evidence %s is BAD_USER_INPUT on evidence, and nothing is written', async (_name, evidence) => {
    const id = await policeIncident();
    const res = await h.gql(h.keys.AGENT, COMPLETE, { id, e: evidence() });
    expect(res.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'evidence' });
    const after = await h.gql(h.keys.ADMIN, `query($id: ID!) { incident(id: $id) { version actions { code done } } }`, { id });
    expect(after.data.incident.version).toBe(1);
  });

  it('evidence within the bounds is taken', async () => {
    const id = await policeIncident();
    const res = await h.gql(h.keys.AGENT, COMPLETE, { id, e: { receiptNo: '沪公(2026)110-0042', note: 'x'.repeat(400) } });
    expect(res.errors).toBeUndefined();
  });
});
