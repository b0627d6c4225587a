import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadRulePack, RulesInvalidError } from './rule-pack.loader';

const PACK = path.join(__dirname, '..', '..', 'rules');

function copyPack(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'triage-drills-'));
  fs.cpSync(PACK, dir, { recursive: true });
  return dir;
}

function edit(dir: string, file: string, change: (json: any) => void): void {
  const full = path.join(dir, file);
  const json = JSON.parse(fs.readFileSync(full, 'utf8'));
  change(json);
  fs.writeFileSync(full, JSON.stringify(json, null, 2));
}

function problemsOf(dir: string): Array<{ file: string; pointer: string; message: string }> {
  try {
    loadRulePack(dir);
  } catch (e) {
    if (e instanceof RulesInvalidError) return e.problems;
    throw e;
  }
  throw new Error('the pack loaded');
}

describe('drill scenarios in the pack', () => {
  const dirs: string[] = [];
  const fresh = () => { const d = copyPack(); dirs.push(d); return d; };
  afterAll(() => { for (const d of dirs) fs.rmSync(d, { recursive: true, force: true }); });

  it('the shipped pack has one scenario per procedure, each in a procedure of the catalog', () => {
    const pack = loadRulePack(PACK);
    const procedures = Object.keys(pack.catalog.drillProcedures ?? {});
    expect(new Set(pack.drills!.map((d) => d.procedure))).toEqual(new Set(procedures));
    const outage = pack.drills!.find((d) => d.code === 'HOTLINE_OUTAGE')!;
    expect(outage.steps.map((s) => [s.id, s.offsetMinutes])).toEqual([['report', 0], ['longer', 25]]);
    expect(outage.file).toBe('drills/service-hall-outage.json');
    expect(pack.catalog.refundSteps.PAYOUT.simulatedInDrills).toBe(true);
    expect(Object.keys(pack.files)).toContain('drills/refund-chain.json');
  });

  it('a pack without drills/ loads with none', () => {
    const dir = fresh();
    fs.rmSync(path.join(dir, 'drills'), { recursive: true });
    expect(loadRulePack(dir).drills).toEqual([]);
  });

  it('refuses a scenario that writes expected actions, by file and pointer', () => {
    const dir = fresh();
    edit(dir, 'drills/overcharge.json', (j) => { j.steps[0].expectActions = ['REFUND']; });
    expect(problemsOf(dir)).toEqual([{ file: 'drills/overcharge.json', pointer: '/steps/0/expectActions', message: expect.any(String) }]);
  });

  it('refuses unknown codes, an amendment of a later or unknown step, steps out of order, a duplicate id', () => {
    const dir = fresh();
    edit(dir, 'drills/service-hall-outage.json', (j) => {
      j.procedure = 'NOPE';
      j.steps[0].report.subtype = 'NOT_A_SUBTYPE';
      j.steps[1].amend.step = 'later';
      j.steps[1].offsetMinutes = 25;
      j.steps.push({ id: 'later', offsetMinutes: 5, report: { category: 'UNKNOWN_CAT' } });
      j.steps.push({ id: 'later', offsetMinutes: 30, amend: { step: 'report', note: 'x', outageMinutes: 40 } });
    });
    const pointers = problemsOf(dir).map((p) => `${p.file}:${p.pointer}`);
    expect(pointers).toEqual([
      'drills/service-hall-outage.json:/procedure',
      'drills/service-hall-outage.json:/steps/0/report/subtype',
      'drills/service-hall-outage.json:/steps/1/amend/step',
      'drills/service-hall-outage.json:/steps/2/offsetMinutes',
      'drills/service-hall-outage.json:/steps/2/report/category',
      'drills/service-hall-outage.json:/steps/3/id',
    ]);
  });

  it('refuses two scenarios with one code and a missing schema', () => {
    const dir = fresh();
    edit(dir, 'drills/complaint.json', (j) => { j.code = 'HALL_FIRE'; });
    expect(problemsOf(dir).map((p) => `${p.file}:${p.pointer}`)).toContain('drills/service-hall-fire.json:/code');
    fs.rmSync(path.join(dir, 'schema', 'drill-scenario.schema.json'));
    expect(problemsOf(dir).map((p) => p.file)).toContain('schema/drill-scenario.schema.json');
  });
});
