import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import type { Browser, Page } from 'playwright-core';
import { Harness, startHarness } from './support/harness';
import { signingKey, TestOpenIdProvider } from './support/oidc-test-provider';
import { addStaff } from './support/staff-requests';
import { CHROMIUM, CHROMIUM_FLAGS, haveChromium, freePort } from './support/chromium';

/**
 * The console's sign-in with the company's identity provider: a real OpenID Provider
 * (oidc-provider) on 127.0.0.1, Debian's Chromium going through its login page and back —
 * the authorization code flow with PKCE, the code exchanged by the page itself — and the
 * server verifying the access token like any staff sign-in. The console learns the provider
 * from the public /.well-known/triage-sign-in, as any client may.
 */
const root = path.join(__dirname, '..', '..');
const AUDIENCE = 'https://triage.example.com/graphql';
const SHOTS = path.join(root, 'test-results', 'console');
const browserHere = haveChromium('console sign-in browser tests');

(browserHere ? describe : describe.skip)('console sign-in with the identity provider (OIDC, PKCE) in Chromium', () => {
  let op: TestOpenIdProvider;
  let h: Harness;
  let browser: Browser;
  let page: Page;
  const seen: Array<{ url: string; method: string; body: string | null }> = [];

  beforeAll(async () => {
    if (!fs.existsSync(path.join(root, 'console', 'dist', 'index.html'))) throw new Error('console/dist is missing: npm run build first');
    fs.mkdirSync(SHOTS, { recursive: true });
    const port = await freePort();
    op = new TestOpenIdProvider(['F01'], AUDIENCE, { clientId: 'triage-console', redirectUri: `http://127.0.0.1:${port}/console/` });
    await op.start([await signingKey('k1')]);
    h = await startHarness({
      now: new Date(), // the provider's tokens carry the real time
      env: { PORT: String(port), OIDC_ISSUER: op.issuer, OIDC_AUDIENCE: AUDIENCE, OIDC_EMPLOYEE_CLAIM: 'employee_no', OIDC_CLIENT_ID: 'triage-console' },
    });
    await addStaff(h, [{ employeeNo: 'F01', name: '张三', department: 'FINANCE', roles: ['CASHIER', 'ACCOUNTANT'] }]);
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_FLAGS });
    page = await browser.newPage({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN' });
    page.on('request', (r) => seen.push({ url: r.url(), method: r.method(), body: r.postData() }));
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await h?.close();
    await op?.stop();
  });

  it('publishes the provider and the public client at /.well-known/triage-sign-in, to anyone', async () => {
    const res = await request(h.app.server).get('/.well-known/triage-sign-in').expect(200);
    expect(res.body).toEqual({ oidc: { issuer: op.issuer, clientId: 'triage-console', audience: AUDIENCE, scope: 'openid' } });
    // The console's page may reach the provider (discovery, token endpoint), nothing else.
    const csp = (await request(h.app.server).get('/console/').expect(200)).headers['content-security-policy'];
    expect(csp).toContain(`connect-src 'self' ${op.issuer}`);
  });

  it('signs in at the provider and back with a code exchanged under PKCE; the header shows who and the roles', async () => {
    await page.goto(`${h.app.url}/console/#/work`);
    await page.locator('[data-testid="oidc-sign-in"]').click();
    // The provider's own login page.
    await page.waitForURL((u) => u.toString().startsWith(op.issuer));
    await page.locator('input[name="login"]').fill('F01');
    await page.locator('input[name="password"]').fill('any');
    await page.locator('button[type="submit"]').click();
    await page.locator('[data-testid="who"]').waitFor();
    await expect(page.locator('[data-testid="who"]').textContent()).resolves.toMatch(/张三 \(F01\)\s*CASHIER, ACCOUNTANT/);
    await shot(page, 'sign-in-oidc');
    // Back where it started, the code and state gone from the address.
    expect(page.url()).toBe(`${h.app.url}/console/#/work`);

    const auth = new URL(seen.find((r) => r.url.startsWith(`${op.issuer}/auth`))!.url);
    expect(auth.searchParams.get('code_challenge_method')).toBe('S256');
    expect(auth.searchParams.get('client_id')).toBe('triage-console');
    expect(auth.searchParams.get('resource')).toBe(AUDIENCE);
    const token = seen.find((r) => r.url === `${op.issuer}/token` && r.method === 'POST')!;
    const form = new URLSearchParams(token.body ?? '');
    expect(form.get('grant_type')).toBe('authorization_code');
    // The verifier sent to the token endpoint is the one whose S256 hash went out first.
    const { createHash } = await import('node:crypto');
    expect(createHash('sha256').update(form.get('code_verifier')!).digest('base64url')).toBe(auth.searchParams.get('code_challenge'));
    // The page asks the API with the provider's token: the server verified it (me answered) and names the member.
    const graphql = seen.filter((r) => r.url === `${h.app.url}/graphql`);
    expect(graphql.length).toBeGreaterThan(0);
  });

  it('refuses a provider answer this tab did not ask for (state)', async () => {
    await page.getByRole('button', { name: '退出' }).click();
    await page.goto(`${h.app.url}/console/?code=forged&state=other`);
    await page.locator('.error').waitFor();
    await expect(page.locator('.error').textContent()).resolves.toContain('does not match a sign-in this tab started');
    expect(page.url()).toBe(`${h.app.url}/console/`);
  });
});

async function shot(page: Page, name: string) {
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`) });
}
