import type { Catalog, Duration, FiredRule, Severity } from '../rules/types';
import type { StoredDecision } from '../incidents/incident.types';
import type { DurationCalendar } from './escalation-ladder';
import { ClockMode, modeOf } from './sla-clock';
import { remedyStepDue } from '../remedies/remedy-subjects';
import type { BreachKind, SubjectType } from './sla-subjects';

/**
 * Which duration an action's due time came from: a rule may set its own (PAYMENT_FAULT's REFUND
 * in 24 hours, where the catalog says 3 working days). The one that reproduces the due time the
 * decision stored is it; else the catalog's.
 */
export function actionDuration(
  catalog: Catalog,
  decision: StoredDecision | null,
  code: string,
  reportedAt: Date,
  calendar: DurationCalendar,
): Duration | undefined {
  const fallback = catalog.actions[code]?.due;
  const stored = decision?.actions.find((a) => a.code === code)?.dueAt;
  if (!decision || !stored) return fallback;
  const fromRules = (decision.firedRules ?? [])
    .map((r: FiredRule) => r.event)
    .filter((e) => e.type === 'action' && e.params.code === code && e.params.due)
    .map((e) => (e as { params: { due: Duration } }).params.due);
  for (const d of [...fromRules, ...(fallback ? [fallback] : [])]) {
    try {
      if (calendar.addDuration(reportedAt, d)?.toISOString() === stored) return d;
    } catch {
      // a duration the current calendar cannot add: not this one
    }
  }
  return fallback;
}

/** The mode a clock counts in (see sla-clock.ts). */
export function clockMode(
  catalog: Catalog,
  calendar: DurationCalendar,
  c: { subjectType: SubjectType; kind: BreachKind; code: string | null; severity: string | null; decision: StoredDecision | null; startAt: Date },
): ClockMode {
  switch (c.subjectType) {
    case 'INCIDENT': {
      const deadline = catalog.deadlines[c.severity as Severity];
      return modeOf(c.kind === 'ACKNOWLEDGE' ? deadline?.acknowledge : deadline?.resolve);
    }
    case 'ACTION':
      return modeOf(actionDuration(catalog, c.decision, c.code ?? '', c.startAt, calendar));
    case 'REFUND_STEP':
      return modeOf(catalog.refundSteps[c.code ?? '']?.due);
    case 'REPORT_FILING':
      // Due on a working day: its warning falls in that day's working hours.
      return 'working';
    case 'SHIFT_HANDOVER':
      return modeOf(catalog.shiftHandover?.acknowledgeWithin);
    case 'REMEDY_STEP':
      return modeOf(remedyStepDue(catalog, c.code ?? ''));
    case 'DRILL_PROCEDURE':
      return 'wall';
  }
}
