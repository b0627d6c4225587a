import { Arg, Authorized, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import { CurrentActor } from '../graphql/current-actor';
import { CAN } from '../auth/actor';
import type { Actor } from '../auth/actor';
import type { GqlContext } from '../graphql/context';
import { DateTimeScalar } from '../graphql/scalars';
import type { ContactEntity } from './contact.entity';
import { phoneFor, staffGql } from './people.mapper';
import { ContactGql, ContactInput, OnCallShiftGql, OnCallShiftInput, StaffMemberGql } from './people.objects';
import { STAFF_READERS } from './people.roles';

/** Contacts (联络人, 紧急应变外部联系通信录) and on-call (值班): ADMIN manages, every staff role reads. */
@Resolver()
export class ContactResolver {
  @Authorized(STAFF_READERS)
  @Query(() => [ContactGql])
  async contacts(
    @Arg('kind', () => String, { nullable: true }) kind: string | null,
    @CurrentActor() actor: Actor,
    @Ctx() ctx: GqlContext,
  ): Promise<ContactGql[]> {
    return (await ctx.services.people.contacts.list(kind)).map((c) => contactGql(c, (p) => phoneFor(actor, p)));
  }

  @Authorized(CAN.admin)
  @Mutation(() => ContactGql, { description: 'Creates a contact, or updates the one with this id.' })
  async upsertContact(@Arg('input', () => ContactInput) input: ContactInput, @CurrentActor() actor: Actor, @Ctx() ctx: GqlContext): Promise<ContactGql> {
    return contactGql(await ctx.services.people.contacts.upsert(input), (p) => phoneFor(actor, p));
  }

  @Authorized(CAN.admin)
  @Mutation(() => Boolean, { description: 'True when the contact existed.' })
  async deleteContact(@Arg('id', () => ID) id: string, @Ctx() ctx: GqlContext): Promise<boolean> {
    return ctx.services.people.contacts.delete(id);
  }

  @Authorized(STAFF_READERS)
  @Query(() => [StaffMemberGql], { description: "Who holds the department's duty at that time (now by default)." })
  async onCall(
    @Arg('department', () => String) department: string,
    @Arg('at', () => DateTimeScalar, { nullable: true }) at: Date | null,
    @CurrentActor() actor: Actor,
    @Ctx() ctx: GqlContext,
  ): Promise<StaffMemberGql[]> {
    return (await ctx.services.people.onCall.at(department, at ?? undefined)).map((m) => staffGql(m, actor));
  }

  @Authorized(CAN.admin)
  @Mutation(() => [OnCallShiftGql], { description: 'For each department named, these shifts replace the ones overlapping the time they span.' })
  async setOnCall(
    @Arg('shifts', () => [OnCallShiftInput]) shifts: OnCallShiftInput[],
    @CurrentActor() actor: Actor,
    @Ctx() ctx: GqlContext,
  ): Promise<OnCallShiftGql[]> {
    return (await ctx.services.people.onCall.set(shifts, actor.name)).map(({ shift, member }) => ({
      department: shift.department,
      staff: staffGql(member, actor),
      from: shift.fromAt,
      to: shift.toAt,
    }));
  }
}

function contactGql(c: ContactEntity, phone: (p: string | null) => string | null): ContactGql {
  return { id: String(c.id), kind: c.kind, name: c.name, department: c.department, role: c.role, phone: phone(c.phone) };
}
