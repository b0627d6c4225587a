import type { DataSource, EntityManager } from 'typeorm';
import type { Clock } from '../common/clock';
import type { Transactions } from '../database/transaction';
import type { Role } from '../auth/actor';
import { StaffMemberEntity } from './staff-member.entity';
import { checkStaff, StaffFields, StaffInputLike } from './staff.validation';

export interface StaffQuery {
  department?: string | null;
  role?: string | null;
  includeInactive?: boolean | null;
}

/** What an import would do to one member. */
export interface StaffChange {
  kind: 'ADD' | 'CHANGE' | 'UNCHANGED';
  employeeNo: string;
  /** field → [before, after], for CHANGE. */
  changes: Record<string, [unknown, unknown]>;
}

export const rolesOf = (m: Pick<StaffMemberEntity, 'roles'>): Role[] => m.roles.split(',').filter(Boolean) as Role[];

/** The staff directory (成员名单): ADMIN manages it, every staff role reads it. */
export class StaffService {
  constructor(
    private readonly ds: DataSource,
    private readonly tx: Transactions,
    private readonly clock: Clock,
    /** The catalog's departments now (the rule pack may change them). */
    private readonly departments: () => Readonly<Record<string, string>>,
  ) {}

  /** Creates or updates by employee number; `active: false` deactivates (sign-in and delegation fail on the next request). */
  async upsert(input: StaffInputLike): Promise<StaffMemberEntity> {
    const fields = checkStaff(input, this.departments());
    return this.tx.run((em) => this.write(em, fields));
  }

  /** Checks every row first (a bad one throws, naming its index as the field's prefix), then writes all in one transaction. */
  async importAll(rows: StaffFields[], dryRun: boolean): Promise<StaffChange[]> {
    const existing = new Map((await this.ds.getRepository(StaffMemberEntity).find()).map((m) => [m.employeeNo, m]));
    const changes = rows.map((r) => diff(existing.get(r.employeeNo) ?? null, r));
    if (!dryRun) {
      await this.tx.run(async (em) => {
        for (const [i, r] of rows.entries()) if (changes[i].kind !== 'UNCHANGED') await this.write(em, r);
      });
    }
    return changes;
  }

  async list(q: StaffQuery = {}): Promise<StaffMemberEntity[]> {
    const qb = this.ds.getRepository(StaffMemberEntity).createQueryBuilder('s').orderBy('s.department').addOrderBy('s.employee_no');
    if (q.department) qb.andWhere('s.department = :department', { department: q.department.toUpperCase() });
    if (!q.includeInactive) qb.andWhere('s.active = :active', { active: true });
    const rows = await qb.getMany();
    const role = q.role?.toUpperCase();
    return role ? rows.filter((m) => rolesOf(m).includes(role as Role)) : rows;
  }

  byEmployeeNo(employeeNo: string, em: EntityManager = this.ds.manager): Promise<StaffMemberEntity | null> {
    return em.findOneBy(StaffMemberEntity, { employeeNo });
  }

  byIds(ids: number[], em: EntityManager = this.ds.manager): Promise<StaffMemberEntity[]> {
    if (!ids.length) return Promise.resolve([]);
    return em.getRepository(StaffMemberEntity).createQueryBuilder('s').where('s.id IN (:...ids)', { ids }).getMany();
  }

  private async write(em: EntityManager, f: StaffFields): Promise<StaffMemberEntity> {
    const now = this.clock.now();
    const found = await em.findOneBy(StaffMemberEntity, { employeeNo: f.employeeNo });
    const set = { name: f.name, department: f.department, roles: f.roles.join(','), phone: f.phone, active: f.active, updatedAt: now };
    if (found) {
      await em.update(StaffMemberEntity, { id: found.id }, set);
      return { ...found, ...set };
    }
    const row = { employeeNo: f.employeeNo, ...set, createdAt: now };
    const res = await em.insert(StaffMemberEntity, row);
    return { id: Number(res.identifiers[0].id), ...row };
  }
}

function diff(before: StaffMemberEntity | null, after: StaffFields): StaffChange {
  if (!before) return { kind: 'ADD', employeeNo: after.employeeNo, changes: {} };
  const changes: Record<string, [unknown, unknown]> = {};
  const was = { name: before.name, department: before.department, roles: rolesOf(before).sort().join(','), phone: before.phone, active: before.active };
  const now = { name: after.name, department: after.department, roles: [...after.roles].sort().join(','), phone: after.phone, active: after.active };
  for (const k of Object.keys(was) as Array<keyof typeof was>) if (was[k] !== now[k]) changes[k] = [was[k], now[k]];
  return { kind: Object.keys(changes).length ? 'CHANGE' : 'UNCHANGED', employeeNo: after.employeeNo, changes };
}
