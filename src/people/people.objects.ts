import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { DateTimeScalar } from '../graphql/scalars';

@ObjectType('StaffMember', { description: 'A person of the staff directory (成员名单).' })
export class StaffMemberGql {
  @Field(() => ID) id!: string;
  @Field(() => String) employeeNo!: string;
  @Field(() => String) name!: string;
  @Field(() => String) department!: string;
  @Field(() => [String]) roles!: string[];
  @Field(() => String, { nullable: true, description: 'Masked as phones are.' }) phone!: string | null;
  @Field(() => Boolean) active!: boolean;
}

@InputType('StaffMemberInput')
export class StaffMemberInput {
  @Field(() => String) employeeNo!: string;
  @Field(() => String) name!: string;
  @Field(() => String) department!: string;
  @Field(() => [String]) roles!: string[];
  @Field(() => String, { nullable: true }) phone?: string | null;
  @Field(() => Boolean, { nullable: true }) active?: boolean | null;
}

@ObjectType('Caller')
export class CallerGql {
  @Field(() => String, { description: "The API key's name, or the staff member's employee number." }) name!: string;
  @Field(() => [String]) roles!: string[];
  @Field(() => String, { nullable: true }) source!: string | null;
  @Field(() => StaffMemberGql, {
    nullable: true,
    description: 'The staff member this request acts as: a staff sign-in, or an integration acting for one (X-Triage-Employee).',
  })
  staff!: StaffMemberGql | null;
}

@ObjectType('Contact')
export class ContactGql {
  @Field(() => ID) id!: string;
  @Field(() => String, { description: 'INTERNAL (成员名单) or EXTERNAL (紧急应变外部联系通信录: 110, 119, 120, property management, IT …).' }) kind!: string;
  @Field(() => String) name!: string;
  @Field(() => String, { nullable: true }) department!: string | null;
  @Field(() => String, { nullable: true }) role!: string | null;
  @Field(() => String, { nullable: true }) phone!: string | null;
}

@InputType('ContactInput')
export class ContactInput {
  @Field(() => ID, { nullable: true }) id?: string | null;
  @Field(() => String) kind!: string;
  @Field(() => String) name!: string;
  @Field(() => String, { nullable: true }) department?: string | null;
  @Field(() => String, { nullable: true }) role?: string | null;
  @Field(() => String, { nullable: true }) phone?: string | null;
}

@ObjectType('OnCallShift')
export class OnCallShiftGql {
  @Field(() => String) department!: string;
  @Field(() => StaffMemberGql) staff!: StaffMemberGql;
  @Field(() => DateTimeScalar) from!: Date;
  @Field(() => DateTimeScalar) to!: Date;
}

@InputType('OnCallShiftInput')
export class OnCallShiftInput {
  @Field(() => String) department!: string;
  @Field(() => String) employeeNo!: string;
  @Field(() => DateTimeScalar) from!: Date;
  @Field(() => DateTimeScalar) to!: Date;
}

@ObjectType('Notification', { description: "One person (or a department's group) told about an incident through one channel." })
export class NotificationGql {
  @Field(() => ID) id!: string;
  /** Resolved by NotificationIncidentResolver. */
  incidentId!: number | null;
  @Field(() => String, { description: 'What caused it: REPORTED, AMENDED, BREACH, ESCALATED, WARNING, REFUND_STEP …' }) reason!: string;
  @Field(() => String) recipient!: string;
  @Field(() => String) channel!: string;
  @Field(() => String) status!: string;
  @Field(() => Int) attempts!: number;
  @Field(() => DateTimeScalar, { nullable: true }) sentAt!: Date | null;
}
