import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { DateTimeScalar, JSONScalar } from '../graphql/scalars';
import { PageInfoGql } from '../graphql/page-info';
import { EnumValue, graphqlEnum } from '../graphql/enums';

export const WebhookDeliveryStatusGql = graphqlEnum(
  'WebhookDeliveryStatus',
  ['PENDING', 'DELIVERING', 'DELIVERED', 'DEAD'],
  'DEAD: not delivered within 24 hours of retries; redeliverWebhook sends it again.',
);
export type WebhookDeliveryStatusGql = EnumValue<typeof WebhookDeliveryStatusGql>;

@ObjectType('WebhookSubscription', {
  description: 'Where events are POSTed, signed per Standard Webhooks. The secrets are never shown again after they are made.',
})
export class WebhookSubscriptionGql {
  @Field(() => ID) id!: string;
  @Field(() => String) url!: string;
  @Field(() => [String], {
    description: 'incident.reported, incident.escalated, incident.status_changed, sla.warning, sla.breached, refund.step_decided, refund.paid, rules.reloaded',
  })
  eventTypes!: string[];
  @Field(() => String, { nullable: true, description: "Only this source's incidents (events without an incident still go)." }) source!: string | null;
  @Field(() => Boolean) active!: boolean;
  @Field(() => String, { nullable: true }) description!: string | null;
  @Field(() => Int, { description: '2 while a secret rotation is under way: every delivery is then signed with both.' }) secretCount!: number;
  @Field(() => String) createdBy!: string;
  @Field(() => DateTimeScalar) createdAt!: Date;
  @Field(() => DateTimeScalar) updatedAt!: Date;
}

@ObjectType('WebhookSubscriptionPayload')
export class WebhookSubscriptionPayloadGql {
  @Field(() => WebhookSubscriptionGql) subscription!: WebhookSubscriptionGql;
  @Field(() => String, { nullable: true, description: 'The secret this call made (whsec_…): shown once, keep it now.' }) secret!: string | null;
}

@InputType('CreateWebhookSubscriptionInput')
export class CreateWebhookSubscriptionInput {
  @Field(() => String, { description: 'http or https URL.' }) url!: string;
  @Field(() => [String]) eventTypes!: string[];
  @Field(() => String, { nullable: true }) source?: string | null;
  @Field(() => String, { nullable: true, description: 'whsec_ + base64 of 24 to 64 random bytes; generated when left out.' }) secret?: string | null;
  @Field(() => Boolean, { nullable: true, defaultValue: true }) active?: boolean | null;
  @Field(() => String, { nullable: true }) description?: string | null;
}

@InputType('UpdateWebhookSubscriptionInput')
export class UpdateWebhookSubscriptionInput {
  @Field(() => String, { nullable: true }) url?: string | null;
  @Field(() => [String], { nullable: true }) eventTypes?: string[] | null;
  @Field(() => String, { nullable: true, description: 'An empty string removes the source binding.' }) source?: string | null;
  @Field(() => Boolean, { nullable: true }) active?: boolean | null;
  @Field(() => String, { nullable: true }) description?: string | null;
  @Field(() => Boolean, { nullable: true, description: 'Start a rotation with a generated secret (returned once); the previous one keeps signing too.' })
  rotateSecret?: boolean | null;
  @Field(() => String, { nullable: true, description: 'Start a rotation with this secret.' }) newSecret?: string | null;
  @Field(() => Boolean, { nullable: true, description: 'End a rotation: only the newest secret signs from now on.' }) dropPreviousSecret?: boolean | null;
}

@ObjectType('WebhookDelivery', { description: 'One event for one subscription.' })
export class WebhookDeliveryGql {
  @Field(() => ID) id!: string;
  @Field(() => ID) subscriptionId!: string;
  @Field(() => String, { description: 'The webhook-id header: receivers dedupe by it.' }) eventId!: string;
  @Field(() => String) eventType!: string;
  @Field(() => ID, { nullable: true }) incidentId!: string | null;
  @Field(() => WebhookDeliveryStatusGql) status!: WebhookDeliveryStatusGql;
  @Field(() => Int) attempts!: number;
  @Field(() => DateTimeScalar) occurredAt!: Date;
  @Field(() => DateTimeScalar) nextAttemptAt!: Date;
  @Field(() => DateTimeScalar, { description: 'Retried until then, then DEAD.' }) retryUntil!: Date;
  @Field(() => DateTimeScalar, { nullable: true }) lastAttemptAt!: Date | null;
  @Field(() => Int, { nullable: true, description: "The receiver's HTTP status at the last attempt." }) lastStatusCode!: number | null;
  @Field(() => String, { nullable: true }) lastError!: string | null;
  @Field(() => DateTimeScalar, { nullable: true }) deliveredAt!: Date | null;
  @Field(() => JSONScalar, { description: 'The data of the event, as sent.' }) data!: unknown;
}

@ObjectType('WebhookDeliveryEdge')
export class WebhookDeliveryEdgeGql {
  @Field(() => String) cursor!: string;
  @Field(() => WebhookDeliveryGql) node!: WebhookDeliveryGql;
}

@ObjectType('WebhookDeliveryConnection')
export class WebhookDeliveryConnectionGql {
  @Field(() => [WebhookDeliveryEdgeGql]) edges!: WebhookDeliveryEdgeGql[];
  @Field(() => PageInfoGql) pageInfo!: PageInfoGql;
  @Field(() => Int) totalCount!: number;
}

@InputType('WebhookDeliveryFilter')
export class WebhookDeliveryFilter {
  @Field(() => ID, { nullable: true }) subscriptionId?: string | null;
  @Field(() => [WebhookDeliveryStatusGql], { nullable: true }) status?: WebhookDeliveryStatusGql[] | null;
  @Field(() => [String], { nullable: true }) eventType?: string[] | null;
  @Field(() => ID, { nullable: true }) incidentId?: string | null;
  @Field(() => String, { nullable: true, description: 'The webhook-id.' }) eventId?: string | null;
}
