/**
 * A rule pack that validates can never fail a report, and a report is never lost to the rules:
 * packs outside the condition language are refused at startup and by reloadRules; a pack a rule
 * of which throws is refused at activation (reload, shadow, backtest draft); and a rule that
 * throws anyway at report time (a test-only operator, given to the service through its
 * pack-loading options and armed after start) stores the report with the pack's fallback
 * decision, logged, counted and announced — while evaluate answers RULES_FAILED.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import request from 'supertest';
import { createLogger } from '../../src/common/logger';
import type { CustomOperator } from '../../src/rules/condition-language';
import { RuleSetService } from '../../src/rulesets/rule-set.service';
import { RulesInvalidError } from '../../src/rules/rule-pack.loader';
import { Harness, ref, REPORT, startHarness } from './support/harness';
import { WebhookReceiver } from './support/webhook-receiver';

const PACK = path.join(__dirname, '..', '..', 'rules');
const ACTIONS = 'policy/actions.json';
const POLICE_RULE = 'property-loss-over-5000-police';
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

function copyPack(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'triage-safety-'));
  dirs.push(dir);
  fs.cpSync(PACK, dir, { recursive: true });
  return dir;
}

/** Pushes `leaf` into the root `all` of the police rule; returns the leaf's pointer. */
function addLeaf(dir: string, leaf: unknown): string {
  const file = path.join(dir, ACTIONS);
  const json = JSON.parse(fs.readFileSync(file, 'utf8'));
  const i = json.rules.findIndex((r: { name: string }) => r.name === POLICE_RULE);
  json.rules[i].conditions.all.push(leaf);
  fs.writeFileSync(file, JSON.stringify(json, null, 2));
  return `/rules/${i}/conditions/all/${json.rules[i].conditions.all.length - 1}`;
}

/** A test-only operator on amounts: always holds, throws for the amount it is armed with. */
function tripwire(): CustomOperator & { armed: number | null } {
  const op = {
    name: 'tripwire',
    factTypes: ['number'] as const,
    operands: ['scalar'] as const,
    meaning: 'test only',
    armed: null as number | null,
    evaluate(amount: unknown) {
      if (op.armed !== null && amount === op.armed) throw new Error(`tripped at ${String(amount)}`);
      return true;
    },
  };
  return op;
}

const REPRODUCTIONS: Array<[string, unknown, string[]]> = [
  ['in against a fact', { fact: 'amount', operator: 'in', value: { fact: 'outageMinutes' } }, ['/value']],
  ['a path on a scalar fact with an unknown category', { fact: 'category', path: '$', operator: 'equal', value: 'NO_SUCH_CATEGORY' }, ['/path', '/value']],
  ['in with a path and a single value', { fact: 'amount', path: '$.x', operator: 'in', value: 5 }, ['/path', '/value']],
];

const LOSS = { source: 'erp', category: 'PROPERTY_LOSS', subtype: 'STOLEN', propertyOwner: 'COMPANY' };
const DECISION = `decision { severity ownerDepartment notifyDepartments actions { code } ruleSetVersion fallback decidedAt firedRules { name } }`;

describe('packs outside the condition language are refused', () => {
  let h: Harness;
  let live: string;
  beforeAll(async () => {
    live = copyPack();
    h = await startHarness({ rulesDir: live });
  });
  afterAll(async () => h.close());

  it.each(REPRODUCTIONS)('%s: refused at startup and by reloadRules; the active pack stays and decides', async (_name, leaf, suffixes) => {
    const before = (await h.gql(h.keys.ADMIN, '{ activeRuleSet { version } }')).data.activeRuleSet.version;
    const bad = copyPack();
    const at = addLeaf(bad, leaf);
    // Startup: what createApp runs to load the pack, on another service over the same database.
    const startup = new RuleSetService(h.app.services.ds, h.app.services.clock, bad, h.app.services.log);
    const refused = await startup.init().catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(RulesInvalidError);
    expect((refused as RulesInvalidError).problems.map((p) => `${p.file}:${p.pointer}`)).toEqual(suffixes.map((s) => `${ACTIONS}:${at}${s}`));

    addLeaf(live, leaf);
    try {
      const res = await h.gql(h.keys.ADMIN, 'mutation { reloadRules { version } }');
      expect(res.errors![0].extensions.code).toBe('RULES_INVALID');
      expect(res.errors![0].extensions.problems.map((p: { file: string; pointer: string }) => `${p.file}:${p.pointer}`)).toEqual(
        suffixes.map((s) => `${ACTIONS}:${at}${s}`),
      );
      expect((await h.gql(h.keys.ADMIN, '{ activeRuleSet { version } }')).data.activeRuleSet.version).toBe(before);
      const report = await h.gql(h.keys.ERP, REPORT, { input: { ...LOSS, externalRef: ref('S'), amount: '5000.01' } });
      expect(report.data.reportIncident.incident.policeReportRequired).toBe(true);
    } finally {
      fs.cpSync(PACK, live, { recursive: true });
    }
  });
});

describe('a rule that throws at decision time', () => {
  let h: Harness;
  let receiver: WebhookReceiver;
  const op = tripwire();
  const lines: string[] = [];
  let dir: string;
  beforeAll(async () => {
    dir = copyPack();
    addLeaf(dir, { fact: 'amount', operator: 'tripwire', value: 0 });
    const sink = new Writable({
      write(chunk, _enc, done) {
        lines.push(String(chunk));
        done();
      },
    });
    // Drafts are made under the temporary directory, the webhook receiver listens on loopback.
    h = await startHarness({
      rulesDir: dir,
      rulePack: { operators: [op] },
      log: createLogger('info', sink),
      env: { RULES_DRAFTS_DIR: os.tmpdir(), WEBHOOK_ALLOWED_HOSTS: '127.0.0.1' },
    });
    receiver = await WebhookReceiver.start();
  });
  afterAll(async () => {
    await receiver.close();
    await h.close();
  });
  afterEach(() => {
    op.armed = null;
  });

  it('stores the report with the fallback decision, logs it, counts it and sends incident.decision_failed', async () => {
    const sub = await h.gql(h.keys.ADMIN, 'mutation($i: CreateWebhookSubscriptionInput!) { createWebhookSubscription(input: $i) { subscription { id } } }', {
      i: { url: receiver.url, eventTypes: ['incident.decision_failed', 'incident.reported'] },
    });
    expect(sub.errors).toBeUndefined();
    const metric = async () => {
      const text = (await request(h.app.server).get('/metrics')).text;
      return Number(/^triage_decision_fallbacks_total (\d+)/m.exec(text)?.[1]);
    };
    expect(await metric()).toBe(0);

    // Unarmed, the rule decides as ever.
    const normal = await h.gql(h.keys.ERP, `mutation($i: ReportIncidentInput!) { reportIncident(input: $i) { incident { id severity ${DECISION} } } }`, {
      i: { ...LOSS, externalRef: ref('N'), amount: '6000.00' },
    });
    expect(normal.data.reportIncident.incident.decision).toMatchObject({ fallback: false, severity: 'URGENT' });
    expect(normal.data.reportIncident.incident.decision.firedRules.map((r: { name: string }) => r.name)).toContain(POLICE_RULE);

    op.armed = 4321.09;
    const externalRef = ref('F');
    const res = await h.gql(
      h.keys.ERP,
      `mutation($i: ReportIncidentInput!) { reportIncident(input: $i) { created incident { id severity ownerDepartment notifyDepartments policeReportRequired reportedAt actions { code } ${DECISION} } } }`,
      { i: { ...LOSS, externalRef, amount: '4321.09' } },
    );
    expect(res.errors).toBeUndefined();
    const incident = res.data.reportIncident.incident;
    expect(res.data.reportIncident.created).toBe(true);
    expect(incident).toMatchObject({
      severity: 'URGENT',
      ownerDepartment: 'CUSTOMER_SERVICE',
      notifyDepartments: ['DEPARTMENT_MANAGER'],
      policeReportRequired: false,
      actions: [],
    });
    expect(incident.decision).toMatchObject({
      fallback: true,
      severity: 'URGENT',
      ownerDepartment: 'CUSTOMER_SERVICE',
      notifyDepartments: ['DEPARTMENT_MANAGER'],
      actions: [],
      firedRules: [],
    });
    expect(incident.decision.decidedAt).toBe(incident.reportedAt);

    // Stored as such: read back, and a replay answers the same incident.
    const read = await h.gql(h.keys.ADMIN, `query($id: ID!) { incident(id: $id) { ${DECISION} } }`, { id: incident.id });
    expect(read.data.incident.decision.fallback).toBe(true);
    const replay = await h.gql(h.keys.ERP, REPORT, { input: { ...LOSS, externalRef, amount: '4321.09' } });
    expect(replay.data.reportIncident).toMatchObject({ created: false, incident: { id: incident.id } });

    expect(await metric()).toBe(1);
    const logged = lines.map((l) => JSON.parse(l)).filter((l) => l.level === 50 && l.rule === POLICE_RULE);
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatchObject({ file: ACTIONS, error: 'tripped at 4321.09', input: { category: 'PROPERTY_LOSS', amount: 4321.09, subtype: 'STOLEN' } });

    // An incident's events go out in order: incident.reported, then incident.decision_failed.
    for (let i = 0; i < 10 && receiver.processed.length < 3; i++) await h.app.services.webhooks.runOnce();
    await receiver.requestsReach(3);
    const failed = receiver.processed.filter((e) => e.type === 'incident.decision_failed');
    expect(failed).toEqual([
      expect.objectContaining({
        data: expect.objectContaining({ incidentId: incident.id, externalRef, rule: POLICE_RULE, file: ACTIONS, severity: 'URGENT' }),
      }),
    ]);
  });

  it('keeps evidence a fallback decision asks for counted from when it happened, as any decision', async () => {
    // An admin's fallback that preserves the CCTV: reloaded, it decides the next report the rules fail on.
    const catalogFile = path.join(dir, 'catalog.json');
    const shipped = fs.readFileSync(catalogFile, 'utf8');
    const catalog = JSON.parse(shipped);
    catalog.fallback.actions = ['PRESERVE_CCTV'];
    fs.writeFileSync(catalogFile, JSON.stringify(catalog));
    try {
      expect((await h.gql(h.keys.ADMIN, 'mutation { reloadRules { version } }')).errors).toBeUndefined();
      op.armed = 3210.98;
      const occurredAt = new Date(h.clock.now().getTime() - 3 * 86_400_000);
      const res = await h.gql(
        h.keys.ERP,
        `mutation($i: ReportIncidentInput!) { reportIncident(input: $i) { incident { decision { fallback } actions { code retainUntil } } } }`,
        {
          i: { ...LOSS, externalRef: ref('R'), amount: '3210.98', occurredAt: occurredAt.toISOString() },
        },
      );
      expect(res.errors).toBeUndefined();
      expect(res.data.reportIncident.incident).toEqual({
        decision: { fallback: true },
        actions: [{ code: 'PRESERVE_CCTV', retainUntil: new Date(occurredAt.getTime() + 30 * 86_400_000).toISOString() }],
      });
    } finally {
      fs.writeFileSync(catalogFile, shipped);
      op.armed = null;
      expect((await h.gql(h.keys.ADMIN, 'mutation { reloadRules { version } }')).errors).toBeUndefined();
    }
  });

  it('answers evaluate with RULES_FAILED naming the rule, and stores nothing', async () => {
    op.armed = 1234.56;
    const res = await h.gql(h.keys.AGENT, `query($i: ReportIncidentInput!) { evaluate(input: $i) { severity fallback } }`, {
      i: { ...LOSS, externalRef: ref('E'), amount: '1234.56' },
    });
    expect(res.errors![0].extensions).toMatchObject({ code: 'RULES_FAILED', rule: POLICE_RULE, file: ACTIONS });
    op.armed = null;
    const ok = await h.gql(h.keys.AGENT, `query($i: ReportIncidentInput!) { evaluate(input: $i) { severity fallback decidedAt } }`, {
      i: { ...LOSS, externalRef: ref('E'), amount: '1234.56' },
    });
    expect(ok.data.evaluate).toEqual({ severity: 'SERIOUS', fallback: false, decidedAt: h.clock.now().toISOString() });
  });

  it('fails a backtest that meets a throwing rule with RULES_FAILED, naming the incident and the rule', async () => {
    const res = await h.gql(h.keys.ERP, REPORT, { input: { ...LOSS, externalRef: ref('B'), amount: '2222.22' } });
    const id = res.data.reportIncident.incident.id;
    op.armed = 2222.22; // not a boundary: the draft activates, then trips on the stored incident
    const draft = copyPack();
    addLeaf(draft, { fact: 'amount', operator: 'tripwire', value: 1 });
    const sim = await h.gql(h.keys.ADMIN, 'query($d: String!) { simulateRules(draftDir: $d) { draftVersion } }', { d: draft });
    expect(sim.errors![0].extensions).toMatchObject({ code: 'RULES_FAILED', rule: POLICE_RULE, file: ACTIONS, incidentId: id });
  });

  it('refuses at activation a pack that throws on the smoke corpus: reload, shadow and backtest draft', async () => {
    op.armed = 5000.01; // the police rule's boundary: the smoke corpus decides it
    const before = (await h.gql(h.keys.ADMIN, '{ activeRuleSet { version } }')).data.activeRuleSet.version;
    const draft = copyPack();
    addLeaf(draft, { fact: 'amount', operator: 'tripwire', value: 1 });
    const expectRefused = (res: { errors?: Array<{ extensions: Record<string, any> }> }) => {
      expect(res.errors![0].extensions.code).toBe('RULES_INVALID');
      expect(res.errors![0].extensions.problems).toEqual([expect.objectContaining({ file: ACTIONS, message: expect.stringContaining('tripped at 5000.01') })]);
    };
    expectRefused(await h.gql(h.keys.ADMIN, 'mutation { reloadRules { version } }'));
    expectRefused(await h.gql(h.keys.ADMIN, 'mutation($d: String!) { installShadowRules(dir: $d) { version } }', { d: draft }));
    expectRefused(await h.gql(h.keys.ADMIN, 'query($d: String!) { simulateRules(draftDir: $d) { draftVersion } }', { d: draft }));
    expect((await h.gql(h.keys.ADMIN, '{ activeRuleSet { version } shadowRules { version } }')).data).toEqual({
      activeRuleSet: { version: before },
      shadowRules: null,
    });
  });
});
