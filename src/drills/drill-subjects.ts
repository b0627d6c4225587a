import { rawDate } from '../database/raw-values';
import type { SubjectSpec } from '../escalation/sla-subjects';

/**
 * DRILL_PROCEDURE (DUE): a procedure falls overdue for a drill (演练合规); a month before, the
 * escalation scheduler gives one `sla.warning` for the CS_LEAD (incidentId null, like the
 * shift handover's), and never breaches. The rows are kept by DrillComplianceService.ensureClocks.
 */
export const DRILL_SUBJECTS: readonly SubjectSpec[] = [
  {
    subjectType: 'DRILL_PROCEDURE',
    kind: 'DUE',
    subject: 'd.id',
    due: 'd.warn_at',
    pausable: false,
    onDue: 'warn',
    select: `SELECT d.id AS subject_id, NULL AS incident_id, NULL AS refund_id, d.procedure AS code, NULL AS source, 0 AS drill,
      d.warn_at AS due_at, d.warn_at AS start_at, NULL AS severity, NULL AS decision, NULL AS paused_at, NULL AS paused_ms, NULL AS paused_working_ms,
      d.due_at AS overdue_at, d.last_drilled_at
      FROM drill_due_clocks d`,
    open: 'd.current = 1',
    detail: (r) => ({
      procedure: String(r.code),
      overdueAt: rawDate(r.overdue_at)!.toISOString(),
      lastDrilledAt: rawDate(r.last_drilled_at)?.toISOString() ?? null,
      notify: { department: 'CUSTOMER_SERVICE', role: 'CS_LEAD' },
    }),
  },
];
