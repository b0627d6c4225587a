import type { Catalog, Duration } from '../rules/types';
import type { SubjectSpec } from '../escalation/sla-subjects';

/**
 * Remedy steps (货物售后) as clocks of the one escalation scheduler, like refund steps: the
 * pending step of a remedy in progress is due at its `due_at` (counted from the previous step);
 * it warns, breaches and climbs the ladder; doing the step or cancelling the remedy settles it.
 * Not paused with the incident's clock, as refund steps are not.
 */
export const REMEDY_SUBJECTS: readonly SubjectSpec[] = [
  {
    subjectType: 'REMEDY_STEP',
    kind: 'DUE',
    subject: 's.id',
    due: 's.due_at',
    pausable: false,
    select: `SELECT s.id AS subject_id, r.incident_id, NULL AS refund_id, s.step AS code, r.source, r.drill,
      s.due_at, s.pending_since AS start_at, NULL AS severity, NULL AS decision, NULL AS paused_at, NULL AS paused_ms, NULL AS paused_working_ms,
      r.id AS remedy_id, r.kind AS remedy_kind, s.role AS remedy_role
      FROM remedy_steps s JOIN remedies r ON r.id = s.remedy_id`,
    open: "s.status = 'PENDING' AND s.due_at IS NOT NULL AND r.status = 'IN_PROGRESS'",
    detail: (r) => ({ remedyId: String(r.remedy_id), remedyKind: String(r.remedy_kind), role: String(r.remedy_role) }),
  },
];

/** The span a remedy step is due in, for its clock's mode: the first kind naming the step. */
export function remedyStepDue(catalog: Pick<Catalog, 'remedyKinds'>, step: string): Duration | undefined {
  for (const kind of Object.values(catalog.remedyKinds ?? {})) {
    const found = kind.steps.find((s) => s.code === step);
    if (found) return found.due;
  }
  return undefined;
}
