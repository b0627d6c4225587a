import { Arg, Authorized, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import { CurrentActor } from '../graphql/current-actor';
import { CAN } from '../auth/actor';
import type { Actor } from '../auth/actor';
import type { GqlContext } from '../graphql/context';
import { STAFF_READERS } from './people.roles';
import { CallerGql, StaffMemberGql, StaffMemberInput } from './people.objects';
import { staffGql } from './people.mapper';

/** Who is calling, and the staff directory: ADMIN manages it, every staff role reads it. */
@Resolver()
export class StaffResolver {
  @Authorized()
  @Query(() => CallerGql)
  async me(@CurrentActor() actor: Actor, @Ctx() ctx: GqlContext): Promise<CallerGql> {
    const member = actor.staff ? await ctx.services.people.staff.byEmployeeNo(actor.staff.employeeNo) : null;
    return {
      name: actor.staff && !actor.delegatedBy ? actor.staff.employeeNo : (actor.delegatedBy ?? actor.name),
      roles: [...actor.roles],
      source: actor.source,
      staff: member ? staffGql(member, actor) : null,
    };
  }

  @Authorized(STAFF_READERS)
  @Query(() => [StaffMemberGql])
  async staffMembers(
    @Arg('department', () => String, { nullable: true }) department: string | null,
    @Arg('role', () => String, { nullable: true }) role: string | null,
    @Arg('includeInactive', () => Boolean, { nullable: true }) includeInactive: boolean | null,
    @CurrentActor() actor: Actor,
    @Ctx() ctx: GqlContext,
  ): Promise<StaffMemberGql[]> {
    return (await ctx.services.people.staff.list({ department, role, includeInactive })).map((m) => staffGql(m, actor));
  }

  @Authorized(CAN.admin)
  @Mutation(() => StaffMemberGql, {
    description: 'Creates or updates by employee number; active: false deactivates (the member can no longer sign in or be acted for).',
  })
  async upsertStaffMember(
    @Arg('input', () => StaffMemberInput) input: StaffMemberInput,
    @CurrentActor() actor: Actor,
    @Ctx() ctx: GqlContext,
  ): Promise<StaffMemberGql> {
    return staffGql(await ctx.services.people.staff.upsert(input), actor);
  }
}
