import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const root = path.join(__dirname, '..', '..');
const built = fs.existsSync(path.join(root, 'dist', 'src', 'cli', 'main.js'));

/** `triage` as an operator runs it, on a SQLite file of its own. */
describe('the triage CLI on a database that is missing or not migrated', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'triage-cli-'));
  const file = path.join(dir, 'triage.sqlite');
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const triage = (args: string[], env: Record<string, string> = {}) =>
    promisify(execFile)(process.execPath, [path.join(root, 'bin', 'triage'), ...args], {
      env: { ...process.env, DATABASE_URL: `sqlite:${file}`, LOG_LEVEL: 'silent', ...env },
      timeout: 60_000,
    }).then(
      (r) => ({ code: 0, ...r }),
      (e) => ({ code: e.code as number, stdout: e.stdout as string, stderr: e.stderr as string }),
    );

  (built ? it : it.skip)('says to run triage migrate instead of failing on a missing table, and leaves no empty file', async () => {
    const keys = await triage(['apikey', 'list']);
    expect(keys).toMatchObject({ code: 1, stdout: '' });
    expect(keys.stderr).toMatch(/^triage: no database at .*triage\.sqlite: run `triage migrate` first/);
    expect(fs.existsSync(file)).toBe(false);

    expect(await triage(['migrate', '--revert'])).toMatchObject({ code: 0, stdout: 'nothing to revert: no migration has been applied to this database\n' });
    const applied = await triage(['migrate']);
    expect(applied.stdout).toMatch(/^applied: Core\d+, /);
    const reverted = await triage(['migrate', '--revert']);
    expect(reverted.stdout).toMatch(/^reverted: \w+\d+\n$/);

    const serve = await triage(['serve'], { PORT: '0' });
    expect(serve.code).toBe(1);
    expect(serve.stderr).toMatch(/the database has 1 migration to apply \(\w+\): run `triage migrate` first, or `triage serve --migrate`/);
    expect(serve.stderr).not.toMatch(/SqliteError|\bat .*\.js:\d+/);

    expect(await triage(['migrate'])).toMatchObject({ code: 0 });
    expect(await triage(['apikey', 'list'])).toMatchObject({ code: 0, stdout: 'no API keys\n' });

    // A source binds only an INTEGRATION key: for staff roles it is refused, not printed and ignored.
    const staff = await triage(['apikey', 'create', '--name', 'hall-desk', '--roles', 'AGENT,CS_LEAD', '--source', 'erp']);
    expect(staff).toMatchObject({ code: 1, stdout: '' });
    expect(staff.stderr).toMatch(/^triage: source: only an INTEGRATION key is bound to a source/);
    expect(await triage(['apikey', 'list'])).toMatchObject({ code: 0, stdout: 'no API keys\n' });
    const erp = await triage(['apikey', 'create', '--name', 'erp-main', '--roles', 'INTEGRATION', '--source', 'erp']);
    expect(erp.stdout).toMatch(/with roles INTEGRATION for source erp/);
  });
});

describe('triage rules validate', () => {
  (built ? it : it.skip)('warns when the holiday calendar runs out within 60 days, not when it reaches further', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'triage-calendar-'));
    const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
    const validate = async (until: string) => {
      const catalog = JSON.parse(fs.readFileSync(path.join(root, 'rules', 'catalog.json'), 'utf8'));
      catalog.calendar.holidaysKnownUntil = until;
      fs.writeFileSync(path.join(dir, 'catalog.json'), JSON.stringify(catalog));
      return promisify(execFile)(process.execPath, [path.join(root, 'bin', 'triage'), 'rules', 'validate', dir]);
    };
    try {
      fs.cpSync(path.join(root, 'rules'), dir, { recursive: true });
      const soon = await validate(day(20));
      expect(soon.stdout).toMatch(
        /^warning: catalog\.json:\/calendar\/holidaysKnownUntil: the holiday calendar is known until \d{4}-\d{2}-\d{2} \(in (19|20|21) days\)/m,
      );
      expect((await validate(day(120))).stdout).not.toMatch(/holidaysKnownUntil/);
      const bad = await validate('2026-13-01').catch((e) => e);
      expect(bad.code).toBe(1);
      expect(bad.stdout).toMatch(/catalog\.json:\/calendar\/holidaysKnownUntil: /);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  (built ? it : it.skip)("checks the pack's test files too: a broken one fails validation, naming the file", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'triage-validate-'));
    try {
      fs.cpSync(path.join(root, 'rules'), dir, { recursive: true });
      fs.writeFileSync(path.join(dir, 'tests', 'broken.json'), '{nope');
      const res = await promisify(execFile)(process.execPath, [path.join(root, 'bin', 'triage'), 'rules', 'validate', dir]).catch((e) => e);
      expect(res.code).toBe(1);
      expect(res.stdout).toMatch(/^tests\/broken\.json:: not valid JSON/m);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('triage rules validate and test on a pack outside the condition language', () => {
  (built ? it : it.skip)('both list the problem as file:/json/pointer: message and exit 1, never a crash', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'triage-language-'));
    try {
      fs.cpSync(path.join(root, 'rules'), dir, { recursive: true });
      const file = path.join(dir, 'policy', 'severity.json');
      const json = JSON.parse(fs.readFileSync(file, 'utf8'));
      json.rules[0].conditions.all.push({ fact: 'amount', operator: 'in', value: { fact: 'outageMinutes' } });
      fs.writeFileSync(file, JSON.stringify(json, null, 2));
      const at = `policy/severity.json:/rules/0/conditions/all/${json.rules[0].conditions.all.length - 1}/value: `;
      for (const command of ['validate', 'test']) {
        const res = await promisify(execFile)(process.execPath, [path.join(root, 'bin', 'triage'), 'rules', command, dir]).catch((e) => e);
        expect({ command, code: res.code, stderr: res.stderr }).toEqual({ command, code: 1, stderr: '' });
        expect(res.stdout.startsWith(at)).toBe(true);
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
