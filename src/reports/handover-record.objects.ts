import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { DateTimeScalar } from '../graphql/scalars';
import { ShiftGql } from './filing.objects';

export { ShiftGql };
import { ShiftHandoverGql } from './report.objects';

/** 工作交接单 handed over and acknowledged (the policy). */
@InputType('ShiftAttendanceInput')
export class ShiftAttendanceInput {
  @Field(() => Int) expected!: number;
  @Field(() => Int) present!: number;
  @Field(() => Int, { nullable: true }) late?: number | null;
  @Field(() => Int, { nullable: true }) leftEarly?: number | null;
  @Field(() => Int, { nullable: true }) absent?: number | null;
}

@InputType('HandOverShiftInput')
export class HandOverShiftInput {
  @Field(() => DateTimeScalar) from!: Date;
  @Field(() => DateTimeScalar) to!: Date;
  @Field(() => ShiftGql) shift!: ShiftGql;
  @Field(() => String, { description: "Who takes over (接交人): a staff member's id or an API key's name." }) handedOverTo!: string;
  @Field(() => ShiftAttendanceInput) attendance!: ShiftAttendanceInput;
  @Field(() => [String], { description: '完成工作明细, one line each.' }) completedWork!: string[];
  @Field(() => String, { nullable: true, description: 'What the next shift must follow up beyond the open incidents and refunds listed.' }) notes?:
    string | null;
  @Field(() => Boolean, { description: '卫生是否打扫.' }) cleaningDone!: boolean;
}

@ObjectType('ShiftAttendance', { description: '出勤: 应到, 实到, 迟到, 早退, 旷工.' })
export class ShiftAttendanceGql {
  @Field(() => Int) expected!: number;
  @Field(() => Int) present!: number;
  @Field(() => Int) late!: number;
  @Field(() => Int) leftEarly!: number;
  @Field(() => Int) absent!: number;
}

@ObjectType('ShiftHandoverRecord')
export class ShiftHandoverRecordGql {
  @Field(() => ID) id!: string;
  @Field(() => ShiftGql) shift!: ShiftGql;
  @Field(() => String) handedOverBy!: string;
  @Field(() => String) handedOverTo!: string;
  @Field(() => DateTimeScalar) handedOverAt!: Date;
  @Field(() => DateTimeScalar, { nullable: true }) acknowledgedAt!: Date | null;
  @Field(() => [String]) completedWork!: string[];
  @Field(() => String, { nullable: true }) notes!: string | null;
  @Field(() => Boolean) cleaningDone!: boolean;
  @Field(() => ShiftHandoverGql, { description: 'The handover as it stood when it was handed over (frozen).' }) handover!: ShiftHandoverGql;
  // Additions beyond the contract.
  @Field(() => ShiftAttendanceGql) attendance!: ShiftAttendanceGql;
  @Field(() => DateTimeScalar, { description: 'Not acknowledged by then, the CS_LEAD on duty is warned.' }) acknowledgeBy!: Date;
  @Field(() => String, { nullable: true }) acknowledgeNote!: string | null;
  @Field(() => String, { description: 'sha256 of the record as handed over (form and frozen handover).' }) checksum!: string;
}
