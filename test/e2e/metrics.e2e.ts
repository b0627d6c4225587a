import request from 'supertest';
import { Harness, REPORT, ref, startHarness } from './support/harness';

describe('GET /metrics', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ env: { METRICS_TOKEN: 'scrape-secret', METRICS_OPERATION_NAMES: 'Report' } });
  });
  afterAll(async () => h.close());

  it('needs the token and exposes operations by name and outcome, the rule pack and refunds', async () => {
    await h.gql(h.keys.ERP, REPORT, { input: { source: 'erp', externalRef: ref(), category: 'ONSITE_EMERGENCY', subtype: 'FIRE' } });
    await h.gql(h.keys.ERP, REPORT, { input: { source: 'erp', externalRef: ref(), category: 'NOPE' } });
    expect((await request(h.app.server).get('/metrics')).status).toBe(401);
    const res = await request(h.app.server).get('/metrics').set('authorization', 'Bearer scrape-secret');
    expect(res.status).toBe(200);
    expect(res.text).toMatch(/triage_graphql_operations_total\{operation="Report",type="mutation",outcome="OK"\} 1/);
    expect(res.text).toMatch(/triage_graphql_operations_total\{operation="Report",type="mutation",outcome="BAD_USER_INPUT"\} 1/);
    expect(res.text).toMatch(/triage_graphql_operation_duration_seconds_bucket\{le="[^"]+",operation="Report",outcome="OK"\}/);
    expect(res.text).toMatch(/triage_rule_pack_info\{version="[^"]+",checksum="[0-9a-f]{64}"\} 1/);
    expect(res.text).toMatch(/triage_http_requests_total\{method="POST",route="\/graphql",status="200"\} \d+/);
    expect(res.text).toMatch(/triage_refund_steps_overdue \d+/);
    expect(res.text).toMatch(/triage_process_resident_memory_bytes \d+/);
    expect(res.text).toMatch(/triage_decisions_total\{severity="CRITICAL",category="ONSITE_EMERGENCY"\} 1/);
    expect(res.text).toMatch(/triage_rule_evaluation_seconds_count 1/);
  });

  it('counts read-only work by the database that answered it: the primary, or the replica when there are replicas', async () => {
    const scrape = async () => (await request(h.app.server).get('/metrics').set('authorization', 'Bearer scrape-secret')).text;
    const count = (text: string, target: string) => Number(new RegExp(`^triage_db_queries_total\\{target="${target}"\\} (\\d+)`, 'm').exec(text)?.[1] ?? 0);
    const [used, unused] = h.app.services.config.databaseReplicas.length ? ['replica', 'primary'] : ['primary', 'replica'];
    const before = await scrape();
    const res = await h.gql(h.keys.ANALYST, '{ incidents(first: 5) { totalCount } refundAggregates(groupBy: []) { count } }');
    expect(res.errors).toBeUndefined();
    const after = await scrape();
    expect(count(after, used)).toBeGreaterThanOrEqual(count(before, used) + 2);
    expect(count(after, unused)).toBe(0);
  });
});
