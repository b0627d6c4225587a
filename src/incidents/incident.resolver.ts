import { Arg, Authorized, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { CurrentActor } from '../graphql/current-actor';
import { CAN } from '../auth/actor';
import type { Actor } from '../auth/actor';
import type { GqlContext } from '../graphql/context';
import { IncidentStatusGql } from '../graphql/enums';
import { DateTimeScalar, JSONScalar } from '../graphql/scalars';
import { IncidentFilter, ReportIncidentInput } from './incident.inputs';
import { DecisionGql, IncidentConnectionGql, IncidentGql, IncidentHistoryEntryGql, ReportIncidentPayloadGql } from './incident.objects';
import { decisionGql, incidentGql } from './incident.mapper';
import type { IncidentView } from './incident.reader';
import { checkFilterCodes } from './incident.validation';

/** Incident operations of the contract. Thin: authorise, call one service method, map. */
@Resolver(() => IncidentGql)
export class IncidentResolver {
  @Authorized()
  @Query(() => IncidentGql, { nullable: true })
  async incident(@Arg('id', () => ID) id: string, @CurrentActor() actor: Actor, @Ctx() ctx: GqlContext): Promise<IncidentGql | null> {
    const view = await ctx.services.incidentReader.visible(actor, id);
    return view && toGql(view, ctx, actor);
  }

  @Authorized()
  @Query(() => IncidentGql, { nullable: true })
  async incidentByExternalRef(
    @Arg('source', () => String) source: string,
    @Arg('externalRef', () => String) externalRef: string,
    @CurrentActor() actor: Actor,
    @Ctx() ctx: GqlContext,
  ): Promise<IncidentGql | null> {
    const view = await ctx.services.incidentReader.visibleByRef(actor, source, externalRef);
    return view && toGql(view, ctx, actor);
  }

  @Authorized()
  @Query(() => IncidentConnectionGql)
  async incidents(
    @Arg('filter', () => IncidentFilter, { nullable: true }) filter: IncidentFilter | null,
    @Arg('first', () => Int, { nullable: true, defaultValue: 50 }) first: number,
    @Arg('after', () => String, { nullable: true }) after: string | null,
    @CurrentActor() actor: Actor,
    @Ctx() ctx: GqlContext,
  ): Promise<IncidentConnectionGql> {
    checkFilterCodes(filter, ctx.services.ruleSets.current().engine.pack.catalog);
    const page = await ctx.services.incidentReader.list(actor, filter, first, after);
    return {
      edges: page.views.map((v, i) => ({ cursor: page.cursors[i], node: toGql(v, ctx, actor) })),
      pageInfo: { hasNextPage: page.hasNextPage, endCursor: page.cursors.at(-1) ?? null },
      totalCount: page.totalCount,
    };
  }

  @Authorized()
  @Query(() => DecisionGql, { description: 'Decide an incident without storing anything (dry run).' })
  async evaluate(
    @Arg('input', () => ReportIncidentInput) input: ReportIncidentInput,
    @CurrentActor() actor: Actor,
    @Ctx() ctx: GqlContext,
  ): Promise<DecisionGql> {
    const decision = await ctx.services.incidents.evaluate(input);
    return decisionGql(decision, ctx.services.ruleSets.current().engine.pack.catalog, ctx.services.clock.now(), undefined, undefined, actor);
  }

  @Authorized(CAN.report)
  @Mutation(() => ReportIncidentPayloadGql, {
    description:
      'Idempotent on (source, externalRef): a replay returns the first incident with created=false; the same key with a different input is CONFLICT.',
  })
  async reportIncident(
    @Arg('input', () => ReportIncidentInput) input: ReportIncidentInput,
    @CurrentActor() actor: Actor,
    @Ctx() ctx: GqlContext,
  ): Promise<ReportIncidentPayloadGql> {
    const { incident, created } = await ctx.services.incidents.report(actor, input);
    return { incident: toGql(incident, ctx, actor), created };
  }

  @Authorized(CAN.changeIncident)
  @Mutation(() => IncidentGql)
  async setIncidentStatus(
    @Arg('id', () => ID) id: string,
    @Arg('status', () => IncidentStatusGql) status: IncidentStatusGql,
    @Arg('expectedVersion', () => Int, { nullable: true }) expectedVersion: number | null,
    @Arg('note', () => String, { nullable: true }) note: string | null,
    @CurrentActor() actor: Actor,
    @Ctx() ctx: GqlContext,
  ): Promise<IncidentGql> {
    return toGql(await ctx.services.incidents.setStatus(actor, id, status, expectedVersion, note), ctx, actor);
  }

  @Authorized(CAN.changeIncident)
  @Mutation(() => IncidentGql)
  async completeAction(
    @Arg('incidentId', () => ID) incidentId: string,
    @Arg('code', () => String) code: string,
    @Arg('note', () => String, { nullable: true }) note: string | null,
    @Arg('evidence', () => JSONScalar, {
      nullable: true,
      description: 'What the catalog requires to complete this action, e.g. { "receiptNo": "…" } for POLICE_REPORT.',
    })
    evidence: unknown,
    @Arg('doneAt', () => DateTimeScalar, {
      nullable: true,
      description:
        'When it was really done, if before now (the 119 call came first): not in the future, not more than 5 minutes before the incident occurred (occurredAt, else the report).',
    })
    doneAt: Date | null,
    @CurrentActor() actor: Actor,
    @Ctx() ctx: GqlContext,
  ): Promise<IncidentGql> {
    return toGql(await ctx.services.incidents.completeAction(actor, incidentId, code, note, evidence, doneAt), ctx, actor);
  }

  @Authorized(CAN.changeIncident)
  @Mutation(() => IncidentGql)
  async recordSatisfaction(
    @Arg('incidentId', () => ID) incidentId: string,
    @Arg('score', () => Int) score: number,
    @Arg('comment', () => String, { nullable: true }) comment: string | null,
    @CurrentActor() actor: Actor,
    @Ctx() ctx: GqlContext,
  ): Promise<IncidentGql> {
    return toGql(await ctx.services.incidents.recordSatisfaction(actor, incidentId, score, comment), ctx, actor);
  }

  /** The count decided over every source; an INTEGRATION key sees only its own source's (the customer's history elsewhere is not its to see). */
  @FieldResolver(() => Int)
  async repeatIncidents30d(@Root() incident: IncidentGql, @CurrentActor() actor: Actor, @Ctx() ctx: GqlContext): Promise<number> {
    return ctx.services.incidentReader.repeatIncidents30dSeenBy(actor, incident.customer?.id ?? null, incident.reportedAt, incident.repeatIncidents30d);
  }

  @FieldResolver(() => [IncidentHistoryEntryGql], { description: 'Everything that happened to the incident, oldest first.' })
  async history(@Root() incident: IncidentGql, @Ctx() ctx: GqlContext): Promise<IncidentHistoryEntryGql[]> {
    const events = (await ctx.request.loader('incidentHistory', (ids: number[]) => ctx.services.incidentReader.histories(ids)).load(Number(incident.id))) ?? [];
    return events.map((e) => ({ at: e.at, actor: e.actor, kind: e.kind, fromStatus: e.fromStatus, toStatus: e.toStatus, note: e.note, detail: e.detail }));
  }
}

function toGql(view: IncidentView, ctx: GqlContext, actor: Actor): IncidentGql {
  return incidentGql(view, ctx.services.ruleSets.current().engine.pack.catalog, actor, ctx.services.clock.now());
}
