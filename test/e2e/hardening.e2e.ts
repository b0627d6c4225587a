import request from 'supertest';
import { Harness, startHarness } from './support/harness';

describe('GraphQL hardening', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({
      env: { RATE_LIMIT_PER_MINUTE: '1000', GRAPHQL_MAX_DEPTH: '6', GRAPHQL_MAX_BATCH: '2', MAX_BODY_BYTES: '4096', GRAPHQL_MAX_ALIASES: '3' },
    });
  });
  afterAll(async () => h.close());

  it('refuses a query deeper than the limit before running it', async () => {
    const deep = `{ incidents { edges { node { decision { firedRules { name } } } } } }`;
    const ok = await h.gql(h.keys.ADMIN, deep);
    expect(ok.errors).toBeUndefined();
    const tooDeep = `{ incidents { edges { node { refunds { incident { decision { firedRules { name } } } } } } } }`;
    const res = await h.gql(h.keys.ADMIN, tooDeep);
    expect(res.errors![0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  it('limits aliases', async () => {
    const res = await h.gql(
      h.keys.ADMIN,
      `{ a: catalog { actions } b: catalog { actions } c: catalog { actions } d: catalog { actions } e: catalog { actions } }`,
    );
    expect(res.errors![0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  it('limits the body size and the batch length', async () => {
    const big = await request(h.app.server)
      .post('/graphql')
      .set('content-type', 'application/json')
      .set('authorization', `Bearer ${h.keys.ADMIN}`)
      .send({ query: `{ catalog { actions } }`, variables: { pad: 'x'.repeat(10_000) } });
    expect(big.status).toBe(413);
    const batch = [1, 2, 3].map(() => ({ query: '{ activeRuleSet { version } }' }));
    const tooMany = await request(h.app.server)
      .post('/graphql')
      .set('content-type', 'application/json')
      .set('authorization', `Bearer ${h.keys.ADMIN}`)
      .send(batch);
    expect(tooMany.status).toBe(400);
    const two = await request(h.app.server)
      .post('/graphql')
      .set('content-type', 'application/json')
      .set('authorization', `Bearer ${h.keys.ADMIN}`)
      .send(batch.slice(0, 2));
    expect(two.status).toBe(200);
    expect(two.body).toHaveLength(2);
  });

  it('blocks cross-site simple requests (CSRF prevention)', async () => {
    const res = await request(h.app.server).get('/graphql').query({ query: '{ activeRuleSet { version } }' }).set('authorization', `Bearer ${h.keys.ADMIN}`);
    expect(res.status).toBe(400);
    const ok = await request(h.app.server)
      .get('/graphql')
      .query({ query: '{ activeRuleSet { version } }' })
      .set('authorization', `Bearer ${h.keys.ADMIN}`)
      .set('apollo-require-preflight', 'true');
    expect(ok.status).toBe(200);
  });

  it('answers garbage with a coded error and no stack trace', async () => {
    const notJson = await request(h.app.server).post('/graphql').set('content-type', 'application/json').send('{nope');
    expect(notJson.status).toBe(400);
    const syntax = await h.gql(h.keys.ADMIN, `{ catalog { `);
    expect(['GRAPHQL_PARSE_FAILED', 'GRAPHQL_VALIDATION_FAILED']).toContain(syntax.errors![0].extensions.code);
    expect(JSON.stringify(syntax)).not.toMatch(/stacktrace|\.ts:\d+/);
    const unknownPath = await request(h.app.server).get('/nothing');
    expect(unknownPath.status).toBe(404);
  });
});

describe('rate limits per API key', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ env: { RATE_LIMIT_PER_MINUTE: '5' } });
  });
  afterAll(async () => h.close());

  it('answers 429 RATE_LIMITED with a retry hint once a key is over its limit, other keys unaffected', async () => {
    const send = (key: string) =>
      request(h.app.server)
        .post('/graphql')
        .set('content-type', 'application/json')
        .set('authorization', `Bearer ${key}`)
        .send({ query: '{ activeRuleSet { version } }' });
    for (let i = 0; i < 5; i++) expect((await send(h.keys.ANALYST)).status).toBe(200);
    const limited = await send(h.keys.ANALYST);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(limited.body.errors[0].extensions.code).toBe('RATE_LIMITED');
    expect((await send(h.keys.AGENT)).status).toBe(200);
  });

  it('counts the report exports against the same budget: an over-limit key gets 429 there too', async () => {
    const csv = () => request(h.app.server).get('/reports/refunds/monthly/2026-10.csv').set('authorization', `Bearer ${h.keys.ACCOUNTANT}`);
    for (let i = 0; i < 5; i++) expect((await csv()).status).toBe(200);
    const limited = await csv();
    expect(limited.status).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(limited.body.errors[0].extensions).toMatchObject({ code: 'RATE_LIMITED' });
    // One budget per key: GraphQL is refused to it as well.
    const gql = await request(h.app.server)
      .post('/graphql')
      .set('content-type', 'application/json')
      .set('authorization', `Bearer ${h.keys.ACCOUNTANT}`)
      .send({ query: '{ activeRuleSet { version } }' });
    expect(gql.status).toBe(429);
  });
});

describe('query cost', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ env: { GRAPHQL_MAX_COST: '500', MAX_PAGE_SIZE: '100' } });
  });
  afterAll(async () => h.close());

  it('counts pages at the size they really return, variables included', async () => {
    const q = `query($n: Int) { incidents(first: $n) { edges { node { id severity ownerDepartment decision { firedRules { name stage } } } } } }`;
    expect((await h.gql(h.keys.ADMIN, q, { n: 10 })).errors).toBeUndefined();
    // first is capped at MAX_PAGE_SIZE, so a huge first costs what 100 rows cost — over 500 here.
    const big = await h.gql(h.keys.ADMIN, q, { n: 1_000_000 });
    expect(big.errors![0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(big.errors![0].extensions.cost).toBeLessThan(100_000);
    // A cheap selection may ask for a huge page: it is simply capped.
    expect((await h.gql(h.keys.ADMIN, `{ incidents(first: 1000000) { totalCount edges { cursor } } }`)).errors).toBeUndefined();
  });
});
