import request from 'supertest';
import { Harness, startHarness } from './support/harness';
import { refundKit, REQUEST } from './support/refunds';

/** Idempotency keys with Stripe's semantics: the field of requestRefund, and the header of every mutation. */
describe('idempotency keys', () => {
  let h: Harness;
  let k: ReturnType<typeof refundKit>;
  beforeAll(async () => {
    h = await startHarness();
    k = refundKit(h);
  });
  afterAll(async () => {
    await h.close();
  });

  const refundsOf = async (incidentId: string) =>
    (await h.gql(h.keys.ADMIN, `query($id: ID!) { incident(id: $id) { refunds { id amount } } }`, { id: incidentId })).data.incident.refunds;
  const post = (key: string, body: unknown, idempotencyKey?: string) => {
    const req = request(h.app.server).post('/graphql').set('content-type', 'application/json').set('authorization', `Bearer ${key}`);
    if (idempotencyKey !== undefined) req.set('idempotency-key', idempotencyKey);
    return req.send(body as object);
  };

  it('requestRefund with idempotencyKey: a retry answers the first refund, another input under the key is CONFLICT, the key is kept 24 hours', async () => {
    const incidentId = await k.incident({ category: 'OVERCHARGE', amount: '500.00' });
    const input = { incidentId, amount: '100.00', method: 'ORIGINAL_PAYMENT', bank: '招商银行', idempotencyKey: 'refund-5f0c-1' };
    const first = await h.gql(h.keys.AGENT, REQUEST, { input });
    const again = await h.gql(h.keys.AGENT, REQUEST, {
      input: { bank: '招商银行', method: 'ORIGINAL_PAYMENT', amount: '100.00', incidentId, idempotencyKey: 'refund-5f0c-1' },
    });
    expect(again.errors).toBeUndefined();
    expect(again.data.requestRefund.id).toBe(first.data.requestRefund.id);
    const other = await h.gql(h.keys.AGENT, REQUEST, { input: { ...input, amount: '120.00' } });
    expect(other.errors![0].extensions).toMatchObject({ code: 'CONFLICT', field: 'input.idempotencyKey' });
    // Another caller's key of the same name is its own.
    const mine = await h.gql(h.keys.CS_LEAD, REQUEST, { input });
    expect(mine.data.requestRefund.id).not.toBe(first.data.requestRefund.id);
    expect(await refundsOf(incidentId)).toHaveLength(2);
    h.clock.advance(24 * 3600_000 + 60_000);
    const later = await h.gql(h.keys.AGENT, REQUEST, { input });
    expect(later.data.requestRefund.id).not.toBe(first.data.requestRefund.id);
    expect(await refundsOf(incidentId)).toHaveLength(3);
  });

  it('refuses a malformed key with BAD_USER_INPUT on the field', async () => {
    const incidentId = await k.incident({ category: 'OVERCHARGE', amount: '50.00' });
    for (const idempotencyKey of ['', 'x'.repeat(256), 'with space', '键']) {
      const res = await h.gql(h.keys.AGENT, REQUEST, { input: { incidentId, amount: '1.00', method: 'ORIGINAL_PAYMENT', idempotencyKey } });
      expect(res.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.idempotencyKey' });
    }
    expect(await refundsOf(incidentId)).toHaveLength(0);
  });

  it('10 concurrent retries with one key make one refund, and every one answers it', async () => {
    const incidentId = await k.incident({ category: 'OVERCHARGE', amount: '100.00' });
    const input = { incidentId, amount: '100.00', method: 'ORIGINAL_PAYMENT', idempotencyKey: 'burst-1' };
    const answers = await Promise.all(Array.from({ length: 10 }, () => h.gql(h.keys.AGENT, REQUEST, { input })));
    expect(answers.map((a) => a.errors?.[0]?.extensions?.code ?? 'OK')).toEqual(Array(10).fill('OK'));
    expect(new Set(answers.map((a) => a.data.requestRefund.id)).size).toBe(1);
    expect(await refundsOf(incidentId)).toHaveLength(1);
  });

  it('the Idempotency-Key header: the first answer again for the same body, 409 CONFLICT for another, queries unaffected', async () => {
    const incidentId = await k.incident({ category: 'OVERCHARGE', amount: '300.00' });
    const body = { query: REQUEST, variables: { input: { incidentId, amount: '10.00', method: 'ORIGINAL_PAYMENT' } } };
    const first = await post(h.keys.AGENT, body, 'hdr-1');
    expect(first.status).toBe(200);
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    const again = await post(h.keys.AGENT, body, 'hdr-1');
    expect(again.status).toBe(200);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toEqual(first.body);
    const other = await post(h.keys.AGENT, { ...body, variables: { input: { ...body.variables.input, amount: '11.00' } } }, 'hdr-1');
    expect(other.status).toBe(409);
    expect(other.body.errors[0].extensions).toMatchObject({ code: 'CONFLICT', field: 'Idempotency-Key' });
    expect(await refundsOf(incidentId)).toHaveLength(1);
    // A refusal is an answer too: replayed, not run again.
    const refused = { query: REQUEST, variables: { input: { incidentId, amount: '9999.00', method: 'ORIGINAL_PAYMENT' } } };
    const r1 = await post(h.keys.AGENT, refused, 'hdr-2');
    const r2 = await post(h.keys.AGENT, refused, 'hdr-2');
    expect(r1.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    expect(r2.headers['idempotent-replayed']).toBe('true');
    // Queries ignore the header.
    const q = await post(h.keys.AGENT, { query: '{ activeRuleSet { version } }' }, 'hdr-1');
    expect(q.status).toBe(200);
    expect(q.headers['idempotent-replayed']).toBeUndefined();
    const bad = await post(h.keys.AGENT, body, 'bad key');
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'Idempotency-Key' });
  });

  it('concurrent requests with one header key run the mutation once', async () => {
    const incidentId = await k.incident({ category: 'OVERCHARGE', amount: '300.00' });
    const body = { query: REQUEST, variables: { input: { incidentId, amount: '10.00', method: 'ORIGINAL_PAYMENT' } } };
    const answers = await Promise.all(Array.from({ length: 8 }, () => post(h.keys.AGENT, body, 'hdr-burst')));
    for (const a of answers) expect([200, 409]).toContain(a.status);
    expect(await refundsOf(incidentId)).toHaveLength(1);
  });
});
