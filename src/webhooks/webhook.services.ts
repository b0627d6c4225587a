import type { DataSource } from 'typeorm';
import type { Logger } from 'pino';
import type { AppConfig } from '../config/config';
import type { Clock } from '../common/clock';
import type { Transactions } from '../database/transaction';
import type { TriageEventBus } from '../events/triage-events';
import { WebhookDeliveryService } from './webhook-delivery.service';
import { WebhookDeliveryWorker, WorkerRun } from './webhook-delivery.worker';
import { WebhookEventListeners } from './webhook-event.listeners';
import { WebhookOutbox } from './webhook-outbox';
import { WebhookSubscriptionService } from './webhook-subscription.service';
import { WebhookRetention } from './webhook-retention';
import { WebhookDestinations } from './webhook-destination';

/** Signed webhooks: the outbox, what feeds it, subscriptions, deliveries and their worker. */
export interface WebhookServices {
  outbox: WebhookOutbox;
  /** Incident, refund and rule-pack writes → outbox events, in the writes' transactions. */
  events: WebhookEventListeners;
  subscriptions: WebhookSubscriptionService;
  deliveries: WebhookDeliveryService;
  worker: WebhookDeliveryWorker;
  /** Deletes settled events past WEBHOOK_RETENTION_DAYS (the worker's poll runs it hourly). */
  retention: WebhookRetention;
  /** Fan out and deliver what is due now, and wait for it (tests, or a worker driven by hand). */
  runOnce(): Promise<WorkerRun>;
}

export function createWebhookServices(config: AppConfig, ds: DataSource, tx: Transactions, clock: Clock, log: Logger, events: TriageEventBus): WebhookServices {
  const outbox = new WebhookOutbox(events);
  const destinations = new WebhookDestinations(config.webhookAllowedHosts);
  const worker = new WebhookDeliveryWorker(ds, tx, clock, log, config.webhooks, events);
  worker.destinations = destinations;
  const retention = new WebhookRetention(ds, clock, log, config.webhooks.retentionDays);
  worker.retention = retention;
  return {
    outbox,
    events: new WebhookEventListeners(outbox, tx, clock, log),
    subscriptions: new WebhookSubscriptionService(ds, tx, clock, destinations),
    deliveries: new WebhookDeliveryService(ds, tx, clock, config.maxPageSize),
    worker,
    retention,
    runOnce: () => worker.runOnce(),
  };
}
