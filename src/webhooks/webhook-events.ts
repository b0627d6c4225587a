/** The events integrators may subscribe to. */
export const WEBHOOK_EVENT_TYPES = [
  'incident.reported',
  'incident.escalated',
  'incident.status_changed',
  'sla.warning',
  'sla.breached',
  'refund.step_decided',
  'refund.paid',
  'rules.reloaded',
  'incident.decision_failed',
  'incident.amended',
  'remedy.started',
  'remedy.advanced',
  'remedy.completed',
  'remedy.cancelled',
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

export const isWebhookEventType = (t: string): t is WebhookEventType => (WEBHOOK_EVENT_TYPES as readonly string[]).includes(t);

/** An event as a change writes it to the outbox, in the change's transaction. */
export interface OutboxEvent {
  type: WebhookEventType;
  /** The incident the event is about: its events reach each subscription in order. */
  incidentId: number | null;
  /** The incident's source, for subscriptions bound to one source. */
  source: string | null;
  at: Date;
  data: Record<string, unknown>;
}

/**
 * The body every subscription receives, as the Standard Webhooks specification suggests:
 * `{ type, timestamp, data }`, `data` being the JSON the outbox stored, byte for byte, so every
 * retry sends (and signs) the same bytes.
 */
export function webhookBody(type: string, occurredAt: Date, dataJson: string): string {
  return `{"type":${JSON.stringify(type)},"timestamp":${JSON.stringify(occurredAt.toISOString())},"data":${dataJson}}`;
}
