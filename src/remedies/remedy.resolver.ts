import { Arg, Authorized, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { CurrentActor } from '../graphql/current-actor';
import { CAN } from '../auth/actor';
import type { Actor } from '../auth/actor';
import { notFound } from '../common/errors';
import type { GqlContext } from '../graphql/context';
import { IncidentGql } from '../incidents/incident.objects';
import { incidentGql } from '../incidents/incident.mapper';
import { AdvanceRemedyInput, StartRemedyInput } from './remedy.inputs';
import { RemedyGql, RemedyHistoryEntryGql } from './remedy.objects';
import { remedyGql, remedyHistoryGql } from './remedy.mapper';

/** After-sales remedies (货物售后). Thin: authorise, call one service method, map. */
@Resolver(() => RemedyGql)
export class RemedyResolver {
  @Authorized()
  @Query(() => RemedyGql, { nullable: true })
  async remedy(@Arg('id', () => ID) id: string, @CurrentActor() actor: Actor, @Ctx() ctx: GqlContext): Promise<RemedyGql | null> {
    const view = await ctx.services.remedyReader.visible(actor, id);
    return view && remedyGql(view);
  }

  @Authorized(CAN.manageRemedy)
  @Mutation(() => RemedyGql, { description: 'Starts a remedy of a kind the decision allows (Decision.remedies); settles ARRANGE_REMEDY.' })
  async startRemedy(@Arg('input', () => StartRemedyInput) input: StartRemedyInput, @CurrentActor() actor: Actor, @Ctx() ctx: GqlContext): Promise<RemedyGql> {
    return remedyGql(await ctx.services.remedies.start(actor, input));
  }

  /** Any key may call it; the service checks the step's role. */
  @Authorized()
  @Mutation(() => RemedyGql, {
    description:
      "Does the remedy's current step; the caller's roles must fit the step. CONFLICT when `step` is not the current one or expectedVersion is stale.",
  })
  async advanceRemedy(
    @Arg('input', () => AdvanceRemedyInput) input: AdvanceRemedyInput,
    @CurrentActor() actor: Actor,
    @Ctx() ctx: GqlContext,
  ): Promise<RemedyGql> {
    return remedyGql(await ctx.services.remedies.advance(actor, input));
  }

  @Authorized(CAN.manageRemedy)
  @Mutation(() => RemedyGql)
  async cancelRemedy(
    @Arg('remedyId', () => ID) remedyId: string,
    @Arg('reason', () => String) reason: string,
    @CurrentActor() actor: Actor,
    @Ctx() ctx: GqlContext,
  ): Promise<RemedyGql> {
    return remedyGql(await ctx.services.remedies.cancel(actor, remedyId, reason));
  }

  @FieldResolver(() => IncidentGql)
  async incident(@Root() remedy: RemedyGql, @CurrentActor() actor: Actor, @Ctx() ctx: GqlContext): Promise<IncidentGql> {
    const view = await ctx.request.loader('incidentById', (ids: number[]) => ctx.services.incidentReader.byIds(ids)).load(Number(remedy.incidentId));
    if (!view) throw notFound(`incident ${remedy.incidentId}`);
    return incidentGql(view, ctx.services.ruleSets.current().engine.pack.catalog, actor, ctx.services.clock.now());
  }

  @FieldResolver(() => [RemedyHistoryEntryGql], { description: 'Every transition of the remedy (who, when, from, to, step, note), oldest first.' })
  async history(@Root() remedy: RemedyGql, @Ctx() ctx: GqlContext): Promise<RemedyHistoryEntryGql[]> {
    const history = await ctx.request.loader('remedyHistory', (ids: number[]) => ctx.services.remedyReader.histories(ids)).load(Number(remedy.id));
    return (history ?? []).map(remedyHistoryGql);
  }
}

/** `Incident.remedies`, kept here so the incident resolver needs no change. */
@Resolver(() => IncidentGql)
export class IncidentRemediesResolver {
  @FieldResolver(() => [RemedyGql], { description: "The incident's remedies, oldest first, cancelled ones included." })
  async remedies(@Root() incident: IncidentGql, @Ctx() ctx: GqlContext): Promise<RemedyGql[]> {
    const views = await ctx.request.loader('incidentRemedies', (ids: number[]) => ctx.services.remedyReader.forIncidents(ids)).load(Number(incident.id));
    return (views ?? []).map(remedyGql);
  }
}
