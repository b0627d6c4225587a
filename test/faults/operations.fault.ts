import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { WebhookReceiver } from '../e2e/support/webhook-receiver';
import { OtlpReceiver } from '../e2e/support/otlp-receiver';
import { PrivateMariaDb, sleep } from './support/private-mariadb';
import { apiKey, cliRun, ServerProcess } from './support/server-process';
import { gql, printFigures, reconcile, REPORT, reportLoad } from './support/load';

/**
 * Operations (issue items 3 and 4): two `triage serve` processes on one private MariaDB primary,
 * with a second private MariaDB replicating from it as their read replica. Shows that the two
 * behave as one (load on both, idempotency across them, one escalation and one delivery per
 * event) and that reports read from the replica, fall back to the primary when it dies, and
 * trail the primary while replication is stopped.
 */
const root = path.join(__dirname, '..', '..');
const LOAD_SECONDS = Number(process.env.OPERATIONS_LOAD_SECONDS ?? 5);

jest.setTimeout(5 * 60_000);

const LIST = `query($source: String) { incidents(first: 200, filter: { source: $source }) { totalCount edges { node { id externalRef } } } }`;
const INCIDENT = `query($id: ID!) { incident(id: $id) { id externalRef } }`;
const RULE_SET = `{ activeRuleSet { version checksum instance } }`;
const REPORTS = `query($month: String!, $from: DateTime!, $to: DateTime!) {
  refundAggregates(groupBy: [MONTH]) { keys count }
  monthlyRefundReport(month: $month) { totalCount }
  shiftHandover(from: $from, to: $to) { openIncidents { id } }
  actionCompliance(from: $from, to: $to) { code total }
  incidents(first: 1) { totalCount }
}`;
/** The root fields of REPORTS: each is one read. */
const REPORT_READS = 5;

/** `triage_db_queries_total{target}` of one instance. */
async function readsOn(server: ServerProcess, target: 'replica' | 'primary'): Promise<number> {
  const text = await (await fetch(`${server.url}/metrics`)).text();
  const m = new RegExp(`^triage_db_queries_total\\{target="${target}"\\} (\\d+)`, 'm').exec(text);
  return m ? Number(m[1]) : 0;
}

function reportVariables() {
  const now = new Date();
  return { month: now.toISOString().slice(0, 7), from: new Date(now.getTime() - 86_400_000).toISOString(), to: new Date(now.getTime() + 60_000).toISOString() };
}

describe('operations: two instances on one MariaDB primary, with a read replica', () => {
  const primary = new PrivateMariaDb('primary');
  const replica = new PrivateMariaDb('replica');
  const rulesDir = fs.mkdtempSync(path.join(os.tmpdir(), 'triage-ops-rules-'));
  let receiver: WebhookReceiver | null = null;
  let otlp: OtlpReceiver | null = null;
  let a: ServerProcess;
  let b: ServerProcess;
  const keys: Record<string, string> = {};

  async function list(server: ServerProcess, source: string): Promise<{ totalCount: number; refs: string[] }> {
    const res = await gql(server.url, keys.analyst, LIST, { source });
    expect(res.body.errors).toBeUndefined();
    return { totalCount: res.body.data.incidents.totalCount, refs: res.body.data.incidents.edges.map((e: any) => e.node.externalRef) };
  }

  async function report(server: ServerProcess, externalRef: string, source = 'ops'): Promise<string> {
    const res = await gql(server.url, keys.admin, REPORT, { input: { source, externalRef, category: 'SERVICE', subtype: 'ATTITUDE' } });
    expect(res.body.errors).toBeUndefined();
    return res.body.data.reportIncident.incident.id;
  }

  beforeAll(async () => {
    await primary.init();
    await replica.init();
    await replica.replicateFrom(primary);
    cliRun(primary.url, ['migrate']);
    keys.erp = apiKey(primary.url, 'ops-erp', 'INTEGRATION', 'erp');
    keys.admin = apiKey(primary.url, 'ops-admin', 'ADMIN');
    keys.analyst = apiKey(primary.url, 'ops-analyst', 'ANALYST');
    fs.cpSync(path.join(root, 'rules'), rulesDir, { recursive: true });
    const env = {
      DATABASE_URL: primary.url,
      DATABASE_REPLICA_URLS: replica.url,
      RULES_DIR: rulesDir,
      // Both schedulers and both webhook workers busy on the same rows.
      ESCALATION_INTERVAL_MS: '500',
      WEBHOOK_INTERVAL_MS: '250',
      WEBHOOK_ALLOWED_HOSTS: '127.0.0.1', // the receiver runs on this machine
    };
    // Instance A exports its traces to an OTLP/HTTP receiver, as it would to a collector.
    otlp = await OtlpReceiver.start();
    a = new ServerProcess({ ...env, OTEL_EXPORTER_OTLP_ENDPOINT: otlp.endpoint, OTEL_SERVICE_NAME: 'triage-ops-a' }, ['serve']);
    b = new ServerProcess(env, ['serve']);
    await Promise.all([a.start(), b.start()]);
    receiver = await WebhookReceiver.start();
    const sub = await gql(a.url, keys.admin, `mutation($i: CreateWebhookSubscriptionInput!) { createWebhookSubscription(input: $i) { subscription { id } } }`, {
      i: { url: receiver.url, eventTypes: ['incident.escalated'] },
    });
    expect(sub.body.errors).toBeUndefined();
  });

  afterAll(async () => {
    // Every process and directory goes, whatever failed before.
    const steps = [
      () => a?.stop('SIGKILL'),
      () => b?.stop('SIGKILL'),
      () => receiver?.close(),
      () => otlp?.close(),
      () => replica.destroy(),
      () => primary.destroy(),
      async () => fs.rmSync(rulesDir, { recursive: true, force: true }),
    ];
    for (const step of steps)
      await Promise.resolve()
        .then(step)
        .catch((e) => console.error(e));
  });

  it(`takes a ${LOAD_SECONDS} s load on both instances at once: no error, every acknowledged incident stored once, and replicated`, async () => {
    const end = Date.now() + LOAD_SECONDS * 1000;
    const until = () => Date.now() > end;
    const [fa, fb] = await Promise.all([reportLoad(() => a.url, keys.erp, 8, until), reportLoad(() => b.url, keys.erp, 8, until)]);
    const rows = await primary.query<{ external_ref: string; n: number }>(
      `SELECT external_ref, COUNT(*) AS n FROM incidents WHERE external_ref LIKE 'LOAD-%' GROUP BY external_ref`,
    );
    const stored = new Map(rows.map((r) => [r.external_ref, Number(r.n)]));
    const ra = reconcile(fa.acked, stored);
    const rb = reconcile(fb.acked, stored);
    printFigures('two instances, instance A', fa, ra);
    printFigures('two instances, instance B', fb, rb);
    for (const [f, r] of [
      [fa, ra],
      [fb, rb],
    ] as const) {
      expect(f.serverErrors).toBe(0);
      expect(f.refused).toEqual({});
      expect(f.acknowledged).toBe(f.sent);
      expect(r.lost).toBe(0);
      expect(r.duplicated).toBe(0);
    }
    expect(rows.length).toBe(fa.acknowledged + fb.acknowledged);
    await replica.caughtUpWith(primary);
    const [{ n }] = await replica.query<{ n: number }>(`SELECT COUNT(*) AS n FROM incidents WHERE external_ref LIKE 'LOAD-%'`);
    console.log(`[ops] replica holds ${n} of ${rows.length} load incidents after catching up`);
    expect(Number(n)).toBe(rows.length);
  });

  it('traces a reportIncident on an instance: its rule evaluation and database statements, under the request id', async () => {
    const requestId = `ops-trace-${Date.now()}`;
    const res = await fetch(`${a.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${keys.erp}`, 'x-request-id': requestId },
      body: JSON.stringify({
        query: REPORT,
        variables: { input: { source: 'erp', externalRef: requestId, category: 'OVERCHARGE', amount: '20.00', customer: { id: 'C-TRACE' } } },
      }),
    });
    expect(res.status).toBe(200);
    // The service's batch processor sends every 5 s: wait for it, no flushing from outside.
    const operation = await otlp!.waitFor(
      (s) => s.name.startsWith('graphql.mutation') && s.attributes['triage.request_id'] === requestId,
      async () => undefined,
      20_000,
    );
    await sleep(500);
    const trace = otlp!.trace(operation.traceId);
    const decide = trace.find((s) => s.name === 'rules.decide' && s.parentSpanId === operation.spanId);
    expect(decide?.attributes).toMatchObject({ 'triage.category': 'OVERCHARGE' });
    const statements = trace.map((s) => String(s.attributes['db.statement'] ?? '')).filter(Boolean);
    console.log(`[ops] trace ${operation.traceId}: ${trace.length} spans — ${trace.map((s) => s.name).join(', ')}`);
    expect(statements.some((q) => /^INSERT INTO .incidents./.test(q))).toBe(true);
    expect(statements.some((q) => /COUNT\(\*\) AS n FROM incidents/.test(q))).toBe(true); // the repeat-incidents fact, under rules.decide
    expect(operation.resource['service.name']).toBe('triage-ops-a');
  });

  it('keeps reportIncident idempotent across instances: the same report sent to both at once is one incident', async () => {
    for (let round = 0; round < 3; round++) {
      const input = { source: 'erp', externalRef: `SAME-${Date.now()}-${round}`, category: 'OVERCHARGE', amount: '66.00' };
      const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => gql(i % 2 ? a.url : b.url, keys.erp, REPORT, { input })));
      expect(answers.every((x) => x.status === 200 && !x.body.errors)).toBe(true);
      const ids = new Set(answers.map((x) => x.body.data.reportIncident.incident.id));
      const created = answers.filter((x) => x.body.data.reportIncident.created).length;
      const [{ n }] = await primary.query<{ n: number }>('SELECT COUNT(*) AS n FROM incidents WHERE source = ? AND external_ref = ?', [
        'erp',
        input.externalRef,
      ]);
      console.log(`[ops] 20 identical reports over two instances: ids ${ids.size}, created ${created}, stored ${n}`);
      expect(ids.size).toBe(1);
      expect(created).toBe(1);
      expect(Number(n)).toBe(1);
    }
  });

  it('shows per instance which rule pack it runs: same version and checksum, different instance', async () => {
    const [ra, rb] = await Promise.all([gql(a.url, keys.analyst, RULE_SET), gql(b.url, keys.analyst, RULE_SET)]);
    const sa = ra.body.data.activeRuleSet;
    const sb = rb.body.data.activeRuleSet;
    console.log(`[ops] activeRuleSet: ${JSON.stringify(sa)} / ${JSON.stringify(sb)}`);
    expect(sa.checksum).toBe(sb.checksum);
    expect(sa.version).toBe(sb.version);
    expect(sa.instance).toBe(`${os.hostname()}:${a.pid}`);
    expect(sb.instance).toBe(`${os.hostname()}:${b.pid}`);
    for (const s of [a, b]) {
      const text = await (await fetch(`${s.url}/metrics`)).text();
      expect(text).toContain(`triage_rule_pack_info{version="${sa.version}",checksum="${sa.checksum}"} 1`);
      // The primary's pool, inside TypeORM's replication pool cluster.
      expect(Number(/^triage_db_pool_connections\{state="open"\} (\d+)/m.exec(text)?.[1] ?? 0)).toBeGreaterThan(0);
    }
  });

  it('answers reports from the replica, which trails the primary while replication is stopped', async () => {
    await report(a, `OPS-${Date.now()}-first`);
    await replica.caughtUpWith(primary);
    // Only the replica serves the reports: its count moves by at least one per report field, the primary's not at all.
    const before = { replica: await readsOn(a, 'replica'), primary: await readsOn(a, 'primary') };
    for (let i = 0; i < 4; i++) {
      const res = await gql(a.url, keys.analyst, REPORTS, reportVariables());
      expect(res.body.errors).toBeUndefined();
    }
    const after = { replica: await readsOn(a, 'replica'), primary: await readsOn(a, 'primary') };
    console.log(`[ops] triage_db_queries_total on instance A: replica ${before.replica} → ${after.replica}, primary ${before.primary} → ${after.primary}`);
    expect(after.replica - before.replica).toBeGreaterThanOrEqual(4 * REPORT_READS);
    expect(after.primary).toBe(before.primary);

    // The proof that the data comes from the replica: stop replication, write on the primary.
    const listed = await list(a, 'ops');
    await replica.pauseReplication();
    const ref = `OPS-${Date.now()}-unreplicated`;
    const id = await report(b, ref);
    const byId = await Promise.all([a, b].map((s) => gql(s.url, keys.analyst, INCIDENT, { id })));
    expect(byId.map((r) => r.body.data.incident?.externalRef)).toEqual([ref, ref]); // one incident: read on the primary
    for (const s of [a, b]) {
      const l = await list(s, 'ops');
      expect(l.totalCount).toBe(listed.totalCount); // the list: read on the replica, which has not seen it
      expect(l.refs).not.toContain(ref);
    }
    await replica.resumeReplication();
    await replica.caughtUpWith(primary);
    for (const s of [a, b]) {
      const l = await list(s, 'ops');
      expect(l.totalCount).toBe(listed.totalCount + 1);
      expect(l.refs).toContain(ref);
    }
    console.log(
      `[ops] replication stopped: incident(id) found on both instances, the ops list stayed at ${listed.totalCount}; resumed: ${listed.totalCount + 1}`,
    );
  });

  it('escalates each breach once and delivers each escalation webhook once, with both instances working the same rows', async () => {
    // Deadlines already past when the instances start (the filing of last month's refund tables on
    // the real calendar, and any of the load's that fall due meanwhile): both schedulers breach and
    // escalate them, both webhook workers deliver the incident.escalated events.
    let figures = { breaches: 0, unescalated: 0, events: 0, delivered: 0 };
    const deadline = Date.now() + 60_000;
    for (;;) {
      const [row] = await primary.query<Record<string, number>>(`SELECT
        (SELECT COUNT(*) FROM breaches) AS breaches,
        (SELECT COUNT(*) FROM breaches WHERE level = 0 AND settled_at IS NULL) AS unescalated,
        (SELECT COUNT(*) FROM webhook_outbox WHERE type = 'incident.escalated') AS events,
        (SELECT COUNT(*) FROM webhook_deliveries WHERE status = 'DELIVERED') AS delivered`);
      const next = { breaches: Number(row.breaches), unescalated: Number(row.unescalated), events: Number(row.events), delivered: Number(row.delivered) };
      const settled = next.breaches > 0 && next.unescalated === 0 && next.delivered === next.events && JSON.stringify(next) === JSON.stringify(figures);
      figures = next;
      if (settled || Date.now() > deadline) break;
      await sleep(1000);
    }
    // Each rung once: one incident.escalated event per rung climbed (breaches of documents have no incident history).
    const mismatched = await primary.query<{ id: number; level: number; n: number }>(`SELECT b.id, b.level,
        (SELECT COUNT(*) FROM webhook_outbox o WHERE o.type = 'incident.escalated'
           AND JSON_VALUE(o.payload, '$.breachId') = CAST(b.id AS CHAR)) AS n
      FROM breaches b HAVING n <> b.level`);
    const [{ levels }] = await primary.query<{ levels: number }>('SELECT COALESCE(SUM(level), 0) AS levels FROM breaches');
    const duplicates = receiver!.requests.filter((r) => r.duplicate).length;
    console.log(
      `[ops] two schedulers and two webhook workers: breaches ${figures.breaches}, escalation rungs ${levels}, incident.escalated events ${figures.events}, delivered ${figures.delivered}, received ${receiver!.requests.length}, duplicates ${duplicates}, breaches escalated other than once per rung ${mismatched.length}`,
    );
    expect(figures.breaches).toBeGreaterThan(0);
    expect(figures.unescalated).toBe(0);
    expect(mismatched).toEqual([]);
    expect(figures.events).toBe(Number(levels));
    expect(figures.delivered).toBe(figures.events);
    expect(receiver!.requests.length).toBe(figures.events);
    expect(duplicates).toBe(0);
  });

  it('falls back to the primary when the replica dies, and returns to it when it is back', async () => {
    await replica.stop();
    const before = await readsOn(a, 'primary');
    for (const s of [a, b]) {
      const res = await gql(s.url, keys.analyst, REPORTS, reportVariables());
      expect(res.status).toBe(200);
      expect(res.body.errors).toBeUndefined();
      expect(await s.ready()).toBe(200);
    }
    expect(await readsOn(a, 'primary')).toBeGreaterThanOrEqual(before + REPORT_READS);
    for (const s of [a, b]) expect(s.output.match(/read replica unreachable/g)).toHaveLength(1); // logged once per outage
    // Back: after the retry interval reads go to the replica again.
    await replica.start();
    await replica.caughtUpWith(primary);
    await sleep(5_500);
    const replicaBefore = await readsOn(a, 'replica');
    const res = await gql(a.url, keys.analyst, REPORTS, reportVariables());
    expect(res.body.errors).toBeUndefined();
    expect(await readsOn(a, 'replica')).toBeGreaterThanOrEqual(replicaBefore + REPORT_READS);
    console.log(`[ops] replica stopped: reports answered on both instances from the primary; restarted: read from the replica again`);
  });
});
