import { Arg, Authorized, Ctx, FieldResolver, ID, Mutation, Resolver, Root } from 'type-graphql';
import { CurrentActor } from '../graphql/current-actor';
import { CAN } from '../auth/actor';
import type { Actor } from '../auth/actor';
import type { GqlContext } from '../graphql/context';
import { AmendIncidentInput } from './incident-lifecycle.objects';
import { DecisionGql, IncidentGql } from './incident.objects';
import { incidentGql, storedDecisionGql } from './incident.mapper';
import type { IncidentView } from './incident.reader';

/** Incidents that evolve: amended facts, waived actions, every decision kept. Thin: authorise, call one service method, map. */
@Resolver(() => IncidentGql)
export class IncidentLifecycleResolver {
  @Authorized(CAN.amendIncident)
  @Mutation(() => IncidentGql, {
    description:
      "New or corrected facts on an incident that is not CLOSED: the rules decide again on the merged facts. Done and waived actions stay so; open actions the new decision still requires keep their due time (or an earlier one); newly required actions are due counted from the amendment; open actions no longer required become WITHDRAWN; the new decision's severity, owner and notify set become the incident's; departments newly notified get the incident.amended event. CONFLICT on an expectedVersion mismatch.",
  })
  async amendIncident(
    @Arg('input', () => AmendIncidentInput) input: AmendIncidentInput,
    @CurrentActor() actor: Actor,
    @Ctx() ctx: GqlContext,
  ): Promise<IncidentGql> {
    return toGql(await ctx.services.incidents.amendments.amend(actor, input), ctx, actor);
  }

  @Authorized(CAN.waiveAction)
  @Mutation(() => IncidentGql, {
    description:
      'Record that a required action is not needed here, with the reason (CS_LEAD, ADMIN). A waived action is settled: it never breaches and does not hold up closing.',
  })
  async waiveAction(
    @Arg('incidentId', () => ID) incidentId: string,
    @Arg('code', () => String) code: string,
    @Arg('reason', () => String) reason: string,
    @CurrentActor() actor: Actor,
    @Ctx() ctx: GqlContext,
  ): Promise<IncidentGql> {
    return toGql(await ctx.services.incidents.waiveAction(actor, incidentId, code, reason), ctx, actor);
  }

  @FieldResolver(() => [DecisionGql], { description: 'Every decision made for this incident, oldest first: at the report, then one per amendment.' })
  async decisions(@Root() incident: IncidentGql, @CurrentActor() actor: Actor, @Ctx() ctx: GqlContext): Promise<DecisionGql[]> {
    if (!incident.amendedAt) return [incident.decision];
    const catalog = ctx.services.ruleSets.current().engine.pack.catalog;
    const now = ctx.services.clock.now();
    const rows = await ctx.services.incidentReader.decisions(Number(incident.id));
    return rows.map((r) => storedDecisionGql(r.decision, r.decidedAt, catalog, now, undefined, undefined, actor));
  }
}

function toGql(view: IncidentView, ctx: GqlContext, actor: Actor): IncidentGql {
  return incidentGql(view, ctx.services.ruleSets.current().engine.pack.catalog, actor, ctx.services.clock.now());
}
