import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import ExcelJS from 'exceljs';
import { Harness, startHarness } from './support/harness';

const STAFF = 'id employeeNo name department roles phone active';
const UPSERT = `mutation($input: StaffMemberInput!) { upsertStaffMember(input: $input) { ${STAFF} } }`;
const LIST = `query($department: String, $role: String, $includeInactive: Boolean) { staffMembers(department: $department, role: $role, includeInactive: $includeInactive) { ${STAFF} } }`;

describe('the staff directory (成员名单) over GraphQL', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());

  it('ADMIN adds and updates members by employee number; other roles may not', async () => {
    const input = { employeeNo: 'E1001', name: '张三', department: 'facilities', roles: ['cs_lead', 'AGENT'], phone: '138-1234-5678' };
    const made = await h.gql(h.keys.ADMIN, UPSERT, { input });
    expect(made.errors).toBeUndefined();
    expect(made.data.upsertStaffMember).toMatchObject({
      employeeNo: 'E1001',
      name: '张三',
      department: 'FACILITIES',
      roles: ['CS_LEAD', 'AGENT'],
      phone: '13812345678',
      active: true,
    });
    const again = await h.gql(h.keys.ADMIN, UPSERT, { input: { ...input, name: '张三丰', roles: ['CS_LEAD'] } });
    expect(again.data.upsertStaffMember).toMatchObject({ id: made.data.upsertStaffMember.id, name: '张三丰', roles: ['CS_LEAD'] });
    for (const k of [h.keys.AGENT, h.keys.CS_LEAD, h.keys.ERP]) {
      expect((await h.gql(k, UPSERT, { input })).errors?.[0].extensions.code).toBe('FORBIDDEN');
    }
  });

  it('names the field at fault and writes nothing', async () => {
    const bad = [
      [{ employeeNo: 'E 1', name: 'x', department: 'FACILITIES', roles: ['AGENT'] }, 'input.employeeNo'],
      [{ employeeNo: 'E2', name: '', department: 'FACILITIES', roles: ['AGENT'] }, 'input.name'],
      [{ employeeNo: 'E2', name: 'x', department: 'NOPE', roles: ['AGENT'] }, 'input.department'],
      [{ employeeNo: 'E2', name: 'x', department: 'FACILITIES', roles: ['INTEGRATION'] }, 'input.roles'],
      [{ employeeNo: 'E2', name: 'x', department: 'FACILITIES', roles: [] }, 'input.roles'],
      [{ employeeNo: 'E2', name: 'x', department: 'FACILITIES', roles: ['AGENT'], phone: '12ab' }, 'input.phone'],
    ] as const;
    for (const [input, field] of bad) {
      const res = await h.gql(h.keys.ADMIN, UPSERT, { input });
      expect(res.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
    }
    const all = await h.gql(h.keys.ADMIN, LIST, { includeInactive: true });
    expect(all.data.staffMembers.map((m: any) => m.employeeNo)).not.toContain('E2');
  });

  it('every staff role reads it, phones masked but for AGENT, CS_LEAD and ADMIN; a bare integration key may not', async () => {
    await h.gql(h.keys.ADMIN, UPSERT, { input: { employeeNo: 'F2001', name: '李四', department: 'FINANCE', roles: ['CASHIER'], phone: '13900001111' } });
    const clear = await h.gql(h.keys.AGENT, LIST, { department: 'FINANCE' });
    expect(clear.data.staffMembers).toEqual([expect.objectContaining({ employeeNo: 'F2001', phone: '13900001111' })]);
    for (const k of [h.keys.CASHIER, h.keys.ANALYST, h.keys.TECH]) {
      const masked = await h.gql(k, LIST, { role: 'CASHIER' });
      expect(masked.data.staffMembers).toEqual([expect.objectContaining({ employeeNo: 'F2001', phone: '139****1111' })]);
    }
    expect((await h.gql(h.keys.ERP, LIST, {})).errors?.[0].extensions.code).toBe('FORBIDDEN');
  });

  it('active: false deactivates: left out of the list unless includeInactive', async () => {
    await h.gql(h.keys.ADMIN, UPSERT, { input: { employeeNo: 'F2002', name: '王五', department: 'FINANCE', roles: ['ACCOUNTANT'], active: false } });
    const shown = (await h.gql(h.keys.ADMIN, LIST, { department: 'FINANCE' })).data.staffMembers.map((m: any) => m.employeeNo);
    expect(shown).toEqual(['F2001']);
    const all = (await h.gql(h.keys.ADMIN, LIST, { department: 'FINANCE', includeInactive: true })).data.staffMembers;
    expect(all).toEqual([expect.objectContaining({ employeeNo: 'F2001' }), expect.objectContaining({ employeeNo: 'F2002', active: false })]);
  });
});

const root = path.join(__dirname, '..', '..');
const built = fs.existsSync(path.join(root, 'dist', 'src', 'cli', 'main.js'));

describe('triage staff import', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'triage-staff-'));
  const db = path.join(dir, 'triage.sqlite');
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const triage = (args: string[]) =>
    promisify(execFile)(process.execPath, [path.join(root, 'bin', 'triage'), ...args], {
      env: { ...process.env, DATABASE_URL: `sqlite:${db}`, LOG_LEVEL: 'silent' },
      timeout: 60_000,
    }).then(
      (r) => ({ code: 0, ...r }),
      (e) => ({ code: e.code as number, stdout: e.stdout as string, stderr: e.stderr as string }),
    );
  const csv = (name: string, lines: string[]) => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, '\uFEFF' + lines.join('\r\n') + '\r\n');
    return file;
  };

  (built ? it : it.skip)('imports a CSV an HR system exports: dry run first, then for real, then only the changes', async () => {
    expect(await triage(['migrate'])).toMatchObject({ code: 0 });
    const first = csv('hr.csv', [
      '工号,姓名,部门,角色,手机,在职',
      '0012,张三,FACILITIES,CS_LEAD;AGENT,13812345678,是',
      'G001,赵总,GENERAL_MANAGER,ADMIN,13900000001,',
      '"F-3","钱,会计",FINANCE,ACCOUNTANT,,在职',
    ]);
    const dry = await triage(['staff', 'import', first, '--dry-run']);
    expect(dry).toMatchObject({ code: 0 });
    expect(dry.stdout.split('\n')).toEqual(['+ 0012', '+ G001', '+ F-3', 'would add 3, would change 0, unchanged 0 (dry run: nothing written)', '']);
    expect((await triage(['staff', 'import', first, '--dry-run'])).stdout).toMatch(/would add 3/); // nothing was written
    expect((await triage(['staff', 'import', first])).stdout).toMatch(/^added 3, changed 0, unchanged 0$/m);

    const second = csv('hr2.csv', [
      'employeeNo,name,department,roles,phone,active',
      '0012,张三,FACILITIES,CS_LEAD|AGENT,13812340000,true',
      'G001,赵总,GENERAL_MANAGER,ADMIN,13900000001,',
      'F-3,"钱,会计",FINANCE,ACCOUNTANT,,false',
    ]);
    const changed = await triage(['staff', 'import', second, '--dry-run']);
    expect(changed.stdout.split('\n')).toEqual([
      '~ 0012 phone: 138****5678 → 138****0000',
      '~ F-3 active: true → false',
      'would add 0, would change 2, unchanged 1 (dry run: nothing written)',
      '',
    ]);
  });

  (built ? it : it.skip)('a bad row names its line and column, and nothing is imported', async () => {
    const bad = csv('bad.csv', ['employeeNo,name,department,roles', 'N1,新人,FACILITIES,AGENT', 'N2,新人二,NOWHERE,AGENT']);
    const res = await triage(['staff', 'import', bad]);
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/line 3, column department: unknown department NOWHERE/);
    const dup = csv('dup.csv', ['employeeNo,name,department,roles', 'N1,a,FACILITIES,AGENT', 'N1,b,FACILITIES,AGENT']);
    expect((await triage(['staff', 'import', dup])).stderr).toMatch(/line 3, column employeeNo: N1 is on line 2 already/);
    const noRoles = csv('noroles.csv', ['employeeNo,name,department', 'N1,a,FACILITIES']);
    expect((await triage(['staff', 'import', noRoles])).stderr).toMatch(/line 1, column roles: no column roles/);
    const ok = csv('ok.csv', ['employeeNo,name,department,roles', 'N1,新人,FACILITIES,AGENT']);
    expect((await triage(['staff', 'import', ok, '--dry-run'])).stdout).toMatch(/^\+ N1$/m); // N1 was not imported by the bad file
  });

  (built ? it : it.skip)('imports an xlsx file, numbers and all', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('员工');
    ws.addRow(['工号', '姓名', '部门', '角色', '手机']);
    ws.addRow([7001, '孙七', 'IT', 'TECH', 13700007001]);
    ws.addRow(['7002', '周八', 'IT', 'TECH', 'abc']);
    const file = path.join(dir, 'hr.xlsx');
    await wb.xlsx.writeFile(file);
    const res = await triage(['staff', 'import', file]);
    expect(res.stderr).toMatch(/line 3, column phone:/);
    ws.getRow(3).getCell(5).value = '13700007002';
    await wb.xlsx.writeFile(file);
    expect((await triage(['staff', 'import', file])).stdout).toMatch(/^\+ 7001\n\+ 7002\nadded 2/);
  });

  (built ? it : it.skip)('triage notify channel add|list|remove configures where a department is told', async () => {
    expect(await triage(['migrate'])).toMatchObject({ code: 0 });
    const added = await triage([
      'notify',
      'channel',
      'add',
      '--department',
      'facilities',
      '--kind',
      'dingtalk',
      '--url',
      'https://oapi.dingtalk.com/robot/send?access_token=abc',
      '--secret',
      'SEC123',
    ]);
    expect(added.stdout).toMatch(/^added channel (\d+): DINGTALK for FACILITIES \(signed\)$/m);
    const id = /channel (\d+)/.exec(added.stdout)![1];
    expect(
      (await triage(['notify', 'channel', 'add', '--department', 'FACILITIES', '--kind', 'WECOM', '--url', 'https://qyapi.weixin.qq.com/x', '--secret', 's']))
        .stderr,
    ).toMatch(/secret: a WeCom group robot has no signing secret/);
    expect((await triage(['notify', 'channel', 'add', '--department', 'FACILITIES', '--kind', 'SMS', '--url', 'https://x'])).stderr).toMatch(
      /kind: must be one of/,
    );
    expect((await triage(['notify', 'channel', 'list'])).stdout).toContain(`${id}\tFACILITIES\tDINGTALK\toapi.dingtalk.com\tsigned\tactive`);
    expect((await triage(['notify', 'channel', 'remove', id])).stdout).toBe(`removed channel ${id}\n`);
    expect((await triage(['notify', 'channel', 'list'])).stdout).toContain('\tremoved');
  });
});
