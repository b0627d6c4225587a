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
