import { Field, Float, Int, ObjectType } from 'type-graphql';
import { DecimalScalar } from '../graphql/scalars';
import { EnumValue, graphqlEnum } from '../graphql/enums';

/** The contract's IncidentGroupBy; values are the contract's names. */
export const IncidentGroupByGql = graphqlEnum('IncidentGroupBy', [
  'MONTH',
  'WEEK',
  'DAY',
  'CATEGORY',
  'SUBTYPE',
  'SEVERITY',
  'OWNER_DEPARTMENT',
  'SOURCE',
  'CHANNEL',
  'STATUS',
]);
export type IncidentGroupByGql = EnumValue<typeof IncidentGroupByGql>;

@ObjectType('IncidentAggregate', { description: 'Complaint statistics (客诉统计分析) of one group of incidents.' })
export class IncidentAggregateGql {
  @Field(() => [String], { description: 'One value per groupBy entry, in the same order.' }) keys!: string[];
  @Field(() => Int) count!: number;
  @Field(() => Float, { nullable: true, description: 'Of the incidents acknowledged, the share acknowledged by acknowledgeBy (0..1).' })
  acknowledgedOnTimeRate!: number | null;
  @Field(() => Float, { nullable: true, description: 'Of the incidents resolved, the share resolved by resolveBy (0..1).' }) resolvedOnTimeRate!: number | null;
  @Field(() => Float, { nullable: true }) averageHoursToResolve!: number | null;
  @Field(() => Int) breaches!: number;
  @Field(() => Int) surveyed!: number;
  @Field(() => Float, { nullable: true }) averageSatisfaction!: number | null;
  @Field(() => Int, { description: 'Incidents whose customer had 3 or more earlier incidents in the 30 days before.' }) repeatCustomerIncidents!: number;
  @Field(() => DecimalScalar) totalAmount!: bigint;
  // Additions beyond the contract.
  @Field(() => Int, { description: 'Incidents acknowledged: what acknowledgedOnTimeRate is taken over.' }) acknowledged!: number;
  @Field(() => Int, { description: 'Incidents resolved: what resolvedOnTimeRate and averageHoursToResolve are taken over.' }) resolved!: number;
}
