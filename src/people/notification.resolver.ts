import { Arg, Authorized, Ctx, FieldResolver, ID, Int, Query, Resolver, Root } from 'type-graphql';
import { CurrentActor } from '../graphql/current-actor';
import type { GqlContext } from '../graphql/context';
import { incidentGql } from '../incidents/incident.mapper';
import { IncidentGql } from '../incidents/incident.objects';
import type { NotificationEntity } from './notification.entity';
import { phoneFor } from './people.mapper';
import { NotificationGql } from './people.objects';
import { STAFF_READERS } from './people.roles';
import type { Actor } from '../auth/actor';

/** What was sent to whom and how it went; phones masked as everywhere (注意保密). */
@Resolver(() => NotificationGql)
export class NotificationResolver {
  @Authorized(STAFF_READERS)
  @Query(() => [NotificationGql], { description: 'Newest first.' })
  async notifications(
    @Arg('incidentId', () => ID, { nullable: true }) incidentId: string | null,
    @Arg('first', () => Int, { nullable: true, defaultValue: 50 }) first: number,
    @CurrentActor() actor: Actor,
    @Ctx() ctx: GqlContext,
  ): Promise<NotificationGql[]> {
    return (await ctx.services.people.notifications.list(actor, incidentId, first)).map((n) => notificationGql(n, actor));
  }

  @FieldResolver(() => IncidentGql, { nullable: true })
  async incident(@Root() n: NotificationGql, @CurrentActor() actor: Actor, @Ctx() ctx: GqlContext): Promise<IncidentGql | null> {
    if (n.incidentId === null) return null;
    const view = await ctx.services.incidentReader.visible(actor, String(n.incidentId));
    return view ? incidentGql(view, ctx.services.ruleSets.current().engine.pack.catalog, actor, ctx.services.clock.now()) : null;
  }
}

function notificationGql(n: NotificationEntity, actor: Actor): NotificationGql {
  const phone = phoneFor(actor, n.recipientPhone);
  return {
    id: String(n.id),
    incidentId: n.incidentId,
    reason: n.reason,
    recipient: `${n.recipientName}${n.recipientEmployeeNo ? ` ${n.recipientEmployeeNo}` : ''}${phone ? ` (${phone})` : ''}`,
    channel: n.channelId === null ? n.channelKind : `${n.channelKind} #${n.channelId}`,
    status: n.status,
    attempts: n.attempts,
    sentAt: n.sentAt,
  };
}
