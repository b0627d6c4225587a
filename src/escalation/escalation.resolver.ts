import { Arg, Authorized, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { CurrentActor } from '../graphql/current-actor';
import { CAN } from '../auth/actor';
import type { Actor } from '../auth/actor';
import type { GqlContext } from '../graphql/context';
import { DateTimeScalar } from '../graphql/scalars';
import { incidentGql } from '../incidents/incident.mapper';
import { IncidentGql } from '../incidents/incident.objects';
import type { IncidentView } from '../incidents/incident.reader';
import { RefundStepGql } from '../refunds/refund.objects';
import type { BreachEntity } from './breach.entity';
import { ActionComplianceGql, BreachConnectionGql, BreachFilter, BreachGql, BreachKindGql, BreachSubjectTypeGql, IncidentClockGql } from './escalation.objects';

/** Deadlines that act: pausing clocks, breaches, action compliance. Thin: authorise, call, map. */
@Resolver()
export class EscalationResolver {
  @Authorized(CAN.changeIncident)
  @Mutation(() => IncidentGql, {
    description: "Pauses the incident's clock while waiting on the customer: none of its deadlines breaches until resumed. Audited in its history.",
  })
  async pauseIncidentClock(
    @Arg('id', () => ID) id: string,
    @Arg('reason', () => String) reason: string,
    @CurrentActor() actor: Actor,
    @Ctx() ctx: GqlContext,
  ): Promise<IncidentGql> {
    return toGql(await ctx.services.escalation.clocks.pause(actor, id, reason), ctx, actor);
  }

  @Authorized(CAN.changeIncident)
  @Mutation(() => IncidentGql, {
    description:
      "Resumes the incident's clock: its open deadlines and its actions' due times move later by the time paused (working time for working-time deadlines).",
  })
  async resumeIncidentClock(@Arg('id', () => ID) id: string, @CurrentActor() actor: Actor, @Ctx() ctx: GqlContext): Promise<IncidentGql> {
    return toGql(await ctx.services.escalation.clocks.resume(actor, id), ctx, actor);
  }

  @Authorized()
  @Query(() => BreachConnectionGql, { description: 'Recorded breaches, newest first (an INTEGRATION key sees its own source only).' })
  async breaches(
    @Arg('filter', () => BreachFilter, { nullable: true }) filter: BreachFilter | null,
    @Arg('first', () => Int, { nullable: true, defaultValue: 50 }) first: number,
    @Arg('after', () => String, { nullable: true }) after: string | null,
    @CurrentActor() actor: Actor,
    @Ctx() ctx: GqlContext,
  ): Promise<BreachConnectionGql> {
    const page = await ctx.services.escalation.breaches.list(actor, filter, first, after);
    return {
      edges: page.rows.map((b, i) => ({ cursor: page.cursors[i], node: breachGql(b) })),
      pageInfo: { hasNextPage: page.hasNextPage, endCursor: page.cursors.at(-1) ?? null },
      totalCount: page.totalCount,
    };
  }

  @Authorized(CAN.reports)
  @Query(() => [ActionComplianceGql], {
    description: 'Per action code, of the incidents reported in [from, to): done on time, late, not done though due, not due yet.',
  })
  async actionCompliance(
    @Arg('from', () => DateTimeScalar) from: Date,
    @Arg('to', () => DateTimeScalar) to: Date,
    @Arg('includeDrills', () => Boolean, { defaultValue: false, description: 'Drills (预案演练) are left out unless asked for.' }) includeDrills: boolean,
    @Ctx() ctx: GqlContext,
  ): Promise<ActionComplianceGql[]> {
    return ctx.services.escalation.compliance.compliance(from, to, includeDrills);
  }
}

/** Incident fields of the escalation feature, kept here so the incident resolver needs no change. */
@Resolver(() => IncidentGql)
export class IncidentEscalationResolver {
  @FieldResolver(() => [BreachGql], { description: "The incident's breaches (its own deadlines, its actions', its refund steps'), oldest first." })
  async breaches(@Root() incident: IncidentGql, @Ctx() ctx: GqlContext): Promise<BreachGql[]> {
    return (await breachesOf(incident, ctx)).map(breachGql);
  }

  @FieldResolver(() => Int, { description: 'The highest escalation rung any of its breaches reached (0: none).' })
  async escalationLevel(@Root() incident: IncidentGql, @Ctx() ctx: GqlContext): Promise<number> {
    return Math.max(0, ...(await breachesOf(incident, ctx)).map((b) => b.level));
  }

  @FieldResolver(() => String, {
    nullable: true,
    description: 'The department of that rung (DEPARTMENT_MANAGER, SUPERVISING_LEADER, GENERAL_MANAGER by default).',
  })
  async escalatedTo(@Root() incident: IncidentGql, @Ctx() ctx: GqlContext): Promise<string | null> {
    const top = (await breachesOf(incident, ctx)).reduce<BreachEntity | null>((a, b) => (b.level > (a?.level ?? 0) ? b : a), null);
    return top?.escalatedTo ?? null;
  }

  @FieldResolver(() => IncidentClockGql)
  async clock(@Root() incident: IncidentGql, @Ctx() ctx: GqlContext): Promise<IncidentClockGql> {
    const c = await ctx.request.loader('incidentClock', (ids: number[]) => ctx.services.escalation.clocks.states(ids)).load(Number(incident.id));
    return {
      paused: !!c?.pausedAt,
      pausedAt: c?.pausedAt ?? null,
      pausedBy: c?.pausedBy ?? null,
      reason: c?.pauseReason ?? null,
      pauses: c?.pauses ?? 0,
      pausedSeconds: Math.round((c?.pausedMs ?? 0) / 1000),
      pausedWorkingSeconds: Math.round((c?.pausedWorkingMs ?? 0) / 1000),
    };
  }
}

/** `RefundStep.breached`. */
@Resolver(() => RefundStepGql)
export class RefundStepBreachResolver {
  @FieldResolver(() => Boolean, { description: 'The scheduler recorded this step as past its due time (it may have been decided since).' })
  async breached(@Root() step: RefundStepGql, @Ctx() ctx: GqlContext): Promise<boolean> {
    if (step.stepId === undefined) return false;
    const breached = await ctx.request
      .loader('refundStepBreached', async (ids: number[]) => {
        const set = await ctx.services.escalation.breaches.breachedSteps(ids);
        return new Map(ids.map((id) => [id, set.has(id)]));
      })
      .load(step.stepId);
    return breached ?? false;
  }
}

function breachesOf(incident: IncidentGql, ctx: GqlContext): Promise<BreachEntity[]> {
  return ctx.request
    .loader('incidentBreaches', (ids: number[]) => ctx.services.escalation.breaches.forIncidents(ids))
    .load(Number(incident.id))
    .then((b) => b ?? []);
}

function breachGql(b: BreachEntity): BreachGql {
  return {
    id: String(b.id),
    incidentId: String(b.incidentId),
    subjectType: b.subjectType as BreachSubjectTypeGql,
    subjectId: String(b.subjectId),
    kind: b.kind as BreachKindGql,
    code: b.code,
    refundId: b.refundId === null ? null : String(b.refundId),
    dueAt: b.dueAt,
    detectedAt: b.detectedAt,
    escalationLevel: b.level,
    escalatedTo: b.escalatedTo,
    escalatedAt: b.escalatedAt,
    nextEscalationAt: b.nextEscalationAt,
    settledAt: b.settledAt,
  };
}

function toGql(view: IncidentView, ctx: GqlContext, actor: Actor): IncidentGql {
  return incidentGql(view, ctx.services.ruleSets.current().engine.pack.catalog, actor, ctx.services.clock.now());
}
