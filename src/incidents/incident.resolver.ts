import { Arg, Authorized, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { CAN } from '../auth/actor';
import { actorOf, GqlContext } from '../graphql/context';
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
  async incident(@Arg('id', () => ID) id: string, @Ctx() ctx: GqlContext): Promise<IncidentGql | null> {
    const view = await ctx.services.incidentReader.visible(actorOf(ctx), id);
    return view && toGql(view, ctx);
  }

  @Authorized()
  @Query(() => IncidentGql, { nullable: true })
  async incidentByExternalRef(
    @Arg('source', () => String) source: string,
    @Arg('externalRef', () => String) externalRef: string,
    @Ctx() ctx: GqlContext,
  ): Promise<IncidentGql | null> {
    const view = await ctx.services.incidentReader.visibleByRef(actorOf(ctx), source, externalRef);
    return view && toGql(view, ctx);
  }

  @Authorized()
  @Query(() => IncidentConnectionGql)
  async incidents(
    @Arg('filter', () => IncidentFilter, { nullable: true }) filter: IncidentFilter | null,
    @Arg('first', () => Int, { nullable: true, defaultValue: 50 }) first: number,
    @Arg('after', () => String, { nullable: true }) after: string | null,
    @Ctx() ctx: GqlContext,
  ): Promise<IncidentConnectionGql> {
    checkFilterCodes(filter, ctx.services.ruleSets.current().engine.pack.catalog);
    const page = await ctx.services.incidentReader.list(actorOf(ctx), filter, first, after);
    return {
      edges: page.views.map((v, i) => ({ cursor: page.cursors[i], node: toGql(v, ctx) })),
      pageInfo: { hasNextPage: page.hasNextPage, endCursor: page.cursors.at(-1) ?? null },
      totalCount: page.totalCount,
    };
  }

  @Authorized()
  @Query(() => DecisionGql, { description: 'Decide an incident without storing anything (dry run).' })
  async evaluate(@Arg('input', () => ReportIncidentInput) input: ReportIncidentInput, @Ctx() ctx: GqlContext): Promise<DecisionGql> {
    actorOf(ctx);
    const decision = await ctx.services.incidents.evaluate(input);
    return decisionGql(decision, ctx.services.ruleSets.current().engine.pack.catalog, ctx.services.clock.now(), undefined, undefined, actorOf(ctx));
  }

  @Authorized(CAN.report)
  @Mutation(() => ReportIncidentPayloadGql, {
    description:
      'Idempotent on (source, externalRef): a replay returns the first incident with created=false; the same key with a different input is CONFLICT.',
  })
  async reportIncident(@Arg('input', () => ReportIncidentInput) input: ReportIncidentInput, @Ctx() ctx: GqlContext): Promise<ReportIncidentPayloadGql> {
    const { incident, created } = await ctx.services.incidents.report(actorOf(ctx), input);
    return { incident: toGql(incident, ctx), created };
  }

  @Authorized(CAN.changeIncident)
  @Mutation(() => IncidentGql)
  async setIncidentStatus(
    @Arg('id', () => ID) id: string,
    @Arg('status', () => IncidentStatusGql) status: IncidentStatusGql,
    @Arg('expectedVersion', () => Int, { nullable: true }) expectedVersion: number | null,
    @Arg('note', () => String, { nullable: true }) note: string | null,
    @Ctx() ctx: GqlContext,
  ): Promise<IncidentGql> {
    return toGql(await ctx.services.incidents.setStatus(actorOf(ctx), id, status, expectedVersion, note), ctx);
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
    @Ctx() ctx: GqlContext,
  ): Promise<IncidentGql> {
    return toGql(await ctx.services.incidents.completeAction(actorOf(ctx), incidentId, code, note, evidence, doneAt), ctx);
  }

  @Authorized(CAN.changeIncident)
  @Mutation(() => IncidentGql)
  async recordSatisfaction(
    @Arg('incidentId', () => ID) incidentId: string,
    @Arg('score', () => Int) score: number,
    @Arg('comment', () => String, { nullable: true }) comment: string | null,
    @Ctx() ctx: GqlContext,
  ): Promise<IncidentGql> {
    return toGql(await ctx.services.incidents.recordSatisfaction(actorOf(ctx), incidentId, score, comment), ctx);
  }

  /** The count decided over every source; an INTEGRATION key sees only its own source's (the customer's history elsewhere is not its to see). */
  @FieldResolver(() => Int)
  async repeatIncidents30d(@Root() incident: IncidentGql, @Ctx() ctx: GqlContext): Promise<number> {
    return ctx.services.incidentReader.repeatIncidents30dSeenBy(actorOf(ctx), incident.customer?.id ?? null, incident.reportedAt, incident.repeatIncidents30d);
  }

  @FieldResolver(() => [IncidentHistoryEntryGql], { description: 'Everything that happened to the incident, oldest first.' })
  async history(@Root() incident: IncidentGql, @Ctx() ctx: GqlContext): Promise<IncidentHistoryEntryGql[]> {
    const events = (await ctx.request.loader('incidentHistory', (ids: number[]) => ctx.services.incidentReader.histories(ids)).load(Number(incident.id))) ?? [];
    return events.map((e) => ({ at: e.at, actor: e.actor, kind: e.kind, fromStatus: e.fromStatus, toStatus: e.toStatus, note: e.note, detail: e.detail }));
  }
}

function toGql(view: IncidentView, ctx: GqlContext): IncidentGql {
  return incidentGql(view, ctx.services.ruleSets.current().engine.pack.catalog, actorOf(ctx), ctx.services.clock.now());
}
