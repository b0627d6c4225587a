import { Harness, REPORT, ref, startHarness } from './support/harness';

describe('scratch', () => {
  let h: Harness;
  beforeAll(async () => { h = await startHarness({ now: new Date('2026-10-10T02:00:00Z') }); });
  afterAll(async () => h.close());
  it('prints', async () => {
    for (const [cat, sub] of [['SERVICE', 'SLOW_RESPONSE'], ['SERVICE', 'ATTITUDE'], ['PRODUCT_QUALITY', 'COSMETIC_DEFECT']]) {
      const r = await h.gql(h.keys.AGENT, REPORT, { input: { source: 'erp', externalRef: ref(), category: cat, subtype: sub, customer: { id: 'X' } } });
      console.log(JSON.stringify(r.data?.reportIncident.incident ?? r.errors, null, 0));
    }
    const s = await h.gql(h.keys.ANALYST, '{ incidentAggregates(groupBy: [MONTH, CATEGORY]) { keys count totalAmount repeatCustomerIncidents } }');
    console.log(JSON.stringify(s));
  });
});
