import { IncidentStatistics1732300000060 } from '../../migrations/1732300000060-incident-statistics';
import { Harness, REPORT, ref, startHarness } from './support/harness';
import { rebuildIncidentRollups } from '../../src/reports/incident-rollup.store';
import { waiveOpenActions } from './support/actions';

/**
 * The statistics' rollup under concurrent incident writes (no lost update, no deadlock, equal
 * to a rebuild), and the migration's backfill of incidents reported before it.
 */
describe('incident rollup', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ now: new Date('2026-10-12T02:00:00Z') });
  });
  afterAll(async () => h.close());

  const cells = () =>
    h.app.services.ds
      .query(
        'SELECT * FROM incident_rollups WHERE incident_count <> 0 ORDER BY business_month, drill, category, subtype, severity, owner_department, source, channel, status',
      )
      .then((rows: Array<Record<string, unknown>>) => rows.map(({ id: _id, ...r }) => Object.values(r).map(String).join('|')));
  const report = (input: Record<string, unknown>) =>
    h.gql(h.keys.AGENT, REPORT, { input: { source: 'erp', externalRef: ref('RC'), category: 'SERVICE', subtype: 'SLOW_RESPONSE', ...input } });

  it('keeps every cell exact when incidents are reported and moved between statuses at the same time', async () => {
    // New cells are created concurrently too (three channels, two customers).
    const channels = ['hotline', 'app', 'wechat'];
    const reported = await Promise.all(
      Array.from({ length: 24 }, (_, i) => report({ channel: channels[i % 3], amount: `${i + 1}.01`, customer: { id: `RC-${i % 2}` } })),
    );
    expect(reported.flatMap((r) => r.errors ?? [])).toEqual([]);
    const ids = reported.map((r) => r.data.reportIncident.incident.id as string);
    for (const [i, id] of ids.entries()) if (i % 2 === 0) await waiveOpenActions(h, id); // the closing guard is not what this is about
    h.clock.advance(10 * 60_000);
    const moved = await Promise.all(
      ids.map((id, i) =>
        h.gql(h.keys.CS_LEAD, 'mutation($id: ID!, $s: IncidentStatus!) { setIncidentStatus(id: $id, status: $s) { id } }', {
          id,
          s: i % 2 ? 'ACKNOWLEDGED' : 'RESOLVED',
        }),
      ),
    );
    expect(moved.flatMap((r) => r.errors ?? [])).toEqual([]);
    await Promise.all(
      ids.filter((_, i) => i % 2 === 0).map((id) => h.gql(h.keys.AGENT, 'mutation($id: ID!) { recordSatisfaction(incidentId: $id, score: 4) { id } }', { id })),
    );

    const rows = await h.gql(h.keys.ANALYST, '{ incidentAggregates(groupBy: [MONTH, STATUS]) { keys count surveyed totalAmount } }');
    expect(rows.data.incidentAggregates).toEqual([
      { keys: ['2026-10', 'ACKNOWLEDGED'], count: 12, surveyed: 0, totalAmount: '156.12' }, // 2+4+…+24 yuan and 12 fen
      { keys: ['2026-10', 'RESOLVED'], count: 12, surveyed: 12, totalAmount: '144.12' }, // 1+3+…+23
    ]);
    const incremental = await cells();
    await h.app.services.tx.run((em) => rebuildIncidentRollups(em));
    expect(await cells()).toEqual(incremental);
  });

  it('backfills periods, channel and repeat counts of incidents reported before the migration, as the service stores them', async () => {
    h.clock.set(new Date('2026-10-31T15:59:00Z'));
    for (let i = 0; i < 4; i++) {
      await report({ customer: { id: 'BF-1' }, channel: i % 2 ? 'app' : null });
      h.clock.advance(i === 0 ? 60_000 : 24 * 3_600_000); // the second is 2026-11-01 00:00 in Shanghai
    }
    await report({ customer: { id: 'BF-1' }, drill: true });
    const columns = 'id, business_month, business_week, business_day, channel, repeat_incidents_30d';
    const stored = await h.app.services.ds.query(`SELECT ${columns} FROM incidents ORDER BY id`);
    expect(stored.slice(-5).map((r: any) => [r.business_day, r.channel, Number(r.repeat_incidents_30d)])).toEqual([
      ['2026-10-31', null, 0],
      ['2026-11-01', 'app', 1],
      ['2026-11-02', null, 2],
      ['2026-11-03', 'app', 3],
      ['2026-11-04', null, 4],
    ]);
    const before = await cells();

    const migration = new IncidentStatistics1732300000060();
    const runner = h.app.services.ds.createQueryRunner();
    try {
      await migration.down(runner);
      await migration.up(runner);
    } finally {
      await runner.release();
    }
    expect(await h.app.services.ds.query(`SELECT ${columns} FROM incidents ORDER BY id`)).toEqual(stored);
    expect(await cells()).toEqual(before);
  });
});
