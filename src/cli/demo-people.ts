import { DateTime } from 'luxon';
import type { Services } from '../services';

/** The demo company's staff directory (成员名单): employee number, name, department, roles, phone. */
const STAFF: Array<[string, string, string, string[], string]> = [
  ['CS001', '王芳', 'CUSTOMER_SERVICE', ['AGENT'], '13800010001'],
  ['CS002', '李娜', 'CUSTOMER_SERVICE', ['AGENT'], '13800010002'],
  ['CS010', '赵磊', 'CUSTOMER_SERVICE', ['CS_LEAD'], '13800010010'],
  ['CS011', '陈静', 'CUSTOMER_SERVICE', ['CS_LEAD'], '13800010011'],
  ['TS001', '孙浩', 'TECH_SUPPORT', ['TECH'], '13800020001'],
  ['FN001', '钱敏', 'FINANCE', ['CASHIER'], '13800030001'],
  ['FN002', '周洁', 'FINANCE', ['ACCOUNTANT'], '13800030002'],
  ['FN003', '吴刚', 'FINANCE', ['FINANCE_DIRECTOR'], '13800030003'],
  ['FC001', '郑强', 'FACILITIES', ['AGENT'], '13800040001'],
  ['FC002', '冯伟', 'FACILITIES', ['AGENT'], '13800040002'],
  ['SC001', '褚军', 'SECURITY', ['AGENT'], '13800050001'],
  ['SC002', '卫东', 'SECURITY', ['AGENT'], '13800050002'],
  ['IT001', '蒋涛', 'IT', ['TECH'], '13800060001'],
  ['AD001', '沈丽', 'ADMINISTRATION', ['ADMIN'], '13800070001'],
  ['DM001', '韩梅', 'DEPARTMENT_MANAGER', ['CS_LEAD'], '13800080001'],
  ['SL001', '杨帆', 'SUPERVISING_LEADER', ['CS_LEAD', 'ANALYST'], '13800090001'],
  ['GM001', '朱总', 'GENERAL_MANAGER', ['PRESIDENT', 'ANALYST'], '13800099999'],
];

/** 紧急应变外部联系通信录 and the departments' 联络人. */
const CONTACTS: Array<{ kind: string; name: string; department?: string; role: string; phone: string }> = [
  { kind: 'EXTERNAL', name: '报警 (公安)', role: '110', phone: '110' },
  { kind: 'EXTERNAL', name: '火警 (消防)', role: '119', phone: '119' },
  { kind: 'EXTERNAL', name: '急救中心', role: '120', phone: '120' },
  { kind: 'EXTERNAL', name: '大厦物业管理处', role: '物业管理', phone: '02168880000' },
  { kind: 'EXTERNAL', name: '信息中心 IT 服务台', role: 'IT', phone: '02168881234' },
  { kind: 'EXTERNAL', name: '客服热线外包服务商', role: '热线服务商', phone: '4008200000' },
  { kind: 'INTERNAL', name: '郑强', department: 'FACILITIES', role: '联络人', phone: '13800040001' },
  { kind: 'INTERNAL', name: '褚军', department: 'SECURITY', role: '联络人', phone: '13800050001' },
  { kind: 'INTERNAL', name: '赵磊', department: 'CUSTOMER_SERVICE', role: '联络人', phone: '13800010010' },
  { kind: 'INTERNAL', name: '吴刚', department: 'FINANCE', role: '联络人', phone: '13800030003' },
  { kind: 'INTERNAL', name: '朱总', department: 'GENERAL_MANAGER', role: '联络人', phone: '13800099999' },
];

/** Departments on a day (08:00–20:00) and night (20:00–08:00) roster, with who alternates. */
const ROSTER: Array<[string, string[]]> = [
  ['CUSTOMER_SERVICE', ['CS010', 'CS011']],
  ['FACILITIES', ['FC001', 'FC002']],
  ['SECURITY', ['SC001', 'SC002']],
];
/** Holds the duty around the clock all week. */
const ALWAYS: Array<[string, string]> = [
  ['GENERAL_MANAGER', 'GM001'],
  ['DEPARTMENT_MANAGER', 'DM001'],
  ['SUPERVISING_LEADER', 'SL001'],
  ['IT', 'IT001'],
  ['FINANCE', 'FN003'],
];

/**
 * The demo company's people: the staff directory, the contacts (110, 119, 120, property
 * management, IT, the hotline vendor, each department's 联络人) and an on-call roster from a
 * week before `until` to a week after it. Runs again without duplicating anything.
 */
export async function seedPeople(services: Services, until: Date): Promise<{ staff: number; contacts: number; shifts: number }> {
  const { staff, contacts, onCall } = services.people;
  for (const [employeeNo, name, department, roles, phone] of STAFF) await staff.upsert({ employeeNo, name, department, roles, phone });
  const known = new Set((await contacts.list()).map((c) => `${c.kind}|${c.name}`));
  let added = 0;
  for (const c of CONTACTS) {
    if (known.has(`${c.kind}|${c.name}`)) continue;
    await contacts.upsert(c);
    added += 1;
  }
  const zone = services.ruleSets.current().engine.calendar.timeZone;
  const first = DateTime.fromJSDate(until, { zone }).startOf('day').minus({ days: 7 });
  const shifts: Array<{ department: string; employeeNo: string; from: Date; to: Date }> = [];
  for (let d = 0; d < 14; d++) {
    const day = first.plus({ days: d });
    for (const [department, people] of ROSTER) {
      shifts.push({ department, employeeNo: people[d % 2], from: day.set({ hour: 8 }).toJSDate(), to: day.set({ hour: 20 }).toJSDate() });
      shifts.push({
        department,
        employeeNo: people[(d + 1) % 2],
        from: day.set({ hour: 20 }).toJSDate(),
        to: day.plus({ days: 1 }).set({ hour: 8 }).toJSDate(),
      });
    }
  }
  for (const [department, employeeNo] of ALWAYS) shifts.push({ department, employeeNo, from: first.toJSDate(), to: first.plus({ days: 14 }).toJSDate() });
  await onCall.set(shifts, 'demo seed');
  return { staff: STAFF.length, contacts: added, shifts: shifts.length };
}
