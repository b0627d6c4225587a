import { Dialect, shareLock, upsert } from '../database/dialect';
import { INCIDENT_AMOUNT_COLUMNS, INCIDENT_CELL_COLUMNS } from './incident-rollup.cells';
import { AMOUNT_COLUMNS, CELL_COLUMNS, PENDING_COLUMNS } from './refund-rollup.cells';

/**
 * The reports' statements on their derived tables, named once (the write-path benchmark's
 * ceiling server sends the same text as the service).
 */
export const INCIDENT_ROLLUPS = 'incident_rollups';
export const REFUND_ROLLUPS = 'refund_rollups';
export const REFUND_PENDING_STEPS = 'refund_pending_steps';

const adding = (columns: readonly string[]) => Object.fromEntries(columns.map((c) => [c, 'add' as const]));

/** Statements whose text depends on the dialect only, written once per dialect (every report sends the incident one). */
function perDialect(write: (d: Dialect) => string): (d: Dialect) => string {
  const written = new Map<Dialect, string>();
  return (d) => {
    let sql = written.get(d);
    if (sql === undefined) written.set(d, (sql = write(d)));
    return sql;
  };
}

/** Adds an incident's delta to its statistics cell, creating the cell when new (params: the cell, then the amounts). */
export const incidentRollupUpsert = perDialect((d) =>
  upsert(d, INCIDENT_ROLLUPS, [...INCIDENT_CELL_COLUMNS, ...INCIDENT_AMOUNT_COLUMNS], INCIDENT_CELL_COLUMNS, adding(INCIDENT_AMOUNT_COLUMNS)),
);

/** The cell columns of one incident row (what a breach's delta needs). Param: the incident id. */
export const INCIDENT_FIGURES =
  'SELECT business_month, drill, category, subtype, severity, owner_department, source, channel, status FROM incidents WHERE id = ?';

/** An incident's breaches now; on MySQL a locking read, so breaches committed after the snapshot count too. Param: the incident id. */
export function breachCountOfIncident(d: Dialect): string {
  return `SELECT COUNT(*) AS n FROM breaches WHERE incident_id = ?${shareLock(d)}`;
}

/** Adds a refund's delta to its monthly cell, creating the cell when new. */
export const refundRollupUpsert = perDialect((d) => upsert(d, REFUND_ROLLUPS, [...CELL_COLUMNS, ...AMOUNT_COLUMNS], CELL_COLUMNS, adding(AMOUNT_COLUMNS)));

/** Sets the refund's pending step, replacing the one before. */
export const pendingStepUpsert = perDialect((d) =>
  upsert(d, REFUND_PENDING_STEPS, PENDING_COLUMNS, ['refund_id'], Object.fromEntries(PENDING_COLUMNS.slice(1).map((c) => [c, 'replace' as const]))),
);

export const DELETE_PENDING_STEP = `DELETE FROM ${REFUND_PENDING_STEPS} WHERE refund_id = ?`;
