import { LIVE_REFUND_STATUSES_SQL } from '../refunds/refund.state-machine';

/** The row counts /metrics reads on scrape (observability/metrics.ts), named once. */

/** Refunds by status. Param: drill. */
export const REFUNDS_BY_STATUS = `SELECT status, COUNT(*) AS n FROM refunds WHERE drill = ? GROUP BY status`;

/** Webhook deliveries by status. */
export const DELIVERIES_BY_STATUS = `SELECT status, COUNT(*) AS n FROM webhook_deliveries GROUP BY status`;

/** Refund steps pending past due. Params: now, drill. */
export const REFUND_STEPS_OVERDUE = `SELECT COUNT(*) AS n FROM refund_steps s JOIN refunds r ON r.id = s.refund_id WHERE s.status = 'PENDING' AND s.due_at < ? AND r.status IN (${LIVE_REFUND_STATUSES_SQL}) AND r.drill = ?`;

/** Remedies by status. Param: drill. */
export const REMEDIES_BY_STATUS = `SELECT status, COUNT(*) AS n FROM remedies WHERE drill = ? GROUP BY status`;

/** Remedy steps pending past due. Params: now, drill. */
export const REMEDY_STEPS_OVERDUE = `SELECT COUNT(*) AS n FROM remedy_steps s JOIN remedies r ON r.id = s.remedy_id WHERE s.status = 'PENDING' AND s.due_at < ? AND r.status = 'IN_PROGRESS' AND r.drill = ?`;

/** Outbox events not fanned out. Param: fanned_out=false. */
export const OUTBOX_BACKLOG = `SELECT COUNT(*) AS n FROM webhook_outbox WHERE fanned_out = ?`;

/** Breaches not settled. Param: drill. */
export const BREACHES_OPEN = `SELECT COUNT(*) AS n FROM breaches b JOIN incidents i ON i.id = b.incident_id WHERE b.settled_at IS NULL AND i.drill = ?`;

/** Required actions not done past due. Params: done=false, now, drill. */
export const ACTIONS_OVERDUE = `SELECT COUNT(*) AS n FROM incident_actions a JOIN incidents i ON i.id = a.incident_id WHERE a.done = ? AND a.due_at < ? AND i.drill = ?`;
