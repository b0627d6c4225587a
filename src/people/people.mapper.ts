import { Actor, canSeePhone } from '../auth/actor';
import { maskPhone } from '../auth/phone-mask';
import type { StaffMemberGql } from './people.objects';
import type { StaffMemberEntity } from './staff-member.entity';
import { rolesOf } from './staff.service';

/** A phone as this caller may see it: clear for AGENT, CS_LEAD and ADMIN, masked (138****5678) for the rest. */
export const phoneFor = (actor: Actor, phone: string | null) => (canSeePhone(actor) ? phone : maskPhone(phone));

export function staffGql(m: StaffMemberEntity, actor: Actor): StaffMemberGql {
  return {
    id: String(m.id),
    employeeNo: m.employeeNo,
    name: m.name,
    department: m.department,
    roles: rolesOf(m),
    phone: phoneFor(actor, m.phone),
    active: m.active,
  };
}
