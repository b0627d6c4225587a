import { limit } from '../database/dialect';
import type { SubjectSpec } from './sla-subjects';

/**
 * The escalation scheduler's SQL, named once: per clock subject (sla-subjects.ts gives each
 * subject's select, its open condition and due column) and over the breaches.
 */

const notPaused = (s: SubjectSpec) => (s.pausable ? ' AND c.paused_at IS NULL' : '');

/**
 * Running clocks past due (params: now, and the oldest due time still worth a breach) with no
 * breach recorded yet, most overdue first.
 */
export function overdueSql(s: SubjectSpec, n: number): string {
  return `${s.select} LEFT JOIN breaches b ON b.subject_type = '${s.subjectType}' AND b.subject_id = ${s.subject} AND b.kind = '${s.kind}'
    WHERE ${s.open}${notPaused(s)} AND ${s.due} <= ? AND ${s.due} >= ? AND b.id IS NULL ORDER BY ${s.due} ${limit(n)}`;
}

/**
 * Running clocks of an `onDue: 'warn'` spec past due (params: now, the oldest due time still
 * worth a warning) and not yet warned, most overdue first.
 */
export function dueWarnableSql(s: SubjectSpec, n: number): string {
  return `${s.select} LEFT JOIN sla_warnings w ON w.subject_type = '${s.subjectType}' AND w.subject_id = ${s.subject} AND w.kind = '${s.kind}'
    WHERE ${s.open}${notPaused(s)} AND ${s.due} <= ? AND ${s.due} >= ? AND w.id IS NULL ORDER BY ${s.due} ${limit(n)}`;
}

/** Running clocks not yet due and not yet warned, soonest due first. */
export function warnableSql(s: SubjectSpec, n: number): string {
  return `${s.select} LEFT JOIN sla_warnings w ON w.subject_type = '${s.subjectType}' AND w.subject_id = ${s.subject} AND w.kind = '${s.kind}'
    WHERE ${s.open}${notPaused(s)} AND ${s.due} > ? AND w.id IS NULL ORDER BY ${s.due} ${limit(n)}`;
}

/** Unsettled breaches of this kind whose subject is done (its clock no longer runs), oldest first. */
export function settleableSql(s: SubjectSpec, n: number): string {
  return `SELECT b.id, b.incident_id FROM breaches b
    WHERE b.settled_at IS NULL AND b.subject_type = '${s.subjectType}' AND b.kind = '${s.kind}'
    AND NOT EXISTS (${s.select} WHERE ${s.open} AND ${s.subject} = b.subject_id) ORDER BY b.id ${limit(n)}`;
}

/** One subject's clock if it still runs (paused or not: see pausedAt). */
export function runningSql(s: SubjectSpec): string {
  return `${s.select} WHERE ${s.open} AND ${s.subject} = ?`;
}

/** Unsettled breaches whose next rung is due (param: now), soonest first. */
export function dueEscalationsSql(n: number): string {
  return `SELECT id, incident_id FROM breaches WHERE settled_at IS NULL AND next_escalation_at IS NOT NULL AND next_escalation_at <= ? ORDER BY next_escalation_at, id${limit(n)}`;
}

/**
 * Per action code, how the required actions of incidents reported in a window went (params:
 * now, now, from, to); drills left out unless asked for.
 */
export function actionComplianceSql(includeDrills: boolean): string {
  return `SELECT a.code AS code, COUNT(*) AS total,
  SUM(CASE WHEN a.status = 'DONE' AND (a.due_at IS NULL OR a.done_at <= a.due_at) THEN 1 ELSE 0 END) AS on_time,
  SUM(CASE WHEN a.status = 'DONE' AND a.due_at IS NOT NULL AND a.done_at > a.due_at THEN 1 ELSE 0 END) AS late,
  SUM(CASE WHEN a.status = 'OPEN' AND a.due_at IS NOT NULL AND a.due_at <= ? THEN 1 ELSE 0 END) AS not_done,
  SUM(CASE WHEN a.status = 'OPEN' AND (a.due_at IS NULL OR a.due_at > ?) THEN 1 ELSE 0 END) AS not_yet_due,
  SUM(CASE WHEN a.status = 'WAIVED' THEN 1 ELSE 0 END) AS waived
  FROM incident_actions a JOIN incidents i ON i.id = a.incident_id
  WHERE i.reported_at >= ? AND i.reported_at < ? AND a.status <> 'WITHDRAWN'${includeDrills ? '' : ' AND i.drill = 0'}
  GROUP BY a.code`;
}
