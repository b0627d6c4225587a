import { Field, ID, Int, ObjectType } from 'type-graphql';
import { StepStatusGql } from '../graphql/enums';
import { DateTimeScalar } from '../graphql/scalars';
import { EnumValue, graphqlEnum } from '../graphql/enums';
import { REMEDY_STATUSES } from './remedy.state-machine';

export const RemedyStatusGql = graphqlEnum('RemedyStatus', REMEDY_STATUSES);
export type RemedyStatusGql = EnumValue<typeof RemedyStatusGql>;

@ObjectType('RemedyStep')
export class RemedyStepGql {
  @Field(() => String) step!: string;
  @Field(() => StepStatusGql) status!: StepStatusGql;
  @Field(() => String, { nullable: true }) actor!: string | null;
  @Field(() => String, { nullable: true }) note!: string | null;
  @Field(() => String, { nullable: true }) trackingNo!: string | null;
  @Field(() => DateTimeScalar, { nullable: true }) decidedAt!: Date | null;
  @Field(() => DateTimeScalar, { nullable: true }) dueAt!: Date | null;
  @Field(() => String, { nullable: true, description: 'The role that acts on this step (LOGISTICS: 仓储物流部).' }) role!: string | null;
  @Field(() => Boolean, { description: 'Done only with a tracking number (运单号).' }) needsTrackingNo!: boolean;
}

@ObjectType('RemedyHistoryEntry')
export class RemedyHistoryEntryGql {
  @Field(() => DateTimeScalar) at!: Date;
  @Field(() => String) actor!: string;
  @Field(() => String, { description: 'STARTED, ADVANCED, COMPLETED or CANCELLED.' }) kind!: string;
  @Field(() => String, { nullable: true }) fromStatus!: string | null;
  @Field(() => String) toStatus!: string;
  @Field(() => String, { nullable: true }) step!: string | null;
  @Field(() => String, { nullable: true }) note!: string | null;
}

@ObjectType('Remedy')
export class RemedyGql {
  @Field(() => ID) id!: string;
  incidentId!: string;
  @Field(() => String, { description: 'A catalog remedy kind: REPAIR, REPLACE, RETURN, RESHIP, COMPENSATE in the shipped pack.' }) kind!: string;
  @Field(() => RemedyStatusGql) status!: RemedyStatusGql;
  @Field(() => String, { nullable: true }) currentStep!: string | null;
  @Field(() => [RemedyStepGql]) steps!: RemedyStepGql[];
  @Field(() => String, { nullable: true }) orderNo!: string | null;
  @Field(() => String, { nullable: true }) items!: string | null;
  @Field(() => String) startedBy!: string;
  @Field(() => DateTimeScalar) startedAt!: Date;
  @Field(() => DateTimeScalar, { nullable: true }) completedAt!: Date | null;
  @Field(() => Int) version!: number;
  @Field(() => DateTimeScalar, { nullable: true }) cancelledAt!: Date | null;
  @Field(() => String, { nullable: true }) cancelReason!: string | null;
}
