import { Field, ID, Int, ObjectType } from 'type-graphql';
import { DateTimeScalar, DecimalScalar, JSONScalar } from '../graphql/scalars';
import { IncidentStatusGql, SeverityGql } from '../graphql/enums';
import { ActionStatusGql } from './incident-lifecycle.objects';
import { PageInfoGql } from '../graphql/page-info';

@ObjectType('RequiredAction')
export class RequiredActionGql {
  @Field(() => String) code!: string;
  @Field(() => DateTimeScalar, { nullable: true }) dueAt!: Date | null;
  @Field(() => Boolean, { description: 'status is DONE.' }) done!: boolean;
  @Field(() => ActionStatusGql) status!: ActionStatusGql;
  @Field(() => String, { nullable: true, description: 'Catalog label (中文).' }) label?: string | null;
  @Field(() => DateTimeScalar, {
    nullable: true,
    description: 'When it was done or waived (done may be given by the caller: the 119 call came before it was recorded).',
  })
  doneAt?: Date | null;
  @Field(() => Boolean, {
    nullable: true,
    description: 'Done or waived after dueAt, or still open past it; null while open and not yet due, or with no due time.',
  })
  late?: boolean | null;
  @Field(() => String, { nullable: true, description: 'The reason it was waived or withdrawn.' }) reason?: string | null;
  @Field(() => String, { nullable: true }) doneBy?: string | null;
  @Field(() => String, { nullable: true }) note?: string | null;
  @Field(() => DateTimeScalar, { nullable: true, description: 'Keep the evidence until then (PRESERVE_CCTV: 30 days).' }) retainUntil?: Date | null;
  @Field(() => Boolean, { description: 'Past its due time and still open.' }) overdue!: boolean;
  @Field(() => JSONScalar, {
    nullable: true,
    description:
      'What closed it, e.g. the police receipt number or the refund number that paid it (as the catalog asks: POLICE_REPORT: receiptNo; PRESERVE_CCTV: storageLocation, keptUntil).',
  })
  evidence?: unknown;
}

@ObjectType('FiredRule')
export class FiredRuleGql {
  @Field(() => String) name!: string;
  @Field(() => Int) stage!: number;
  @Field(() => JSONScalar) event!: unknown;
  @Field(() => JSONScalar, { nullable: true, description: 'The facts the rule read, with their values.' }) facts?: unknown;
  @Field(() => String, { nullable: true, description: 'Why, in Chinese.' }) reasonZh?: string | null;
  @Field(() => String, { nullable: true, description: 'Why, in English.' }) reasonEn?: string | null;
}

@ObjectType('Decision')
export class DecisionGql {
  @Field(() => SeverityGql) severity!: SeverityGql;
  @Field(() => String) ownerDepartment!: string;
  @Field(() => [String]) notifyDepartments!: string[];
  @Field(() => [RequiredActionGql]) actions!: RequiredActionGql[];
  @Field(() => Boolean) policeReportRequired!: boolean;
  @Field(() => [String], { description: 'The approval chain a refund of this incident follows; empty when refunds are not expected.' }) refundSteps!: string[];
  @Field(() => [String], { description: 'The remedies the rules allow for this incident, preferred first; empty when none applies.' }) remedies!: string[];
  @Field(() => DateTimeScalar, { nullable: true }) acknowledgeBy!: Date | null;
  @Field(() => DateTimeScalar, { nullable: true }) resolveBy!: Date | null;
  @Field(() => String) ruleSetVersion!: string;
  @Field(() => [FiredRuleGql]) firedRules!: FiredRuleGql[];
  @Field(() => DateTimeScalar, { nullable: true, description: 'When this decision was made.' }) decidedAt!: Date | null;
  @Field(() => Boolean, {
    description: "True when the rules could not decide (an error in the pack) and the pack's fallback decision was used; the report is stored all the same.",
  })
  fallback!: boolean;
  @Field(() => JSONScalar, { nullable: true, description: 'The facts this decision was made on (repeatIncidents30d as of the report).' }) facts?: unknown;
  @Field(() => [String], {
    description:
      'Due times counted in working time past the last date the holiday calendar covers (action codes, acknowledgeBy, resolveBy): a holiday after it is not known and counts as a working day.',
  })
  beyondCalendar!: string[];
  @Field(() => String, { nullable: true, description: 'Says so in words when beyondCalendar is not empty.' }) calendarNote?: string | null;
}

@ObjectType('Customer', { description: 'The customer as reported; the phone is masked (138****5678) unless your roles may see it.' })
export class CustomerGql {
  @Field(() => String, { nullable: true }) id!: string | null;
  @Field(() => String, { nullable: true }) name!: string | null;
  @Field(() => String, { nullable: true }) phone!: string | null;
  @Field(() => String, { nullable: true }) tier!: string | null;
}

@ObjectType('IncidentHistoryEntry')
export class IncidentHistoryEntryGql {
  @Field(() => DateTimeScalar) at!: Date;
  @Field(() => String) actor!: string;
  @Field(() => String) kind!: string;
  @Field(() => IncidentStatusGql, { nullable: true }) fromStatus!: string | null;
  @Field(() => IncidentStatusGql, { nullable: true }) toStatus!: string | null;
  @Field(() => String, { nullable: true }) note!: string | null;
  @Field(() => JSONScalar, { nullable: true }) detail!: unknown;
}

@ObjectType('Incident')
export class IncidentGql {
  @Field(() => ID) id!: string;
  @Field(() => String) source!: string;
  @Field(() => String) externalRef!: string;
  @Field(() => String) category!: string;
  @Field(() => String, { nullable: true }) subtype!: string | null;
  @Field(() => IncidentStatusGql) status!: IncidentStatusGql;
  @Field(() => SeverityGql) severity!: SeverityGql;
  @Field(() => String) ownerDepartment!: string;
  @Field(() => [String]) notifyDepartments!: string[];
  @Field(() => [RequiredActionGql]) actions!: RequiredActionGql[];
  @Field(() => Boolean) policeReportRequired!: boolean;
  @Field(() => DecimalScalar, { nullable: true }) amount!: bigint | null;
  @Field(() => DateTimeScalar, { nullable: true }) occurredAt!: Date | null;
  @Field(() => DateTimeScalar) reportedAt!: Date;
  @Field(() => DateTimeScalar, { nullable: true }) acknowledgeBy!: Date | null;
  @Field(() => DateTimeScalar, { nullable: true }) resolveBy!: Date | null;
  @Field(() => Boolean) drill!: boolean;
  @Field(() => DecisionGql) decision!: DecisionGql;
  @Field(() => Int, { nullable: true }) satisfactionScore!: number | null;
  @Field(() => Int) version!: number;
  @Field(() => DateTimeScalar, { nullable: true, description: 'When the facts were last amended.' }) amendedAt!: Date | null;
  // Additions beyond the contract.
  @Field(() => String, { nullable: true }) propertyOwner!: string | null;
  @Field(() => Boolean, { nullable: true }) injured!: boolean | null;
  @Field(() => Int, { nullable: true }) outageMinutes!: number | null;
  @Field(() => Boolean, { nullable: true }) escalating!: boolean | null;
  @Field(() => Boolean, { nullable: true }) mediaAttention!: boolean | null;
  @Field(() => Boolean, { nullable: true }) legalThreat!: boolean | null;
  @Field(() => String, { nullable: true }) channel!: string | null;
  @Field(() => String, { nullable: true }) location!: string | null;
  @Field(() => String, { nullable: true }) orderNo!: string | null;
  @Field(() => String, { nullable: true }) description!: string | null;
  @Field(() => CustomerGql, { nullable: true }) customer!: CustomerGql | null;
  @Field(() => String, { nullable: true }) satisfactionComment!: string | null;
  @Field(() => DateTimeScalar, { nullable: true }) acknowledgedAt!: Date | null;
  @Field(() => DateTimeScalar, { nullable: true }) resolvedAt!: Date | null;
  @Field(() => Int, {
    description:
      "This customer's earlier non-drill incidents in the 30 days before this one, as the rules saw it (over every source). An INTEGRATION key sees only its own source's count.",
  })
  repeatIncidents30d!: number;
}

@ObjectType('ReportIncidentPayload')
export class ReportIncidentPayloadGql {
  @Field(() => IncidentGql) incident!: IncidentGql;
  @Field(() => Boolean) created!: boolean;
}

@ObjectType('IncidentEdge')
export class IncidentEdgeGql {
  @Field(() => String) cursor!: string;
  @Field(() => IncidentGql) node!: IncidentGql;
}

@ObjectType('IncidentConnection')
export class IncidentConnectionGql {
  @Field(() => [IncidentEdgeGql]) edges!: IncidentEdgeGql[];
  @Field(() => PageInfoGql) pageInfo!: PageInfoGql;
  @Field(() => Int) totalCount!: number;
}
