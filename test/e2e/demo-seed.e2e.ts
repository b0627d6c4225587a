import { DateTime } from 'luxon';
import { seedDemo } from '../../src/cli/demo-seed';
import { DEMO_CATEGORIES } from '../../src/cli/demo-data';
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
    expect(await seedDemo(h.app.services.config, opts)).toMatchObject({ created: 0, skipped: 45, refunds: {} });

    const incidents = await h.gql(h.keys.ADMIN, '{ incidents(filter: { includeDrills: true }, first: 200) { totalCount edges { node { category reportedAt } } } }');
    expect(incidents.data.incidents.totalCount).toBe(45);
    expect(new Set(incidents.data.incidents.edges.map((e: any) => e.node.category))).toEqual(new Set(DEMO_CATEGORIES));
    expect(incidents.data.incidents.edges.every((e: any) => Date.parse(e.node.reportedAt) < opts.until.getTime())).toBe(true);

    const refunds = await h.gql(h.keys.ADMIN, '{ refunds(first: 200) { edges { node { amount status requestedAt } } } }');
    const october = refunds.data.refunds.edges.map((e: any) => e.node)
      .filter((r: any) => r.status !== 'CANCELLED' && DateTime.fromISO(r.requestedAt).setZone('Asia/Shanghai').toFormat('yyyy-MM') === '2026-10');
    expect(october.length).toBeGreaterThan(0);
    const fen = (a: string) => BigInt(a.replace('.', ''));
    const { data } = await h.gql(h.keys.ANALYST, '{ monthlyRefundReport(month: "2026-10") { dueDate totalCount totalAmount } }');
    expect(data.monthlyRefundReport).toMatchObject({ dueDate: '2026-11-02', totalCount: october.length });
    expect(fen(data.monthlyRefundReport.totalAmount)).toBe(october.reduce((s: bigint, r: any) => s + fen(r.amount), 0n));
  });
});
