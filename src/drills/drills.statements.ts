import { Dialect, ident } from '../database/dialect';

/** The drills' SQL, named once. */

/** Each procedure's last drill that started (RUNNING or COMPLETED; an aborted one does not count). Params: the procedure codes. */
export function lastDrillsSql(d: Dialect, procedures: number): string {
  const procedure = ident(d, 'procedure');
  return `SELECT ${procedure} AS ${procedure}, MAX(starts_at) AS last FROM drill_runs
    WHERE ${procedure} IN (${Array(procedures).fill('?').join(', ')}) AND status IN ('RUNNING', 'COMPLETED') GROUP BY ${procedure}`;
}
