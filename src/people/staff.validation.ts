import { ROLES, Role } from '../auth/actor';
import { badInput } from '../common/errors';

/** What a staff member is made of, checked and normalised. */
export interface StaffFields {
  employeeNo: string;
  name: string;
  department: string;
  roles: Role[];
  phone: string | null;
  active: boolean;
}

export interface StaffInputLike {
  employeeNo: string;
  name: string;
  department: string;
  roles: string[];
  phone?: string | null;
  active?: boolean | null;
}

/** The roles a person may hold: every role but INTEGRATION, which belongs to systems. */
export const STAFF_ROLES: readonly Role[] = ROLES.filter((r) => r !== 'INTEGRATION');

const EMPLOYEE_NO = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

/**
 * Checks a staff member as given (GraphQL or an HR file). Throws BAD_USER_INPUT naming the
 * field (`${prefix}.employeeNo` …). Phones keep digits and a leading +; spaces and dashes go.
 * Pure.
 */
export function checkStaff(input: StaffInputLike, departments: Readonly<Record<string, string>>, prefix = 'input'): StaffFields {
  const employeeNo = String(input.employeeNo ?? '').trim();
  if (!EMPLOYEE_NO.test(employeeNo)) throw badInput(`${prefix}.employeeNo`, 'use 1–64 letters, digits, . _ - (starting with a letter or digit)');
  const name = String(input.name ?? '').trim();
  if (!name || [...name].length > 64) throw badInput(`${prefix}.name`, 'give a name of 1–64 characters');
  const department = String(input.department ?? '')
    .trim()
    .toUpperCase();
  if (!Object.hasOwn(departments, department)) {
    throw badInput(`${prefix}.department`, `unknown department ${department || '(empty)'}`, { allowed: Object.keys(departments) });
  }
  const roles = [...new Set((input.roles ?? []).map((r) => String(r).trim().toUpperCase()).filter(Boolean))];
  const unknown = roles.filter((r) => !(STAFF_ROLES as readonly string[]).includes(r));
  if (!roles.length || unknown.length) {
    throw badInput(`${prefix}.roles`, unknown.length ? `not a staff role: ${unknown.join(', ')}` : 'give at least one role', { allowed: [...STAFF_ROLES] });
  }
  return { employeeNo, name, department, roles: roles as Role[], phone: checkPhone(input.phone, `${prefix}.phone`), active: input.active ?? true };
}

/** A phone as kept: digits with an optional leading +, 3 to 20 of them; null when absent. */
export function checkPhone(raw: string | null | undefined, field: string): string | null {
  if (raw === null || raw === undefined || String(raw).trim() === '') return null;
  const phone = String(raw).trim().replace(/[\s-]/g, '');
  if (!/^\+?\d{3,20}$/.test(phone)) throw badInput(field, 'a phone is 3–20 digits, optionally after a +');
  return phone;
}
