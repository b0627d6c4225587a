/**
 * Comparing two decisions of one incident (stored vs re-decided, live vs shadow) on what a
 * person acts on: severity, owner, who is told, which actions, the police flag and the refund
 * chain. Due times are left out: they follow from severity and actions. Pure.
 */
import type { Severity } from '../rules/types';

export const DECISION_FIELDS = ['SEVERITY', 'OWNER', 'NOTIFY', 'ACTIONS', 'POLICE', 'REFUND_CHAIN'] as const;
export type DecisionField = (typeof DECISION_FIELDS)[number];

/** A decision reduced to what is compared; lists of codes, no dates. */
export interface DecisionSummary {
  severity: Severity;
  ownerDepartment: string;
  notifyDepartments: string[];
  /** Action codes. */
  actions: string[];
  policeReportRequired: boolean;
  refundSteps: string[];
  ruleSetVersion: string;
  /** Names of the fired rules. */
  firedRules: string[];
}

/** What both a stored decision (JSON) and a fresh one provide. */
export interface ComparableDecision {
  severity: Severity;
  ownerDepartment: string;
  notifyDepartments: string[];
  actions: ReadonlyArray<{ code: string }>;
  policeReportRequired: boolean;
  refundSteps?: string[] | null;
  ruleSetVersion: string;
  firedRules?: ReadonlyArray<{ name: string }> | null;
}

export function summarizeDecision(d: ComparableDecision): DecisionSummary {
  return {
    severity: d.severity,
    ownerDepartment: d.ownerDepartment,
    notifyDepartments: [...(d.notifyDepartments ?? [])],
    actions: d.actions.map((a) => a.code),
    policeReportRequired: Boolean(d.policeReportRequired),
    refundSteps: [...(d.refundSteps ?? [])],
    ruleSetVersion: d.ruleSetVersion,
    firedRules: (d.firedRules ?? []).map((r) => r.name),
  };
}

/**
 * The fields that differ, in DECISION_FIELDS order. Notify and actions compare as sets (order
 * is presentation); the refund chain compares in order (order is the approval sequence).
 */
export function diffDecisions(before: DecisionSummary, after: DecisionSummary): DecisionField[] {
  const changed: DecisionField[] = [];
  if (before.severity !== after.severity) changed.push('SEVERITY');
  if (before.ownerDepartment !== after.ownerDepartment) changed.push('OWNER');
  if (!sameSet(before.notifyDepartments, after.notifyDepartments)) changed.push('NOTIFY');
  if (!sameSet(before.actions, after.actions)) changed.push('ACTIONS');
  if (before.policeReportRequired !== after.policeReportRequired) changed.push('POLICE');
  if (!sameList(before.refundSteps, after.refundSteps)) changed.push('REFUND_CHAIN');
  return changed;
}

/** One line a person reads: `severity SERIOUS → URGENT; police no → yes; actions +POLICE_REPORT`. */
export function describeChange(before: DecisionSummary, after: DecisionSummary, fields: DecisionField[]): string {
  const plusMinus = (a: string[], b: string[]) =>
    [...b.filter((x) => !a.includes(x)).map((x) => `+${x}`), ...a.filter((x) => !b.includes(x)).map((x) => `-${x}`)].join(' ');
  const yesNo = (x: boolean) => (x ? 'yes' : 'no');
  const parts = fields.map((f) => {
    switch (f) {
      case 'SEVERITY':
        return `severity ${before.severity} → ${after.severity}`;
      case 'OWNER':
        return `owner ${before.ownerDepartment} → ${after.ownerDepartment}`;
      case 'NOTIFY':
        return `notify ${plusMinus(before.notifyDepartments, after.notifyDepartments)}`;
      case 'ACTIONS':
        return `actions ${plusMinus(before.actions, after.actions)}`;
      case 'POLICE':
        return `police ${yesNo(before.policeReportRequired)} → ${yesNo(after.policeReportRequired)}`;
      case 'REFUND_CHAIN':
        return `refund chain ${before.refundSteps.join('→') || '-'} ⇒ ${after.refundSteps.join('→') || '-'}`;
    }
  });
  return parts.join('; ');
}

function sameSet(a: string[], b: string[]): boolean {
  if (a.length !== b.length) return false;
  const set = new Set(a);
  return b.every((x) => set.has(x));
}

function sameList(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
