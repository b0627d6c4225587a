/**
 * Scoring a drill (演练评分), pure: each thing the live rules required of the team, due against
 * done. Waived and withdrawn actions are not scored; a thing not done and not yet due is PENDING.
 */
export type DrillVerdict = 'ON_TIME' | 'LATE' | 'MISSED' | 'PENDING' | 'WAIVED';

export interface DrillScoreInput {
  kind: 'ACTION' | 'REFUND_STEP';
  incidentId: number;
  code: string;
  label: string;
  dueAt: Date | null;
  doneAt: Date | null;
  doneBy: string | null;
  /** The action was waived or withdrawn: nothing to score. */
  waived: boolean;
}

export interface DrillScoreItem extends DrillScoreInput {
  verdict: DrillVerdict;
  /** Minutes past due when done late or still missing (whole minutes, rounded up); 0 otherwise. */
  minutesLate: number;
}

export function verdictOf(item: DrillScoreInput, asOf: Date): DrillScoreItem {
  const late = (at: Date) => (item.dueAt && at.getTime() > item.dueAt.getTime() ? Math.ceil((at.getTime() - item.dueAt.getTime()) / 60_000) : 0);
  if (item.waived) return { ...item, verdict: 'WAIVED', minutesLate: 0 };
  if (item.doneAt) {
    const m = late(item.doneAt);
    return { ...item, verdict: m > 0 ? 'LATE' : 'ON_TIME', minutesLate: m };
  }
  const m = late(asOf);
  return { ...item, verdict: m > 0 ? 'MISSED' : 'PENDING', minutesLate: m };
}

/** On time over everything due that was done or missed (PENDING and WAIVED left out); null with nothing to score. */
export function onTimeRate(items: readonly DrillScoreItem[]): number | null {
  const scored = items.filter((i) => i.verdict === 'ON_TIME' || i.verdict === 'LATE' || i.verdict === 'MISSED');
  if (scored.length === 0) return null;
  return Math.round((scored.filter((i) => i.verdict === 'ON_TIME').length / scored.length) * 10_000) / 10_000;
}

/** Whole minutes from `from` to `to`, or null when it did not happen. */
export function minutesBetween(from: Date, to: Date | null): number | null {
  return to ? Math.round((to.getTime() - from.getTime()) / 60_000) : null;
}
