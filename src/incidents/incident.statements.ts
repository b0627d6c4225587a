/**
 * The incidents' raw statements on the report path, named once (the write-path benchmark's
 * ceiling server sends the same text).
 */

/** A customer's incidents reported in a window. Params: customer id, from, before, drill. */
export const REPEAT_INCIDENTS_SQL = 'SELECT COUNT(*) AS n FROM incidents WHERE customer_id = ? AND reported_at >= ? AND reported_at < ? AND drill = ?';
