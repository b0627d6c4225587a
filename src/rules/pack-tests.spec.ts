import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadRulePack } from './rule-pack.loader';
import { RuleEngine } from './rule-engine';
import { runPackTests } from './pack-tests';

const PACK = path.join(__dirname, '..', '..', 'rules');
let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'triage-pack-tests-'));
  fs.cpSync(PACK, dir, { recursive: true });
  for (const f of fs.readdirSync(path.join(dir, 'tests'))) fs.rmSync(path.join(dir, 'tests', f));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Runs `cases` as the pack's only tests file. */
async function run(cases: unknown[]) {
  fs.writeFileSync(path.join(dir, 'tests', 'retention.json'), JSON.stringify({ $schema: '../schema/rule-test.schema.json', cases }));
  return runPackTests(dir, new RuleEngine(loadRulePack(dir)));
}

describe('pack tests: evidence retention', () => {
  const loss = { category: 'PROPERTY_LOSS', subtype: 'STOLEN', propertyOwner: 'CUSTOMER', amount: 800, occurredAt: '2026-11-20T16:00:00+08:00' };

  it('checks retainUntil against the occurrence, and names the action when it differs', async () => {
    const report = await run([
      { name: 'from the occurrence', input: loss, expect: { retainUntil: { PRESERVE_CCTV: '2026-12-20T08:00:00Z' } } },
      { name: 'from the report (wrong)', input: loss, expect: { retainUntil: { PRESERVE_CCTV: '2026-12-23T10:00:00+08:00' } } },
      { name: 'an action not decided', input: loss, expect: { retainUntil: { CALL_FIRE_SERVICE: '2026-12-20T08:00:00Z' } } },
    ]);
    expect(report.passed).toBe(1);
    expect(report.failures).toEqual([
      { case: 'tests/retention.json › from the report (wrong)', field: 'retainUntil.PRESERVE_CCTV', expected: '2026-12-23T02:00:00.000Z', actual: '2026-12-20T08:00:00.000Z' },
      { case: 'tests/retention.json › an action not decided', field: 'retainUntil.CALL_FIRE_SERVICE', expected: '2026-12-20T08:00:00Z', actual: 'absent' },
    ]);
  });

  it('refuses an occurredAt that is not a date-time, as any malformed case', async () => {
    await expect(run([{ name: 'bad', input: { ...loss, occurredAt: 'yesterday' }, expect: { severity: 'SERIOUS' } }])).rejects.toMatchObject({
      problems: [expect.objectContaining({ file: 'tests/retention.json', pointer: '/cases/0/input/occurredAt' })],
    });
  });
});
