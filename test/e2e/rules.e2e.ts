import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Harness, REPORT, ref, startHarness } from './support/harness';

const shipped = path.join(__dirname, '..', '..', 'rules');

/** A throwaway copy of the shipped pack that a test may break. */
function copyPack(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'triage-rules-'));
  fs.cpSync(shipped, dir, { recursive: true });
  return dir;
}

function editJson(file: string, edit: (json: any) => void) {
  const json = JSON.parse(fs.readFileSync(file, 'utf8'));
  edit(json);
  fs.writeFileSync(file, JSON.stringify(json, null, 2));
}

function findRule(dir: string, predicate: (rule: any) => boolean): { file: string; index: number } {
  for (const f of fs.readdirSync(path.join(dir, 'policy'))) {
    const file = path.join(dir, 'policy', f);
    const rules = JSON.parse(fs.readFileSync(file, 'utf8')).rules as any[];
    const index = rules.findIndex(predicate);
    if (index >= 0) return { file, index };
  }
  throw new Error('no such rule');
}

describe('rule pack reload and versions', () => {
  let h: Harness;
  let dir: string;
  beforeAll(async () => {
    dir = copyPack();
    h = await startHarness({ rulesDir: dir });
  });
  afterAll(async () => {
    await h.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const police = async (amount: string) =>
    (
      await h.gql(h.keys.AGENT, REPORT, {
        input: { source: 'erp', externalRef: ref(), category: 'PROPERTY_LOSS', subtype: 'LOST', propertyOwner: 'CUSTOMER', amount },
      })
    ).data.reportIncident.incident;

  it('refuses an invalid pack with RULES_INVALID listing every problem, and keeps serving the old one', async () => {
    const before = (await h.gql(h.keys.ADMIN, `{ activeRuleSet { version checksum } }`)).data.activeRuleSet;
    const target = findRule(dir, (r) => r.event?.type === 'action' && r.event.params.code === 'POLICE_REPORT');
    const original = fs.readFileSync(target.file, 'utf8');
    editJson(target.file, (j) => {
      j.rules[target.index].event.params.code = 'CALL_THE_MARINES';
      j.rules[0].conditions = { all: [{ fact: 'category', operator: 'looksLike', value: 'X' }] };
    });
    const res = await h.gql(h.keys.ADMIN, `mutation { reloadRules { version } }`);
    expect(res.errors![0].extensions.code).toBe('RULES_INVALID');
    const problems = res.errors![0].extensions.problems as Array<{ file: string; pointer: string; message: string }>;
    expect(problems.length).toBeGreaterThanOrEqual(2);
    expect(problems.some((p) => p.pointer.endsWith('/event/params/code'))).toBe(true);
    expect(problems.some((p) => p.pointer.includes('/operator'))).toBe(true);
    const after = (await h.gql(h.keys.ADMIN, `{ activeRuleSet { version checksum } }`)).data.activeRuleSet;
    expect(after).toEqual(before);
    expect((await police('6000.00')).policeReportRequired).toBe(true);
    fs.writeFileSync(target.file, original);
  });

  it('installs a valid change; earlier decisions keep the version that made them', async () => {
    const old = await police('4000.00');
    expect(old.policeReportRequired).toBe(false);
    const oldVersion = old.decision.ruleSetVersion;
    // Lower the police threshold from 5000 to 3000 in every rule that compares amount > 5000.
    for (const f of fs.readdirSync(path.join(dir, 'policy'))) {
      const file = path.join(dir, 'policy', f);
      fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace(/"value":\s*5000\b/g, '"value": 3000'));
    }
    const agentTry = await h.gql(h.keys.AGENT, `mutation { reloadRules { version } }`);
    expect(agentTry.errors![0].extensions.code).toBe('FORBIDDEN');
    const res = await h.gql(h.keys.ADMIN, `mutation { reloadRules { version checksum ruleCount loadedAt } }`);
    expect(res.errors).toBeUndefined();
    expect(res.data.reloadRules.version).not.toBe(oldVersion);
    const now = await police('4000.00');
    expect(now.policeReportRequired).toBe(true);
    expect(now.decision.ruleSetVersion).toBe(res.data.reloadRules.version);
    const again = await h.gql(h.keys.ADMIN, `query($id: ID!) { incident(id: $id) { policeReportRequired decision { ruleSetVersion } } }`, { id: old.id });
    expect(again.data.incident).toEqual({ policeReportRequired: false, decision: { ruleSetVersion: oldVersion } });
    const versions = await h.gql(h.keys.ADMIN, `{ ruleSetVersions { version loadedBy changes { added removed changed catalogChanged } } }`);
    expect(versions.data.ruleSetVersions[0].version).toBe(res.data.reloadRules.version);
    expect(versions.data.ruleSetVersions[0].loadedBy).toBe('test-admin');
    expect(versions.data.ruleSetVersions[0].changes.changed.length).toBeGreaterThan(0);
    expect(versions.data.ruleSetVersions[1].version).toBe(oldVersion);
  });
});
