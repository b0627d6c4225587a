import { Field, Float, ID, Int, ObjectType } from 'type-graphql';
import { SeverityGql } from '../graphql/enums';
import { DateTimeScalar } from '../graphql/scalars';
import { PageInfoGql } from '../graphql/page-info';
import { EnumValue, graphqlEnum } from '../graphql/enums';
import { DECISION_FIELDS } from './decision-diff';

/** The parts of a decision backtests and the shadow compare. */
export const DecisionFieldGql = graphqlEnum('DecisionField', DECISION_FIELDS, 'A part of a decision that two rule packs may decide differently.');
export type DecisionFieldGql = EnumValue<typeof DecisionFieldGql>;

@ObjectType('DecisionSummary', { description: 'A decision reduced to what is compared: codes, no due times.' })
export class DecisionSummaryGql {
  @Field(() => SeverityGql) severity!: SeverityGql;
  @Field(() => String) ownerDepartment!: string;
  @Field(() => [String]) notifyDepartments!: string[];
  @Field(() => [String], { description: 'Action codes.' }) actions!: string[];
  @Field(() => Boolean) policeReportRequired!: boolean;
  @Field(() => [String]) refundSteps!: string[];
  @Field(() => String) ruleSetVersion!: string;
  @Field(() => [String], { description: 'Names of the rules that fired.' }) firedRules!: string[];
}

@ObjectType('DecisionChangeCounts', { description: 'How many incidents were re-decided, and how many changed in all and per part of the decision.' })
export class DecisionChangeCountsGql {
  @Field(() => Int) total!: number;
  @Field(() => Int, { description: 'Changed in at least one part.' }) changed!: number;
  @Field(() => Int) severity!: number;
  @Field(() => Int) owner!: number;
  @Field(() => Int, { description: 'The notify set changed.' }) notify!: number;
  @Field(() => Int, { description: 'The set of action codes changed.' }) actions!: number;
  @Field(() => Int) police!: number;
  @Field(() => Int, { description: 'Would now need a police report (false → true).' }) policeNowRequired!: number;
  @Field(() => Int, { description: 'Would no longer need one (true → false).' }) policeNoLongerRequired!: number;
  @Field(() => Int) refundChain!: number;
}

@ObjectType('RuleBacktestCategory')
export class RuleBacktestCategoryGql {
  @Field(() => String) category!: string;
  @Field(() => DecisionChangeCountsGql) counts!: DecisionChangeCountsGql;
}

@ObjectType('RuleBacktestSample', { description: 'A stored incident the draft would decide differently.' })
export class RuleBacktestSampleGql {
  @Field(() => ID) incidentId!: string;
  @Field(() => String) source!: string;
  @Field(() => String) externalRef!: string;
  @Field(() => String) category!: string;
  @Field(() => DateTimeScalar) reportedAt!: Date;
  @Field(() => [DecisionFieldGql]) changed!: DecisionFieldGql[];
  @Field(() => DecisionSummaryGql, { description: 'As stored.' }) before!: DecisionSummaryGql;
  @Field(() => DecisionSummaryGql, { description: 'Under the draft.' }) after!: DecisionSummaryGql;
}

@ObjectType('RuleBacktest', { description: 'Stored non-drill incidents re-decided under a draft pack (read-only).' })
export class RuleBacktestGql {
  @Field(() => String) draftVersion!: string;
  @Field(() => DateTimeScalar, { nullable: true }) from!: Date | null;
  @Field(() => DateTimeScalar, { nullable: true }) to!: Date | null;
  @Field(() => DecisionChangeCountsGql) counts!: DecisionChangeCountsGql;
  @Field(() => [RuleBacktestCategoryGql]) byCategory!: RuleBacktestCategoryGql[];
  @Field(() => [RuleBacktestSampleGql], { description: 'The first changed incidents in id order.' }) samples!: RuleBacktestSampleGql[];
  @Field(() => Int) elapsedMs!: number;
  @Field(() => Float) incidentsPerSecond!: number;
}

@ObjectType('ShadowRules', { description: 'The candidate pack deciding every live report in the shadow, and what it has done since installed.' })
export class ShadowRulesGql {
  @Field(() => String) version!: string;
  @Field(() => String) checksum!: string;
  @Field(() => String, { nullable: true }) label!: string | null;
  @Field(() => Int) ruleCount!: number;
  @Field(() => DateTimeScalar) installedAt!: Date;
  @Field(() => String) installedBy!: string;
  @Field(() => Int, { description: 'Live decisions the shadow also made.' }) decided!: number;
  @Field(() => Int, { description: 'Of those, made differently (see shadowDivergences).' }) diverged!: number;
  @Field(() => Int, { description: 'Not shadowed: the queue was full.' }) dropped!: number;
  @Field(() => Int) failed!: number;
  @Field(() => Int) pending!: number;
  @Field(() => Int) capacity!: number;
}

@ObjectType('ShadowDivergence', { description: 'A live decision the shadow pack made differently.' })
export class ShadowDivergenceGql {
  @Field(() => ID) id!: string;
  @Field(() => ID) incidentId!: string;
  @Field(() => String) shadowVersion!: string;
  @Field(() => String) liveVersion!: string;
  @Field(() => [DecisionFieldGql]) fields!: DecisionFieldGql[];
  @Field(() => DecisionSummaryGql, { description: 'The live decision (stored with the incident).' }) before!: DecisionSummaryGql;
  @Field(() => DecisionSummaryGql, { description: 'What the shadow decided.' }) after!: DecisionSummaryGql;
  @Field(() => DateTimeScalar) detectedAt!: Date;
}

@ObjectType('ShadowDivergenceEdge')
export class ShadowDivergenceEdgeGql {
  @Field(() => String) cursor!: string;
  @Field(() => ShadowDivergenceGql) node!: ShadowDivergenceGql;
}

@ObjectType('ShadowDivergenceConnection')
export class ShadowDivergenceConnectionGql {
  @Field(() => [ShadowDivergenceEdgeGql]) edges!: ShadowDivergenceEdgeGql[];
  @Field(() => PageInfoGql) pageInfo!: PageInfoGql;
  @Field(() => Int) totalCount!: number;
}
