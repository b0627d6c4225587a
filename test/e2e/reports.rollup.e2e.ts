import { rebuildRefundRollups } from '../../src/reports/refund-rollup.store';
import { Harness, startHarness } from './support/harness';
import { refundKit } from './support/refunds';

/** The monthly rollup under concurrent refund writes: no lost update, no deadlock, equal to a rebuild. */
describe('refund rollup under concurrency', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ now: new Date('2026-10-12T02:00:00Z') });
  });
  afterAll(async () => {
    await h.close();
  });

  const cells = async () =>
    (
      await h.app.services.ds.query(
        'SELECT business_month, drill, category, bank, method, status, owner_department, refund_count, total_fen, paid_count, pay_ms, late_steps FROM refund_rollups WHERE refund_count <> 0 ORDER BY business_month, category, bank, method, status',
      )
    )
      .map((c: Record<string, unknown>) => Object.values(c).map(String).join('|'))
      .concat(
        (await h.app.services.ds.query('SELECT * FROM refund_pending_steps ORDER BY refund_id')).map((p: Record<string, unknown>) =>
          Object.values(p).map(String).join('|'),
        ),
      );

  // New cells are created concurrently too (three banks): the upsert must neither lose an update nor deadlock.
  const BANKS = ['招商银行', '工商银行', '建设银行'];

  it('keeps every cell exact when refunds are requested and approved at the same time', async () => {
    const k = refundKit(h);
    const n = 24;
    const incidents = await Promise.all(Array.from({ length: n }, () => k.incident({ category: 'OVERCHARGE', amount: '100.00' })));
    const requested = await Promise.all(
      incidents.map((id, i) => k.request(h.keys.AGENT, { incidentId: id, amount: `${10 + i}.01`, bank: BANKS[i % BANKS.length] })),
    );
    expect(requested.flatMap((r) => r.errors ?? [])).toEqual([]);
    h.clock.advance(10 * 60_000);
    const ids = requested.map((r) => r.data.requestRefund.id);
    const approved = await Promise.all(ids.map((id) => k.decide(h.keys.CASHIER, id, 'CASHIER_CHECK')));
    expect(approved.flatMap((r) => r.errors ?? [])).toEqual([]);

    const agg = await h.gql(h.keys.ANALYST, '{ refundAggregates(groupBy: [MONTH, STATUS]) { keys count totalAmount } }');
    const expectedFen = Array.from({ length: n }, (_, i) => BigInt((10 + i) * 100 + 1)).reduce((s, f) => s + f, 0n);
    expect(agg.data.refundAggregates).toEqual([
      { keys: ['2026-10', 'IN_APPROVAL'], count: n, totalAmount: `${expectedFen / 100n}.${String(expectedFen % 100n).padStart(2, '0')}` },
    ]);
    const incremental = await cells();
    await h.app.services.tx.run((em) => rebuildRefundRollups(em));
    expect(await cells()).toEqual(incremental);
  });
});
