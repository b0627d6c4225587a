import { Field, Int, ObjectType } from 'type-graphql';
import { DateTimeScalar, DecimalScalar } from '../graphql/scalars';
import { EnumValue, graphqlEnum } from '../graphql/enums';
import { SIGN_OFF_STAGES } from './report-filing.service';

/** Filed documents (the policy): the monthly tables signed off (shift handover records: handover-record.objects.ts). */
export const RefundReportTableGql = graphqlEnum('RefundReportTable', ['CUSTOMER_SERVICE', 'FINANCE']);
export type RefundReportTableGql = EnumValue<typeof RefundReportTableGql>;
export const SignOffStageGql = graphqlEnum('SignOffStage', SIGN_OFF_STAGES);
export type SignOffStageGql = EnumValue<typeof SignOffStageGql>;
export const ShiftGql = graphqlEnum('Shift', ['DAY', 'MIDDLE', 'NIGHT']);
export type ShiftGql = EnumValue<typeof ShiftGql>;

@ObjectType('ReportSignOff')
export class ReportSignOffGql {
  @Field(() => RefundReportTableGql) table!: RefundReportTableGql;
  @Field(() => SignOffStageGql) stage!: SignOffStageGql;
  @Field(() => String) actor!: string;
  @Field(() => DateTimeScalar) at!: Date;
  @Field(() => String, { nullable: true }) note!: string | null;
  @Field(() => String, { description: 'sha256 of the table as filed; the filed table never changes afterwards.' }) checksum!: string;
}

@ObjectType('RefundReportFiling', { description: 'Where one monthly table stands as a document to file.' })
export class RefundReportFilingGql {
  @Field(() => RefundReportTableGql) table!: RefundReportTableGql;
  @Field(() => String, { description: 'OPEN (not reviewed), REVIEWED (frozen as filed) or ARCHIVED (存档).' }) status!: string;
  @Field(() => DateTimeScalar, { description: 'The end of the due date, business time zone.' }) dueAt!: Date;
  @Field(() => Boolean, { description: 'Past dueAt and not ARCHIVED.' }) overdue!: boolean;
  @Field(() => String, { nullable: true, description: 'sha256 of the table as filed; null until REVIEWED.' }) checksum!: string | null;
  @Field(() => DateTimeScalar, { nullable: true }) filedAt!: Date | null;
  @Field(() => Int) totalCount!: number;
  @Field(() => DecimalScalar) totalAmount!: bigint;
}

@ObjectType('RefundReportLateChange', { description: 'A change, after filing, to a refund a filed table lists: the filed table keeps what was filed.' })
export class RefundReportLateChangeGql {
  @Field(() => RefundReportTableGql) table!: RefundReportTableGql;
  @Field(() => String) refundNo!: string;
  @Field(() => String, { description: 'CHANGED (a column), REMOVED (left the month, e.g. cancelled), ADDED.' }) kind!: string;
  @Field(() => String, { nullable: true, description: 'The column that changed (CHANGED only), e.g. customerToldAt.' }) field!: string | null;
  @Field(() => String, { nullable: true }) filed!: string | null;
  @Field(() => String, { nullable: true }) current!: string | null;
}
