import { registerEnumType } from 'type-graphql';
import { SEVERITIES } from '../rules/types';
import { INCIDENT_STATUSES } from '../incidents/incident.types';
import { REFUND_STATUSES, STEP_STATUSES } from '../refunds/refund.state-machine';

/** The values of an enum made by `graphqlEnum`, as a type: `type SeverityGql = EnumValue<typeof SeverityGql>`. */
export type EnumValue<E> = E[keyof E];

/**
 * Every GraphQL enum has this one shape: its values listed once (the contract's names, also the
 * stored ones), an object of value → value for code (`SeverityGql.URGENT`), registered under its
 * GraphQL name. A feature declares its own enums with it, next to its object types.
 */
export function graphqlEnum<const V extends string>(name: string, values: readonly V[], description?: string): { readonly [K in V]: K } {
  const e = Object.fromEntries(values.map((v) => [v, v])) as { [K in V]: K };
  registerEnumType(e, description === undefined ? { name } : { name, description });
  return e;
}

/** Enums of the public contract shared by several features. */
export const SeverityGql = graphqlEnum('Severity', SEVERITIES);
export type SeverityGql = EnumValue<typeof SeverityGql>;
export const IncidentStatusGql = graphqlEnum('IncidentStatus', INCIDENT_STATUSES);
export type IncidentStatusGql = EnumValue<typeof IncidentStatusGql>;
export const RefundStatusGql = graphqlEnum('RefundStatus', REFUND_STATUSES);
export type RefundStatusGql = EnumValue<typeof RefundStatusGql>;
export const StepDecisionGql = graphqlEnum('StepDecision', ['APPROVE', 'RETURN']);
export type StepDecisionGql = EnumValue<typeof StepDecisionGql>;
export const StepStatusGql = graphqlEnum('StepStatus', STEP_STATUSES);
export type StepStatusGql = EnumValue<typeof StepStatusGql>;
export const RefundGroupByGql = graphqlEnum('RefundGroupBy', ['MONTH', 'DAY', 'CATEGORY', 'BANK', 'METHOD', 'STATUS', 'OWNER_DEPARTMENT']);
export type RefundGroupByGql = EnumValue<typeof RefundGroupByGql>;
