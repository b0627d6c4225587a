import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { checksumOf, loadRulePack, RulesInvalidError, versionOf } from './rule-pack.loader';

const PACK = path.join(__dirname, '..', '..', 'rules');

/** A temporary copy of the shipped pack to break. */
function copyPack(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'triage-pack-'));
  fs.cpSync(PACK, dir, { recursive: true });
  return dir;
}

function edit(dir: string, file: string, change: (json: any) => void): void {
  const full = path.join(dir, file);
  const json = JSON.parse(fs.readFileSync(full, 'utf8'));
  change(json);
  fs.writeFileSync(full, JSON.stringify(json, null, 2));
}

function problemsOf(dir: string): RulesInvalidError {
  try {
    loadRulePack(dir);
  } catch (e) {
    if (e instanceof RulesInvalidError) return e;
    throw e;
  }
  throw new Error('the pack loaded');
}

const indexOf = (dir: string, file: string, name: string): number =>
  JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')).rules.findIndex((r: { name: string }) => r.name === name);

describe('loadRulePack', () => {
  const dirs: string[] = [];
  const fresh = () => {
    const dir = copyPack();
    dirs.push(dir);
    return dir;
  };
  afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

  it('loads the shipped pack: catalog, rules in file order, checksum and version', () => {
    const pack = loadRulePack(PACK);
    expect(Object.keys(pack.catalog.categories)).toHaveLength(11);
    expect(pack.catalog).not.toHaveProperty('$schema');
    expect(pack.rules.length).toBeGreaterThan(60);
    const files = [...new Set(pack.rules.map((r) => r.file))];
    expect(files).toEqual([...files].sort());
    expect(files.every((f) => f.startsWith('policy/'))).toBe(true);
    // The drill scenarios are pack files too (drill-scenario.loader.spec.ts).
    expect(Object.keys(pack.files).sort()).toEqual(['catalog.json', ...files, ...pack.drills!.map((d) => d.file)].sort());
    expect(pack.checksum).toMatch(/^[0-9a-f]{64}$/);
    expect(pack.checksum).toBe(checksumOf(pack.files));
    expect(pack.version).toBe(`2026.11-default-policy@${pack.checksum.slice(0, 12)}`);
  });

  it('changes the checksum with any byte of a rule file', () => {
    const dir = fresh();
    const before = loadRulePack(dir).checksum;
    const file = path.join(dir, 'policy', 'routing.json');
    fs.writeFileSync(file, `${fs.readFileSync(file, 'utf8')}\n`);
    expect(loadRulePack(dir).checksum).not.toBe(before);
  });

  it('makes the label slug-safe in the version', () => {
    expect(versionOf('2026.11 Default / Policy!', 'abcdef0123456789')).toBe('2026.11-default-policy@abcdef012345');
    expect(versionOf('客服预案', 'abcdef0123456789')).toBe('abcdef012345');
    expect(versionOf(undefined, 'abcdef0123456789')).toBe('abcdef012345');
  });

  it('lists every problem: bad JSON, an unknown action code and a wrong operator in different files', () => {
    const dir = fresh();
    fs.writeFileSync(path.join(dir, 'policy', 'escalation-stage.json'), '{ "rules": [ { "name": "x", } ] }');
    const police = indexOf(dir, 'policy/actions.json', 'property-loss-over-5000-police');
    edit(dir, 'policy/actions.json', (j) => { j.rules[police].event.params.code = 'CALL_THE_POLICE'; });
    const urgent = indexOf(dir, 'policy/severity.json', 'property-loss-over-5000-urgent');
    edit(dir, 'policy/severity.json', (j) => { j.rules[urgent].conditions.all[1].operator = 'moreThan'; });

    const error = problemsOf(dir);
    expect(error.code).toBe('RULES_INVALID');
    expect(error.problems).toEqual(expect.arrayContaining([
      expect.objectContaining({ file: 'policy/escalation-stage.json', pointer: '', message: expect.stringMatching(/not valid JSON \(line 1, column \d+\)/) }),
      expect.objectContaining({ file: 'policy/actions.json', pointer: `/rules/${police}/event/params/code`, message: expect.stringContaining('CALL_THE_POLICE') }),
      expect.objectContaining({ file: 'policy/severity.json', pointer: `/rules/${urgent}/conditions/all/1/operator`, message: expect.stringContaining('moreThan') }),
    ]));
    // The meaning check replaces the schema's vaguer enum error at the same place.
    expect(error.problems.filter((p) => p.pointer === `/rules/${urgent}/conditions/all/1/operator`)).toHaveLength(1);
    expect(error.message).toContain(`policy/actions.json:/rules/${police}/event/params/code: unknown action "CALL_THE_POLICE"`);
    expect(error.message.split('\n').length).toBe(error.problems.length + 1);
  });

  it('reports schema problems with pointers: missing and unknown properties, bad durations', () => {
    const dir = fresh();
    edit(dir, 'policy/routing.json', (j) => {
      delete j.rules[0].event;
      j.rules[1].condtions = j.rules[1].conditions;
    });
    edit(dir, 'catalog.json', (j) => { j.actions.REFUND.due = { workingDays: 3, hours: 2 }; });
    const { problems } = problemsOf(dir);
    expect(problems).toEqual(expect.arrayContaining([
      { file: 'policy/routing.json', pointer: '/rules/0', message: "must have required property 'event'" },
      { file: 'policy/routing.json', pointer: '/rules/1/condtions', message: 'unknown property "condtions"' },
      expect.objectContaining({ file: 'catalog.json', pointer: '/actions/REFUND/due' }),
    ]));
  });

  it('reports a missing catalog, a missing schema and an empty policy directory', () => {
    const dir = fresh();
    fs.rmSync(path.join(dir, 'catalog.json'));
    fs.rmSync(path.join(dir, 'schema', 'rule-file.schema.json'));
    fs.rmSync(path.join(dir, 'policy'), { recursive: true });
    fs.mkdirSync(path.join(dir, 'policy'));
    const { problems } = problemsOf(dir);
    expect(problems).toEqual(expect.arrayContaining([
      { file: 'catalog.json', pointer: '', message: 'missing' },
      { file: 'schema/rule-file.schema.json', pointer: '', message: 'missing' },
      { file: 'policy/', pointer: '', message: 'holds no rule files (*.json)' },
    ]));
  });

  it('reads rule files in nested folders of policy/', () => {
    const dir = fresh();
    fs.mkdirSync(path.join(dir, 'policy', 'extra'));
    fs.writeFileSync(path.join(dir, 'policy', 'extra', 'vip.json'), JSON.stringify({
      $schema: '../../schema/rule-file.schema.json',
      rules: [{
        name: 'vip-notify-manager', stage: 1,
        conditions: { all: [{ fact: 'customerTier', operator: 'equal', value: 'VIP' }] },
        event: { type: 'notify', params: { departments: ['DEPARTMENT_MANAGER'] } },
      }],
    }));
    const pack = loadRulePack(dir);
    expect(pack.rules.find((r) => r.name === 'vip-notify-manager')?.file).toBe('policy/extra/vip.json');
  });
});
