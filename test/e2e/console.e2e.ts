import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { Harness, REPORT, ref, startHarness } from './support/harness';
import { REQUEST } from './support/refunds';

/**
 * The web console (应急控制台) in a real browser: Debian's Chromium driven by playwright-core
 * against the real server. Screenshots of every page go to test-results/console/ (git-ignored);
 * CONSOLE_DOCS_SCREENSHOTS=1 also refreshes the two the README shows, in docs/.
 */
const root = path.join(__dirname, '..', '..');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
const SHOTS = path.join(root, 'test-results', 'console');
const haveChromium = fs.existsSync(CHROMIUM);
if (!haveChromium) {
  console.warn(`console browser tests SKIPPED: no Chromium at ${CHROMIUM} (apt-get install -y chromium, or set CHROMIUM_PATH)`);
}

(haveChromium ? describe : describe.skip)('web console in Chromium', () => {
  let h: Harness;
  let browser: Browser;
  let page: Page;
  let work: string;
  let leadKey: string;
  const requested: string[] = [];

  const shot = async (name: string, docs = false) => {
    const file = path.join(SHOTS, `${name}.png`);
    await page.screenshot({ path: file, fullPage: false });
    if (docs && process.env.CONSOLE_DOCS_SCREENSHOTS === '1') fs.copyFileSync(file, path.join(root, 'docs', `console-${name}.png`));
  };

  const signIn = async (key: string, label: string, roles = '') => {
    await page.goto(`${h.app.url}/console/`);
    if (await page.locator('[data-testid="who"]').count()) await page.getByRole('button', { name: '退出' }).click();
    await page.locator('input[name="apiKey"]').fill(key);
    await page.locator('input[name="label"]').fill(label);
    await page.locator('input[name="roles"]').fill(roles);
    await page.getByRole('button', { name: '登录' }).click();
    await page.locator('[data-testid="who"]').waitFor();
  };

  const report = async (input: Record<string, unknown>) => {
    const res = await h.gql(h.keys.AGENT, REPORT, { input: { source: 'erp', externalRef: ref('CON'), ...input } });
    expect(res.errors).toBeUndefined();
    return res.data.reportIncident.incident as { id: string; externalRef: string; severity: string };
  };

  beforeAll(async () => {
    if (!fs.existsSync(path.join(root, 'console', 'dist', 'index.html'))) throw new Error('console/dist is missing: npm run build first');
    fs.mkdirSync(SHOTS, { recursive: true });
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'triage-console-'));
    // A draft pack for the backtest: the police threshold of property losses from 5000 to 3000.
    const draft = path.join(work, 'police-3000');
    fs.cpSync(path.join(root, 'rules'), draft, { recursive: true });
    const file = path.join(draft, 'policy', 'actions.json');
    const json = JSON.parse(fs.readFileSync(file, 'utf8'));
    json.rules.find((r: any) => r.name === 'property-loss-over-5000-police').conditions.all.find((c: any) => c.fact === 'amount').value = 3000;
    fs.writeFileSync(file, JSON.stringify(json, null, 2));
    // The server's clock at the browser's time, so the board's countdowns are the live ones.
    h = await startHarness({ now: new Date(), env: { RULES_DRAFTS_DIR: work } });
    leadKey = await h.key('console-lead', ['AGENT', 'CS_LEAD', 'ANALYST', 'ADMIN']);
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: FLAGS });
    page = await browser.newPage({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN' });
    page.on('request', (r) => requested.push(r.url()));
  });

  afterAll(async () => {
    await browser?.close();
    await h?.close();
    if (work) fs.rmSync(work, { recursive: true, force: true });
  });

  it('is served by the same process, every file from this origin, and refuses a wrong key', async () => {
    await page.goto(`${h.app.url}/console/`);
    await shot('sign-in');
    await page.locator('input[name="apiKey"]').fill('not-a-key');
    await page.getByRole('button', { name: '登录' }).click();
    await expect(page.locator('.error').getAttribute('data-code')).resolves.toBe('UNAUTHENTICATED');
    expect(requested.every((u) => u.startsWith(h.app.url))).toBe(true);
  });

  it('signs in with a key and shows an incident reported through the API on the board', async () => {
    await signIn(leadKey, 'console-lead', 'AGENT, CS_LEAD');
    await expect(page.locator('[data-testid="who"]').textContent()).resolves.toContain('console-lead');
    const loss = await report({ category: 'PROPERTY_LOSS', subtype: 'STOLEN', propertyOwner: 'COMPANY', amount: '6000.00' });
    await report({ category: 'OVERCHARGE', amount: '300.00' });
    await page.getByRole('button', { name: '刷新' }).click();
    const card = page.locator(`.lane[data-severity="${loss.severity}"] [data-ref="${loss.externalRef}"]`);
    await card.waitFor();
    await expect(page.locator('[data-testid="open-count"]').textContent()).resolves.toBe('2');
    await expect(card.locator('.countdown').textContent()).resolves.toMatch(/\d+:\d\d/);
    await shot('board', true);
    // English switch, then back.
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('link', { name: 'Incidents' }).waitFor();
    await page.getByRole('button', { name: '中文' }).click();
  });

  it('completes an action with the evidence the catalog asks for, shown with why each rule fired', async () => {
    const [loss] = (
      await h.gql(leadKey, '{ incidents(filter: { category: ["PROPERTY_LOSS"] }) { edges { node { id externalRef } } } }')
    ).data.incidents.edges.map((e: any) => e.node);
    await page.locator(`[data-ref="${loss.externalRef}"]`).click();
    await expect(page.locator('[data-testid="fired-rules"]').textContent()).resolves.toContain('超5000元');
    const action = page.locator('[data-action="POLICE_REPORT"]');
    await action.getByRole('button', { name: '完成…' }).click();
    // Without its evidence the server refuses, and the console shows the code.
    await action.getByRole('button', { name: '提交' }).click();
    await expect(action.locator('.error').getAttribute('data-code')).resolves.toBe('BAD_USER_INPUT');
    await action.locator('input[aria-label="evidence key"]').fill('receiptNo');
    await action.locator('input[aria-label="evidence value"]').fill('110-2026-0042');
    await action.getByRole('button', { name: '提交' }).click();
    await action.locator('pre.evidence').waitFor();
    const stored = (await h.gql(h.keys.ADMIN, 'query($id: ID!) { incident(id: $id) { actions { code done doneBy evidence } } }', { id: loss.id })).data.incident
      .actions;
    expect(stored.find((a: any) => a.code === 'POLICE_REPORT')).toMatchObject({ done: true, doneBy: 'console-lead', evidence: { receiptNo: '110-2026-0042' } });
    await shot('incident');
  });

  it('approves a refund step as cashier, and the same person is refused the next step with the signing rules', async () => {
    const [overcharge] = (await h.gql(leadKey, '{ incidents(filter: { category: ["OVERCHARGE"] }) { edges { node { id } } } }')).data.incidents.edges.map(
      (e: any) => e.node,
    );
    const res = await h.gql(h.keys.AGENT, REQUEST, { input: { incidentId: overcharge.id, amount: '120.50', method: 'ORIGINAL_PAYMENT' } });
    expect(res.errors).toBeUndefined();
    const refund = res.data.requestRefund;
    const both = await h.key('console-cashier', ['CASHIER', 'ACCOUNTANT']);
    await signIn(both, '', 'CASHIER, ACCOUNTANT');
    await page.getByRole('link', { name: '待我处理' }).click();
    const cashierStep = page.locator(`[data-refund="${refund.refundNo}"][data-step="CASHIER_CHECK"]`);
    await cashierStep.locator('textarea').fill('金额与订单一致');
    await cashierStep.getByRole('button', { name: '同意' }).click();
    const next = page.locator(`[data-refund="${refund.refundNo}"][data-step="ACCOUNTANT_REVIEW"]`);
    await next.getByRole('button', { name: '同意' }).click();
    await expect(next.locator('.error').getAttribute('data-code')).resolves.toBe('FORBIDDEN');
    await next.locator('[data-testid="signing-rule"]').waitFor();
    await shot('my-work', true);
    const after = (await h.gql(h.keys.ADMIN, 'query($id: ID!) { refund(id: $id) { currentStep steps { step status actor comment } } }', { id: refund.id })).data
      .refund;
    expect(after.currentStep).toBe('ACCOUNTANT_REVIEW');
    expect(after.steps.find((s: any) => s.step === 'CASHIER_CHECK')).toMatchObject({ status: 'APPROVED', actor: 'console-cashier', comment: '金额与订单一致' });
    expect(after.steps.find((s: any) => s.step === 'ACCOUNTANT_REVIEW')).toMatchObject({ status: 'PENDING', actor: null });
  });

  it('opens the charts, loading ECharts only on the reports page', async () => {
    await signIn(leadKey, 'console-lead');
    expect(requested.some((u) => /\/assets\/reports-/.test(u))).toBe(false);
    await page.getByRole('link', { name: '报表' }).click();
    await page.locator('[data-chart="refunds-by-month"] canvas').waitFor();
    await page.locator('[data-chart="incidents-by-category"] canvas').waitFor();
    expect(requested.some((u) => /\/assets\/reports-/.test(u))).toBe(true);
    await expect(page.locator('[data-testid="monthly"]').textContent()).resolves.toContain('120.50');
    await shot('reports');
  });

  it('runs a backtest of a draft directory and shows the change table', async () => {
    await report({ category: 'PROPERTY_LOSS', subtype: 'STOLEN', propertyOwner: 'COMPANY', amount: '4000.00' });
    await page.getByRole('link', { name: '规则' }).click();
    await page.locator('[data-testid="active-version"]').waitFor();
    await page.locator('input[name="draftDir"]').fill('police-3000');
    await page.getByRole('button', { name: '运行回测' }).click();
    const table = page.locator('[data-testid="backtest"]');
    await table.waitFor();
    const direct = (await h.gql(leadKey, '{ simulateRules(draftDir: "police-3000") { counts { total changed police } } }')).data.simulateRules.counts;
    expect(direct).toMatchObject({ total: 3, changed: 1, police: 1 });
    await expect(table.locator('p').textContent()).resolves.toContain(`${direct.changed} / ${direct.total}`);
    await shot('rules');
  });

  it('lays the board out for a phone', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.getByRole('link', { name: '事件看板' }).click();
    await page.locator('.lane').first().waitFor();
    const widths = await page.locator('.lane').evaluateAll((els) => els.map((e) => (e as unknown as { clientWidth: number }).clientWidth));
    expect(Math.min(...widths)).toBeGreaterThan(300); // one lane per row, not four squeezed columns
    await shot('board-phone');
  });
});
