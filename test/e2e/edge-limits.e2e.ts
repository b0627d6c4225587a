import request from 'supertest';
import { Harness, REPORT, ref, startHarness } from './support/harness';

const post = (h: Harness, key: string | null, body: unknown) => {
  const req = request(h.app.server).post('/graphql').set('content-type', 'application/json');
  if (key !== null) req.set('authorization', `Bearer ${key}`);
  return req.send(body as object);
};

/** What a malformed or hostile document gets: a coded 4xx before anything runs, never a 500. */
describe('documents refused before they run', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ env: { GRAPHQL_MAX_TOKENS: '1000', METRICS_TOKEN: 'scrape' } });
  });
  afterAll(async () => h.close());

  it('answers a syntax error and a document over the token limit with 400 GRAPHQL_PARSE_FAILED', async () => {
    for (const query of ['{ catalog { ', '{ catalog { actions } ', 'query { ' + Array.from({ length: 600 }, (_, i) => `a${i}: __typename`).join(' ') + ' }']) {
      const res = await post(h, h.keys.ADMIN, { query });
      expect(res.status).toBe(400);
      expect(res.body.errors[0].extensions.code).toBe('GRAPHQL_PARSE_FAILED');
      expect(JSON.stringify(res.body)).not.toMatch(/stacktrace|\.ts:\d+/);
    }
  });

  it('answers a deeply nested literal with a coded 400, never a stack overflow, whether POSTed, batched or in a GET', async () => {
    const lists = `{ incidents(filter: { category: ${'['.repeat(450)}"FIRE"${']'.repeat(450)} }) { totalCount } }`;
    const objects = `{ incidents(filter: ${'{ a: '.repeat(300)}1${' }'.repeat(300)}) { totalCount } }`;
    for (const query of [lists, objects]) {
      const res = await post(h, h.keys.ADMIN, { query });
      expect(res.status).toBe(400);
      expect(res.body.errors[0].extensions).toMatchObject({ code: 'GRAPHQL_PARSE_FAILED', maxNesting: expect.any(Number) });
      expect(JSON.stringify(res.body)).not.toMatch(/Maximum call stack|stacktrace/);
    }
    expect((await post(h, h.keys.ADMIN, [{ query: '{ __typename }' }, { query: lists }])).status).toBe(400);
    const get = await request(h.app.server)
      .get('/graphql')
      .query({ query: lists })
      .set('authorization', `Bearer ${h.keys.ADMIN}`)
      .set('apollo-require-preflight', 'true');
    expect(get.status).toBe(400);
    // Braces inside strings are text, not nesting.
    const text = await post(h, h.keys.ADMIN, { query: `{ incidents(filter: { category: ["${'{'.repeat(200)}"] }) { totalCount } }` });
    expect(text.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
  });

  it('refuses a cyclic selection (incidents → refunds → incident → refunds) before it runs, whatever the data', async () => {
    const cyclic = `{ incidents(first: 1) { edges { node { refunds { incident { refunds { id } } } } } } }`;
    const res = await post(h, h.keys.ADMIN, { query: cyclic });
    expect(res.status).toBe(400);
    expect(res.body.errors[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
    // Through fragments too.
    const viaFragments = `query { incidents(first: 1) { edges { node { ...I } } } } fragment I on Incident { refunds { incident { ...J } } } fragment J on Incident { refunds { id } }`;
    expect((await post(h, h.keys.ADMIN, { query: viaFragments })).body.errors[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
    // Going back once is fine.
    const once = await post(h, h.keys.ADMIN, { query: `{ incidents(first: 1) { edges { node { refunds { incident { id } } } } } }` });
    expect(once.status).toBe(200);
    expect(once.body.errors).toBeUndefined();
  });

  it('keeps /metrics bounded: 40 requests with huge operation names add no series of their own', async () => {
    const scrape = async () => (await request(h.app.server).get('/metrics').set('authorization', 'Bearer scrape')).text;
    // One request of each kind first, so that the series they need exist.
    await post(h, h.keys.ANALYST, { query: `query ${'Q'.repeat(50)} { __typename }` });
    await post(h, h.keys.ANALYST, { query: `query ${'Q'.repeat(50)} { nope }` });
    const before = await scrape();
    for (let i = 0; i < 40; i++) {
      const name = `Op${i}_${'x'.repeat(200_000)}`;
      const res = await post(h, h.keys.ANALYST, { query: `query ${name} { __typename }`, operationName: name });
      expect(res.status).toBe(200);
      await post(h, h.keys.ANALYST, { query: `query ${name}x { nope }` });
    }
    const after = await scrape();
    expect(after).not.toMatch(/Op\d+_x/);
    expect(after).toMatch(/triage_graphql_operations_total\{operation="other",type="query",outcome="OK"\} 41/);
    // Only the counts change: same series, same size within a few bytes per counter.
    const series = (text: string) =>
      text
        .split('\n')
        .filter((l) => l && !l.startsWith('#'))
        .map((l) => l.replace(/ [^ ]+$/, ''))
        .filter((l) => !/process|_seconds_(sum|count|bucket)|_bytes|triage_http/.test(l));
    expect(series(after).sort()).toEqual(series(before).sort());
    // Counters, histogram buckets and process gauges grow by a digit here and there; one label per
    // request would add 200 KB each.
    expect(after.length).toBeLessThan(before.length + 20_000);
    // The schema's own operation names stay as they are.
    await post(h, h.keys.ANALYST, { query: 'query activeRuleSet { activeRuleSet { version } }' });
    expect(await scrape()).toMatch(/operation="activeRuleSet"/);
  });
});

describe('budgets per HTTP request', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({
      env: { GRAPHQL_MAX_COST: '500', MAX_PAGE_SIZE: '100', RATE_LIMIT_PER_MINUTE: '12', GRAPHQL_MAX_BATCH: '10', GRAPHQL_MAX_ALIASES: '10' },
    });
  });
  afterAll(async () => h.close());

  it('sums the cost of a batch: each operation alone fits, together they do not', async () => {
    // 1 + 30 × (1 + 9) ≈ 300 each: under 500 alone, over it twice.
    const q = `{ incidents(first: 30) { edges { node { id severity status category subtype amount version source } } } }`;
    const one = await post(h, h.keys.ADMIN, { query: q });
    expect(one.body.errors).toBeUndefined();
    const two = await post(h, h.keys.ADMIN, [{ query: q }, { query: q }]);
    expect(two.status).toBe(400);
    const [first, second] = two.body;
    expect(first.errors).toBeUndefined();
    expect(second.errors[0].extensions).toMatchObject({ code: 'GRAPHQL_VALIDATION_FAILED', maxCost: 500 });
  });

  it('counts operations against the rate limit, not HTTP requests: each of a batch, each aliased mutation', async () => {
    const key = await h.key('edge-rate', ['INTEGRATION'], 'erp');
    // 12 a minute: one batch of 10 queries spends 10 of them.
    const batch = await post(
      h,
      key,
      Array.from({ length: 10 }, () => ({ query: '{ activeRuleSet { version } }' })),
    );
    expect(batch.status).toBe(200);
    // A mutation with three aliased reports is three: over the remaining two, refused before it runs.
    const aliased = `mutation { ${[1, 2, 3].map((i) => `r${i}: reportIncident(input: { source: "erp", externalRef: "${ref('RATE')}", category: "SERVICE" }) { created }`).join(' ')} }`;
    const refused = await post(h, key, { query: aliased });
    expect(refused.status).toBe(429);
    expect(refused.body.errors[0].extensions.code).toBe('RATE_LIMITED');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    const [{ n }] = await h.app.services.ds.query(`SELECT COUNT(*) AS n FROM incidents WHERE external_ref LIKE 'RATE-%'`);
    expect(Number(n)).toBe(0);
    // Another key is unaffected.
    expect((await post(h, h.keys.ERP, { query: aliased.replace(/RATE-[^"]+/g, () => ref('OTHER')) })).body.data).toMatchObject({
      r1: { created: true },
      r3: { created: true },
    });
  });

  it('throttles keyless requests by client address', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 14; i++) statuses.push((await post(h, null, { query: '{ __typename }' })).status);
    expect(statuses.slice(0, 12).every((s) => s === 200)).toBe(true);
    expect(statuses.slice(12)).toEqual([429, 429]);
  });
});

describe('a time budget per HTTP request', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ env: { GRAPHQL_TIMEOUT_MS: '1' } });
    for (let i = 0; i < 5; i++) await h.gql(h.keys.ERP, REPORT, { input: { source: 'erp', externalRef: ref('SLOW'), category: 'SERVICE' } });
  });
  afterAll(async () => h.close());

  it('cancels a request that runs past it: 503 REQUEST_TIMEOUT, told once', async () => {
    const res = await post(h, h.keys.ADMIN, {
      query: `{ incidents(first: 50) { edges { node { id history { kind } refunds { id } clock { paused } breaches { id } } } } }`,
    });
    expect(res.status).toBe(503);
    const codes = res.body.errors.map((e: { extensions: { code: string } }) => e.extensions.code);
    expect(codes).toEqual(['REQUEST_TIMEOUT']);
    expect(res.body.errors[0].extensions.timeoutMs).toBe(1);
  });
});
