/**
 * The incidents' raw statements on the report and amendment paths, named once (the write-path benchmark's
 * ceiling server sends the same text).
 */

/** A customer's incidents reported in a window. Params: customer id, from, before, drill. */
export const REPEAT_INCIDENTS_SQL = 'SELECT COUNT(*) AS n FROM incidents WHERE customer_id = ? AND reported_at >= ? AND reported_at < ? AND drill = ?';

/** What an incident's live refunds come to (0 without any). Params: incident id, the status left out ('CANCELLED'). */
export const REFUNDS_COMMITTED_SQL = 'SELECT COALESCE(SUM(amount_fen), 0) AS total FROM refunds WHERE incident_id = ? AND status <> ?';
