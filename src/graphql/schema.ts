import { GraphQLSchema, lexicographicSortSchema, printSchema } from 'graphql';
import { buildSchema } from 'type-graphql';
import { authChecker } from './auth-checker';
import { IncidentResolver } from '../incidents/incident.resolver';
import { IncidentLifecycleResolver } from '../incidents/incident-lifecycle.resolver';
import { RuleSetResolver } from '../rulesets/rule-set.resolver';
import { RuleAdminResolver } from '../rulesets/rule-admin.resolver';
import { RefundResolver } from '../refunds/refund.resolver';
import { IncidentRefundsResolver } from '../refunds/incident-refunds.resolver';
import { IncidentRemediesResolver, RemedyResolver } from '../remedies/remedy.resolver';
import { ReportResolver } from '../reports/report.resolver';
import { IncidentAggregateResolver } from '../reports/incident-aggregate.resolver';
import { EscalationResolver, IncidentEscalationResolver, RefundStepBreachResolver } from '../escalation/escalation.resolver';
import { WebhookResolver } from '../webhooks/webhook.resolver';
import { FilingResolver } from '../reports/filing.resolver';
import { StaffResolver } from '../people/staff.resolver';
import { ContactResolver } from '../people/contact.resolver';
import { NotificationResolver } from '../people/notification.resolver';
import { DrillResolver } from '../drills/drill.resolver';

export const RESOLVERS = [
  IncidentResolver,
  RuleSetResolver,
  RuleAdminResolver,
  RefundResolver,
  IncidentRefundsResolver,
  RemedyResolver,
  IncidentRemediesResolver,
  ReportResolver,
  EscalationResolver,
  IncidentEscalationResolver,
  RefundStepBreachResolver,
  WebhookResolver,
  IncidentAggregateResolver,
  IncidentLifecycleResolver,
  FilingResolver,
  StaffResolver,
  ContactResolver,
  NotificationResolver,
  DrillResolver,
] as const;

let built: Promise<GraphQLSchema> | null = null;

/** The served schema, built once per process (type-graphql metadata is global anyway). */
export function createSchema(): Promise<GraphQLSchema> {
  built ??= buildSchema({ resolvers: RESOLVERS, authChecker, validate: false });
  return built;
}

/** The schema as committed in schema.graphql: sorted, so diffs show real changes only. */
export async function printServedSchema(): Promise<string> {
  return printSchema(lexicographicSortSchema(await createSchema())) + '\n';
}
