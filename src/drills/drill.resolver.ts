import { Arg, Authorized, Ctx, ID, Int, Mutation, Query, Resolver } from 'type-graphql';
import { CurrentActor } from '../graphql/current-actor';
import type { Actor } from '../auth/actor';
import type { GqlContext } from '../graphql/context';
import { DateTimeScalar } from '../graphql/scalars';
import type { DrillRunEntity, DrillRunStepEntity } from './drill-run.entity';
import type { DrillReport } from './drill-report.service';
import {
  DrillProcedureStatusGql,
  DrillReportGql,
  DrillRunGql,
  DrillRunStatusGql,
  DrillScenarioGql,
  DrillScoreKindGql,
  DrillStepKindGql,
  DrillVerdictGql,
} from './drill.objects';
import { DRILL_ROLES } from './drill.roles';

/** Drills (预案演练). Thin: authorise, call one service method, map. */
@Resolver()
export class DrillResolver {
  @Authorized(DRILL_ROLES)
  @Query(() => [DrillScenarioGql], { description: "The active rule pack's drill scenarios." })
  drillScenarios(@Ctx() ctx: GqlContext): DrillScenarioGql[] {
    const procedures = ctx.services.ruleSets.current().engine.pack.catalog.drillProcedures ?? {};
    return ctx.services.drills.runs.scenarios().map((s) => ({
      code: s.code,
      label: s.label,
      procedure: s.procedure,
      procedureLabel: procedures[s.procedure]?.label ?? s.procedure,
      file: s.file,
      steps: s.steps.map((st) =>
        'report' in st
          ? {
              id: st.id,
              offsetMinutes: st.offsetMinutes,
              kind: DrillStepKindGql.REPORT,
              amends: null,
              category: String(st.report.category),
              subtype: (st.report.subtype as string | undefined) ?? null,
            }
          : {
              id: st.id,
              offsetMinutes: st.offsetMinutes,
              kind: DrillStepKindGql.AMEND,
              amends: st.amend.step,
              category: null,
              subtype: (st.amend.subtype as string | undefined) ?? null,
            },
      ),
    }));
  }

  @Authorized(DRILL_ROLES)
  @Mutation(() => DrillRunGql, {
    description:
      'Schedules a drill scenario for startsAt, or starts it now (its first steps injected at once). Steps are injected as drill incidents (drill: true, source "drill") by the escalation pass.',
  })
  async scheduleDrill(
    @Arg('scenario', () => String) scenario: string,
    @Arg('startsAt', () => DateTimeScalar, { nullable: true }) startsAt: Date | null,
    @CurrentActor() actor: Actor,
    @Ctx() ctx: GqlContext,
  ): Promise<DrillRunGql> {
    return runGql(await ctx.services.drills.runs.schedule(actor, scenario, startsAt), ctx);
  }

  @Authorized(DRILL_ROLES)
  @Mutation(() => DrillRunGql, { description: 'Stops a SCHEDULED or RUNNING drill: no further step is injected.' })
  async abortDrill(
    @Arg('id', () => ID) id: string,
    @Arg('note', () => String, { nullable: true }) note: string | null,
    @CurrentActor() actor: Actor,
    @Ctx() ctx: GqlContext,
  ): Promise<DrillRunGql> {
    return runGql(await ctx.services.drills.runs.abort(actor, id, note ?? null), ctx);
  }

  @Authorized(DRILL_ROLES)
  @Query(() => DrillRunGql)
  async drillRun(@Arg('id', () => ID) id: string, @Ctx() ctx: GqlContext): Promise<DrillRunGql> {
    return runGql(await ctx.services.drills.runs.get(id), ctx);
  }

  @Authorized(DRILL_ROLES)
  @Query(() => [DrillRunGql], { description: 'Runs newest first (at most 100), of one scenario when given.' })
  async drillRuns(
    @Arg('scenario', () => String, { nullable: true }) scenario: string | null,
    @Arg('first', () => Int, { nullable: true }) first: number | null,
    @Ctx() ctx: GqlContext,
  ): Promise<DrillRunGql[]> {
    const runs = await ctx.services.drills.runs.list(scenario ?? null, first ?? 20);
    return Promise.all(runs.map((r) => runGql(r, ctx)));
  }

  @Authorized(DRILL_ROLES)
  @Query(() => DrillReportGql, { description: "A run's 演练总结, scored as of now. Download it as /reports/drills/ID.xlsx." })
  async drillReport(@Arg('runId', () => ID) runId: string, @Ctx() ctx: GqlContext): Promise<DrillReportGql> {
    return reportGql(await ctx.services.drills.reports.report(runId), ctx);
  }

  @Authorized(DRILL_ROLES)
  @Mutation(() => DrillReportGql, { description: "The lead's 改进措施 and signature on a run's 演练总结, once." })
  async signDrillReport(
    @Arg('runId', () => ID) runId: string,
    @Arg('improvements', () => String) improvements: string,
    @CurrentActor() actor: Actor,
    @Ctx() ctx: GqlContext,
  ): Promise<DrillReportGql> {
    return reportGql(await ctx.services.drills.reports.sign(actor, runId, improvements), ctx);
  }

  @Authorized(DRILL_ROLES)
  @Query(() => [DrillProcedureStatusGql], {
    description: 'Procedures overdue for a drill: last drilled (or, never drilled, first seen by the scheduler) longer ago than the pack allows (drillEvery).',
  })
  async drillsOverdue(@Ctx() ctx: GqlContext): Promise<DrillProcedureStatusGql[]> {
    return (await ctx.services.drills.compliance.procedures()).filter((p) => p.overdue);
  }

  @Authorized(DRILL_ROLES)
  @Query(() => [DrillProcedureStatusGql], { description: 'Every procedure of the pack with its last drill and when the next one is due.' })
  async drillProcedures(@Ctx() ctx: GqlContext): Promise<DrillProcedureStatusGql[]> {
    return ctx.services.drills.compliance.procedures();
  }
}

async function runGql(r: DrillRunEntity, ctx: GqlContext): Promise<DrillRunGql> {
  const steps = await ctx.services.drills.runs.steps(r.id);
  return runOf(r, steps);
}

function runOf(r: DrillRunEntity, steps: DrillRunStepEntity[]): DrillRunGql {
  return {
    id: String(r.id),
    scenario: r.scenarioCode,
    label: r.scenarioLabel,
    procedure: r.procedure,
    status: r.status as DrillRunStatusGql,
    ruleSetVersion: r.ruleSetVersion,
    startsAt: r.startsAt,
    nextStepAt: r.nextStepAt,
    scheduledBy: r.scheduledBy,
    scheduledAt: r.scheduledAt,
    finishedAt: r.finishedAt,
    abortedBy: r.abortedBy,
    steps: steps.map((s) => ({
      stepId: s.stepId,
      kind: s.kind as DrillStepKindGql,
      dueAt: s.dueAt,
      injectedAt: s.injectedAt,
      incidentId: String(s.incidentId),
    })),
  };
}

async function reportGql(d: DrillReport, ctx: GqlContext): Promise<DrillReportGql> {
  return {
    run: await runGql(d.run, ctx),
    asOf: d.asOf,
    onTimeRate: d.onTimeRate,
    onTime: d.onTime,
    late: d.late,
    missed: d.missed,
    pending: d.pending,
    incidents: d.incidents.map((i) => ({ ...i, incidentId: String(i.incidentId) })),
    items: d.items.map((i) => ({
      kind: i.kind as DrillScoreKindGql,
      incidentId: String(i.incidentId),
      code: i.code,
      label: i.label,
      dueAt: i.dueAt,
      doneAt: i.doneAt,
      doneBy: i.doneBy,
      verdict: i.verdict as DrillVerdictGql,
      minutesLate: i.minutesLate,
    })),
    previous: d.previous.map((p) => ({ runId: String(p.run.id), startsAt: p.run.startsAt, onTimeRate: p.onTimeRate })),
    improvements: d.run.improvements,
    signedBy: d.run.signedBy,
    signedAt: d.run.signedAt,
  };
}
