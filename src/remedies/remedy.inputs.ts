import { Field, ID, InputType, Int } from 'type-graphql';

@InputType('StartRemedyInput')
export class StartRemedyInput {
  @Field(() => ID) incidentId!: string;
  @Field(() => String) kind!: string;
  @Field(() => String, { nullable: true }) orderNo?: string | null;
  @Field(() => String, { nullable: true }) items?: string | null;
  @Field(() => String, { nullable: true }) note?: string | null;
}

@InputType('AdvanceRemedyInput')
export class AdvanceRemedyInput {
  @Field(() => ID) remedyId!: string;
  @Field(() => String, { description: 'The current step, as a guard against acting on a stale view.' }) step!: string;
  @Field(() => String, { nullable: true }) note?: string | null;
  @Field(() => String, { nullable: true }) trackingNo?: string | null;
  @Field(() => Int, { nullable: true }) expectedVersion?: number | null;
}
