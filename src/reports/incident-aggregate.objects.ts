import { Field, Float, Int, ObjectType, registerEnumType } from 'type-graphql';
import { DecimalScalar } from '../graphql/scalars';

/** The contract's IncidentGroupBy; values are the contract's names. */
export enum IncidentGroupByGql {
  MONTH = 'MONTH',
  WEEK = 'WEEK',
  DAY = 'DAY',
  CATEGORY = 'CATEGORY',
  SUBTYPE = 'SUBTYPE',
  SEVERITY = 'SEVERITY',
  OWNER_DEPARTMENT = 'OWNER_DEPARTMENT',
  SOURCE = 'SOURCE',
  CHANNEL = 'CHANNEL',
  STATUS = 'STATUS',
}
registerEnumType(IncidentGroupByGql, { name: 'IncidentGroupBy' });

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
