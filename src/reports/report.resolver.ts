import { Arg, Authorized, Ctx, Query, Resolver } from 'type-graphql';
import type { Actor } from '../auth/actor';
import { CurrentActor } from '../graphql/current-actor';
import { CAN } from '../auth/actor';
import type { GqlContext } from '../graphql/context';
import { RefundGroupByGql } from '../graphql/enums';
import { DateTimeScalar } from '../graphql/scalars';
import { incidentGql } from '../incidents/incident.mapper';
import { RefundFilter } from '../refunds/refund.inputs';
import { refundGql } from '../refunds/refund.mapper';
import type { RefundView } from '../refunds/refund.reader';
import { RefundReportTableGql, SignOffStageGql } from './filing.objects';
import type { RefundAggregate } from './refund-aggregate.groups';
import type { MonthlyReport } from './monthly-report.service';
import type { ShiftHandover } from './shift-handover.service';
import { MonthlyRefundReportGql, RefundAggregateGql, RefundStageDurationGql, ShiftHandoverGql } from './report.objects';
import { checkFilterCodes } from '../incidents/incident.validation';

/** The reports of the policy. Thin: authorise, call one service method, map. */
@Resolver()
export class ReportResolver {
  @Authorized(CAN.reports)
  @Query(() => [RefundAggregateGql])
  async refundAggregates(
    @Arg('groupBy', () => [RefundGroupByGql]) groupBy: RefundGroupByGql[],
    @Arg('filter', () => RefundFilter, { nullable: true }) filter: RefundFilter | null,
    @Ctx() ctx: GqlContext,
  ): Promise<RefundAggregateGql[]> {
    checkFilterCodes(filter, ctx.services.ruleSets.current().engine.pack.catalog);
    return (await ctx.services.reports.aggregates.aggregate(groupBy, filter ?? {})).map(aggregateGql);
  }

  @Authorized(CAN.reports)
  @Query(() => [RefundStageDurationGql], {
    description: "Per approval step, in the catalog's order: how long the refunds requested in the window spent at it, and the time limits missed.",
  })
  async refundStageDurations(
    @Arg('filter', () => RefundFilter, { nullable: true }) filter: RefundFilter | null,
    @Ctx() ctx: GqlContext,
  ): Promise<RefundStageDurationGql[]> {
    checkFilterCodes(filter, ctx.services.ruleSets.current().engine.pack.catalog);
    return ctx.services.reports.stages.stages(filter ?? {});
  }

  @Authorized(CAN.reports)
  @Query(() => MonthlyRefundReportGql, { description: 'month is YYYY-MM in the business time zone.' })
  async monthlyRefundReport(@Arg('month', () => String) month: string, @Ctx() ctx: GqlContext): Promise<MonthlyRefundReportGql> {
    return monthlyGql(await ctx.services.reports.monthly.report(month));
  }

  @Authorized(CAN.shiftHandover)
  @Query(() => ShiftHandoverGql)
  async shiftHandover(
    @Arg('from', () => DateTimeScalar) from: Date,
    @Arg('to', () => DateTimeScalar) to: Date,
    @Arg('includeDrills', () => Boolean, { defaultValue: false, description: 'Drills (预案演练) are left out unless asked for.' }) includeDrills: boolean,
    @CurrentActor() actor: Actor,
    @Ctx() ctx: GqlContext,
  ): Promise<ShiftHandoverGql> {
    return handoverGql(await ctx.services.reports.handover.handover(from, to, includeDrills), ctx, actor);
  }
}

function aggregateGql(a: RefundAggregate): RefundAggregateGql {
  return {
    keys: a.keys,
    count: a.count,
    totalAmount: a.totalFen,
    averageAmount: a.averageFen,
    averageHoursToPay: a.averageHoursToPay,
    overdueSteps: a.overdueSteps,
    paidCount: a.paidCount,
    lateSteps: a.lateSteps,
    pendingOverdueSteps: a.pendingOverdueSteps,
  };
}

export function monthlyGql(r: MonthlyReport): MonthlyRefundReportGql {
  return {
    month: r.month,
    dueDate: r.dueDate,
    customerServiceRows: r.customerServiceRows.map(({ amountFen, ...row }) => ({ ...row, amount: amountFen })),
    financeRows: r.financeRows.map(({ amountFen, ...row }) => ({ ...row, amount: amountFen })),
    totalCount: r.totalCount,
    totalAmount: r.totalFen,
    signOffs: r.signOffs.map((s) => ({ ...s, table: s.table as RefundReportTableGql, stage: s.stage as SignOffStageGql })),
    overdue: r.overdue,
    filings: r.filings.map(({ totalFen, ...f }) => ({ ...f, table: f.table as RefundReportTableGql, totalAmount: totalFen })),
    lateChanges: r.lateChanges.map((c) => ({ ...c, table: c.table as RefundReportTableGql })),
  };
}

/**
 * Refunds and incidents as the caller may see them: phones masked unless the roles allow (注意保密).
 * `asOf`: the time overdue flags are read at (a frozen handover: when it was handed over).
 */
export function handoverGql(h: ShiftHandover, ctx: GqlContext, actor: Actor, asOf?: Date): ShiftHandoverGql {
  const catalog = ctx.services.ruleSets.current().engine.pack.catalog;
  const now = asOf ?? ctx.services.clock.now();
  return {
    from: h.from,
    to: h.to,
    paid: h.paid.map((v) => refundAt(v, ctx, actor, now)),
    paidTotalAmount: h.paidTotalFen,
    submittedToFinance: h.submittedToFinance.map((v) => refundAt(v, ctx, actor, now)),
    returnedByFinance: h.returnedByFinance.map((v) => refundAt(v, ctx, actor, now)),
    returns: h.returns.map((r) => ({ ...r, refundId: String(r.refundId) })),
    openIncidents: h.openIncidents.map((v) => incidentGql(v, catalog, actor, now)),
    tasks: h.tasks.map((t) => ({ ...t, incidentId: String(t.incidentId), refundId: t.refundId === null ? null : String(t.refundId) })),
  };
}

function refundAt(v: RefundView, ctx: GqlContext, actor: Actor, now: Date) {
  return refundGql(v, ctx.services.ruleSets.current().engine.pack.catalog, actor, now);
}
