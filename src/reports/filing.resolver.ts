import { Arg, Authorized, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import { CurrentActor } from '../graphql/current-actor';
import { CAN } from '../auth/actor';
import type { Actor } from '../auth/actor';
import type { GqlContext } from '../graphql/context';
import { DateTimeScalar } from '../graphql/scalars';
import { RefundReportTableGql, SignOffStageGql } from './filing.objects';
import { HandOverShiftInput, ShiftGql, ShiftHandoverRecordGql } from './handover-record.objects';
import { MonthlyRefundReportGql } from './report.objects';
import { handoverGql, monthlyGql } from './report.resolver';
import type { HandoverRecordView } from './shift-handover-record.service';

/** Filed documents (the policy): the monthly tables signed off, shift handovers signed. Thin: authorise, call one service method, map. */
@Resolver()
export class FilingResolver {
  @Authorized(CAN.signOffReport)
  @Mutation(() => MonthlyRefundReportGql, {
    description:
      '部门主管审核 (REVIEWED: CS_LEAD for the customer-service table, FINANCE_DIRECTOR for the finance table), then 行政人事部 verifies and archives (ARCHIVED: ADMIN). REVIEWED freezes the table as filed.',
  })
  async signOffMonthlyRefundReport(
    @Arg('month', () => String) month: string,
    @Arg('table', () => RefundReportTableGql) table: RefundReportTableGql,
    @Arg('stage', () => SignOffStageGql) stage: SignOffStageGql,
    @Arg('note', () => String, { nullable: true }) note: string | null,
    @CurrentActor() actor: Actor,
    @Ctx() ctx: GqlContext,
  ): Promise<MonthlyRefundReportGql> {
    return monthlyGql(await ctx.services.reports.filing.signOff(actor, month, table, stage, note ?? null));
  }

  @Authorized(CAN.shiftHandover)
  @Mutation(() => ShiftHandoverRecordGql)
  async handOverShift(
    @Arg('input', () => HandOverShiftInput) input: HandOverShiftInput,
    @CurrentActor() actor: Actor,
    @Ctx() ctx: GqlContext,
  ): Promise<ShiftHandoverRecordGql> {
    return recordGql(await ctx.services.reports.handoverRecords.handOver(actor, input), ctx, actor);
  }

  @Authorized(CAN.shiftHandover)
  @Mutation(() => ShiftHandoverRecordGql, { description: 'Only the person it was handed over to.' })
  async acknowledgeShiftHandover(
    @Arg('id', () => ID) id: string,
    @Arg('note', () => String, { nullable: true }) note: string | null,
    @CurrentActor() actor: Actor,
    @Ctx() ctx: GqlContext,
  ): Promise<ShiftHandoverRecordGql> {
    return recordGql(await ctx.services.reports.handoverRecords.acknowledge(actor, id, note ?? null), ctx, actor);
  }

  @Authorized(CAN.shiftHandover)
  @Query(() => [ShiftHandoverRecordGql], { description: 'Handovers handed over in [from, to), oldest first (at most 31 days).' })
  async shiftHandoverRecords(
    @Arg('from', () => DateTimeScalar) from: Date,
    @Arg('to', () => DateTimeScalar) to: Date,
    @CurrentActor() actor: Actor,
    @Ctx() ctx: GqlContext,
  ): Promise<ShiftHandoverRecordGql[]> {
    return (await ctx.services.reports.handoverRecords.list(from, to)).map((r) => recordGql(r, ctx, actor));
  }
}

/** A record for GraphQL: the frozen handover as of its handing over, phones masked for the reader. */
export function recordGql({ entity: e, handover }: HandoverRecordView, ctx: GqlContext, actor: Actor): ShiftHandoverRecordGql {
  return {
    id: String(e.id),
    shift: e.shift as ShiftGql,
    handedOverBy: e.handedOverBy,
    handedOverTo: e.handedOverTo,
    handedOverAt: e.handedOverAt,
    acknowledgedAt: e.acknowledgedAt,
    completedWork: e.completedWork,
    notes: e.notes,
    cleaningDone: e.cleaningDone,
    handover: handoverGql(handover, ctx, actor, e.handedOverAt),
    attendance: { expected: e.expected, present: e.present, late: e.late, leftEarly: e.leftEarly, absent: e.absent },
    acknowledgeBy: e.acknowledgeBy,
    acknowledgeNote: e.acknowledgeNote,
    checksum: e.checksum,
  };
}
