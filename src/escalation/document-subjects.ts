import { ensureFilingClocks } from '../reports/report-filing.clock';
import type { SubjectSpec } from './sla-subjects';

/**
 * Clocks of filed documents (the policy), watched by the same scheduler as every other
 * deadline. They belong to no incident: no incident lock, no incident history; their events
 * carry `incidentId: null`.
 *
 * - REPORT_FILING (DUE): a month's refund table (退单统计表) is due on the 1st of the next month
 *   (the next working day when that is not one), counted from the end of the month in working
 *   time; it runs until the table is ARCHIVED. It warns, breaches and climbs the ladder like any
 *   deadline. Its rows are made by `prepare` once the month is over.
 * - SHIFT_HANDOVER (ACKNOWLEDGE): a 工作交接单 not acknowledged by its 接交人 within the catalog's
 *   time (30 minutes by default) gives one `sla.warning` for the CS_LEAD on duty, and no breach.
 */
export const DOCUMENT_SUBJECTS: readonly SubjectSpec[] = [
  {
    subjectType: 'REPORT_FILING',
    kind: 'DUE',
    subject: 'f.id',
    due: 'f.due_at',
    pausable: false,
    select: `SELECT f.id AS subject_id, NULL AS incident_id, NULL AS refund_id, f.table_name AS code, NULL AS source, 0 AS drill,
      f.due_at, f.start_at, NULL AS severity, NULL AS decision, NULL AS paused_at, NULL AS paused_ms, NULL AS paused_working_ms, f.month AS filing_month
      FROM report_filings f`,
    open: "f.status <> 'ARCHIVED'",
    detail: (r) => ({ month: String(r.filing_month), table: String(r.code), department: r.code === 'FINANCE' ? 'FINANCE' : 'CUSTOMER_SERVICE' }),
    prepare: ensureFilingClocks,
  },
  {
    subjectType: 'SHIFT_HANDOVER',
    kind: 'ACKNOWLEDGE',
    subject: 'h.id',
    due: 'h.acknowledge_by',
    pausable: false,
    onDue: 'warn',
    select: `SELECT h.id AS subject_id, NULL AS incident_id, NULL AS refund_id, h.shift AS code, NULL AS source, 0 AS drill,
      h.acknowledge_by AS due_at, h.handed_over_at AS start_at, NULL AS severity, NULL AS decision, NULL AS paused_at, NULL AS paused_ms, NULL AS paused_working_ms,
      h.handed_over_by, h.handed_over_to
      FROM shift_handover_records h`,
    open: 'h.acknowledged_at IS NULL',
    detail: (r) => ({
      handedOverBy: String(r.handed_over_by),
      handedOverTo: String(r.handed_over_to),
      notify: { department: 'CUSTOMER_SERVICE', role: 'CS_LEAD' },
    }),
  },
];
