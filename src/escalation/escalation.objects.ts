import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { DateTimeScalar } from '../graphql/scalars';
import { PageInfoGql } from '../graphql/page-info';
import { EnumValue, graphqlEnum } from '../graphql/enums';

export const BreachSubjectTypeGql = graphqlEnum(
  'BreachSubjectType',
  ['INCIDENT', 'ACTION', 'REFUND_STEP', 'REMEDY_STEP'],
  'What missed its deadline: the incident itself, one of its required actions, a refund step, or a remedy step.',
);
export type BreachSubjectTypeGql = EnumValue<typeof BreachSubjectTypeGql>;
export const BreachKindGql = graphqlEnum(
  'BreachKind',
  ['ACKNOWLEDGE', 'RESOLVE', 'DUE'],
  'ACKNOWLEDGE and RESOLVE for an incident; DUE for an action or refund step.',
);
export type BreachKindGql = EnumValue<typeof BreachKindGql>;

@ObjectType('Breach', { description: 'A deadline that passed, recorded once, and how far up the escalation ladder it went.' })
export class BreachGql {
  @Field(() => ID) id!: string;
  @Field(() => ID) incidentId!: string;
  @Field(() => BreachSubjectTypeGql) subjectType!: BreachSubjectTypeGql;
  @Field(() => ID, { description: 'The incident, action or refund step id.' }) subjectId!: string;
  @Field(() => BreachKindGql) kind!: BreachKindGql;
  @Field(() => String, { nullable: true, description: 'The action code or refund step.' }) code!: string | null;
  @Field(() => ID, { nullable: true }) refundId!: string | null;
  @Field(() => DateTimeScalar) dueAt!: Date;
  @Field(() => DateTimeScalar, { description: 'When the scheduler recorded the breach.' }) detectedAt!: Date;
  @Field(() => Int, { description: 'Rungs of the ladder reached: 0 not escalated yet, 1 the first (DEPARTMENT_MANAGER by default)…' }) escalationLevel!: number;
  @Field(() => String, { nullable: true, description: 'The department of the highest rung reached.' }) escalatedTo!: string | null;
  @Field(() => DateTimeScalar, { nullable: true }) escalatedAt!: Date | null;
  @Field(() => DateTimeScalar, { nullable: true, description: 'When the next rung is due; null at the top or once settled.' }) nextEscalationAt!: Date | null;
  @Field(() => DateTimeScalar, { nullable: true, description: 'When the scheduler found the subject done after all: no further escalation.' })
  settledAt!: Date | null;
}

@ObjectType('BreachEdge')
export class BreachEdgeGql {
  @Field(() => String) cursor!: string;
  @Field(() => BreachGql) node!: BreachGql;
}

@ObjectType('BreachConnection')
export class BreachConnectionGql {
  @Field(() => [BreachEdgeGql]) edges!: BreachEdgeGql[];
  @Field(() => PageInfoGql) pageInfo!: PageInfoGql;
  @Field(() => Int) totalCount!: number;
}

@InputType('BreachFilter')
export class BreachFilter {
  @Field(() => ID, { nullable: true }) incidentId?: string | null;
  @Field(() => [BreachSubjectTypeGql], { nullable: true }) subjectType?: BreachSubjectTypeGql[] | null;
  @Field(() => [BreachKindGql], { nullable: true }) kind?: BreachKindGql[] | null;
  @Field(() => DateTimeScalar, { nullable: true, description: 'Recorded at or after.' }) from?: Date | null;
  @Field(() => DateTimeScalar, { nullable: true, description: 'Recorded before.' }) to?: Date | null;
  @Field(() => Boolean, { nullable: true, description: 'true: escalated at least once; false: not yet.' }) escalated?: boolean | null;
  @Field(() => Boolean, { nullable: true, description: 'true: not settled (its subject is still not done).' }) open?: boolean | null;
  @Field(() => Boolean, { nullable: true }) includeDrills?: boolean | null;
}

@ObjectType('IncidentClock', { description: "The incident's clock: paused while waiting on the customer (等待顾客), and time paused so far." })
export class IncidentClockGql {
  @Field(() => Boolean) paused!: boolean;
  @Field(() => DateTimeScalar, { nullable: true }) pausedAt!: Date | null;
  @Field(() => String, { nullable: true }) pausedBy!: string | null;
  @Field(() => String, { nullable: true }) reason!: string | null;
  @Field(() => Int, { description: 'Pauses that ended.' }) pauses!: number;
  @Field(() => Int, { description: 'Wall-clock seconds of the pauses that ended.' }) pausedSeconds!: number;
  @Field(() => Int, { description: 'Working seconds (business calendar) of the pauses that ended.' }) pausedWorkingSeconds!: number;
}

@ObjectType('ActionCompliance', { description: 'Per action code, how the required actions of the incidents reported in a window went.' })
export class ActionComplianceGql {
  @Field(() => String) code!: string;
  @Field(() => String, { nullable: true }) label!: string | null;
  @Field(() => Int) total!: number;
  @Field(() => Int, { description: 'Done by the due time (or done, for an action due only after resolution).' }) onTime!: number;
  @Field(() => Int, { description: 'Done after the due time.' }) late!: number;
  @Field(() => Int, { description: 'Not done, and past the due time.' }) notDone!: number;
  @Field(() => Int, { description: 'Not done, and not due yet.' }) notYetDue!: number;
  @Field(() => Int, { description: 'Waived as not needed here (actions an amendment withdrew are not counted at all).' }) waived!: number;
}
