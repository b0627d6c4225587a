import { parseStaffSheet, StaffImportError } from './staff-import';

const departments = { FACILITIES: '物业管理部', FINANCE: '财务部' };
const sheet = (...rows: string[][]) => rows.map((cells, i) => ({ line: i + 1, cells }));

describe('parseStaffSheet', () => {
  it('reads English or Chinese headers in any order, roles separated by ; | or spaces, blank lines skipped', () => {
    const rows = parseStaffSheet(
      sheet(
        ['姓名', '工号', '角色', '部门', '在职'],
        ['张三', '001', 'cashier|accountant', 'finance', '否'],
        ['', '', '', '', ''],
        ['李四', '002', 'AGENT', 'FACILITIES', ''],
      ),
      departments,
    );
    expect(rows).toEqual([
      { line: 2, fields: { employeeNo: '001', name: '张三', department: 'FINANCE', roles: ['CASHIER', 'ACCOUNTANT'], phone: null, active: false } },
      { line: 4, fields: { employeeNo: '002', name: '李四', department: 'FACILITIES', roles: ['AGENT'], phone: null, active: true } },
    ]);
  });

  it('names the line and column of the first bad row', () => {
    const bad = (rows: string[][]) => {
      try {
        parseStaffSheet(sheet(...rows), departments);
      } catch (e) {
        return e instanceof StaffImportError ? [e.line, e.column] : e;
      }
      return null;
    };
    const header = ['employeeNo', 'name', 'department', 'roles', 'phone', 'active'];
    expect(bad([header, ['1', 'a', 'FINANCE', 'AGENT', '', ''], ['2', 'b', 'FINANCE', 'INTEGRATION', '', '']])).toEqual([3, 'roles']);
    expect(bad([header, ['1', 'a', 'FINANCE', 'AGENT', 'x1', '']])).toEqual([2, 'phone']);
    expect(bad([header, ['1', 'a', 'FINANCE', 'AGENT', '', 'maybe']])).toEqual([2, 'active']);
    expect(bad([header, ['1', 'a', 'FINANCE', 'AGENT', '', ''], ['1', 'b', 'FINANCE', 'AGENT', '', '']])).toEqual([3, 'employeeNo']);
    expect(bad([['employeeNo', 'name', 'roles']])).toEqual([1, 'department']);
  });
});
