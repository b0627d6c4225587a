import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { Actor } from '../auth/actor';
import type { GqlContext } from '../graphql/context';
import { CurrentActor } from '../graphql/current-actor';
import { IncidentGql } from '../incidents/incident.objects';
import { RefundGql } from './refund.objects';
import { refundFor } from './refund.resolver';

/** `Incident.refunds`, kept here so the incident resolver needs no change. */
@Resolver(() => IncidentGql)
export class IncidentRefundsResolver {
  @FieldResolver(() => [RefundGql], { description: "The incident's refunds, oldest first, cancelled ones included." })
  async refunds(@Root() incident: IncidentGql, @CurrentActor() actor: Actor, @Ctx() ctx: GqlContext): Promise<RefundGql[]> {
    // Batched: a page of incidents reads all their refunds in one go (request-state.ts).
    const views = await ctx.request.loader('incidentRefunds', (ids: number[]) => ctx.services.refundReader.forIncidents(ids)).load(Number(incident.id));
    return (views ?? []).map((v) => refundFor(v, ctx, actor));
  }
}
