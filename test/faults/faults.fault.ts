import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PrivateMariaDb, sleep } from './support/private-mariadb';
import { apiKey, ServerProcess } from './support/server-process';
import { gql, printFigures, reconcile, REPORT, reportLoad } from './support/load';

/**
 * Fault tests against the real server process and a private MariaDB that they may stop, crash
 * and restart. Each prints: requests sent, acknowledged, found in the database, lost, duplicated.
 */
const root = path.join(__dirname, '..', '..');
const LOAD_SECONDS = Number(process.env.FAULT_LOAD_SECONDS ?? 60);

jest.setTimeout(10 * 60_000);

describe('faults', () => {
  const db = new PrivateMariaDb();
  let server: ServerProcess;
  let rulesDir: string;
  const keys: Record<string, string> = {};

  async function storedCounts(): Promise<Map<string, number>> {
    const rows = await db.query<{ external_ref: string; n: number }>('SELECT external_ref, COUNT(*) AS n FROM incidents GROUP BY external_ref');
    return new Map(rows.map((r) => [r.external_ref, Number(r.n)]));
  }

  /** Every stored incident is whole: its REPORTED event and as many actions as its decision names. */
  async function partialIncidents(): Promise<number> {
    const rows = await db.query<{ id: number; decision: string; actions: number; events: number }>(
      `SELECT i.id, i.decision, (SELECT COUNT(*) FROM incident_actions a WHERE a.incident_id = i.id) AS actions,
              (SELECT COUNT(*) FROM incident_events e WHERE e.incident_id = i.id AND e.kind = 'REPORTED') AS events FROM incidents i`,
    );
    return rows.filter((r) => Number(r.events) !== 1 || Number(r.actions) !== JSON.parse(r.decision).actions.length).length;
  }

  beforeAll(async () => {
    await db.init();
    rulesDir = fs.mkdtempSync(path.join(os.tmpdir(), 'triage-fault-rules-'));
    fs.cpSync(path.join(root, 'rules'), rulesDir, { recursive: true });
    server = new ServerProcess({ DATABASE_URL: db.url, RULES_DIR: rulesDir });
    await server.start();
    keys.erp = apiKey(db.url, 'fault-erp', 'INTEGRATION', 'erp');
    keys.agent = apiKey(db.url, 'fault-agent', 'AGENT');
    keys.admin = apiKey(db.url, 'fault-admin', 'ADMIN');
    for (const r of ['CASHIER', 'ACCOUNTANT', 'FINANCE_DIRECTOR']) keys[r] = apiKey(db.url, `fault-${r.toLowerCase()}`, r);
  });

  afterAll(async () => {
    await server?.stop('SIGKILL');
    await db.destroy();
    fs.rmSync(rulesDir, { recursive: true, force: true });
  });

  it(`holds sustained load for ${LOAD_SECONDS} s: no 5xx, every acknowledged incident stored exactly once`, async () => {
    const end = Date.now() + LOAD_SECONDS * 1000;
    const f = await reportLoad(
      () => server.url,
      keys.erp,
      32,
      () => Date.now() > end,
    );
    const r = reconcile(f.acked, await storedCounts());
    printFigures('sustained load', f, r, `${Math.round(f.sent / LOAD_SECONDS)} req/s`);
    expect(f.serverErrors).toBe(0);
    expect(f.acknowledged).toBe(f.sent);
    expect(r.lost).toBe(0);
    expect(r.duplicated).toBe(0);
  });

  it('survives a database restart mid-load: clear errors while down, /readyz 503, recovery without a restart', async () => {
    let stop = false;
    const load = reportLoad(
      () => server.url,
      keys.erp,
      16,
      () => stop,
    );
    await sleep(3000);
    await db.stop('crash');
    await sleep(1500);
    const readyWhileDown = await server.ready();
    const whileDown = await gql(server.url, keys.erp, REPORT, { input: { source: 'erp', externalRef: `DOWN-${Date.now()}`, category: 'SERVICE' } });
    await sleep(2000);
    await db.start();
    let readyAfter = 0;
    for (let i = 0; i < 40 && readyAfter !== 200; i++) {
      await sleep(250);
      readyAfter = await server.ready();
    }
    await sleep(3000);
    stop = true;
    const f = await load;
    const r = reconcile(f.acked, await storedCounts());
    printFigures('database restart', f, r, `readyz while down ${readyWhileDown}, after ${readyAfter}`);
    expect(readyWhileDown).toBe(503);
    expect(['SERVICE_UNAVAILABLE', 'INTERNAL_SERVER_ERROR']).toContain(whileDown.body.errors?.[0]?.extensions?.code);
    expect(JSON.stringify(whileDown.body)).not.toMatch(/stacktrace|\.js:\d+/);
    expect(readyAfter).toBe(200);
    expect(r.lost).toBe(0);
    expect(r.duplicated).toBe(0);
    expect(await partialIncidents()).toBe(0);
    // Recovered: a new report goes through on the same process.
    const after = await gql(server.url, keys.erp, REPORT, { input: { source: 'erp', externalRef: `AFTER-${Date.now()}`, category: 'SERVICE' } });
    expect(after.body.data.reportIncident.created).toBe(true);
  });

  it('loses no acknowledged incident when the server is killed with SIGKILL mid-load', async () => {
    let stop = false;
    const load = reportLoad(
      () => server.url,
      keys.erp,
      16,
      () => stop,
    );
    await sleep(4000);
    await server.stop('SIGKILL');
    stop = true;
    const f = await load;
    const r = reconcile(f.acked, await storedCounts());
    printFigures('kill -9 of the server', f, r);
    expect(r.lost).toBe(0);
    expect(r.duplicated).toBe(0);
    expect(await partialIncidents()).toBe(0);
    await server.start();
  });

  it('settles 50 concurrent identical reports into one incident and 20 concurrent approvals into one move', async () => {
    const input = { source: 'erp', externalRef: `SAME-${Date.now()}`, category: 'OVERCHARGE', amount: '99.00' };
    const answers = await Promise.all(Array.from({ length: 50 }, () => gql(server.url, keys.erp, REPORT, { input })));
    const ids = new Set(answers.map((a) => a.body.data?.reportIncident?.incident?.id));
    const created = answers.filter((a) => a.body.data?.reportIncident?.created).length;
    const stored = (await storedCounts()).get(input.externalRef);
    console.log(
      `[fault] 50 identical reports: answered ${answers.filter((a) => a.body.data).length}, incidents ${ids.size}, created ${created}, stored ${stored}`,
    );
    expect(ids.size).toBe(1);
    expect(created).toBe(1);
    expect(stored).toBe(1);

    const incidentId = [...ids][0];
    const req = await gql(server.url, keys.agent, `mutation($i: RequestRefundInput!) { requestRefund(input: $i) { id version } }`, {
      i: { incidentId, amount: '99.00', method: 'ORIGINAL_PAYMENT' },
    });
    const refundId = req.body.data.requestRefund.id;
    const cashiers = Array.from({ length: 20 }, (_, i) => apiKey(db.url, `fault-cashier-${Date.now()}-${i}`, 'CASHIER'));
    const decide = `mutation($i: DecideRefundStepInput!) { decideRefundStep(input: $i) { version currentStep } }`;
    const moves = await Promise.all(cashiers.map((k) => gql(server.url, k, decide, { i: { refundId, step: 'CASHIER_CHECK', decision: 'APPROVE' } })));
    const moved = moves.filter((m) => m.body.data?.decideRefundStep).length;
    const conflicts = moves.filter((m) => m.body.errors?.[0]?.extensions?.code === 'CONFLICT').length;
    const transitions = await db.query<{ n: number }>(`SELECT COUNT(*) AS n FROM refund_transitions WHERE refund_id = ? AND step = 'CASHIER_CHECK'`, [
      Number(refundId),
    ]);
    console.log(`[fault] 20 concurrent approvals: moved ${moved}, conflicts ${conflicts}, transitions stored ${transitions[0].n}`);
    expect(moved).toBe(1);
    expect(conflicts).toBe(19);
  });

  it('keeps deciding with the old pack when an invalid pack is reloaded under load', async () => {
    const before = (await gql(server.url, keys.admin, `{ activeRuleSet { version } }`)).body.data.activeRuleSet.version;
    const catalog = path.join(rulesDir, 'catalog.json');
    const original = fs.readFileSync(catalog, 'utf8');
    let stop = false;
    const load = reportLoad(
      () => server.url,
      keys.erp,
      16,
      () => stop,
    );
    await sleep(1500);
    fs.writeFileSync(catalog, original.slice(0, original.length / 2)); // truncated: not JSON
    const reload = await gql(server.url, keys.admin, `mutation { reloadRules { version } }`);
    server.signal('SIGHUP');
    await sleep(3000);
    stop = true;
    const f = await load;
    fs.writeFileSync(catalog, original);
    const after = (await gql(server.url, keys.admin, `{ activeRuleSet { version } }`)).body.data.activeRuleSet.version;
    const r = reconcile(f.acked, await storedCounts());
    printFigures('invalid pack reloaded under load', f, r, `reload answered ${reload.body.errors?.[0]?.extensions?.code}`);
    expect(reload.body.errors[0].extensions.code).toBe('RULES_INVALID');
    expect(after).toBe(before);
    expect(f.acknowledged).toBe(f.sent);
    expect(r.lost).toBe(0);
  });
});
