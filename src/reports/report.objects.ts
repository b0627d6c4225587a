import { Field, Float, ID, Int, ObjectType } from 'type-graphql';
import { DateTimeScalar, DecimalScalar } from '../graphql/scalars';
import { IncidentGql } from '../incidents/incident.objects';
import { RefundGql } from '../refunds/refund.objects';
import { RefundReportFilingGql, RefundReportLateChangeGql, ReportSignOffGql } from './filing.objects';

@ObjectType('RefundAggregate')
export class RefundAggregateGql {
  @Field(() => [String], { description: 'One value per groupBy entry, in the same order.' }) keys!: string[];
  @Field(() => Int) count!: number;
  @Field(() => DecimalScalar) totalAmount!: bigint;
  @Field(() => DecimalScalar) averageAmount!: bigint;
  @Field(() => Float, { nullable: true }) averageHoursToPay!: number | null;
  @Field(() => Int) overdueSteps!: number;
  // Additions beyond the contract.
  @Field(() => Int, { description: 'Refunds paid out (PAID or COMPLETED): what averageHoursToPay averages over.' }) paidCount!: number;
  @Field(() => Int, { description: 'Steps decided after their due time (part of overdueSteps).' }) lateSteps!: number;
  @Field(() => Int, { description: 'Steps still pending past their due time now (part of overdueSteps).' }) pendingOverdueSteps!: number;
}

@ObjectType('RefundStageDuration', {
  description: 'One approval step over the refunds requested in a window: how long it took, and the time limits missed.',
})
export class RefundStageDurationGql {
  @Field(() => String) step!: string;
  @Field(() => String, { nullable: true, description: "The catalog's label (出纳初核…)." }) label!: string | null;
  @Field(() => Int, { description: 'Times it was decided (approved or returned), every attempt.' }) decided!: number;
  @Field(() => Float, { nullable: true, description: 'Hours from becoming pending to the decision, on average over the decided ones.' }) averageHours!:
    number | null;
  @Field(() => Float, { nullable: true }) maxHours!: number | null;
  @Field(() => Int, { description: 'Decided after their due time.' }) late!: number;
  @Field(() => Int, { description: 'Pending now.' }) pending!: number;
  @Field(() => Int, { description: 'Pending now and past their due time.' }) pendingOverdue!: number;
}

@ObjectType('CustomerServiceRefundRow', { description: '客服退单统计表, one refund.' })
export class CustomerServiceRefundRowGql {
  @Field(() => Int) rowNo!: number;
  @Field(() => DateTimeScalar) submittedAt!: Date;
  @Field(() => String) refundNo!: string;
  @Field(() => String, { nullable: true }) orderNo!: string | null;
  @Field(() => String, { nullable: true, description: 'The phone, always masked (138****5678): the filed table.' }) contact!: string | null;
  @Field(() => String, { nullable: true }) bank!: string | null;
  @Field(() => DecimalScalar) amount!: bigint;
  @Field(() => String) submitter!: string;
  @Field(() => DateTimeScalar, { nullable: true }) sentToTechAt!: Date | null;
  @Field(() => DateTimeScalar, { nullable: true }) sentToFinanceAt!: Date | null;
  @Field(() => DateTimeScalar, { nullable: true }) financeAnsweredAt!: Date | null;
  @Field(() => DateTimeScalar, { nullable: true }) customerToldAt!: Date | null;
}

@ObjectType('FinanceRefundRow', { description: '财务退单统计表, one refund.' })
export class FinanceRefundRowGql {
  @Field(() => Int) rowNo!: number;
  @Field(() => DateTimeScalar) submittedAt!: Date;
  @Field(() => String) refundNo!: string;
  @Field(() => String, { nullable: true }) orderNo!: string | null;
  @Field(() => String, { nullable: true }) bank!: string | null;
  @Field(() => DecimalScalar) amount!: bigint;
  @Field(() => String) submitter!: string;
  @Field(() => DateTimeScalar, { nullable: true }) cashierCheckedAt!: Date | null;
  @Field(() => DateTimeScalar, { nullable: true }) accountantReviewedAt!: Date | null;
  @Field(() => DateTimeScalar, { nullable: true }) directorApprovedAt!: Date | null;
  @Field(() => DateTimeScalar, { nullable: true }) customerToldAt!: Date | null;
}

@ObjectType('MonthlyRefundReport', { description: '退单统计表 of one business month: refunds requested in it, drills and cancelled ones left out.' })
export class MonthlyRefundReportGql {
  @Field(() => String) month!: string;
  @Field(() => String, { description: 'YYYY-MM-DD: the 1st of the next month, or the next working day.' }) dueDate!: string;
  @Field(() => [CustomerServiceRefundRowGql]) customerServiceRows!: CustomerServiceRefundRowGql[];
  @Field(() => [FinanceRefundRowGql]) financeRows!: FinanceRefundRowGql[];
  @Field(() => Int, { description: "The customer-service table's; each table's own in filings." }) totalCount!: number;
  @Field(() => DecimalScalar, { description: "The customer-service table's; each table's own in filings." }) totalAmount!: bigint;
  @Field(() => [ReportSignOffGql], { description: '部门主管审核 (REVIEWED) and 存档 (ARCHIVED) of each table, in the order signed.' })
  signOffs!: ReportSignOffGql[];
  // Additions beyond the contract.
  @Field(() => Boolean, { description: 'Some table is past its due date (the end of dueDate) and not ARCHIVED.' }) overdue!: boolean;
  @Field(() => [RefundReportFilingGql], { description: 'Each table as a document to file, customer service first.' }) filings!: RefundReportFilingGql[];
  @Field(() => [RefundReportLateChangeGql], { description: 'Changes since filing to the refunds a filed table lists; the filed table itself does not change.' })
  lateChanges!: RefundReportLateChangeGql[];
}

@ObjectType('HandoverReturn', { description: 'One return by finance (财务退回) in the window, with its reason.' })
export class HandoverReturnGql {
  @Field(() => ID) refundId!: string;
  @Field(() => String) refundNo!: string;
  @Field(() => String, { nullable: true, description: 'The finance step that returned it.' }) step!: string | null;
  @Field(() => String, { nullable: true }) reason!: string | null;
  @Field(() => DateTimeScalar) returnedAt!: Date;
  @Field(() => String) returnedBy!: string;
}

@ObjectType('HandoverTask', { description: 'Something the next shift must do.' })
export class HandoverTaskGql {
  @Field(() => String, { description: 'ACKNOWLEDGE, ACTION, REFUND_STEP, RESUBMIT_OR_CANCEL, REMEDY_STEP or RESOLVE.' }) kind!: string;
  @Field(() => ID) incidentId!: string;
  @Field(() => ID, { nullable: true }) refundId!: string | null;
  @Field(() => String, { nullable: true }) refundNo!: string | null;
  @Field(() => String, { description: 'ACKNOWLEDGE, RESOLVE, the action code, or the refund step.' }) code!: string;
  @Field(() => String, { nullable: true, description: 'Catalog label (中文).' }) label!: string | null;
  @Field(() => String, { nullable: true, description: 'Who acts: the refund step role, else the owning department.' }) role!: string | null;
  @Field(() => DateTimeScalar, { nullable: true }) dueAt!: Date | null;
  @Field(() => Boolean) overdue!: boolean;
  @Field(() => String, { nullable: true, description: "For a returned refund: finance's reason." }) note!: string | null;
}

@ObjectType('ShiftHandover', { description: '工作交接单 for [from, to).' })
export class ShiftHandoverGql {
  @Field(() => DateTimeScalar) from!: Date;
  @Field(() => DateTimeScalar) to!: Date;
  @Field(() => [RefundGql], { description: 'Refunds finance paid in the window, by payout time.' }) paid!: RefundGql[];
  @Field(() => [RefundGql], { description: 'Refunds that reached finance (CASHIER_CHECK became pending) in the window.' }) submittedToFinance!: RefundGql[];
  @Field(() => [RefundGql], { description: 'Refunds finance returned in the window; see returns for each reason.' }) returnedByFinance!: RefundGql[];
  @Field(() => [IncidentGql], { description: 'Incidents reported before the end of the window and not yet RESOLVED or CLOSED.' }) openIncidents!: IncidentGql[];
  // Additions beyond the contract.
  @Field(() => DecimalScalar, { description: 'Sum of the paid refunds.' }) paidTotalAmount!: bigint;
  @Field(() => [HandoverReturnGql], { description: 'Every return by finance in the window, with step and reason.' }) returns!: HandoverReturnGql[];
  @Field(() => [HandoverTaskGql], {
    description: 'What the next shift must do, by due time: acknowledgements, actions, refund steps, returned refunds, resolutions.',
  })
  tasks!: HandoverTaskGql[];
}
