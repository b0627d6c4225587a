import type { IncomingHttpHeaders } from 'node:http';
import type { DataSource } from 'typeorm';
import { Actor, Role } from '../auth/actor';
import { AppError } from '../common/errors';
import { rawQuery } from '../database/raw-sql';

/** The header an integration names the staff member it acts for with. */
export const EMPLOYEE_HEADER = 'x-triage-employee';

const MEMBER_SQL = 'SELECT id, employee_no, name, roles, active FROM staff_members WHERE employee_no = ?';

export interface MemberRow {
  id: number;
  employeeNo: string;
  name: string;
  roles: Role[];
  active: boolean;
}

/** Verifies a bearer token that is not an API key (an OIDC sign-in): the employee number it names, or throws UNAUTHENTICATED. */
export interface SignInVerifier {
  employeeNo(token: string): Promise<string>;
}

/**
 * Who a request is, as a person: an integration acting for a staff member (X-Triage-Employee),
 * or a staff sign-in (an OIDC bearer token). The member is read from the directory on every
 * request, so a deactivated member fails on the very next one. Roles are the directory's.
 */
export class StaffIdentity {
  constructor(
    private readonly ds: DataSource,
    private readonly signIn: SignInVerifier | null,
  ) {}

  /**
   * The actor a request stands for, given the key's actor (null when the token is no API key).
   * Throws FORBIDDEN when the header is sent by a key that may not act for staff or names no
   * active member; UNAUTHENTICATED for a token that is neither a key nor a valid sign-in.
   */
  async resolve(headers: IncomingHttpHeaders, token: string, keyActor: Actor | null): Promise<Actor | null> {
    const named = headerOf(headers);
    if (keyActor) return named === null ? keyActor : this.actFor(keyActor, named);
    if (!this.signIn || !looksLikeJwt(token)) return null;
    if (named !== null) throw new AppError('FORBIDDEN', `${EMPLOYEE_HEADER} is for integration keys acting for staff; a sign-in is the person already`);
    const employeeNo = await this.signIn.employeeNo(token);
    const m = await this.member(employeeNo);
    if (!m || !m.active) throw new AppError('UNAUTHENTICATED', `employee ${employeeNo} is not an active member of the staff directory`);
    return {
      keyId: 0,
      name: `${m.name} (${m.employeeNo})`,
      roles: new Set(m.roles),
      source: null,
      staff: { id: m.id, employeeNo: m.employeeNo, name: m.name },
      delegatedBy: null,
    };
  }

  private async actFor(key: Actor, employeeNo: string): Promise<Actor> {
    if (!key.actForStaff) throw new AppError('FORBIDDEN', `the API key ${key.name} may not act for staff (${EMPLOYEE_HEADER}); create it with --act-for-staff`);
    const m = await this.member(employeeNo);
    if (!m || !m.active)
      throw new AppError('FORBIDDEN', `${EMPLOYEE_HEADER}: ${employeeNo} is not an active member of the staff directory`, { field: EMPLOYEE_HEADER });
    return {
      keyId: key.keyId,
      name: `${m.name} (${key.source ?? key.name})`.slice(0, 128),
      roles: new Set(m.roles),
      source: key.source,
      staff: { id: m.id, employeeNo: m.employeeNo, name: m.name },
      delegatedBy: key.name,
    };
  }

  private async member(employeeNo: string): Promise<MemberRow | null> {
    const rows = (await rawQuery(this.ds, MEMBER_SQL, [employeeNo])) as Array<{
      id: number | string;
      employee_no: string;
      name: string;
      roles: string;
      active: unknown;
    }>;
    const r = rows[0];
    return r
      ? { id: Number(r.id), employeeNo: r.employee_no, name: r.name, roles: r.roles.split(',').filter(Boolean) as Role[], active: Boolean(Number(r.active)) }
      : null;
  }
}

function headerOf(headers: IncomingHttpHeaders): string | null {
  const raw = headers[EMPLOYEE_HEADER];
  const v = (Array.isArray(raw) ? raw[0] : raw)?.trim();
  if (v === undefined) return null;
  if (!/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/.test(v)) throw new AppError('FORBIDDEN', `${EMPLOYEE_HEADER} is not an employee number`, { field: EMPLOYEE_HEADER });
  return v;
}

/** Three base64url parts: a JWT (API keys start with trg_ and have no dots). */
export const looksLikeJwt = (token: string) => token.length <= 8192 && /^[\w-]+\.[\w-]+\.[\w-]+$/.test(token);
