import { Arg, Authorized, Ctx, Query, Resolver } from 'type-graphql';
import { CAN } from '../auth/actor';
import type { GqlContext } from '../graphql/context';
import { IncidentFilter } from '../incidents/incident.inputs';
import { checkFilterCodes } from '../incidents/incident.validation';
import type { IncidentAggregate } from './incident-aggregate.groups';
import { IncidentAggregateGql, IncidentGroupByGql } from './incident-aggregate.objects';

/** Complaint statistics (客诉统计分析, the policy's reports). Thin: authorise, call one service method, map. */
@Resolver()
export class IncidentAggregateResolver {
  @Authorized(CAN.statistics)
  @Query(() => [IncidentAggregateGql])
  async incidentAggregates(
    @Arg('groupBy', () => [IncidentGroupByGql]) groupBy: IncidentGroupByGql[],
    @Arg('filter', () => IncidentFilter, { nullable: true }) filter: IncidentFilter | null,
    @Ctx() ctx: GqlContext,
  ): Promise<IncidentAggregateGql[]> {
    checkFilterCodes(filter, ctx.services.ruleSets.current().engine.pack.catalog);
    return (await ctx.services.reports.incidentAggregates.aggregate(groupBy, filter ?? {})).map(incidentAggregateGql);
  }
}

export function incidentAggregateGql(a: IncidentAggregate): IncidentAggregateGql {
  const { totalFen, ...rest } = a;
  return { ...rest, totalAmount: totalFen };
}
