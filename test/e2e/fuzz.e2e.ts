import fc from 'fast-check';
import request from 'supertest';
import { Harness, REPORT, ref, startHarness } from './support/harness';

/**
 * Property-based fuzzing of the contract's inputs: whatever arrives, the answer is data or a
 * coded error — never INTERNAL_SERVER_ERROR, never a stack trace — and text that is stored
 * comes back byte for byte.
 */
const CODED = new Set([
  'BAD_USER_INPUT',
  'CONFLICT',
  'NOT_FOUND',
  'FORBIDDEN',
  'GRAPHQL_VALIDATION_FAILED',
  'GRAPHQL_PARSE_FAILED',
  'BAD_REQUEST',
  'RULES_INVALID',
]);
const RUNS = Number(process.env.FUZZ_RUNS ?? 150);

const nasty = fc.constantFrom(
  "'; DROP TABLE incidents; --",
  '" OR 1=1 --',
  '<script>alert(1)</script>',
  '{{amount}}',
  '${process.exit()}',
  '../../etc/passwd',
  '\u0000',
  '\ud800',
  '𠮷野家',
  '🔥🧯',
  'Ω≈ç√∫',
  'NaN',
  '-0',
  '1e309',
  ' ',
  '',
  'null',
  'x'.repeat(5000),
);
const anyValue = fc.oneof(
  fc.string(),
  fc.string({ unit: 'grapheme' }),
  nasty,
  fc.integer(),
  fc.double(),
  fc.bigInt().map(String),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.string(), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.string(), { maxKeys: 3 }),
  fc.letrec((tie) => ({ deep: fc.oneof({ depthSize: 'small' }, fc.constant('leaf'), fc.dictionary(fc.constant('a'), tie('deep'), { maxKeys: 1 })) })).deep,
);
const FIELDS = [
  'source',
  'externalRef',
  'category',
  'subtype',
  'occurredAt',
  'amount',
  'propertyOwner',
  'injured',
  'outageMinutes',
  'escalating',
  'mediaAttention',
  'legalThreat',
  'channel',
  'location',
  'orderNo',
  'description',
  'customer',
  'drill',
];

describe('fuzzing the contract inputs', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ env: { RATE_LIMIT_PER_MINUTE: '0' } });
  });
  afterAll(async () => h.close());

  function expectCoded(body: any) {
    const text = JSON.stringify(body);
    expect(text).not.toMatch(/stacktrace|\bat \S+\.(ts|js):\d+/);
    for (const e of body.errors ?? []) {
      expect(CODED).toContain(e.extensions?.code);
    }
  }

  it('reportIncident: random values in every field answer with data or a coded error', async () => {
    await fc.assert(
      fc.asyncProperty(fc.dictionary(fc.constantFrom(...FIELDS), anyValue, { maxKeys: 8 }), fc.boolean(), async (fields, valid) => {
        const input = valid ? { source: 'erp', externalRef: ref('FZ'), category: 'SERVICE', ...fields } : fields;
        const res = await request(h.app.server)
          .post('/graphql')
          .set('content-type', 'application/json')
          .set('authorization', `Bearer ${h.keys.AGENT}`)
          .send({ query: REPORT, variables: { input } });
        expect(res.status).toBeLessThan(500);
        expectCoded(res.body);
      }),
      { numRuns: RUNS },
    );
  });

  it('other operations: random ids, codes, amounts, cursors and filters answer with coded errors', async () => {
    const ops: Array<(v: any) => [string, Record<string, unknown>]> = [
      (v) => [`query($id: ID!) { incident(id: $id) { id } }`, { id: v }],
      (v) => [`query($a: String) { incidents(after: $a, first: 5) { totalCount } }`, { a: v }],
      (v) => [`query($f: IncidentFilter) { incidents(filter: $f) { totalCount } }`, { f: v }],
      (v) => [`mutation($id: ID!, $s: IncidentStatus!) { setIncidentStatus(id: $id, status: $s) { id } }`, { id: v, s: v }],
      (v) => [`mutation($id: ID!, $c: String!) { completeAction(incidentId: $id, code: $c) { id } }`, { id: '1', c: v }],
      (v) => [`mutation($id: ID!, $s: Int!) { recordSatisfaction(incidentId: $id, score: $s) { id } }`, { id: v, s: v }],
      (v) => [`mutation($i: RequestRefundInput!) { requestRefund(input: $i) { id } }`, { i: { incidentId: '1', amount: v, method: v } }],
      (v) => [`mutation($i: DecideRefundStepInput!) { decideRefundStep(input: $i) { id } }`, { i: { refundId: v, step: v, decision: 'APPROVE' } }],
      (v) => [`query($m: String!) { monthlyRefundReport(month: $m) { totalCount } }`, { m: v }],
      (v) => [`query($i: ReportIncidentInput!) { evaluate(input: $i) { severity } }`, { i: { source: 'erp', externalRef: 'x', category: v, amount: v } }],
    ];
    await fc.assert(
      fc.asyncProperty(fc.nat(ops.length - 1), anyValue, async (i, v) => {
        const [query, variables] = ops[i](v);
        const res = await request(h.app.server)
          .post('/graphql')
          .set('content-type', 'application/json')
          .set('authorization', `Bearer ${h.keys.ADMIN}`)
          .send({ query, variables });
        expect(res.status).toBeLessThan(500);
        expectCoded(res.body);
      }),
      { numRuns: RUNS },
    );
  });

  it('stores free text byte for byte (unicode, injection strings, emoji)', async () => {
    const textArb = fc.oneof(
      fc.string({ unit: 'grapheme', maxLength: 200 }),
      // eslint-disable-next-line no-control-regex -- control characters are what this input leaves out
      fc.string({ unit: 'binary', maxLength: 100 }).filter((s) => s.isWellFormed() && !/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(s)),
      nasty.filter((s) => s.length < 500 && s !== '\u0000' && s !== '\ud800'),
    );
    await fc.assert(
      fc.asyncProperty(textArb, textArb, textArb, async (description, location, name) => {
        const externalRef = ref('BYTES');
        const res = await h.gql(
          h.keys.AGENT,
          `mutation($i: ReportIncidentInput!) { reportIncident(input: $i) { incident { id description location customer { name } } } }`,
          { i: { source: 'erp', externalRef, category: 'SERVICE', description, location, customer: { name } } },
        );
        expect(res.errors).toBeUndefined();
        const read = await h.gql(h.keys.AGENT, `query($id: ID!) { incident(id: $id) { description location customer { name } } }`, {
          id: res.data.reportIncident.incident.id,
        });
        expect(read.data.incident).toEqual({ description, location, customer: { name } });
      }),
      { numRuns: Math.ceil(RUNS / 3) },
    );
  });

  it('keeps keys exact: externalRefs differing only in case or accents are different incidents', async () => {
    const base = ref('Case');
    const a = await h.gql(h.keys.AGENT, REPORT, { input: { source: 'erp', externalRef: `${base}-a`, category: 'SERVICE' } });
    const b = await h.gql(h.keys.AGENT, REPORT, { input: { source: 'erp', externalRef: `${base}-A`, category: 'SERVICE' } });
    const c = await h.gql(h.keys.AGENT, REPORT, { input: { source: 'erp', externalRef: `${base}-á`, category: 'SERVICE' } });
    const ids = [a, b, c].map((r) => r.data.reportIncident.incident.id);
    expect(new Set(ids).size).toBe(3);
  });

  it('survives SQL injection attempts with the tables intact', async () => {
    const res = await h.gql(h.keys.ADMIN, `{ incidents(filter: { customerId: "'; DROP TABLE incidents; --" }) { totalCount } }`);
    expect(res.data.incidents.totalCount).toBe(0);
    const code = await h.gql(h.keys.ADMIN, `{ incidents(filter: { category: ["'; DROP TABLE incidents; --"] }) { totalCount } }`);
    expect(code.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'filter.category[0]' });
    const count = await h.gql(h.keys.ADMIN, `{ incidents { totalCount } }`);
    expect(count.data.incidents.totalCount).toBeGreaterThan(0);
  });
});
