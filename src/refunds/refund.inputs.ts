import { Field, ID, InputType, Int } from 'type-graphql';
import { DateTimeScalar, DecimalScalar } from '../graphql/scalars';
import { RefundStatusGql, StepDecisionGql } from '../graphql/enums';

@InputType()
export class RequestRefundInput {
  @Field(() => ID) incidentId!: string;
  @Field(() => DecimalScalar) amount!: unknown;
  @Field(() => String) method!: string;
  @Field(() => String, { nullable: true }) orderNo?: string | null;
  @Field(() => DateTimeScalar, { nullable: true }) purchasedAt?: Date | null;
  @Field(() => String, { nullable: true }) bank?: string | null;
  @Field(() => String, { nullable: true, description: "Defaults to the incident's customer phone." }) phone?: string | null;
  @Field(() => String, { nullable: true }) faultDescription?: string | null;
  @Field(() => String, { nullable: true }) customerOpinion?: string | null;
  @Field(() => String, {
    nullable: true,
    description:
      'Makes a retry safe: the same key with the same input answers the refund the first request made (kept 24 hours); the same key with another input is CONFLICT. 1–255 visible ASCII characters, e.g. a UUID; scoped to your API key.',
  })
  idempotencyKey?: string | null;
}

@InputType()
export class DecideRefundStepInput {
  @Field(() => ID) refundId!: string;
  @Field(() => String) step!: string;
  @Field(() => StepDecisionGql) decision!: StepDecisionGql;
  @Field(() => String, { nullable: true, description: '处理意见; required to RETURN (the reason).' }) comment?: string | null;
  @Field(() => Int, { nullable: true }) expectedVersion?: number | null;
}

@InputType()
export class RefundFilter {
  @Field(() => DateTimeScalar, { nullable: true }) from?: Date | null;
  @Field(() => DateTimeScalar, { nullable: true }) to?: Date | null;
  @Field(() => [RefundStatusGql], { nullable: true }) status?: RefundStatusGql[] | null;
  @Field(() => [String], { nullable: true }) category?: string[] | null;
  @Field(() => Boolean, { nullable: true }) includeDrills?: boolean | null;
}
