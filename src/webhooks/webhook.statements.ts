import { limit } from '../database/dialect';

/** The webhooks' SQL, named once (the write-path benchmark's ceiling server sends the same outbox insert). */

/** One event into the outbox, in the transaction of the change it describes. */
export const OUTBOX_INSERT = 'INSERT INTO webhook_outbox (event_id, type, incident_id, source, payload, occurred_at, fanned_out) VALUES (?, ?, ?, ?, ?, ?, ?)';

/** Outbox events not fanned out yet, oldest first. Param: fanned_out=false. */
export const UNFANNED_EVENTS = (n: number) => `SELECT id, type, incident_id, source FROM webhook_outbox WHERE fanned_out = ? ORDER BY id${limit(n)}`;

/**
 * Deliveries due, in an order that keeps each incident's events in sequence for each
 * subscription: not while an earlier event of the same incident is still pending or being
 * delivered to it, nor while an earlier event of the incident is not fanned out yet. Dead
 * deliveries do not hold later ones back. Params: active, now, now, fanned_out=false.
 */
export const DUE_DELIVERIES = (n: number) => `SELECT d.id, d.subscription_id FROM webhook_deliveries d
  JOIN webhook_subscriptions s ON s.id = d.subscription_id
  WHERE s.active = ? AND ((d.status = 'PENDING' AND d.next_attempt_at <= ?) OR (d.status = 'DELIVERING' AND d.claimed_until < ?))
  AND (d.incident_id IS NULL OR NOT EXISTS (SELECT 1 FROM webhook_deliveries e WHERE e.subscription_id = d.subscription_id
    AND e.incident_id = d.incident_id AND e.outbox_id < d.outbox_id AND e.status IN ('PENDING', 'DELIVERING')))
  AND (d.incident_id IS NULL OR NOT EXISTS (SELECT 1 FROM webhook_outbox o WHERE o.incident_id = d.incident_id
    AND o.id < d.outbox_id AND o.fanned_out = ?))
  ORDER BY d.next_attempt_at, d.id${limit(n)}`;

/** A delivery still claimable (claim.ts): due, or claimed by a worker whose claim expired. Params: now, now. */
export const DELIVERY_CLAIMABLE = "(status = 'PENDING' AND next_attempt_at <= ?) OR (status = 'DELIVERING' AND claimed_until < ?)";

/** The claim's mark. Params: worker id, claimed until. */
export const DELIVERY_CLAIM = "status = 'DELIVERING', claimed_by = ?, claimed_until = ?";

/** What one attempt sends. Param: the delivery id. */
export const DELIVERY_MESSAGE = `SELECT d.id, d.retry_until, o.event_id, o.type, o.payload, o.occurred_at, s.url, s.secrets
  FROM webhook_deliveries d JOIN webhook_outbox o ON o.id = d.outbox_id JOIN webhook_subscriptions s ON s.id = d.subscription_id
  WHERE d.id = ?`;

/** Param: the delivery id. */
export const DELIVERY_ATTEMPTS = 'SELECT attempts FROM webhook_deliveries WHERE id = ?';
