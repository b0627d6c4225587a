import type { DataSource, EntityManager } from 'typeorm';
import type { Clock } from '../common/clock';
import { AppError, badInput } from '../common/errors';
import type { Transactions } from '../database/transaction';
import { OnCallShiftEntity } from './on-call-shift.entity';
import { StaffMemberEntity } from './staff-member.entity';

export interface ShiftInputLike {
  department: string;
  employeeNo: string;
  from: Date;
  to: Date;
}

export interface ShiftView {
  shift: OnCallShiftEntity;
  member: StaffMemberEntity;
}

const MAX_SHIFTS = 500;
const MAX_SHIFT_MS = 31 * 24 * 60 * 60 * 1000;

/**
 * On-call (值班): who holds each department's duty between two times (当日负责人 and the rest;
 * several people may hold it at once). ADMIN sets the roster, every staff role reads it.
 */
export class OnCallService {
  constructor(
    private readonly ds: DataSource,
    private readonly tx: Transactions,
    private readonly clock: Clock,
    private readonly departments: () => Readonly<Record<string, string>>,
  ) {}

  /**
   * Sets the roster: for each department named, the shifts given replace every shift of that
   * department overlapping the time they span (earliest from to latest to), in one transaction.
   */
  async set(shifts: ShiftInputLike[], setBy: string): Promise<ShiftView[]> {
    if (!shifts.length) throw badInput('shifts', 'give at least one shift');
    if (shifts.length > MAX_SHIFTS) throw badInput('shifts', `at most ${MAX_SHIFTS} shifts at once`);
    const checked = shifts.map((s, i) => {
      const department = String(s.department ?? '')
        .trim()
        .toUpperCase();
      if (!Object.hasOwn(this.departments(), department))
        throw badInput(`shifts.${i}.department`, `unknown department ${department}`, { allowed: Object.keys(this.departments()) });
      if (!(s.from instanceof Date) || !(s.to instanceof Date) || s.to.getTime() <= s.from.getTime())
        throw badInput(`shifts.${i}.to`, 'a shift ends after it starts');
      if (s.to.getTime() - s.from.getTime() > MAX_SHIFT_MS) throw badInput(`shifts.${i}.to`, 'a shift lasts at most 31 days');
      return { department, employeeNo: String(s.employeeNo ?? '').trim(), from: s.from, to: s.to, index: i };
    });
    const now = this.clock.now();
    return this.tx.run(async (em) => {
      const members = new Map<string, StaffMemberEntity>();
      for (const s of checked) {
        const m = members.get(s.employeeNo) ?? (await em.findOneBy(StaffMemberEntity, { employeeNo: s.employeeNo }));
        if (!m) throw badInput(`shifts.${s.index}.employeeNo`, `no staff member ${s.employeeNo}`);
        if (!m.active)
          throw new AppError('BAD_USER_INPUT', `shifts.${s.index}.employeeNo: ${s.employeeNo} is not active`, { field: `shifts.${s.index}.employeeNo` });
        members.set(s.employeeNo, m);
      }
      for (const department of new Set(checked.map((s) => s.department))) {
        const mine = checked.filter((s) => s.department === department);
        const from = new Date(Math.min(...mine.map((s) => s.from.getTime())));
        const to = new Date(Math.max(...mine.map((s) => s.to.getTime())));
        await em
          .createQueryBuilder()
          .delete()
          .from(OnCallShiftEntity)
          .where('department = :department AND from_at < :to AND to_at > :from', { department, from, to })
          .execute();
      }
      const out: ShiftView[] = [];
      for (const s of checked) {
        const member = members.get(s.employeeNo)!;
        const row = { department: s.department, staffId: member.id, fromAt: s.from, toAt: s.to, setBy: setBy.slice(0, 160), createdAt: now };
        const res = await em.insert(OnCallShiftEntity, row);
        out.push({ shift: { id: Number(res.identifiers[0].id), ...row }, member });
      }
      return out;
    });
  }

  /** The active members on call for a department at a time (now by default), in the order their shifts started. */
  async at(department: string, at: Date = this.clock.now(), em: EntityManager = this.ds.manager): Promise<StaffMemberEntity[]> {
    const rows = await em
      .getRepository(OnCallShiftEntity)
      .createQueryBuilder('o')
      .innerJoin(StaffMemberEntity, 's', 's.id = o.staff_id')
      .where('o.department = :department AND o.from_at <= :at AND o.to_at > :at AND s.active = :active', {
        department: department.toUpperCase(),
        at,
        active: true,
      })
      .orderBy('o.from_at')
      .addOrderBy('o.id')
      .select('o.staff_id', 'staff_id')
      .getRawMany<{ staff_id: number | string }>();
    const ids = [...new Set(rows.map((r) => Number(r.staff_id)))];
    if (!ids.length) return [];
    const members = await em.getRepository(StaffMemberEntity).createQueryBuilder('s').where('s.id IN (:...ids)', { ids }).getMany();
    const byId = new Map(members.map((m) => [m.id, m]));
    return ids.map((id) => byId.get(id)!).filter(Boolean);
  }
}
