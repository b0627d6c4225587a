import { isSqlite } from '../../src/database/dialect';
import { Harness, ref, startHarness } from './support/harness';
import { queryCounter } from './support/query-counter';

/**
 * The statements each hot mutation sends, counted (TypeORM's and the raw ones, the API key
 * lookup and the transaction's START and COMMIT included). A change that adds a read, a lock or
 * a second look at what the mutation just wrote to one of these paths changes a number here,
 * and has to say so. MySQL/MariaDB lock the incident row where SQLite, one writer at a time,
 * sends nothing. What each statement is: docs/performance.md, "What each sends per request".
 */
describe('statements per hot mutation', () => {
  let h: Harness;
  let counter: ReturnType<typeof queryCounter>;
  let locks: number;

  beforeAll(async () => {
    h = await startHarness();
    counter = queryCounter(h.app.services.ds);
    locks = isSqlite(h.app.services.ds) ? 0 : 1;
  });
  afterAll(() => h.close());

  const REPORT = `mutation($input: ReportIncidentInput!) { reportIncident(input: $input) { incident { id version actions { code } } } }`;

  async function reported(input: Record<string, unknown>): Promise<{ id: string; actions: Array<{ code: string }> }> {
    const res = await h.gql(h.keys.ERP, REPORT, { input: { source: 'erp', externalRef: ref('SB'), orderNo: ref('SO'), ...input } });
    if (res.errors) throw new Error(JSON.stringify(res.errors));
    return res.data.reportIncident.incident;
  }

  async function counted(key: string, query: string, variables: Record<string, unknown>): Promise<string[]> {
    const { result, statements } = await counter.during(() => h.gql(key, query, variables));
    if (result.errors) throw new Error(JSON.stringify(result.errors));
    if (process.env.SHOW_STATEMENTS) console.log(statements.join('\n'));
    return statements;
  }

  it('reportIncident naming a customer: key, repeat count, START, incident, actions, history, outbox, channel check, rollup, COMMIT', async () => {
    const statements = await counted(h.keys.ERP, REPORT, {
      input: { source: 'erp', externalRef: ref('SB'), category: 'OVERCHARGE', amount: '20.00', channel: 'HOTLINE', customer: { id: 'C-SB-1', name: '张三' } },
    });
    expect(statements).toHaveLength(10);
  });

  it('completeAction: key, START, the incident with its lock, actions, action, breaches, history, version, actions for the answer, COMMIT', async () => {
    const incident = await reported({ category: 'OVERCHARGE', amount: '20.00', channel: 'HOTLINE' });
    const statements = await counted(h.keys.AGENT, `mutation($id: ID!, $code: String!) { completeAction(incidentId: $id, code: $code) { id version } }`, {
      id: incident.id,
      code: incident.actions[0].code,
    });
    expect(statements).toHaveLength(10);
    expect(statements.filter((s) => /FOR UPDATE/i.test(s))).toHaveLength(locks);
  });

  it('amendIncident: no second read of the incident, its actions read once more for the answer inside the transaction', async () => {
    const incident = await reported({ category: 'OVERCHARGE', amount: '20.00', channel: 'HOTLINE', customer: { id: 'C-SB-2', name: '张三' } });
    const statements = await counted(h.keys.ERP, `mutation($i: AmendIncidentInput!) { amendIncident(input: $i) { id version amount } }`, {
      i: { id: incident.id, amount: '25.00', note: '金额更正' },
    });
    expect(statements).toHaveLength(17);
    expect(statements.filter((s) => /FOR UPDATE/i.test(s))).toHaveLength(locks);
  });

  it('decideRefundStep: the refund read once after its writes, for every handler and the answer', async () => {
    const incident = await reported({ category: 'OVERCHARGE', amount: '200.00', channel: 'HOTLINE' });
    const requested = await h.gql(h.keys.AGENT, `mutation($input: RequestRefundInput!) { requestRefund(input: $input) { id currentStep } }`, {
      input: { incidentId: incident.id, amount: '20.00', method: 'ORIGINAL_PAYMENT' },
    });
    const refund = requested.data.requestRefund;
    const statements = await counted(h.keys.CASHIER, `mutation($i: DecideRefundStepInput!) { decideRefundStep(input: $i) { id currentStep version } }`, {
      i: { refundId: refund.id, step: refund.currentStep, decision: 'APPROVE' },
    });
    expect(statements).toHaveLength(14 + locks);
    expect(statements.filter((s) => /FOR UPDATE/i.test(s))).toHaveLength(locks);
  });

  it('advanceRemedy: the remedy read once after its writes, for its webhook event and the answer', async () => {
    const incident = await reported({ category: 'PRODUCT_QUALITY', subtype: 'MINOR_MALFUNCTION' });
    const started = await h.gql(h.keys.AGENT, `mutation($input: StartRemedyInput!) { startRemedy(input: $input) { id currentStep } }`, {
      input: { incidentId: incident.id, kind: 'REPAIR', orderNo: ref('SO'), items: '电水壶 x1' },
    });
    const remedy = started.data.startRemedy;
    const statements = await counted(h.keys.TECH, `mutation($i: AdvanceRemedyInput!) { advanceRemedy(input: $i) { id currentStep version } }`, {
      i: { remedyId: remedy.id, step: remedy.currentStep },
    });
    expect(statements).toHaveLength(13 + locks);
  });
});
