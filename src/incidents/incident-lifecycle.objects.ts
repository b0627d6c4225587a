import { Field, ID, InputType, Int } from 'type-graphql';
import { DecimalScalar } from '../graphql/scalars';
import { EnumValue, graphqlEnum } from '../graphql/enums';
import { ACTION_STATUSES } from './incident-action.entity';

/** A required action's state over the incident's life. */
export const ActionStatusGql = graphqlEnum('ActionStatus', ACTION_STATUSES);
export type ActionStatusGql = EnumValue<typeof ActionStatusGql>;

/** New or corrected facts; a fact left out (or null) stays as it is. */
@InputType()
export class AmendIncidentInput {
  @Field(() => ID) id!: string;
  @Field(() => Int, { nullable: true }) expectedVersion?: number | null;
  @Field(() => String, { description: 'Why the facts changed.' }) note!: string;
  @Field(() => String, { nullable: true }) subtype?: string | null;
  @Field(() => DecimalScalar, { nullable: true }) amount?: unknown;
  @Field(() => String, { nullable: true }) propertyOwner?: string | null;
  @Field(() => Boolean, { nullable: true }) injured?: boolean | null;
  @Field(() => Int, { nullable: true }) outageMinutes?: number | null;
  @Field(() => Boolean, { nullable: true }) escalating?: boolean | null;
  @Field(() => Boolean, { nullable: true }) mediaAttention?: boolean | null;
  @Field(() => Boolean, { nullable: true }) legalThreat?: boolean | null;
  @Field(() => String, { nullable: true }) description?: string | null;
}
