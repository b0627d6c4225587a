import { SignJWT, importJWK } from 'jose';
import { Harness, REPORT, ref, startHarness } from './support/harness';
import { signingKey, TestOpenIdProvider } from './support/oidc-test-provider';
import { addStaff, gqlAs } from './support/staff-requests';

const ME = '{ me { name roles source staff { employeeNo name roles } } }';
const AUDIENCE = 'https://triage.example.com/graphql';

/** Staff sign-in against a real OpenID Provider on 127.0.0.1: discovery, JWKS, rotation, expiry, audience. */
describe('staff sign-in with OIDC bearer tokens', () => {
  const op = new TestOpenIdProvider(['F01', 'F02', 'F03', 'X99'], AUDIENCE);
  let h: Harness;
  let k1: Awaited<ReturnType<typeof signingKey>>;

  beforeAll(async () => {
    k1 = await signingKey('k1');
    await op.start([k1]);
    h = await startHarness({
      now: new Date(), // the provider's tokens carry the real time
      env: { OIDC_ISSUER: op.issuer, OIDC_AUDIENCE: AUDIENCE, OIDC_EMPLOYEE_CLAIM: 'employee_no', OIDC_JWKS_COOLDOWN_MS: '0' },
    });
    await addStaff(h, [
      { employeeNo: 'F01', name: '张三', department: 'FINANCE', roles: ['CASHIER', 'ACCOUNTANT'] },
      { employeeNo: 'F02', name: '李四', department: 'CUSTOMER_SERVICE', roles: ['AGENT'] },
      { employeeNo: 'F03', name: '王五', department: 'FINANCE', roles: ['FINANCE_DIRECTOR'] },
    ]);
  }, 60_000);
  afterAll(async () => {
    await h?.close();
    await op.stop();
  });

  it("a token from the provider signs a member in, with the directory's roles (not the token's)", async () => {
    const token = await op.token('F01');
    const me = await gqlAs(h, token, null, ME);
    expect(me.data.me).toEqual({
      name: 'F01',
      roles: ['CASHIER', 'ACCOUNTANT'],
      source: null,
      staff: { employeeNo: 'F01', name: '张三', roles: ['CASHIER', 'ACCOUNTANT'] },
    });
    await addStaff(h, [{ employeeNo: 'F01', name: '张三', department: 'FINANCE', roles: ['CASHIER'] }]);
    expect((await gqlAs(h, token, null, ME)).data.me.roles).toEqual(['CASHIER']);
    await addStaff(h, [{ employeeNo: 'F01', name: '张三', department: 'FINANCE', roles: ['CASHIER', 'ACCOUNTANT'] }]);
    // The roles decide: an AGENT signed in reports, a CASHIER may not.
    expect(
      (await gqlAs(h, await op.token('F02'), null, REPORT, { input: { source: 'hall', externalRef: ref('S'), category: 'SERVICE' } })).errors,
    ).toBeUndefined();
    expect((await gqlAs(h, token, null, REPORT, { input: { source: 'hall', externalRef: ref('S'), category: 'SERVICE' } })).errors?.[0].extensions.code).toBe(
      'FORBIDDEN',
    );
  });

  it('follows a key rotation: a token signed with a new key is verified after the JWKS is fetched again', async () => {
    const old = await op.token('F01');
    const k2 = await signingKey('k2');
    await op.stop();
    await op.start([k2, k1]); // same issuer; k2 now signs, k1 still published
    const rotated = await op.token('F01');
    expect(JSON.parse(Buffer.from(rotated.split('.')[0], 'base64url').toString()).kid).toBe('k2');
    expect((await gqlAs(h, rotated, null, ME)).data.me.name).toBe('F01');
    expect((await gqlAs(h, old, null, ME)).data.me.name).toBe('F01');
  });

  it('refuses an expired token, another audience, an unknown or inactive employee, a forged signature', async () => {
    const token = await op.token('F01');
    h.clock.advance(10 * 60 * 1000); // the provider's tokens live 5 minutes
    expect((await gqlAs(h, token, null, ME)).errors?.[0].extensions).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'ERR_JWT_EXPIRED' });
    h.clock.advance(-10 * 60 * 1000);

    const other = await op.token('F01', 'https://another.example.com/api');
    expect((await gqlAs(h, other, null, ME)).errors?.[0].extensions).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'ERR_JWT_CLAIM_VALIDATION_FAILED' });

    expect((await gqlAs(h, await op.token('X99'), null, ME)).errors?.[0].extensions.code).toBe('UNAUTHENTICATED');

    const f03 = await op.token('F03');
    expect((await gqlAs(h, f03, null, ME)).data.me.name).toBe('F03');
    await addStaff(h, [{ employeeNo: 'F03', name: '王五', department: 'FINANCE', roles: ['FINANCE_DIRECTOR'], active: false }]);
    expect((await gqlAs(h, f03, null, ME)).errors?.[0].extensions.code).toBe('UNAUTHENTICATED');

    // The right claims, signed by a key the provider does not publish (its kid copied).
    const forgedKey = await signingKey('k2');
    const forged = await new SignJWT({ employee_no: 'F01' })
      .setProtectedHeader({ alg: 'RS256', kid: 'k2' })
      .setIssuer(op.issuer)
      .setAudience(AUDIENCE)
      .setIssuedAt(Math.floor(h.clock.now().getTime() / 1000))
      .setExpirationTime(Math.floor(h.clock.now().getTime() / 1000) + 300)
      .sign(await importJWK(forgedKey, 'RS256'));
    expect((await gqlAs(h, forged, null, ME)).errors?.[0].extensions.code).toBe('UNAUTHENTICATED');
    // A sign-in is the person already: it may not name another one.
    expect((await gqlAs(h, token, 'F02', ME)).errors?.[0].extensions.code).toBe('FORBIDDEN');
  });

  it('counts people: the same member through an integration key and a sign-in signs one approval step', async () => {
    const erp = (await h.app.services.apiKeys.create('erp-signin', ['INTEGRATION'], 'erp', { actForStaff: true })).key;
    const inc = await gqlAs(h, erp, 'F02', REPORT, { input: { source: 'erp', externalRef: ref('P'), category: 'OVERCHARGE', amount: '80.00' } });
    const incidentId = inc.data.reportIncident.incident.id;
    const req = await gqlAs(h, erp, 'F02', `mutation($i: RequestRefundInput!) { requestRefund(input: $i) { id } }`, {
      i: { incidentId, amount: '80.00', method: 'CASH' },
    });
    const refundId = req.data.requestRefund.id;
    const DECIDE = `mutation($i: DecideRefundStepInput!) { decideRefundStep(input: $i) { steps { step actor } } }`;
    const viaErp = await gqlAs(h, erp, 'F01', DECIDE, { i: { refundId, step: 'CASHIER_CHECK', decision: 'APPROVE' } });
    expect(viaErp.data.decideRefundStep.steps[0]).toEqual({ step: 'CASHIER_CHECK', actor: '张三 (erp)' });
    const signedIn = await gqlAs(h, await op.token('F01'), null, DECIDE, { i: { refundId, step: 'ACCOUNTANT_REVIEW', decision: 'APPROVE' } });
    expect(signedIn.errors?.[0].extensions).toMatchObject({ code: 'FORBIDDEN', signedStep: 'CASHIER_CHECK' });
  });

  it('answers SERVICE_UNAVAILABLE while the identity provider cannot be reached, API keys still work', async () => {
    const token = await op.token('F01');
    await op.stop();
    const down = await startHarness({ now: new Date(), env: { OIDC_ISSUER: op.issuer, OIDC_AUDIENCE: AUDIENCE, OIDC_EMPLOYEE_CLAIM: 'employee_no' } });
    try {
      expect((await gqlAs(down, token, null, ME)).errors?.[0].extensions.code).toBe('SERVICE_UNAVAILABLE');
      expect((await gqlAs(down, down.keys.AGENT, null, ME)).data.me.name).toBe('test-agent');
    } finally {
      await down.close();
      await op.start([k1]);
    }
  });
});
