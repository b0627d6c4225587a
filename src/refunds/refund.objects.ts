import { Field, ID, Int, ObjectType } from 'type-graphql';
import { DateTimeScalar, DecimalScalar } from '../graphql/scalars';
import { RefundStatusGql, StepDecisionGql, StepStatusGql } from '../graphql/enums';
import { PageInfoGql } from '../graphql/page-info';

@ObjectType('RefundStep')
export class RefundStepGql {
  @Field(() => String) step!: string;
  @Field(() => StepStatusGql) status!: StepStatusGql;
  @Field(() => String, { nullable: true }) actor!: string | null;
  @Field(() => String, { nullable: true }) comment!: string | null;
  @Field(() => DateTimeScalar, { nullable: true }) decidedAt!: Date | null;
  @Field(() => DateTimeScalar, { nullable: true }) dueAt!: Date | null;
  // Additions beyond the contract.
  @Field(() => Int, { description: 'The attempt this step belongs to (1, then +1 per resubmission).' }) attempt!: number;
  @Field(() => Int, { description: 'Position in the chain, from 0.' }) position!: number;
  @Field(() => String, { nullable: true, description: 'Catalog label (中文).' }) label!: string | null;
  @Field(() => String, { description: 'The role that decides this step.' }) role!: string;
  @Field(() => Boolean, { description: 'An approval step: one person signs at most one of them per refund.' }) approval!: boolean;
  @Field(() => DateTimeScalar, { nullable: true, description: 'When the step started waiting for its decision.' }) pendingSince!: Date | null;
  @Field(() => Boolean, { description: 'Pending and past its due time.' }) overdue!: boolean;
  @Field(() => Boolean, { description: 'Decided after its due time.' }) late!: boolean;
  /** The step's row id (not in the schema): `breached` is resolved from it. */
  stepId?: number;
}

@ObjectType('RefundHistoryEntry')
export class RefundHistoryEntryGql {
  @Field(() => DateTimeScalar) at!: Date;
  @Field(() => String) actor!: string;
  @Field(() => String, { description: 'REQUESTED, APPROVED, RETURNED, PAID, COMPLETED, RESUBMITTED or CANCELLED.' }) kind!: string;
  @Field(() => RefundStatusGql, { nullable: true }) fromStatus!: string | null;
  @Field(() => RefundStatusGql) toStatus!: string;
  @Field(() => String, { nullable: true }) step!: string | null;
  @Field(() => StepDecisionGql, { nullable: true }) decision!: string | null;
  @Field(() => Int) attempt!: number;
  @Field(() => String, { nullable: true }) comment!: string | null;
}

@ObjectType('Refund')
export class RefundGql {
  @Field(() => ID) id!: string;
  @Field(() => String) refundNo!: string;
  @Field(() => DecimalScalar) amount!: bigint;
  @Field(() => String) method!: string;
  @Field(() => RefundStatusGql) status!: RefundStatusGql;
  @Field(() => String, { nullable: true }) currentStep!: string | null;
  @Field(() => [RefundStepGql], { description: "Every attempt's steps, oldest attempt first, each in chain order." }) steps!: RefundStepGql[];
  @Field(() => String, { nullable: true }) orderNo!: string | null;
  @Field(() => String, { nullable: true }) bank!: string | null;
  @Field(() => String) requestedBy!: string;
  @Field(() => DateTimeScalar) requestedAt!: Date;
  @Field(() => DateTimeScalar, { nullable: true }) paidAt!: Date | null;
  @Field(() => Int) attempt!: number;
  @Field(() => Int) version!: number;
  // Additions beyond the contract.
  @Field(() => ID) incidentId!: string;
  @Field(() => [String], { description: 'The approval chain, frozen when the refund was requested.' }) chain!: string[];
  @Field(() => String, { nullable: true, description: 'Masked (138****5678) unless your roles may see it.' }) phone!: string | null;
  @Field(() => DateTimeScalar, { nullable: true }) purchasedAt!: Date | null;
  @Field(() => String, { nullable: true }) faultDescription!: string | null;
  @Field(() => String, { nullable: true }) customerOpinion!: string | null;
  @Field(() => DateTimeScalar, { nullable: true }) completedAt!: Date | null;
  @Field(() => DateTimeScalar, { nullable: true }) returnedAt!: Date | null;
  @Field(() => String, { nullable: true, description: '财务退回: the reason of the latest return.' }) returnReason!: string | null;
  @Field(() => DateTimeScalar, { nullable: true }) cancelledAt!: Date | null;
  @Field(() => String, { nullable: true }) cancelReason!: string | null;
  @Field(() => Boolean) drill!: boolean;
  @Field(() => String) category!: string;
  @Field(() => String) ownerDepartment!: string;
  @Field(() => String) ruleSetVersion!: string;
  @Field(() => Boolean, { description: 'The pending step is past its due time.' }) overdue!: boolean;
}

@ObjectType('RefundEdge')
export class RefundEdgeGql {
  @Field(() => String) cursor!: string;
  @Field(() => RefundGql) node!: RefundGql;
}

@ObjectType('RefundConnection')
export class RefundConnectionGql {
  @Field(() => [RefundEdgeGql]) edges!: RefundEdgeGql[];
  @Field(() => PageInfoGql) pageInfo!: PageInfoGql;
  @Field(() => Int) totalCount!: number;
}
