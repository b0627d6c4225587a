import type { Catalog, Duration, EscalationRung } from '../rules/types';

/** Share of a clock's target at which `sla.warning` fires when the catalog sets none. */
export const DEFAULT_WARN_AT = 0.8;

/** The ladder when the catalog sets none: 部门经理 at once, 分管领导 4 h later, 总经理 24 h after that. */
export const DEFAULT_LADDER: readonly EscalationRung[] = [
  { department: 'DEPARTMENT_MANAGER', after: { immediate: true } },
  { department: 'SUPERVISING_LEADER', after: { hours: 4 } },
  { department: 'GENERAL_MANAGER', after: { hours: 24 } },
];

/** Adds a catalog duration on the business calendar (BusinessCalendar.addDuration). */
export interface DurationCalendar {
  addDuration(from: Date, d: Duration): Date | null;
}

export function ladderOf(catalog: Catalog): readonly EscalationRung[] {
  return catalog.escalation?.ladder?.length ? catalog.escalation.ladder : DEFAULT_LADDER;
}

export function warnAtOf(catalog: Catalog): number {
  return catalog.escalation?.warnAt ?? DEFAULT_WARN_AT;
}

/**
 * A breach that has reached `level` rungs (0: just recorded) at `at`: when the next rung is
 * due, or null when the ladder is done. Pure.
 */
export function nextEscalationAt(ladder: readonly EscalationRung[], level: number, at: Date, calendar: DurationCalendar): Date | null {
  const rung = ladder[level];
  if (!rung) return null;
  return calendar.addDuration(at, rung.after);
}

/** The rung escalating from `level` reaches: its 1-based level and department, or null past the top. */
export function rungAbove(ladder: readonly EscalationRung[], level: number): { level: number; department: string } | null {
  const rung = ladder[level];
  return rung ? { level: level + 1, department: rung.department } : null;
}
