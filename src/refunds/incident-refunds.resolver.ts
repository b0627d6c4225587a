import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { GqlContext } from '../graphql/context';
import { IncidentGql } from '../incidents/incident.objects';
import { RefundGql } from './refund.objects';
import { refundFor } from './refund.resolver';

/** `Incident.refunds`, kept here so the incident resolver needs no change. */
@Resolver(() => IncidentGql)
export class IncidentRefundsResolver {
  @FieldResolver(() => [RefundGql], { description: "The incident's refunds, oldest first, cancelled ones included." })
  async refunds(@Root() incident: IncidentGql, @Ctx() ctx: GqlContext): Promise<RefundGql[]> {
    return (await ctx.services.refundReader.forIncident(Number(incident.id))).map((v) => refundFor(v, ctx));
  }
}
