import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { Harness, REPORT, ref, startHarness } from './support/harness';
import { REQUEST } from './support/refunds';
import { CHROMIUM, CHROMIUM_FLAGS, haveChromium } from './support/chromium';

/**
 * The web console (应急控制台) in a real browser: Debian's Chromium driven by playwright-core
 * against the real server. Screenshots of every page go to test-results/console/ (git-ignored);
 * CONSOLE_DOCS_SCREENSHOTS=1 also refreshes the two the README shows, in docs/.
 */
const root = path.join(__dirname, '..', '..');
const SHOTS = path.join(root, 'test-results', 'console');
const browserHere = haveChromium('console browser tests');

(browserHere ? describe : describe.skip)('web console in Chromium', () => {
  let h: Harness;
  let browser: Browser;
  let page: Page;
  let work: string;
  let leadKey: string;
  let cashierKey: string;
  const requested: string[] = [];

  const shot = async (name: string, docs = false) => {
    const file = path.join(SHOTS, `${name}.png`);
    await page.screenshot({ path: file, fullPage: false });
    if (docs && process.env.CONSOLE_DOCS_SCREENSHOTS === '1') fs.copyFileSync(file, path.join(root, 'docs', `console-${name}.png`));
  };

  /** Signs in with a key; the header then shows the key's name and roles, as the server says (`me`). */
  const signIn = async (key: string) => {
    await page.goto(`${h.app.url}/console/`);
    // Signed in already (the header's name comes once `me` answers), or the sign-in form.
    await page.locator('[data-testid="who"], input[name="apiKey"]').first().waitFor();
    if (await page.locator('[data-testid="who"]').count()) await page.getByRole('button', { name: '退出' }).click();
    await page.locator('input[name="apiKey"]').fill(key);
    await page.getByRole('button', { name: '用密钥登录' }).click();
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
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_FLAGS });
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
    // No identity provider configured: the public sign-in document says so, and only the key form shows.
    await expect(page.locator('[data-testid="oidc-sign-in"]').count()).resolves.toBe(0);
    await page.locator('input[name="apiKey"]').fill('not-a-key');
    await page.getByRole('button', { name: '用密钥登录' }).click();
    await expect(page.locator('.error').getAttribute('data-code')).resolves.toBe('UNAUTHENTICATED');
    expect(requested.every((u) => u.startsWith(h.app.url))).toBe(true);
  });

  it('signs in with a key and shows an incident reported through the API on the board', async () => {
    await signIn(leadKey);
    await expect(page.locator('[data-testid="who"]').textContent()).resolves.toMatch(/console-lead\s*AGENT, CS_LEAD, ANALYST, ADMIN/);
    const loss = await report({ category: 'PROPERTY_LOSS', subtype: 'STOLEN', propertyOwner: 'COMPANY', amount: '6000.00' });
    await report({ category: 'OVERCHARGE', amount: '300.00' });
    await page.getByRole('button', { name: '刷新' }).click();
    const card = page.locator(`.lane[data-severity="${loss.severity}"] [data-ref="${loss.externalRef}"]`);
    await card.waitFor();
    // The board's first load (at sign-in) may answer between the two reports, with the first alone: wait for the refresh's answer.
    await page.locator('[data-testid="open-count"]', { hasText: /^2$/ }).waitFor();
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
    const both = (cashierKey = await h.key('console-cashier', ['CASHIER', 'ACCOUNTANT']));
    await signIn(both);
    await page.getByRole('link', { name: '待我处理' }).click();
    const cashierStep = page.locator(`[data-refund="${refund.refundNo}"][data-step="CASHIER_CHECK"]`);
    await cashierStep.locator('textarea').fill('金额与订单一致');
    await cashierStep.getByRole('button', { name: '同意' }).click();
    const next = page.locator(`[data-refund="${refund.refundNo}"][data-step="ACCOUNTANT_REVIEW"]`);
    // The console knows who signed (the server's name for this person): the button is disabled, the rule beside it.
    await expect(next.getByRole('button', { name: '同意' }).isDisabled()).resolves.toBe(true);
    await expect(next.textContent()).resolves.toContain('同一人在一笔退款中最多签批一个审批步骤');
    await shot('my-work', true);
    // And the server refuses the same person all the same.
    const refused = await h.gql(both, 'mutation($i: DecideRefundStepInput!) { decideRefundStep(input: $i) { id } }', {
      i: { refundId: refund.id, step: 'ACCOUNTANT_REVIEW', decision: 'APPROVE' },
    });
    expect(refused.errors?.[0].extensions.code).toBe('FORBIDDEN');
    const after = (await h.gql(h.keys.ADMIN, 'query($id: ID!) { refund(id: $id) { currentStep steps { step status actor comment } } }', { id: refund.id })).data
      .refund;
    expect(after.currentStep).toBe('ACCOUNTANT_REVIEW');
    expect(after.steps.find((s: any) => s.step === 'CASHIER_CHECK')).toMatchObject({ status: 'APPROVED', actor: 'console-cashier', comment: '金额与订单一致' });
    expect(after.steps.find((s: any) => s.step === 'ACCOUNTANT_REVIEW')).toMatchObject({ status: 'PENDING', actor: null });
  });

  it('opens the charts, loading ECharts only on the reports page', async () => {
    await signIn(leadKey);
    expect(requested.some((u) => /\/assets\/reports-/.test(u))).toBe(false);
    await page.getByRole('link', { name: '报表' }).click();
    await page.locator('[data-chart="refunds-by-month"] canvas').waitFor();
    await page.locator('[data-chart="incidents-by-category"] canvas').waitFor();
    await page.locator('[data-chart="by-department"] canvas').waitFor();
    await page.locator('[data-chart="refunds-by-bank"] canvas').waitFor();
    await page.locator('[data-chart="stage-durations"] canvas').waitFor();
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

  it('amends the facts and waives an action with its reason; the decisions history shows both decisions', async () => {
    await signIn(leadKey);
    const loss = await report({ category: 'PROPERTY_LOSS', subtype: 'STOLEN', propertyOwner: 'COMPANY', amount: '6000.00' });
    await page.goto(`${h.app.url}/console/#/incidents/${loss.id}`);
    await page.locator('[data-testid="amend"] button.link').click();
    await page.locator('[data-testid="amend"] input[name="amount"]').fill('800.00');
    await page.locator('[data-testid="amend"] input[name="note"]').fill('核实后损失金额为800元');
    await page.getByRole('button', { name: '提交更正' }).click();
    await expect(page.locator('[data-testid="decisions"] li').nth(1).waitFor()).resolves.toBeUndefined();
    const INCIDENT = 'query($id: ID!) { incident(id: $id) { amount decisions { policeReportRequired } actions { code status reason doneBy } } }';
    const amended = (await h.gql(h.keys.ADMIN, INCIDENT, { id: loss.id })).data.incident;
    expect(amended.amount).toBe('800.00');
    expect(amended.decisions.map((d: any) => d.policeReportRequired)).toEqual([true, false]);
    const open = amended.actions.find((a: any) => a.status === 'OPEN');
    const row = page.locator(`[data-action="${open.code}"]`);
    await row.getByRole('button', { name: '免除…' }).click();
    await row.locator('input[aria-label="免除原因"]').fill('客户已撤回报失');
    await row.getByRole('button', { name: '确认免除' }).click();
    await page.locator(`[data-action="${open.code}"][data-status="WAIVED"]`).waitFor();
    const waived = (await h.gql(h.keys.ADMIN, INCIDENT, { id: loss.id })).data.incident.actions.find((a: any) => a.code === open.code);
    expect(waived).toMatchObject({ status: 'WAIVED', reason: '客户已撤回报失', doneBy: 'console-lead' });
    await shot('incident-amended');
  });

  it('starts a remedy on the incident page, and logistics does its step from 待我处理 with the tracking number', async () => {
    const lost = await report({ category: 'LOGISTICS', subtype: 'LOST', orderNo: 'SO-778' });
    await page.goto(`${h.app.url}/console/#/incidents/${lost.id}`);
    const box = page.locator('[data-testid="remedies"]');
    await box.getByRole('button', { name: '开始补救' }).click();
    await box.locator('[data-remedy]').waitFor();
    const remedyId = await box.locator('[data-remedy]').getAttribute('data-remedy');
    await signIn(await h.key('console-logistics', ['LOGISTICS']));
    await page.getByRole('link', { name: '待我处理' }).click();
    const card = page.locator(`.remedy[data-remedy="${remedyId}"]`);
    await card.locator('input[aria-label="运单号"]').fill('SF1234567890');
    await shot('my-work-remedy');
    await card.getByRole('button', { name: '完成此步' }).click();
    await card.waitFor({ state: 'detached' }); // the next step is the agent's
    const remedy = (await h.gql(h.keys.ADMIN, 'query($id: ID!) { remedy(id: $id) { currentStep steps { step actor trackingNo } } }', { id: remedyId })).data
      .remedy;
    expect(remedy.currentStep).toBe('CUSTOMER_CONFIRMED');
    expect(remedy.steps[0]).toMatchObject({ actor: 'console-logistics', trackingNo: 'SF1234567890' });
  });

  it('hands a shift over, and only the person it was handed to acknowledges it', async () => {
    await signIn(leadKey);
    await page.getByRole('link', { name: '交接班' }).click();
    await page.locator('[data-testid="handover-summary"]').waitFor();
    await page.locator('input[name="handedOverTo"]').fill('console-cashier');
    await page.locator('input[name="expected"]').fill('6');
    await page.locator('input[name="present"]').fill('6');
    await page.locator('textarea[name="completedWork"]').fill('受理投诉3起\n退款申请1笔');
    await page.locator('.handover-form').getByRole('button', { name: '交班' }).click();
    const record = page.locator('[data-handover]').first();
    await record.waitFor();
    await expect(record.getByRole('button', { name: '确认接班' }).isDisabled()).resolves.toBe(true);
    await shot('handover');
    await signIn(await h.key('console-cashier-2', ['ACCOUNTANT'])); // another person: still not theirs
    await page.getByRole('link', { name: '交接班' }).click();
    await expect(page.locator('[data-handover]').first().getByRole('button', { name: '确认接班' }).isDisabled()).resolves.toBe(true);
    await signIn(cashierKey);
    await page.getByRole('link', { name: '交接班' }).click();
    const mine = page.locator('[data-handover]').first();
    await mine.locator('input[aria-label="接班备注"]').fill('已核对未结事件');
    await mine.getByRole('button', { name: '确认接班' }).click();
    await mine.locator('.badge', { hasText: '已接班' }).waitFor();
  });

  it("signs off last month's 退单统计表 (部门主管审核) on the reports page", async () => {
    await signIn(leadKey);
    await page.getByRole('link', { name: '报表' }).click();
    const last = new Date(Date.now() + 8 * 3600_000);
    last.setUTCDate(1);
    last.setUTCMonth(last.getUTCMonth() - 1);
    await page.locator('input[name="month"]').fill(last.toISOString().slice(0, 7));
    const row = page.locator('[data-testid="filings"] tr[data-table="CUSTOMER_SERVICE"]');
    await row.getByRole('button', { name: '部门主管审核' }).click();
    await page.locator('[data-testid="filings"] tr[data-table="CUSTOMER_SERVICE"][data-status="REVIEWED"]').waitFor();
    await expect(row.textContent()).resolves.toContain('console-lead');
  });

  it('lists the drills and starts one now', async () => {
    await page.getByRole('link', { name: '演练' }).click();
    await page.locator('[data-testid="drill-procedures"]').waitFor();
    const before = await page.locator('[data-testid="drill-runs"] tr[data-run]').count();
    await page.getByRole('button', { name: '立即开始' }).click();
    await expect(page.locator('[data-testid="drill-runs"] tr[data-run]').nth(before).waitFor()).resolves.toBeUndefined();
    await shot('drills');
  });

  it('switches every page to English and back', async () => {
    await page.getByRole('button', { name: 'English' }).click();
    for (const [link, check] of [
      ['Incidents', '.lanes'],
      ['My work', 'details.rules-help'],
      ['Handover', '[data-testid="handover-summary"]'],
      ['Drills', '[data-testid="drill-procedures"]'],
      ['Rules', '[data-testid="active-version"]'],
    ] as const) {
      await page.getByRole('link', { name: link, exact: true }).click();
      await page.locator(check).first().waitFor();
    }
    await shot('rules-en');
    await page.getByRole('button', { name: '中文' }).click();
  });

  it('lays every page out for a phone: one column, nothing wider than the screen', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.getByRole('link', { name: '事件看板' }).click();
    await page.locator('.lane').first().waitFor();
    const widths = await page.locator('.lane').evaluateAll((els) => els.map((e) => (e as unknown as { clientWidth: number }).clientWidth));
    expect(Math.min(...widths)).toBeGreaterThan(300); // one lane per row, not four squeezed columns
    await shot('board-phone');
    for (const [link, name, check] of [
      ['待我处理', 'my-work-phone', 'details.rules-help'],
      ['报表', 'reports-phone', '[data-chart="refunds-by-month"] canvas'],
      ['交接班', 'handover-phone', '[data-testid="handover-summary"]'],
      ['演练', 'drills-phone', '[data-testid="drill-procedures"]'],
      ['规则', 'rules-phone', '[data-testid="active-version"]'],
    ] as const) {
      await page.getByRole('link', { name: link, exact: true }).click();
      await page.locator(check).first().waitFor();
      const overflow = await page.locator('main').evaluate((m) => {
        const el = m as unknown as { scrollWidth: number; clientWidth: number };
        return el.scrollWidth - el.clientWidth;
      });
      await shot(name);
      expect({ page: link, overflow }).toEqual({ page: link, overflow: 0 });
    }
  });
});
