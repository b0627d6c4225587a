import { PrivateMariaDb, sleep } from './support/private-mariadb';
import { apiKey, cliRun, ServerProcess } from './support/server-process';

/**
 * `WORKERS=2 triage serve` for real: two worker processes behind one port. A scrape of
 * /metrics reaches one worker but must count what both did; gauges read from the database
 * must not be counted twice.
 */
const REPORTS = 40;

jest.setTimeout(5 * 60_000);

describe('WORKERS=2', () => {
  const db = new PrivateMariaDb();
  let server: ServerProcess;
  let key: string;

  /** A request on a connection of its own: node:cluster hands out connections, not requests, round-robin. */
  async function post(body: unknown, auth = key): Promise<any> {
    const res = await fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${auth}`, connection: 'close' },
      body: JSON.stringify(body),
    });
    return res.json();
  }

  async function scrape(): Promise<string> {
    return (await fetch(`${server.url}/metrics`, { headers: { connection: 'close' } })).text();
  }

  const value = (text: string, series: string) => Number(new RegExp(`^${series.replace(/[{}()[\]|.+*?^$\\]/g, '\\$&')} (\\S+)$`, 'm').exec(text)?.[1] ?? NaN);

  beforeAll(async () => {
    await db.init();
    cliRun(db.url, ['migrate']);
    key = apiKey(db.url, 'cluster-erp', 'INTEGRATION', 'erp');
    // No webhook worker: the outbox backlog then equals the reports made, a figure to check sums against.
    // The operation name the load sends is labelled as it is only when configured (else 'other').
    server = new ServerProcess(
      { DATABASE_URL: db.url, WORKERS: '2', WEBHOOK_INTERVAL_MS: '0', ESCALATION_INTERVAL_MS: '0', METRICS_OPERATION_NAMES: 'Report' },
      ['serve'],
    );
    await server.start();
    // /readyz answered once the first worker listens; the second follows.
    for (let i = 0; i < 40 && !/^triage_rule_pack_info\{[^}]*\} 2$/m.test(await scrape()); i++) await sleep(250);
  });

  afterAll(async () => {
    await server?.stop('SIGKILL');
    await db.destroy();
  });

  it('answers /metrics with both workers summed, whichever worker the scrape reaches', async () => {
    for (let i = 0; i < REPORTS; i++) {
      const r = await post({
        query: 'mutation Report($input: ReportIncidentInput!) { reportIncident(input: $input) { created } }',
        variables: { input: { source: 'erp', externalRef: `cluster-${i}`, category: 'SERVICE', subtype: 'ATTITUDE' } },
      });
      expect(r.errors).toBeUndefined();
    }
    for (let i = 0; i < 6; i++) {
      const text = await scrape();
      expect(text).toMatch(/triage_rule_pack_info\{version="[^"]+",checksum="[0-9a-f]{64}"\} 2$/m); // both workers run the one pack
      expect(value(text, 'triage_graphql_operations_total{operation="Report",type="mutation",outcome="OK"}')).toBe(REPORTS);
      expect(value(text, 'triage_decisions_total{severity="GENERAL",category="SERVICE"}')).toBe(REPORTS);
      // Read from the database by each worker: taken once, not summed.
      expect(value(text, 'triage_webhook_outbox_backlog')).toBe(REPORTS);
    }
    const [{ n }] = await db.query<{ n: number }>('SELECT COUNT(*) AS n FROM incidents');
    expect(Number(n)).toBe(REPORTS);
  });

  it('drains both workers and exits on SIGTERM', async () => {
    await server.stop('SIGTERM');
    expect(await server.ready()).toBe(0);
  });
});
