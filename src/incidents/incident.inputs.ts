import { Field, InputType, Int } from 'type-graphql';
import { DateTimeScalar, DecimalScalar } from '../graphql/scalars';
import { IncidentStatusGql, SeverityGql } from '../graphql/enums';

@InputType()
export class CustomerInput {
  @Field(() => String, { nullable: true }) id?: string | null;
  @Field(() => String, { nullable: true }) name?: string | null;
  @Field(() => String, { nullable: true }) phone?: string | null;
  @Field(() => String, { nullable: true }) tier?: string | null;
}

@InputType()
export class ReportIncidentInput {
  @Field(() => String) source!: string;
  @Field(() => String) externalRef!: string;
  @Field(() => String) category!: string;
  @Field(() => String, { nullable: true }) subtype?: string | null;
  @Field(() => DateTimeScalar, { nullable: true }) occurredAt?: Date | null;
  @Field(() => DecimalScalar, { nullable: true }) amount?: unknown;
  @Field(() => String, { nullable: true }) propertyOwner?: string | null;
  @Field(() => Boolean, { nullable: true }) injured?: boolean | null;
  @Field(() => Int, { nullable: true }) outageMinutes?: number | null;
  @Field(() => Boolean, { nullable: true }) escalating?: boolean | null;
  @Field(() => Boolean, { nullable: true }) mediaAttention?: boolean | null;
  @Field(() => Boolean, { nullable: true }) legalThreat?: boolean | null;
  @Field(() => String, { nullable: true }) channel?: string | null;
  @Field(() => String, { nullable: true }) location?: string | null;
  @Field(() => String, { nullable: true }) orderNo?: string | null;
  @Field(() => String, { nullable: true }) description?: string | null;
  @Field(() => CustomerInput, { nullable: true }) customer?: CustomerInput | null;
  @Field(() => Boolean, { nullable: true }) drill?: boolean | null;
}

@InputType()
export class IncidentFilter {
  @Field(() => [IncidentStatusGql], { nullable: true }) status?: IncidentStatusGql[] | null;
  @Field(() => [SeverityGql], { nullable: true }) severity?: SeverityGql[] | null;
  @Field(() => [String], { nullable: true }) category?: string[] | null;
  @Field(() => [String], { nullable: true }) ownerDepartment?: string[] | null;
  @Field(() => DateTimeScalar, { nullable: true }) from?: Date | null;
  @Field(() => DateTimeScalar, { nullable: true }) to?: Date | null;
  @Field(() => Boolean, { nullable: true }) includeDrills?: boolean | null;
  @Field(() => String, { nullable: true, description: 'Only this source (an INTEGRATION key sees only its own anyway).' }) source?: string | null;
  @Field(() => String, { nullable: true, description: "Only this customer's incidents." }) customerId?: string | null;
}
