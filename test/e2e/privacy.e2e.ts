import { Harness, REPORT, ref, startHarness } from './support/harness';

describe('privacy of customer data over GraphQL', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h.close();
  });

  const phoneAs = async (key: string, phone: string) => {
    const input = { source: 'erp', externalRef: ref('PH'), category: 'SERVICE', customer: { id: `C-${ref()}`, phone } };
    const id = (await h.gql(h.keys.AGENT, REPORT, { input })).data.reportIncident.incident.id;
    return (await h.gql(key, `query($id: ID!) { incident(id: $id) { customer { phone } } }`, { id })).data.incident.customer.phone;
  };

  it.each([
    ['87654321', '******21'],
    ['021-8765-4321', '***-****-*321'],
    ['0755 1234 5678', '**** **** 5678'],
    ['+86 21 8765 4321', '+** ** **** *321'],
    ['021-12345678-801', '***-*******8-801'],
    ['12345', '****5'],
    ['13812345678', '138****5678'],
    ['+86 138-1234-5678', '+86 138****5678'],
  ])('TECH sees %p as %p; AGENT sees it whole', async (phone, masked) => {
    expect(await phoneAs(h.keys.TECH, phone)).toBe(masked);
    expect(await phoneAs(h.keys.AGENT, phone)).toBe(phone);
  });
});

describe("a customer's history across sources", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h.close();
  });

  const DECISION = 'severity firedRules { name facts reasonZh reasonEn }';
  const EVALUATE = `query($input: ReportIncidentInput!) { evaluate(input: $input) { ${DECISION} } }`;
  const READ = `query($id: ID!) { incident(id: $id) { severity repeatIncidents30d decision { ${DECISION} } } }`;

  it('decides with every source (the same customer) but never shows an INTEGRATION key the count', async () => {
    const customer = { id: `C-${ref()}`, name: '李四' };
    const input = (source: string) => ({ source, externalRef: ref('HX'), category: 'SERVICE', subtype: 'ATTITUDE', customer });
    const before = (await h.gql(h.keys.ERP, EVALUATE, { input: input('erp') })).data.evaluate;
    for (let i = 0; i < 3; i++) expect((await h.gql(h.keys.CRM, REPORT, { input: input('crm') })).errors).toBeUndefined();
    h.clock.advance(60_000);

    const evaluated = (await h.gql(h.keys.ERP, EVALUATE, { input: input('erp') })).data.evaluate;
    const reported = (await h.gql(h.keys.ERP, REPORT, { input: input('erp') })).data.reportIncident.incident;
    // Decided over both sources: the three crm reports escalate the erp one.
    expect(evaluated.severity).not.toBe(before.severity);
    const asErp = (await h.gql(h.keys.ERP, READ, { id: reported.id })).data.incident;
    const asAgent = (await h.gql(h.keys.AGENT, READ, { id: reported.id })).data.incident;
    expect(asErp.severity).toBe(evaluated.severity);
    expect(asAgent.repeatIncidents30d).toBe(3);
    expect(asErp.repeatIncidents30d).toBe(0); // its own source's history only
    for (const shown of [evaluated, asErp.decision]) {
      const text = JSON.stringify(shown.firedRules);
      expect(text).not.toContain('repeatIncidents30d');
      expect(text).not.toMatch(/(?<!\d)3(?!\d)次|had 3 /);
    }
    const fired = asAgent.decision.firedRules.find((r: any) => r.facts && 'repeatIncidents30d' in r.facts);
    expect(fired.facts.repeatIncidents30d).toBe(3);
    expect(fired.reasonZh).toContain('3次');
  });
});
