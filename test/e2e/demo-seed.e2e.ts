import { DateTime } from 'luxon';
import { seedDemo } from '../../src/cli/demo-seed';
import { DEMO_CATEGORIES } from '../../src/cli/demo-data';
import { rebuildIncidentRollups } from '../../src/reports/incident-rollup.store';
import { Harness, startHarness } from './support/harness';

/** `triage demo seed` through the real services: every category, idempotent, and reports that add up. */
describe('demo seed', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ now: new Date('2026-11-23T02:00:00Z') });
  });
  afterAll(async () => {
    await h.close();
  });

  it('fills three months, runs twice without duplicating, and the October report matches the refunds', async () => {
    const opts = { incidents: 45, months: 3, seed: 7, until: new Date('2026-11-23T02:00:00Z') };
    const first = await seedDemo(h.app.services.config, opts);
    expect(first).toMatchObject({ months: ['2026-09', '2026-10', '2026-11'], created: 45, skipped: 0 });
    expect(await seedDemo(h.app.services.config, opts)).toMatchObject({ created: 0, skipped: 45, refunds: {}, remedies: {} });

    // After-sales remedies in every state, as the API shows them.
    expect(Object.keys(first.remedies).sort()).toEqual(['CANCELLED', 'COMPLETED', 'IN_PROGRESS']);
    const stored = await h.app.services.ds.query('SELECT status, COUNT(*) AS n FROM remedies GROUP BY status');
    expect(Object.fromEntries(stored.map((r: any) => [r.status, Number(r.n)]))).toEqual(first.remedies);

    const incidents = await h.gql(
      h.keys.ADMIN,
      '{ incidents(filter: { includeDrills: true }, first: 200) { totalCount edges { node { category reportedAt } } } }',
    );
    expect(incidents.data.incidents.totalCount).toBe(45);
    expect(new Set(incidents.data.incidents.edges.map((e: any) => e.node.category))).toEqual(new Set(DEMO_CATEGORIES));
    expect(incidents.data.incidents.edges.every((e: any) => Date.parse(e.node.reportedAt) < opts.until.getTime())).toBe(true);

    const refunds = await h.gql(h.keys.ADMIN, '{ refunds(first: 200) { edges { node { amount status requestedAt } } } }');
    const october = refunds.data.refunds.edges
      .map((e: any) => e.node)
      .filter((r: any) => r.status !== 'CANCELLED' && DateTime.fromISO(r.requestedAt).setZone('Asia/Shanghai').toFormat('yyyy-MM') === '2026-10');
    expect(october.length).toBeGreaterThan(0);
    const fen = (a: string) => BigInt(a.replace('.', ''));
    const { data } = await h.gql(h.keys.ANALYST, '{ monthlyRefundReport(month: "2026-10") { dueDate totalCount totalAmount } }');
    expect(data.monthlyRefundReport).toMatchObject({ dueDate: '2026-11-02', totalCount: october.length });
    expect(fen(data.monthlyRefundReport.totalAmount)).toBe(october.reduce((s: bigint, r: any) => s + fen(r.amount), 0n));

    // The complaint statistics have a shape: November (双十一) is the busiest month; they count every non-drill incident.
    const stats = await h.gql(h.keys.CS_LEAD, '{ incidentAggregates(groupBy: [MONTH]) { keys count surveyed breaches } }');
    const byMonth = stats.data.incidentAggregates as Array<{ keys: string[]; count: number }>;
    expect(byMonth.map((r) => r.keys[0])).toEqual(['2026-09', '2026-10', '2026-11']);
    expect(Math.max(...byMonth.map((r) => r.count))).toBe(byMonth[2].count);
    const real = await h.gql(h.keys.ADMIN, '{ incidents(first: 1) { totalCount } }');
    expect(byMonth.reduce((s, r) => s + r.count, 0)).toBe(real.data.incidents.totalCount);
    // The rollup kept through every write of the seed (reports, status changes, satisfaction, breaches) equals a rebuild.
    const cells = () =>
      h.app.services.ds
        .query(
          'SELECT * FROM incident_rollups WHERE incident_count <> 0 ORDER BY business_month, drill, category, subtype, severity, owner_department, source, channel, status',
        )
        .then((rows: Array<Record<string, unknown>>) => rows.map(({ id: _id, ...r }) => Object.values(r).map(String).join('|')));
    const incremental = await cells();
    await h.app.services.tx.run((em) => rebuildIncidentRollups(em));
    expect(await cells()).toEqual(incremental);
  });
});
