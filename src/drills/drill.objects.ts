import { Field, Float, ID, Int, ObjectType } from 'type-graphql';
import { DateTimeScalar } from '../graphql/scalars';
import { EnumValue, graphqlEnum } from '../graphql/enums';

export const DrillRunStatusGql = graphqlEnum('DrillRunStatus', ['SCHEDULED', 'RUNNING', 'COMPLETED', 'ABORTED']);
export type DrillRunStatusGql = EnumValue<typeof DrillRunStatusGql>;

export const DrillVerdictGql = graphqlEnum(
  'DrillVerdict',
  ['ON_TIME', 'LATE', 'MISSED', 'PENDING', 'WAIVED'],
  'WAIVED covers waived and withdrawn actions: not scored.',
);
export type DrillVerdictGql = EnumValue<typeof DrillVerdictGql>;

export const DrillStepKindGql = graphqlEnum('DrillStepKind', ['REPORT', 'AMEND']);
export type DrillStepKindGql = EnumValue<typeof DrillStepKindGql>;

export const DrillScoreKindGql = graphqlEnum('DrillScoreKind', ['ACTION', 'REFUND_STEP']);
export type DrillScoreKindGql = EnumValue<typeof DrillScoreKindGql>;

@ObjectType('DrillScenarioStep', {
  description: "A step of a scenario: a report, or an amendment of an earlier step's incident, offsetMinutes after the start.",
})
export class DrillScenarioStepGql {
  @Field(() => String) id!: string;
  @Field(() => Int) offsetMinutes!: number;
  @Field(() => DrillStepKindGql) kind!: DrillStepKindGql;
  @Field(() => String, { nullable: true, description: 'The report step an amendment changes.' }) amends!: string | null;
  @Field(() => String, { nullable: true }) category!: string | null;
  @Field(() => String, { nullable: true }) subtype!: string | null;
}

@ObjectType('DrillScenario', { description: 'A drill scenario of the active rule pack (预案演练脚本). What the team must do comes from the live rules.' })
export class DrillScenarioGql {
  @Field(() => String) code!: string;
  @Field(() => String) label!: string;
  @Field(() => String) procedure!: string;
  @Field(() => String) procedureLabel!: string;
  @Field(() => String) file!: string;
  @Field(() => [DrillScenarioStepGql]) steps!: DrillScenarioStepGql[];
}

@ObjectType('DrillRunStep', { description: 'A step as injected, with the drill incident it reported or amended.' })
export class DrillRunStepGql {
  @Field(() => String) stepId!: string;
  @Field(() => DrillStepKindGql) kind!: DrillStepKindGql;
  @Field(() => DateTimeScalar) dueAt!: Date;
  @Field(() => DateTimeScalar) injectedAt!: Date;
  @Field(() => ID) incidentId!: string;
}

@ObjectType('DrillRun', { description: 'A scheduled run of a drill scenario.' })
export class DrillRunGql {
  @Field(() => ID) id!: string;
  @Field(() => String) scenario!: string;
  @Field(() => String) label!: string;
  @Field(() => String) procedure!: string;
  @Field(() => DrillRunStatusGql) status!: DrillRunStatusGql;
  @Field(() => String, { description: 'The pack version active when it was scheduled (the scenario is kept as it was then).' }) ruleSetVersion!: string;
  @Field(() => DateTimeScalar) startsAt!: Date;
  @Field(() => DateTimeScalar, { nullable: true }) nextStepAt!: Date | null;
  @Field(() => String) scheduledBy!: string;
  @Field(() => DateTimeScalar) scheduledAt!: Date;
  @Field(() => DateTimeScalar, { nullable: true }) finishedAt!: Date | null;
  @Field(() => String, { nullable: true }) abortedBy!: string | null;
  @Field(() => [DrillRunStepGql]) steps!: DrillRunStepGql[];
}

@ObjectType('DrillScoreItem', { description: 'One thing the live rules required: due against done.' })
export class DrillScoreItemGql {
  @Field(() => DrillScoreKindGql) kind!: DrillScoreKindGql;
  @Field(() => ID) incidentId!: string;
  @Field(() => String) code!: string;
  @Field(() => String) label!: string;
  @Field(() => DateTimeScalar, { nullable: true }) dueAt!: Date | null;
  @Field(() => DateTimeScalar, { nullable: true }) doneAt!: Date | null;
  @Field(() => String, { nullable: true }) doneBy!: string | null;
  @Field(() => DrillVerdictGql) verdict!: DrillVerdictGql;
  @Field(() => Int) minutesLate!: number;
}

@ObjectType('DrillIncidentScore')
export class DrillIncidentScoreGql {
  @Field(() => ID) incidentId!: string;
  @Field(() => String) stepId!: string;
  @Field(() => String) severity!: string;
  @Field(() => Int, { nullable: true }) minutesToAcknowledge!: number | null;
  @Field(() => Boolean) acknowledgeLate!: boolean;
  @Field(() => Int, { nullable: true }) minutesToResolve!: number | null;
  @Field(() => Boolean) resolveLate!: boolean;
  @Field(() => Int) breaches!: number;
  @Field(() => Int, { description: 'Rungs of the escalation ladder climbed.' }) escalations!: number;
}

@ObjectType('DrillRunRate')
export class DrillRunRateGql {
  @Field(() => ID) runId!: string;
  @Field(() => DateTimeScalar) startsAt!: Date;
  @Field(() => Float, { nullable: true }) onTimeRate!: number | null;
}

@ObjectType('DrillReport', { description: "A run's 演练总结: what was required, when it was done and by whom, and the lead's 改进措施." })
export class DrillReportGql {
  @Field(() => DrillRunGql) run!: DrillRunGql;
  @Field(() => DateTimeScalar) asOf!: Date;
  @Field(() => Float, { nullable: true, description: 'On time over on time + late + missed (0..1); null with nothing due yet.' }) onTimeRate!: number | null;
  @Field(() => Int) onTime!: number;
  @Field(() => Int) late!: number;
  @Field(() => Int) missed!: number;
  @Field(() => Int) pending!: number;
  @Field(() => [DrillIncidentScoreGql]) incidents!: DrillIncidentScoreGql[];
  @Field(() => [DrillScoreItemGql]) items!: DrillScoreItemGql[];
  @Field(() => [DrillRunRateGql], { description: 'Earlier runs of the same scenario, newest first (at most 5).' }) previous!: DrillRunRateGql[];
  @Field(() => String, { nullable: true }) improvements!: string | null;
  @Field(() => String, { nullable: true }) signedBy!: string | null;
  @Field(() => DateTimeScalar, { nullable: true }) signedAt!: Date | null;
}

@ObjectType('DrillProcedureStatus', { description: 'A procedure and when its next drill is due (演练合规).' })
export class DrillProcedureStatusGql {
  @Field(() => String) procedure!: string;
  @Field(() => String) label!: string;
  @Field(() => Int) drillEveryMonths!: number;
  @Field(() => DateTimeScalar, { nullable: true, description: 'Start of the last run that was not aborted; null: never drilled.' }) lastDrilledAt!: Date | null;
  @Field(() => DateTimeScalar, {
    nullable: true,
    description: 'When it falls overdue; null for a procedure never drilled that the scheduler has not seen yet.',
  })
  dueBy!: Date | null;
  @Field(() => Boolean) overdue!: boolean;
}
