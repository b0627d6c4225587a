import { Arg, Authorized, Ctx, ID, Int, Mutation, Query, Resolver } from 'type-graphql';
import { CurrentActor } from '../graphql/current-actor';
import { CAN } from '../auth/actor';
import type { Actor } from '../auth/actor';
import type { GqlContext } from '../graphql/context';
import type { DeliveryView } from './webhook-delivery.service';
import { WEBHOOK_EVENT_TYPES } from './webhook-events';
import type { WebhookSubscriptionEntity } from './webhook-subscription.entity';
import {
  CreateWebhookSubscriptionInput,
  UpdateWebhookSubscriptionInput,
  WebhookDeliveryConnectionGql,
  WebhookDeliveryFilter,
  WebhookDeliveryGql,
  WebhookDeliveryStatusGql,
  WebhookSubscriptionGql,
  WebhookSubscriptionPayloadGql,
} from './webhook.objects';
import { urlForDisplay } from './webhook-destination';

/** Webhook subscriptions and deliveries: ADMIN only. Thin: authorise, call, map. */
@Resolver()
export class WebhookResolver {
  @Authorized(CAN.admin)
  @Query(() => [WebhookSubscriptionGql])
  async webhookSubscriptions(@Ctx() ctx: GqlContext): Promise<WebhookSubscriptionGql[]> {
    return (await ctx.services.webhooks.subscriptions.list()).map(subscriptionGql);
  }

  @Authorized()
  @Query(() => [String], { description: 'The event types a subscription may ask for.' })
  webhookEventTypes(): string[] {
    return [...WEBHOOK_EVENT_TYPES];
  }

  @Authorized(CAN.admin)
  @Mutation(() => WebhookSubscriptionPayloadGql, { description: 'The secret (generated unless given) is in the answer, and never shown again.' })
  async createWebhookSubscription(
    @Arg('input', () => CreateWebhookSubscriptionInput) input: CreateWebhookSubscriptionInput,
    @CurrentActor() actor: Actor,
    @Ctx() ctx: GqlContext,
  ): Promise<WebhookSubscriptionPayloadGql> {
    const r = await ctx.services.webhooks.subscriptions.create(actor, input);
    return { subscription: subscriptionGql(r.subscription), secret: r.secret };
  }

  @Authorized(CAN.admin)
  @Mutation(() => WebhookSubscriptionPayloadGql)
  async updateWebhookSubscription(
    @Arg('id', () => ID) id: string,
    @Arg('input', () => UpdateWebhookSubscriptionInput) input: UpdateWebhookSubscriptionInput,
    @Ctx() ctx: GqlContext,
  ): Promise<WebhookSubscriptionPayloadGql> {
    const r = await ctx.services.webhooks.subscriptions.update(id, input);
    return { subscription: subscriptionGql(r.subscription), secret: r.secret };
  }

  @Authorized(CAN.admin)
  @Mutation(() => Boolean, { description: 'Deletes the subscription with its deliveries (pending ones are not sent).' })
  async deleteWebhookSubscription(@Arg('id', () => ID) id: string, @Ctx() ctx: GqlContext): Promise<boolean> {
    return ctx.services.webhooks.subscriptions.delete(id);
  }

  @Authorized(CAN.admin)
  @Query(() => WebhookDeliveryConnectionGql, { description: 'Deliveries, newest first.' })
  async webhookDeliveries(
    @Arg('filter', () => WebhookDeliveryFilter, { nullable: true }) filter: WebhookDeliveryFilter | null,
    @Arg('first', () => Int, { nullable: true, defaultValue: 50 }) first: number,
    @Arg('after', () => String, { nullable: true }) after: string | null,
    @Ctx() ctx: GqlContext,
  ): Promise<WebhookDeliveryConnectionGql> {
    const page = await ctx.services.webhooks.deliveries.list(filter, first, after);
    return {
      edges: page.views.map((v, i) => ({ cursor: page.cursors[i], node: deliveryGql(v) })),
      pageInfo: { hasNextPage: page.hasNextPage, endCursor: page.cursors.at(-1) ?? null },
      totalCount: page.totalCount,
    };
  }

  @Authorized(CAN.admin)
  @Mutation(() => WebhookDeliveryGql, {
    description: 'Sends a delivery again (a DEAD one, or one the receiver lost), due now with a fresh 24-hour retry window.',
  })
  async redeliverWebhook(@Arg('deliveryId', () => ID) deliveryId: string, @Ctx() ctx: GqlContext): Promise<WebhookDeliveryGql> {
    return deliveryGql(await ctx.services.webhooks.deliveries.redeliver(deliveryId));
  }
}

function subscriptionGql(s: WebhookSubscriptionEntity): WebhookSubscriptionGql {
  return {
    id: String(s.id),
    url: urlForDisplay(s.url),
    eventTypes: s.eventTypes,
    source: s.source,
    active: s.active,
    description: s.description,
    secretCount: s.secrets.length,
    createdBy: s.createdBy,
    createdAt: s.createdAt,
    updatedAt: s.updatedAt,
  };
}

function deliveryGql({ delivery: d, event: e }: DeliveryView): WebhookDeliveryGql {
  return {
    id: String(d.id),
    subscriptionId: String(d.subscriptionId),
    eventId: e.eventId,
    eventType: e.type,
    incidentId: d.incidentId === null ? null : String(d.incidentId),
    status: d.status as WebhookDeliveryStatusGql,
    attempts: d.attempts,
    occurredAt: e.occurredAt,
    nextAttemptAt: d.nextAttemptAt,
    retryUntil: d.retryUntil,
    lastAttemptAt: d.lastAttemptAt,
    lastStatusCode: d.lastStatus,
    lastError: d.lastError,
    deliveredAt: d.deliveredAt,
    data: e.payload,
  };
}
