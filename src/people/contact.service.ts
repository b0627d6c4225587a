import type { DataSource } from 'typeorm';
import type { Clock } from '../common/clock';
import { parseId } from '../common/cursor';
import { badInput, notFound } from '../common/errors';
import type { Transactions } from '../database/transaction';
import { ContactEntity } from './contact.entity';
import { checkPhone } from './staff.validation';

export const CONTACT_KINDS = ['INTERNAL', 'EXTERNAL'] as const;

export interface ContactInputLike {
  id?: string | null;
  kind: string;
  name: string;
  department?: string | null;
  role?: string | null;
  phone?: string | null;
}

/**
 * Contacts: internal (联络人, per department: told when nobody of it is on call) and external
 * (紧急应变外部联系通信录: 110, 119, 120, property management, IT, the hotline vendor). ADMIN keeps them.
 */
export class ContactService {
  constructor(
    private readonly ds: DataSource,
    private readonly tx: Transactions,
    private readonly clock: Clock,
    private readonly departments: () => Readonly<Record<string, string>>,
  ) {}

  async upsert(input: ContactInputLike): Promise<ContactEntity> {
    const kind = String(input.kind ?? '')
      .trim()
      .toUpperCase();
    if (!(CONTACT_KINDS as readonly string[]).includes(kind))
      throw badInput('input.kind', `must be one of ${CONTACT_KINDS.join(', ')}`, { allowed: [...CONTACT_KINDS] });
    const name = String(input.name ?? '').trim();
    if (!name || [...name].length > 128) throw badInput('input.name', 'give a name of 1–128 characters');
    const department = input.department?.trim() ? input.department.trim().toUpperCase() : null;
    if (department !== null && !Object.hasOwn(this.departments(), department))
      throw badInput('input.department', `unknown department ${department}`, { allowed: Object.keys(this.departments()) });
    if (kind === 'INTERNAL' && department === null) throw badInput('input.department', 'an internal contact (联络人) belongs to a department');
    const role = input.role?.trim() || null;
    if (role !== null && [...role].length > 64) throw badInput('input.role', 'at most 64 characters');
    const phone = checkPhone(input.phone, 'input.phone');
    const now = this.clock.now();
    const set = { kind, name, department, role, phone, updatedAt: now };
    return this.tx.run(async (em) => {
      if (input.id !== null && input.id !== undefined) {
        const id = parseId(String(input.id));
        const found = id === null ? null : await em.findOneBy(ContactEntity, { id });
        if (!found) throw notFound(`contact ${input.id}`);
        await em.update(ContactEntity, { id: found.id }, set);
        return { ...found, ...set };
      }
      const row = { ...set, createdAt: now };
      const res = await em.insert(ContactEntity, row);
      return { id: Number(res.identifiers[0].id), ...row };
    });
  }

  /** True when it existed. */
  async delete(id: string): Promise<boolean> {
    const n = parseId(id);
    if (n === null) return false;
    const res = await this.tx.run((em) => em.delete(ContactEntity, { id: n }));
    return (res.affected ?? 0) > 0;
  }

  async list(kind?: string | null, department?: string | null): Promise<ContactEntity[]> {
    const q = this.ds.getRepository(ContactEntity).createQueryBuilder('c').orderBy('c.kind').addOrderBy('c.department').addOrderBy('c.id');
    if (kind) q.andWhere('c.kind = :kind', { kind: kind.toUpperCase() });
    if (department) q.andWhere('c.department = :department', { department });
    return q.getMany();
  }
}
