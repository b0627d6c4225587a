import { registerEnumType } from 'type-graphql';

/** Enums of the public contract, registered once. Values are the contract's names. */
export enum SeverityGql {
  GENERAL = 'GENERAL',
  SERIOUS = 'SERIOUS',
  URGENT = 'URGENT',
  CRITICAL = 'CRITICAL',
}
export enum IncidentStatusGql {
  OPEN = 'OPEN',
  ACKNOWLEDGED = 'ACKNOWLEDGED',
  RESOLVED = 'RESOLVED',
  CLOSED = 'CLOSED',
}
export enum RefundStatusGql {
  IN_APPROVAL = 'IN_APPROVAL',
  RETURNED = 'RETURNED',
  PAID = 'PAID',
  COMPLETED = 'COMPLETED',
  CANCELLED = 'CANCELLED',
}
export enum StepDecisionGql {
  APPROVE = 'APPROVE',
  RETURN = 'RETURN',
}
export enum StepStatusGql {
  WAITING = 'WAITING',
  PENDING = 'PENDING',
  APPROVED = 'APPROVED',
  RETURNED = 'RETURNED',
}
export enum RefundGroupByGql {
  MONTH = 'MONTH',
  DAY = 'DAY',
  CATEGORY = 'CATEGORY',
  BANK = 'BANK',
  METHOD = 'METHOD',
  STATUS = 'STATUS',
  OWNER_DEPARTMENT = 'OWNER_DEPARTMENT',
}

registerEnumType(SeverityGql, { name: 'Severity' });
registerEnumType(IncidentStatusGql, { name: 'IncidentStatus' });
registerEnumType(RefundStatusGql, { name: 'RefundStatus' });
registerEnumType(StepDecisionGql, { name: 'StepDecision' });
registerEnumType(StepStatusGql, { name: 'StepStatus' });
registerEnumType(RefundGroupByGql, { name: 'RefundGroupBy' });
