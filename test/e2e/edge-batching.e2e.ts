import { Harness, startHarness } from './support/harness';
import { queryCounter } from './support/query-counter';
import { refundKit } from './support/refunds';

/** Nested lists read in batches (DataLoader): a page costs the same number of statements whatever its length. */
describe('nested reads batched per request', () => {
  let h: Harness;
  let counter: ReturnType<typeof queryCounter>;
  beforeAll(async () => {
    h = await startHarness();
    const k = refundKit(h);
    for (let i = 0; i < 8; i++) {
      const incidentId = await k.incident({ category: 'OVERCHARGE', amount: '300.00', orderNo: `SO-B${i}`, customer: { id: `C-B${i}`, phone: '13812345678' } });
      await k.requested(incidentId, '10.00');
      if (i % 2 === 0) await k.requested(incidentId, '20.00');
    }
    counter = queryCounter(h.app.services.ds);
  });
  afterAll(async () => h.close());

  const PAGE = `query($n: Int) { incidents(first: $n) { edges { node {
    id history { kind } clock { paused } escalationLevel breaches { id }
    refunds { id steps { step breached } history { toStatus } incident { id status } }
  } } } }`;

  it('reads a page of incidents with their refunds, steps, histories and incidents in a fixed number of statements', async () => {
    const small = await counter.during(() => h.gql(h.keys.ADMIN, PAGE, { n: 2 }));
    const large = await counter.during(() => h.gql(h.keys.ADMIN, PAGE, { n: 8 }));
    expect(small.result.errors).toBeUndefined();
    expect(large.result.errors).toBeUndefined();
    const edges = large.result.data.incidents.edges;
    expect(edges).toHaveLength(8);
    expect(edges.reduce((n: number, e: any) => n + e.node.refunds.length, 0)).toBe(12);
    // Each refund's incident is its own, with the same refunds.
    for (const e of edges) for (const r of e.node.refunds) expect(r.incident.id).toBe(e.node.id);
    if (process.env.SHOW_STATEMENTS) console.log(small.statements.length, large.statements.length, large.statements.join('\n'));
    expect(large.statements.length).toBe(small.statements.length);
    expect(large.statements.length).toBeLessThanOrEqual(20);
  });
});
