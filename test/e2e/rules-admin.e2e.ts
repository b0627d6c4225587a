import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Harness, REPORT, ref, startHarness } from './support/harness';

const root = path.join(__dirname, '..', '..');
const shipped = path.join(root, 'rules');
const POLICE_RULE = 'property-loss-over-5000-police';

/** A copy of the shipped pack under `parent/name`, optionally edited. */
function copyPack(parent: string, name: string, edit?: (dir: string) => void): string {
  const dir = path.join(parent, name);
  fs.cpSync(shipped, dir, { recursive: true });
  edit?.(dir);
  return dir;
}

function editRule(dir: string, name: string, edit: (rule: any) => void) {
  for (const f of fs.readdirSync(path.join(dir, 'policy'))) {
    const file = path.join(dir, 'policy', f);
    const json = JSON.parse(fs.readFileSync(file, 'utf8'));
    const rule = json.rules.find((r: any) => r.name === name);
    if (!rule) continue;
    edit(rule);
    fs.writeFileSync(file, JSON.stringify(json, null, 2));
    return;
  }
  throw new Error(`no rule ${name}`);
}

/** The police threshold from 5000 to 3000, in the police rule only. */
const police3000 = (dir: string) =>
  editRule(dir, POLICE_RULE, (r) => {
    r.conditions.all.find((c: any) => c.fact === 'amount').value = 3000;
  });

const SIMULATE = `query($dir: String!, $from: DateTime, $to: DateTime, $samples: Int, $only: [DecisionField!]) {
  simulateRules(draftDir: $dir, from: $from, to: $to, samples: $samples, only: $only) {
    draftVersion from to elapsedMs incidentsPerSecond
    counts { total changed severity owner notify actions police policeNowRequired policeNoLongerRequired refundChain }
    byCategory { category counts { total changed police } }
    samples { incidentId source externalRef category reportedAt changed
      before { severity policeReportRequired actions ruleSetVersion firedRules }
      after { severity policeReportRequired actions ruleSetVersion firedRules } }
  }
}`;

const SHADOW_FIELDS = 'version checksum label ruleCount installedBy decided diverged dropped failed pending capacity';

describe('rule administration: backtests and the shadow pack', () => {
  let h: Harness;
  let work: string;
  let drafts: string;
  let live: string;
  let liveVersion: string;
  const stored: Record<string, { id: string; externalRef: string }> = {};

  const report = async (input: Record<string, unknown>) => {
    const res = await h.gql(h.keys.AGENT, REPORT, { input: { source: 'erp', externalRef: ref('ADM'), ...input } });
    expect(res.errors).toBeUndefined();
    return res.data.reportIncident.incident as { id: string; externalRef: string; policeReportRequired: boolean; decision: { ruleSetVersion: string } };
  };
  const loss = (amount: string, extra: Record<string, unknown> = {}) =>
    report({ category: 'PROPERTY_LOSS', subtype: 'STOLEN', propertyOwner: 'COMPANY', amount, ...extra });

  beforeAll(async () => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'triage-rules-admin-'));
    drafts = path.join(work, 'drafts');
    fs.mkdirSync(drafts);
    live = copyPack(work, 'live');
    copyPack(drafts, 'police-3000', police3000);
    copyPack(drafts, 'broken', (dir) =>
      editRule(dir, POLICE_RULE, (r) => {
        r.event.params.code = 'CALL_THE_MARINES';
      }),
    );
    h = await startHarness({ rulesDir: live, env: { RULES_DRAFTS_DIR: drafts } });
    // 02:00Z: the 4000.00 loss alone; from 03:00Z the rest.
    stored.loss4000 = await loss('4000.00');
    h.clock.advance(3600_000);
    stored.loss6000 = await loss('6000.00');
    stored.loss2000 = await loss('2000.00');
    stored.fire = await report({ category: 'ONSITE_EMERGENCY', subtype: 'FIRE' });
    stored.drill = await loss('4500.00', { drill: true });
    liveVersion = (await h.gql(h.keys.ADMIN, '{ activeRuleSet { version } }')).data.activeRuleSet.version;
  });
  afterAll(async () => {
    await h?.close();
    fs.rmSync(work, { recursive: true, force: true });
  });

  it('simulateRules: with police over 3000, exactly the 4000.00 loss changes its police flag, and the sample shows it', async () => {
    const res = await h.gql(h.keys.ADMIN, SIMULATE, { dir: 'police-3000' });
    expect(res.errors).toBeUndefined();
    const r = res.data.simulateRules;
    expect(r.draftVersion).not.toBe(liveVersion);
    expect(r.counts).toEqual({
      total: 4,
      changed: 1,
      severity: 0,
      owner: 0,
      notify: 0,
      actions: 1,
      police: 1,
      policeNowRequired: 1,
      policeNoLongerRequired: 0,
      refundChain: 0,
    });
    expect(r.byCategory).toEqual([
      { category: 'ONSITE_EMERGENCY', counts: { total: 1, changed: 0, police: 0 } },
      { category: 'PROPERTY_LOSS', counts: { total: 3, changed: 1, police: 1 } },
    ]);
    expect(r.samples).toHaveLength(1);
    const [s] = r.samples;
    expect(s).toMatchObject({
      incidentId: stored.loss4000.id,
      externalRef: stored.loss4000.externalRef,
      source: 'erp',
      category: 'PROPERTY_LOSS',
      changed: ['ACTIONS', 'POLICE'],
    });
    expect(s.before).toMatchObject({ policeReportRequired: false, ruleSetVersion: liveVersion });
    expect(s.before.actions).not.toContain('POLICE_REPORT');
    expect(s.before.firedRules).toContain('property-loss-serious');
    expect(s.before.firedRules).not.toContain(POLICE_RULE);
    expect(s.after).toMatchObject({ policeReportRequired: true, ruleSetVersion: r.draftVersion });
    expect(s.after.actions).toContain('POLICE_REPORT');
    expect(s.after.firedRules).toContain(POLICE_RULE);
    expect(typeof r.elapsedMs).toBe('number');
  });

  it('simulateRules reads only the period asked for, and writes nothing', async () => {
    const before = (
      await h.gql(h.keys.ADMIN, `query($id: ID!) { incident(id: $id) { policeReportRequired version decision { ruleSetVersion } } }`, {
        id: stored.loss4000.id,
      })
    ).data.incident;
    const res = await h.gql(h.keys.ADMIN, SIMULATE, { dir: 'police-3000', from: '2026-11-23T02:30:00Z', to: '2026-11-24T00:00:00Z' });
    expect(res.errors).toBeUndefined();
    expect(res.data.simulateRules.counts).toMatchObject({ total: 3, changed: 0 });
    expect(res.data.simulateRules.samples).toEqual([]);
    const after = (
      await h.gql(h.keys.ADMIN, `query($id: ID!) { incident(id: $id) { policeReportRequired version decision { ruleSetVersion } } }`, {
        id: stored.loss4000.id,
      })
    ).data.incident;
    expect(after).toEqual(before);
  });

  it('refuses a broken draft with RULES_INVALID naming the file and pointer', async () => {
    const res = await h.gql(h.keys.ADMIN, SIMULATE, { dir: 'broken' });
    expect(res.errors![0].extensions.code).toBe('RULES_INVALID');
    const problems = res.errors![0].extensions.problems as Array<{ file: string; pointer: string }>;
    expect(problems).toEqual([expect.objectContaining({ file: 'policy/actions.json', pointer: expect.stringMatching(/\/event\/params\/code$/) })]);
  });

  it('never reads through a draft that links out of RULES_DRAFTS_DIR, and never echoes file contents or server paths', async () => {
    const secret = path.join(work, 'secret.txt');
    fs.writeFileSync(secret, 'SECRET-hunter2 not json at all');
    const linked = copyPack(drafts, 'linked-out');
    fs.rmSync(path.join(linked, 'catalog.json'));
    fs.symlinkSync(secret, path.join(linked, 'catalog.json'));
    const notJson = copyPack(drafts, 'not-json');
    fs.writeFileSync(path.join(notJson, 'catalog.json'), 'SECRET-hunter2 not json at all');
    for (const [query, vars] of [
      [SIMULATE, { dir: 'linked-out' }],
      [SIMULATE, { dir: 'not-json' }],
      [SIMULATE, { dir: '/etc' }],
      [SIMULATE, { dir: '../../..' }],
      ['mutation($dir: String!) { installShadowRules(dir: $dir) { version } }', { dir: 'linked-out' }],
    ] as const) {
      const res = await h.gql(h.keys.ADMIN, query, vars);
      expect(['BAD_USER_INPUT', 'RULES_INVALID']).toContain(res.errors![0].extensions.code);
      const text = JSON.stringify(res.errors);
      expect(text).not.toContain('hunter2');
      expect(text).not.toContain(work);
    }
    expect((await h.gql(h.keys.ADMIN, SIMULATE, { dir: 'linked-out' })).errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'draftDir' });
    expect((await h.gql(h.keys.ADMIN, SIMULATE, { dir: 'not-json' })).errors![0].extensions.problems).toEqual([
      expect.objectContaining({ file: 'catalog.json', pointer: '' }),
    ]);
  });

  it('refuses draft paths that are not directories inside RULES_DRAFTS_DIR, and callers who are not ADMIN', async () => {
    for (const dir of ['no-such-draft', '../live', path.join(work, 'live'), 'police-3000\u0000x', 'police-3000/catalog.json']) {
      const res = await h.gql(h.keys.ADMIN, SIMULATE, { dir });
      expect(res.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'draftDir' });
    }
    const agent = await h.gql(h.keys.AGENT, SIMULATE, { dir: 'police-3000' });
    expect(agent.errors![0].extensions.code).toBe('FORBIDDEN');
    const tooMany = await h.gql(h.keys.ADMIN, SIMULATE, { dir: 'police-3000', samples: 5000 });
    expect(tooMany.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'samples' });
  });

  const cli = path.join(root, 'dist', 'src', 'cli', 'rules-simulate.command.js');
  (fs.existsSync(cli) ? it : it.skip)('triage rules simulate --draft … --json reports the same against the database (build first: npm run build)', async () => {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [path.join(root, 'bin', 'triage'), 'rules', 'simulate', '--draft', path.join(drafts, 'police-3000'), '--json', '--only', 'police'],
      {
        env: { ...process.env, DATABASE_URL: h.app.services.config.databaseUrlForDisplay, LOG_LEVEL: 'silent' },
      },
    );
    const r = JSON.parse(stdout);
    expect(r.counts).toMatchObject({ total: 4, changed: 1, police: 1, policeNowRequired: 1 });
    expect(r.samples.map((s: any) => String(s.id))).toEqual([stored.loss4000.id]);
    expect(r.incidentsPerSecond).toBeGreaterThan(0);
  });

  (fs.existsSync(path.join(root, 'dist', 'src', 'rules', 'rule-bands.js')) ? it : it.skip)(
    'triage rules validate prints threshold band warnings after the ok line; --strict-bands fails on them',
    async () => {
      const run = promisify(execFile);
      const { stdout } = await run(process.execPath, [path.join(root, 'bin', 'triage'), 'rules', 'validate', shipped]);
      const lines = stdout.trim().split('\n');
      expect(lines[0]).toMatch(/^ok: \d+ rules, version /);
      expect(lines).toContainEqual(
        expect.stringMatching(
          /^warning: policy\/severity\.json:\/rules\/\d+: overlap: for PROPERTY_LOSS, amount 5000\.01 and above .*"property-loss-serious".*"property-loss-over-5000-urgent"/,
        ),
      );
      const strict = await run(process.execPath, [path.join(root, 'bin', 'triage'), 'rules', 'validate', '--strict-bands', shipped]).catch((e) => e);
      expect(strict.code).toBe(1);
      expect(strict.stdout).toMatch(/^error: policy\/severity\.json:/m);
    },
  );

  (fs.existsSync(path.join(root, 'dist', 'src', 'cli', 'main.js')) ? it : it.skip)(
    'triage rules explain decides a report file as the API would, and refuses what the API refuses',
    async () => {
      const run = promisify(execFile);
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'triage-explain-'));
      const explain = (report: unknown) => {
        const file = path.join(dir, `r${Math.random().toString(36).slice(2)}.json`);
        fs.writeFileSync(file, JSON.stringify(report));
        return run(process.execPath, [path.join(root, 'bin', 'triage'), 'rules', 'explain', '--json', '--dir', shipped, file]).catch((e) => e);
      };
      const over = await explain({ category: 'PROPERTY_LOSS', amount: '5000.01', propertyOwner: 'CUSTOMER' });
      expect(JSON.parse(over.stdout).decision).toMatchObject({ policeReportRequired: true, severity: 'URGENT' });
      const at = await explain({ category: 'PROPERTY_LOSS', amount: '5000.00', propertyOwner: 'CUSTOMER' });
      expect(JSON.parse(at.stdout).decision.policeReportRequired).toBe(false);
      // Evidence is kept 30 days from when it happened, not from when it was reported, as the API decides.
      const kept = await explain({
        category: 'PROPERTY_LOSS',
        subtype: 'STOLEN',
        propertyOwner: 'CUSTOMER',
        amount: '100.00',
        reportedAt: '2026-12-04T17:30:00+08:00',
        occurredAt: '2026-12-04T16:00:00+08:00',
      });
      expect(JSON.parse(kept.stdout).decision.actions).toContainEqual(
        expect.objectContaining({ code: 'PRESERVE_CCTV', retainUntil: '2027-01-03T08:00:00.000Z' }),
      );
      for (const [report, message] of [
        [{ category: 'PROPERTY_LOST' }, /report\.category: unknown code "PROPERTY_LOST"; allowed: .*PROPERTY_LOSS/],
        [{ subtype: 'STOLEN' }, /report\.category: is required/],
        [{ category: 'PROPERTY_LOSS', amount: 5000.01 }, /report\.amount: .*not a number/],
        [{ category: 'SERVICE', injured: 'yes' }, /report\.injured: must be true or false/],
      ] as Array<[unknown, RegExp]>) {
        const refused = await explain(report);
        expect(refused.code).toBe(1);
        expect(refused.stdout).toBe('');
        expect(refused.stderr).toMatch(message);
        expect(refused.stderr).not.toMatch(/\bat .*\.js:\d+/);
      }
    },
  );

  it('shadow: divergences of live decisions are recorded and listed; drop stops it', async () => {
    const installed = await h.gql(h.keys.ADMIN, `mutation($dir: String!) { installShadowRules(dir: $dir) { ${SHADOW_FIELDS} } }`, { dir: 'police-3000' });
    expect(installed.errors).toBeUndefined();
    const shadowVersion = installed.data.installShadowRules.version;
    expect(installed.data.installShadowRules).toMatchObject({ installedBy: 'test-admin', decided: 0, diverged: 0, dropped: 0 });
    expect(shadowVersion).not.toBe(liveVersion);

    const diverging = await loss('4000.00');
    expect(diverging.policeReportRequired).toBe(false); // the live pack decides
    await loss('1000.00');
    await report({ category: 'SERVICE', subtype: 'ATTITUDE' });
    await h.app.services.ruleAdmin.shadow.idle();

    const status = (await h.gql(h.keys.ADMIN, `{ shadowRules { ${SHADOW_FIELDS} } }`)).data.shadowRules;
    expect(status).toMatchObject({ version: shadowVersion, decided: 3, diverged: 1, dropped: 0, failed: 0, pending: 0 });
    const list = await h.gql(
      h.keys.ADMIN,
      `{ shadowDivergences(first: 10) { totalCount pageInfo { hasNextPage }
      edges { node { incidentId shadowVersion liveVersion fields before { policeReportRequired actions } after { policeReportRequired actions } detectedAt } } } }`,
    );
    expect(list.errors).toBeUndefined();
    expect(list.data.shadowDivergences.totalCount).toBe(1);
    const [{ node }] = list.data.shadowDivergences.edges;
    expect(node).toMatchObject({
      incidentId: diverging.id,
      shadowVersion,
      liveVersion,
      fields: ['ACTIONS', 'POLICE'],
      before: { policeReportRequired: false },
      after: { policeReportRequired: true },
    });
    expect(node.after.actions).toContain('POLICE_REPORT');

    expect((await h.gql(h.keys.AGENT, `{ shadowDivergences { totalCount } }`)).errors![0].extensions.code).toBe('FORBIDDEN');
    expect((await h.gql(h.keys.ADMIN, 'mutation { dropShadowRules }')).data.dropShadowRules).toBe(true);
    expect((await h.gql(h.keys.ADMIN, 'mutation { dropShadowRules }')).data.dropShadowRules).toBe(false);
    expect((await h.gql(h.keys.ADMIN, '{ shadowRules { version } }')).data.shadowRules).toBeNull();
    await loss('4000.00');
    await h.app.services.ruleAdmin.shadow.idle();
    expect((await h.gql(h.keys.ADMIN, `{ shadowDivergences { totalCount } }`)).data.shadowDivergences.totalCount).toBe(1);
  });

  it('shadow: a broken candidate is refused with RULES_INVALID and no shadow is installed', async () => {
    const res = await h.gql(h.keys.ADMIN, `mutation { installShadowRules(dir: "broken") { version } }`);
    expect(res.errors![0].extensions.code).toBe('RULES_INVALID');
    expect((await h.gql(h.keys.ADMIN, '{ shadowRules { version } }')).data.shadowRules).toBeNull();
  });

  it('promotion: the candidate copied into RULES_DIR and reloaded goes live and drops the shadow; earlier decisions keep their version', async () => {
    const shadowVersion = (await h.gql(h.keys.ADMIN, `mutation { installShadowRules(dir: "police-3000") { version } }`)).data.installShadowRules.version;
    fs.cpSync(path.join(drafts, 'police-3000'), live, { recursive: true });
    const reloaded = await h.gql(h.keys.ADMIN, 'mutation { reloadRules { version } }');
    expect(reloaded.errors).toBeUndefined();
    expect(reloaded.data.reloadRules.version).toBe(shadowVersion);
    expect((await h.gql(h.keys.ADMIN, '{ shadowRules { version } }')).data.shadowRules).toBeNull();
    const now = await loss('4000.00');
    expect(now.policeReportRequired).toBe(true);
    expect(now.decision.ruleSetVersion).toBe(shadowVersion);
    const earlier = await h.gql(h.keys.ADMIN, `query($id: ID!) { incident(id: $id) { policeReportRequired decision { ruleSetVersion } } }`, {
      id: stored.loss4000.id,
    });
    expect(earlier.data.incident).toEqual({ policeReportRequired: false, decision: { ruleSetVersion: liveVersion } });
    const versions = (await h.gql(h.keys.ADMIN, '{ ruleSetVersions(first: 2) { version changes { changed } } }')).data.ruleSetVersions;
    expect(versions[0]).toEqual({ version: shadowVersion, changes: { changed: [POLICE_RULE] } });
    expect(versions[1].version).toBe(liveVersion);
  });
});
