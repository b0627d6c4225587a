import request from 'supertest';
import { Harness, onDatabaseServer, startHarness } from './support/harness';

const post = (h: Harness, key: string | null, body: unknown) => {
  const req = request(h.app.server).post('/graphql').set('content-type', 'application/json');
  if (key !== null) req.set('authorization', `Bearer ${key}`);
  return req.send(body as object);
};

/** The door every request goes through: which status a bad key, an outage or a guesser gets. */
describe('authentication at the HTTP edge', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ databaseProxy: true });
  });
  afterAll(async () => h.close());

  it('answers an unknown, malformed or revoked key with 401, WWW-Authenticate and UNAUTHENTICATED, on GraphQL and the downloads', async () => {
    const revoked = await h.key('edge-revoked', ['ANALYST']);
    expect((await post(h, revoked, { query: '{ __typename }' })).status).toBe(200);
    await h.app.services.apiKeys.revoke('edge-revoked');
    for (const key of ['trg_x', 'not-a-key', revoked]) {
      const res = await post(h, key, { query: '{ __typename }' });
      expect(res.status).toBe(401);
      expect(res.headers['www-authenticate']).toMatch(/^Bearer/);
      expect(res.body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
    }
    const batch = await post(h, 'trg_x', [{ query: '{ __typename }' }, { query: '{ __typename }' }]);
    expect(batch.status).toBe(401);
    const csv = await request(h.app.server).get('/reports/refunds/monthly/2026-10.csv').set('authorization', 'Bearer trg_x');
    expect(csv.status).toBe(401);
    expect(csv.headers['www-authenticate']).toMatch(/^Bearer/);
    expect(csv.body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
  });

  // SQLite is a file in the process: only a database server can go away under a running service.
  const onServer = onDatabaseServer ? it : it.skip;
  onServer('answers 503 SERVICE_UNAVAILABLE with Retry-After while the database is down, then recovers', async () => {
    const proxy = h.databaseProxy!;
    await proxy.cut();
    try {
      const gql = await post(h, h.keys.ANALYST, { query: '{ activeRuleSet { version } }' });
      expect(gql.status).toBe(503);
      expect(Number(gql.headers['retry-after'])).toBeGreaterThan(0);
      expect(gql.body.errors[0].extensions.code).toBe('SERVICE_UNAVAILABLE');
      expect(JSON.stringify(gql.body)).not.toMatch(/ECONNREFUSED|stacktrace|\.ts:\d+/);
      const csv = await request(h.app.server).get('/reports/refunds/monthly/2026-10.csv').set('authorization', `Bearer ${h.keys.ACCOUNTANT}`);
      expect(csv.status).toBe(503);
      expect(Number(csv.headers['retry-after'])).toBeGreaterThan(0);
      expect(csv.body.errors[0].extensions.code).toBe('SERVICE_UNAVAILABLE');
    } finally {
      await proxy.restore();
    }
    let status = 0;
    for (let i = 0; i < 20 && status !== 200; i++) {
      status = (await post(h, h.keys.ANALYST, { query: '{ activeRuleSet { version } }' })).status;
      if (status !== 200) await new Promise((r) => setTimeout(r, 250));
    }
    expect(status).toBe(200);
  });
});

describe('failed authentication throttled per client address', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ env: { AUTH_FAILURES_PER_MINUTE: '5' } });
  });
  afterAll(async () => h.close());

  it('refuses an address with 429 once it has failed authentication too often in a minute, before looking any key up', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) statuses.push((await post(h, `trg_guess${i}`, { query: '{ __typename }' })).status);
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429, 429, 429]);
    const limited = await post(h, 'trg_guess9', { query: '{ __typename }' });
    expect(limited.body.errors[0].extensions.code).toBe('RATE_LIMITED');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    // The downloads are the same door.
    expect((await request(h.app.server).get('/reports/refunds/monthly/2026-10.csv').set('authorization', 'Bearer trg_guess10')).status).toBe(429);
  });
});
