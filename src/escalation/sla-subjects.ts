import type { DataSource } from 'typeorm';
import type { BusinessCalendar } from '../calendar/business-calendar';
import { rawDate, rawNumber } from '../database/raw-values';
import { DOCUMENT_SUBJECTS } from './document-subjects';
import { REMEDY_SUBJECTS } from '../remedies/remedy-subjects';
import { DRILL_SUBJECTS } from '../drills/drill-subjects';
import { LIVE_REFUND_STATUSES_SQL } from '../refunds/refund.state-machine';

/**
 * The clocks the scheduler watches, as SQL over the tables that own them: an incident's
 * acknowledge and resolve deadlines, a required action's due time, a refund step's due time.
 * Each one is "open" while its deadline can still be met or missed; a pausable one (the
 * incident's own clocks and its actions) does not run while the incident's clock is paused.
 * Filed documents add clocks of no incident (document-subjects.ts).
 */
export const SUBJECT_TYPES = ['INCIDENT', 'ACTION', 'REFUND_STEP', 'REPORT_FILING', 'SHIFT_HANDOVER', 'REMEDY_STEP', 'DRILL_PROCEDURE'] as const;
export type SubjectType = (typeof SUBJECT_TYPES)[number];
export const BREACH_KINDS = ['ACKNOWLEDGE', 'RESOLVE', 'DUE'] as const;
export type BreachKind = (typeof BREACH_KINDS)[number];

export interface SubjectSpec {
  subjectType: SubjectType;
  kind: BreachKind;
  /** SELECT … FROM … JOIN …, with the columns ClockRow reads. */
  select: string;
  /** Conditions under which the clock runs (its subject is not done). */
  open: string;
  /** The subject's id column and its due-time column. */
  subject: string;
  due: string;
  pausable: boolean;
  /**
   * What passing the due time does: 'breach' (the default) records a breach that climbs the
   * ladder; 'warn' gives one `sla.warning` then, and never breaches.
   */
  onDue?: 'breach' | 'warn';
  /** Extra fields of the clock's events, read from its row. */
  detail?: (row: Record<string, unknown>) => Record<string, unknown>;
  /** Makes the rows of clocks that start without a write (a month's filing), at the start of each pass. */
  prepare?: (ds: DataSource, now: Date, calendar: BusinessCalendar) => Promise<void>;
}

const INCIDENT_SELECT = `SELECT i.id AS subject_id, i.id AS incident_id, NULL AS refund_id, NULL AS code, i.source, i.drill,
  {due} AS due_at, i.reported_at AS start_at, i.severity, NULL AS decision, c.paused_at, c.paused_ms, c.paused_working_ms
  FROM incidents i LEFT JOIN incident_clocks c ON c.incident_id = i.id`;

export const SUBJECTS: readonly SubjectSpec[] = [
  {
    subjectType: 'INCIDENT',
    kind: 'ACKNOWLEDGE',
    subject: 'i.id',
    due: 'i.acknowledge_by',
    pausable: true,
    select: INCIDENT_SELECT.replace('{due}', 'i.acknowledge_by'),
    open: "i.status = 'OPEN' AND i.acknowledged_at IS NULL AND i.acknowledge_by IS NOT NULL",
  },
  {
    subjectType: 'INCIDENT',
    kind: 'RESOLVE',
    subject: 'i.id',
    due: 'i.resolve_by',
    pausable: true,
    select: INCIDENT_SELECT.replace('{due}', 'i.resolve_by'),
    open: "i.status IN ('OPEN', 'ACKNOWLEDGED') AND i.resolve_by IS NOT NULL",
  },
  {
    subjectType: 'ACTION',
    kind: 'DUE',
    subject: 'a.id',
    due: 'a.due_at',
    pausable: true,
    select: `SELECT a.id AS subject_id, i.id AS incident_id, NULL AS refund_id, a.code, i.source, i.drill,
      a.due_at, i.reported_at AS start_at, i.severity, i.decision, c.paused_at, c.paused_ms, c.paused_working_ms
      FROM incident_actions a JOIN incidents i ON i.id = a.incident_id LEFT JOIN incident_clocks c ON c.incident_id = i.id`,
    open: "a.done = 0 AND a.due_at IS NOT NULL AND i.status <> 'CLOSED'",
  },
  {
    subjectType: 'REFUND_STEP',
    kind: 'DUE',
    subject: 's.id',
    due: 's.due_at',
    pausable: false,
    select: `SELECT s.id AS subject_id, r.incident_id, r.id AS refund_id, s.step AS code, r.source, r.drill,
      s.due_at, s.pending_since AS start_at, NULL AS severity, NULL AS decision, NULL AS paused_at, NULL AS paused_ms, NULL AS paused_working_ms
      FROM refund_steps s JOIN refunds r ON r.id = s.refund_id`,
    open: `s.status = 'PENDING' AND s.due_at IS NOT NULL AND s.attempt = r.attempt AND r.status IN (${LIVE_REFUND_STATUSES_SQL})`,
  },
  ...DOCUMENT_SUBJECTS,
  ...REMEDY_SUBJECTS,
  ...DRILL_SUBJECTS,
];

export function subjectSpec(subjectType: string, kind: string): SubjectSpec | undefined {
  return SUBJECTS.find((s) => s.subjectType === subjectType && s.kind === kind);
}

/** One running clock as the queries below return it. */
export interface ClockRow {
  subjectType: SubjectType;
  kind: BreachKind;
  subjectId: number;
  /** Null for a clock of no incident. */
  incidentId: number | null;
  refundId: number | null;
  code: string | null;
  source: string | null;
  drill: boolean;
  dueAt: Date;
  startAt: Date;
  severity: string | null;
  /** The incident's stored decision (JSON text), for the actions' clock mode. */
  decision: string | null;
  pausedAt: Date | null;
  pausedMs: number;
  pausedWorkingMs: number;
  /** The spec's extra event fields, if it has any. */
  detail: Record<string, unknown> | null;
}

export function clockRow(s: SubjectSpec, r: Record<string, unknown>): ClockRow {
  return {
    subjectType: s.subjectType,
    kind: s.kind,
    subjectId: rawNumber(r.subject_id),
    incidentId: r.incident_id === null || r.incident_id === undefined ? null : rawNumber(r.incident_id),
    refundId: r.refund_id === null || r.refund_id === undefined ? null : rawNumber(r.refund_id),
    code: (r.code as string | null) ?? null,
    source: r.source === null || r.source === undefined ? null : String(r.source),
    drill: Boolean(Number(r.drill)),
    dueAt: rawDate(r.due_at)!,
    startAt: rawDate(r.start_at) ?? rawDate(r.due_at)!,
    severity: (r.severity as string | null) ?? null,
    decision: (r.decision as string | null) ?? null,
    pausedAt: rawDate(r.paused_at),
    pausedMs: rawNumber(r.paused_ms),
    pausedWorkingMs: rawNumber(r.paused_working_ms),
    detail: s.detail ? s.detail(r) : null,
  };
}
